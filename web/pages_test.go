package web

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/search"
)

// TestPagesGolden renders each kind of page and compares it with
// testdata/NAME.golden; go test ./web -run Golden -update rewrites them.
func TestPagesGolden(t *testing.T) {
	f := newFixture(t)
	pages := []struct{ name, target string }{
		{"home", "/"},
		{"home_en", "/?lang=en"},
		{"certificate_valid", "/certificates/" + certQMS},
		{"certificate_suspended", "/certificates/" + certSusp},
		{"certificate_revoked_en", "/certificates/" + certRev + "?lang=en"},
		{"certificate_expired", "/certificates/" + certOld},
		{"org", "/orgs/" + string(haier)},
		{"body", "/bodies/" + bodyA},
		{"lab", "/labs/" + labA},
		{"person", "/persons/" + personNo},
		{"report", "/reports/" + labA + "/" + reportNo},
		{"reportform", "/reports"},
		{"search_name", "/search?q=海尔"},
		{"disclosures", "/disclosures"},
		{"notfound_ccc_unknown", "/certificates/2025010901999999"},
		{"notfound_uscc_malformed", "/orgs/91370200163562681X"},
		{"notfound_uscc_malformed_en", "/orgs/91370200163562681X?lang=en"},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			w := f.get(p.target)
			got := w.Body.String()
			path := filepath.Join("testdata", p.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./web -run Golden -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("GET %s differs from %s (-want +got):\n%s", p.target, path, diff)
			}
		})
	}
}

func TestPageStatusAndRedirects(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name     string
		target   string
		code     int
		location string   // for redirects
		contains []string // for pages
	}{
		{"a USCC goes to its organisation", "/search?q=" + string(haier), 303, "/orgs/" + string(haier), nil},
		{"a lower-case USCC with spaces still goes there", "/search?q=+" + strings.ToLower(string(haier)) + "+", 303, "/orgs/" + string(haier), nil},
		{"a certificate number goes to its page", "/search?q=" + certQMS, 303, "/certificates/" + certQMS, nil},
		{"a CCC number goes to its page", "/search?q=" + certCCC, 303, "/certificates/" + certCCC, nil},
		{"an approval number goes to the body", "/search?q=cnca-r-2002-001", 303, "/bodies/" + bodyA, nil},
		{"a CMA number goes to the lab", "/search?q=" + labA, 303, "/labs/" + labA, nil},
		{"a report reference goes to the report", "/search?q=" + labA + "/" + reportNo, 303, "/reports/" + labA + "/" + reportNo, nil},
		{"a person's registration number goes to the person", "/search?q=" + personNo, 303, "/persons/" + personNo, nil},
		{"the redirect keeps an explicit language", "/search?q=" + certQMS + "&lang=en", 303, "/certificates/" + certQMS + "?lang=en", nil},
		{"an empty search goes home", "/search?q=", 303, "/", nil},
		{"a two-character name finds the company", "/search?q=海尔", 200, "", []string{"海尔智家股份有限公司", "/orgs/" + string(haier)}},
		{"words out of order find the company", "/search?q=技术+华为", 200, "", []string{"华为技术有限公司"}},
		{"traditional characters find the company", "/search?q=華為", 200, "", []string{"华为技术有限公司"}},
		{"a type filter keeps CCC certificates", "/search?q=海尔&type=CCC", 200, "", []string{certCCC}},
		{"an unknown name is an honest empty result", "/search?q=不存在的公司名", 200, "", []string{"没有找到与“不存在的公司名”相符的记录"}},
		{"a malformed USCC says what is wrong", "/search?q=91370200163562681X", 404, "", []string{"的校验码是 X，应为 G"}},
		{"a malformed USCC says what is wrong in English", "/search?q=91370200163562681X&lang=en", 404, "", []string{"has check character X, want G"}},
		{"an unknown well-formed USCC says so", "/search?q=" + string(trustmark.MakeUSCC("9144030000000099")), 404, "", []string{"格式正确，但登记库中没有这条记录"}},
		{"a CCC number of a category no body covers belongs to no known body", "/search?q=2025011201000001", 404, "", []string{"不属于登记库中已知的任何认证机构"}},
		{"a CCC number of a covered category lists the bodies and their last submission", "/search?q=2025010901999999", 404, "", []string{"中认检测认证集团", "最近一次报送：2026-03-10 10:00"}},
		{"a CCC number with an impossible year is malformed", "/search?q=1999010901000001", 404, "", []string{"以年份 1999 开头"}},
		{"an organic label code is explained", "/search?q=00126123456789012", 404, "", []string{"有机码", "中认检测认证集团"}},
		{"a report of an unknown lab", "/search?q=230012059999/X1", 404, "", []string{"不属于登记库中已知的任何检验检测机构"}},
		{"an unknown report of a known lab shows the lab's last submission", "/search?q=" + labA + "/NOPE-1", 404, "", []string{"浙江方圆检测实验室", "最近一次报送"}},
		{"a malformed approval number", "/search?q=CNCA-R-1800-001", 404, "", []string{"应在 1990 至 2099 之间"}},
		{"a malformed CMA number", "/labs/239912050001", 404, "", []string{"发证机关代码（第 3-4 位）是 99"}},
		{"a malformed CMA number in English", "/labs/239912050001?lang=en", 404, "", []string{"issuing-authority code 99"}},
		{"an unknown body", "/bodies/CNCA-R-2020-999", 404, "", []string{"格式正确，但登记库中没有这条记录"}},
		{"an unknown person", "/persons/NOBODY-1", 404, "", nil},
		{"an unknown certificate of free format", "/certificates/NOPE-123", 404, "", []string{"格式正确，但登记库中没有这条记录"}},
		{"an unknown page", "/nowhere", 404, "", []string{"没有这个页面"}},
		{"a certificate address without a number", "/certificates/", 404, "", []string{"没有这个页面"}},
		{"a certificate number with a space is malformed", "/certificates/AB%20123", 404, "", []string{"含有空格或控制字符"}},
		{"a certificate number holding a slash", "/certificates/CQC/2026/001", 404, "", []string{"CQC/2026/001"}},
		{"an expired certificate shows expired whatever the row says", "/certificates/" + certOld, 200, "", []string{"过期失效", "有效期至 2026-01-01，其后过期失效"}},
		{"an expired certificate is painted grey, apart from the red of a sanction", "/certificates/" + certOld, 200, "", []string{`class="status lapsed"`}},
		{"a revoked certificate labels its dates as its former validity", "/certificates/" + certRev, 200, "", []string{`class="status bad"`, "<dt>原有效期</dt>"}},
		{"a revoked certificate's former validity in English", "/certificates/" + certRev + "?lang=en", 200, "", []string{"<dt>Former validity</dt>"}},
		{"a valid certificate's validity is not former", "/certificates/" + certQMS, 200, "", []string{"<dt>有效期</dt>"}},
		{"a one-character search asks for two characters", "/search?q=" + url.QueryEscape("海"), 200, "", []string{"请至少输入两个字"}},
		{"a one-character search in English asks for two characters", "/search?lang=en&q=x", 200, "", []string{"Type at least two characters."}},
		{"an unknown report speaks of reports and its laboratory", "/reports/" + labA + "/BG2026-9999", 404, "", []string{"出具报告的检验检测机构", "刚刚出具的报告"}},
		{"a suspended certificate says since when", "/certificates/" + certSusp, 200, "", []string{"自 2026-03-05 起暂停", "监督审核不通过"}},
		{"a revoked certificate says on which day", "/certificates/" + certRev + "?lang=en", 200, "", []string{"Revoked", "revoked on 2026-03-10"}},
		{"the certificate page has a QR code of its own address", "/certificates/" + certQMS, 200, "", []string{"data:image/png;base64,", "https://trustmark.example.cn/certificates/" + certQMS}},
		{"the report form verifies by lab name", "/reports?number=" + reportNo + "&lab=方圆", 303, "/reports/" + labA + "/" + reportNo, nil},
		{"the report form verifies by CMA number", "/reports?number=" + reportNo + "&lab=" + labA, 303, "/reports/" + labA + "/" + reportNo, nil},
		{"the report form with an unknown lab name", "/reports?number=" + reportNo + "&lab=不存在实验室", 404, "", []string{"不属于登记库中已知的任何检验检测机构"}},
		{"a report states only what it says", "/reports/" + labA + "/" + reportNo, 200, "", []string{"电冰箱", "合格", "2026-02-01", "浙江方圆检测实验室"}},
		{"the organisation page lists every certificate and report", "/orgs/" + string(haier), 200, "", []string{certQMS, certCCC, reportNo}},
		{"the body page lists its certificates and last submission", "/bodies/" + bodyA, 200, "", []string{certQMS, certRev, "最近一次报送数据"}},
		{"the organisation page names its region in Chinese", "/orgs/" + string(haier), 200, "", []string{"<dd>山东省 青岛市 崂山区</dd>"}},
		{"the organisation page names its region in English", "/orgs/" + string(haier) + "?lang=en", 200, "", []string{"<dd>Laoshan District, Qingdao, Shandong</dd>"}},
		{"the body page names its region in English", "/bodies/" + bodyA + "?lang=en", 200, "", []string{"<dd>Chaoyang District, Beijing</dd>"}},
		{"the lab page names its region in English", "/labs/" + labA + "?lang=en", 200, "", []string{"<dd>Xihu District, Hangzhou, Zhejiang</dd>"}},
		{"the search filters name provinces and cities in English", "/search?q=海尔&province=370000&lang=en", 200, "", []string{`<option value="370000" selected>Shandong</option>`, `<option value="370200">Qingdao</option>`}},
		{"the disclosures filter names provinces in English", "/disclosures?lang=en", 200, "", []string{`<option value="540000">Xizang</option>`}},
		{"search results name the region in English", "/search?q=海尔&lang=en", 200, "", []string{"Laoshan District, Qingdao, Shandong"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.get(tt.target)
			if w.Code != tt.code {
				t.Fatalf("GET %s status = %d, want %d\n%s", tt.target, w.Code, tt.code, w.Body.String())
			}
			if tt.location != "" {
				if got := w.Header().Get("Location"); got != tt.location {
					t.Errorf("GET %s Location = %q, want %q", tt.target, got, tt.location)
				}
			}
			body := w.Body.String()
			for _, s := range tt.contains {
				if !strings.Contains(body, s) {
					t.Errorf("GET %s: page lacks %q", tt.target, s)
				}
			}
		})
	}
}

func TestLanguage(t *testing.T) {
	f := newFixture(t)
	htmlLang := regexp.MustCompile(`<html lang="([^"]+)">`)
	tests := []struct {
		name, target, acceptLanguage, want string
	}{
		{"Chinese by default", "/", "", "zh-Hans"},
		{"English by ?lang=en", "/?lang=en", "", "en"},
		{"English by Accept-Language", "/", "en-US,en;q=0.9", "en"},
		{"Chinese when the browser prefers it", "/", "zh-CN,zh;q=0.9,en;q=0.5", "zh-Hans"},
		{"Chinese for a language we lack", "/", "fr-FR", "zh-Hans"},
		{"?lang=zh wins over the browser", "/?lang=zh", "en-US", "zh-Hans"},
		{"Traditional Chinese browsers get Chinese", "/", "zh-TW", "zh-Hans"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w = f.get(tt.target)
			if tt.acceptLanguage != "" {
				w = f.get(tt.target, "Accept-Language: "+tt.acceptLanguage)
			}
			m := htmlLang.FindStringSubmatch(w.Body.String())
			if m == nil || m[1] != tt.want {
				t.Errorf("GET %s (Accept-Language %q) html lang = %v, want %s", tt.target, tt.acceptLanguage, m, tt.want)
			}
		})
	}
	t.Run("every page has a switch link to the other language", func(t *testing.T) {
		for _, target := range []string{"/", "/certificates/" + certQMS, "/orgs/" + string(haier), "/disclosures", "/nowhere"} {
			body := f.get(target).Body.String()
			if !strings.Contains(body, `lang=en" hreflang="en"`) {
				t.Errorf("GET %s has no link to English", target)
			}
		}
	})
	t.Run("links keep an explicit language", func(t *testing.T) {
		body := f.get("/certificates/" + certQMS + "?lang=en").Body.String()
		if !strings.Contains(body, `href="/orgs/`+string(haier)+`?lang=en"`) {
			t.Errorf("holder link lacks ?lang=en")
		}
	})
}

func TestPersonPageShowsOnlyThePublicRecord(t *testing.T) {
	f := newFixture(t)
	body := f.get("/persons/" + personNo).Body.String()
	terms := regexp.MustCompile(`<dt>([^<]+)</dt>`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, m := range terms {
		got = append(got, m[1])
	}
	want := []string{"姓名", "注册号", "所在认证机构", "注册专业", "级别"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("person page facts (-want +got):\n%s", diff)
	}
	values := regexp.MustCompile(`<dd[^>]*>(.*?)</dd>`).FindAllStringSubmatch(body, -1)
	var gotValues []string
	for _, m := range values {
		gotValues = append(gotValues, regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))
	}
	wantValues := []string{"张伟", personNo, "中认检测认证集团", "质量管理体系认证、环境管理体系认证", "高级审核员"}
	if diff := cmp.Diff(wantValues, gotValues); diff != "" {
		t.Errorf("person page values (-want +got):\n%s", diff)
	}
}

func TestDisclosures(t *testing.T) {
	f := newFixture(t)
	t.Run("the list has the suspended and revoked certificates, newest first", func(t *testing.T) {
		body := f.get("/disclosures").Body.String()
		i, j := strings.Index(body, certRev), strings.Index(body, certSusp)
		if i < 0 || j < 0 || i > j {
			t.Errorf("disclosures: revoked at %d, suspended at %d; want both, revoked first", i, j)
		}
		if strings.Contains(body, certQMS) || strings.Contains(body, certOld) {
			t.Errorf("disclosures list a valid or expired certificate")
		}
		for _, want := range []string{`data-label="原因">超出认证范围使用证书</td>`, `data-label="原因">监督审核不通过</td>`,
			`data-label="发证机构"><a href="/bodies/` + bodyB + `">上海质量认证中心</a>`} {
			if !strings.Contains(body, want) {
				t.Errorf("disclosures lack %q", want)
			}
		}
	})
	t.Run("a region filter keeps the province's certificates", func(t *testing.T) {
		body := f.get("/disclosures?province=370000").Body.String()
		if strings.Contains(body, certRev) {
			t.Errorf("Shandong filter lists a Guangdong certificate")
		}
		body = f.get("/disclosures?province=440000&city=440300").Body.String()
		if !strings.Contains(body, certRev) {
			t.Errorf("Shenzhen filter misses %s", certRev)
		}
	})
	t.Run("a type filter", func(t *testing.T) {
		body := f.get("/disclosures?type=EMS").Body.String()
		if !strings.Contains(body, certRev) || strings.Contains(body, certSusp) {
			t.Errorf("EMS filter wrong")
		}
	})
	t.Run("the CSV download", func(t *testing.T) {
		w := f.get("/disclosures?format=csv")
		if ct := w.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		got := strings.TrimPrefix(w.Body.String(), "\ufeff")
		want := "证书编号,证书类型,状态,状态起始日期,原因,获证组织统一社会信用代码,获证组织名称,发证机构批准号,发证机构名称,有效期至,地区代码,地区\n" +
			certRev + ",环境管理体系认证,撤销,2026-03-10,超出认证范围使用证书," + string(huawei) + ",华为技术有限公司," + bodyA + ",中认检测认证集团,2028-05-31,440300,广东省 深圳市\n" +
			certSusp + ",质量管理体系认证,暂停,2026-03-05,监督审核不通过," + string(huawei) + ",华为技术有限公司," + bodyB + ",上海质量认证中心,2028-05-31,440300,广东省 深圳市\n"
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("CSV (-want +got):\n%s", diff)
		}
		en := strings.TrimPrefix(f.get("/disclosures?format=csv&lang=en").Body.String(), "\ufeff")
		if !strings.HasPrefix(en, "number,type,status,status_since,reason,holder_uscc,") || !strings.Contains(en, ",Environmental management system,Revoked,2026-03-10,超出认证范围使用证书,") {
			t.Errorf("English CSV lacks English headers or the reason:\n%s", en)
		}
		if !strings.Contains(en, ",440300,\"Shenzhen, Guangdong\"\n") {
			t.Errorf("English CSV lacks the English region name:\n%s", en)
		}
	})
}

func TestSearchWithoutAnIndexFallsBackToTheStore(t *testing.T) {
	f := newFixture(t)
	h := NewHandler(Config{Store: f.store, Search: search.Fragments(f.store), Clock: f.clock, Logger: f.quiet()})
	r := httptest.NewRequest("GET", "/search?q="+url.QueryEscape("海尔"), nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "海尔智家股份有限公司") {
		t.Errorf("fallback search status %d; page lacks 海尔智家股份有限公司", w.Code)
	}
	if !strings.Contains(w.Body.String(), "全文检索暂不可用") {
		t.Errorf("fallback search does not say the index is unavailable")
	}
}

// logView is a History that reports every event of a certificate as in
// the log, the last one still pending.
type logView struct{ f *fixture }

func (l logView) CertificateHistory(ctx context.Context, number string) ([]HistoryEntry, error) {
	c, err := l.f.store.Certificate(ctx, number)
	if err != nil {
		return nil, err
	}
	evs, err := l.f.store.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: c.Key(), After: -1, Limit: 100})
	if err != nil {
		return nil, err
	}
	var out []HistoryEntry
	for i, e := range evs {
		out = append(out, HistoryEntry{Seq: e.Seq, Verified: i < len(evs)-1, ProofURL: "/api/v1/certificates/" + number + "/history?bundle=1"})
	}
	return out, nil
}

func TestCertificateTimelineShowsTheLog(t *testing.T) {
	f := newFixture(t)
	h := NewHandler(Config{Store: f.store, Search: f.index, Clock: f.clock, Logger: f.quiet(), History: logView{f}})
	r := httptest.NewRequest("GET", "/certificates/"+certSusp, nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	body := w.Body.String()
	for _, want := range []string{"✓ 已在公开日志中核验", "等待写入公开日志", `href="/api/v1/certificates/` + certSusp + `/history?bundle=1" download`} {
		if !strings.Contains(body, want) {
			t.Errorf("certificate page lacks %q", want)
		}
	}
}
