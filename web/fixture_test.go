package web

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"trustmark"
	"trustmark/search"
	"trustmark/sqlstore"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// now is the tests' fixed instant: 2026-03-15 10:00 in China.
var now = time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)

// Fixture identifiers.
var (
	haier  = trustmark.MakeUSCC("9137020016356268") // 青岛
	huawei = trustmark.MakeUSCC("9144030019220382") // 深圳
	xihu   = trustmark.MakeUSCC("9133010600000011") // 杭州
	cqcOrg = trustmark.MakeUSCC("9111010500000033")
	sqcOrg = trustmark.MakeUSCC("9131011500000044")
	labOrg = trustmark.MakeUSCC("9133010600000055")
)

const (
	bodyA    = "CNCA-R-2002-001" // QMS, EMS, CCC 0901, ORGANIC
	bodyB    = "CNCA-R-2003-002" // QMS, never... submits via import too
	labA     = "230012050001"
	certQMS  = "00126Q30001R0M"   // Haier, valid
	certOld  = "00123Q10002R0M"   // Xihu, stored valid, expired by date on 2026-01-01
	certSusp = "00125Q20003R0M"   // Huawei, suspended on 2026-03-05
	certRev  = "00125E20004R0M"   // Huawei, revoked on 2026-03-10
	certCCC  = "2025010901000001" // Haier CCC, valid
	reportNo = "BG2026-0001"
	personNo = "2026-NQA-0001"
)

// fixture is a registry in a fresh SQLite file, a search index over it and
// the portal's handler, served without a network.
type fixture struct {
	store   *sqlstore.DB
	index   *search.Index
	handler http.Handler
	mu      sync.Mutex
	at      time.Time
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.at
}

func (f *fixture) setClock(t time.Time) {
	f.mu.Lock()
	f.at = t
	f.mu.Unlock()
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	f := &fixture{at: time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)}
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "trustmark.db"), sqlstore.WithClock(f.clock), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatalf("sqlstore.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	f.store = st
	load := func(kind trustmark.Kind, rows ...trustmark.Row) {
		t.Helper()
		var recs []trustmark.Record
		for _, row := range rows {
			rec, err := trustmark.ParseRecord(kind, row, trustmark.DefaultPolicy())
			if err != nil {
				t.Fatalf("fixture %s row %v: %v", kind, row, err)
			}
			recs = append(recs, rec)
		}
		out, err := st.Import(ctx, trustmark.Party{Kind: trustmark.PartyImport, ID: "fixture"}, kind, recs)
		if err != nil {
			t.Fatalf("import %s: %v", kind, err)
		}
		for i, o := range out {
			if o.Result == trustmark.Rejected {
				t.Fatalf("import %s row %d rejected: %v", kind, i, o.Err)
			}
		}
	}
	load(trustmark.KindOrgs,
		trustmark.Row{"uscc": string(haier), "name": "海尔智家股份有限公司", "name_en": "Haier Smart Home Co., Ltd.", "region_code": "370212", "address": "青岛市崂山区海尔路1号"},
		trustmark.Row{"uscc": string(huawei), "name": "华为技术有限公司", "name_en": "Huawei Technologies Co., Ltd.", "region_code": "440307"},
		trustmark.Row{"uscc": string(xihu), "name": "杭州西湖精密机械有限公司", "region_code": "330106"},
		trustmark.Row{"uscc": string(cqcOrg), "name": "中认检测认证集团有限公司", "region_code": "110105"},
		trustmark.Row{"uscc": string(sqcOrg), "name": "上海质量认证中心有限公司", "region_code": "310115"},
		trustmark.Row{"uscc": string(labOrg), "name": "浙江方圆检测实验室有限公司", "region_code": "330106"},
	)
	load(trustmark.KindBodies,
		trustmark.Row{"approval_no": bodyA, "uscc": string(cqcOrg), "name": "中认检测认证集团", "name_en": "China Certification Group", "region_code": "110105", "scopes": "QMS;EMS;CCC;ORGANIC", "ccc_categories": "0901", "ccc_code": "01", "approved_on": "2002-05-01"},
		trustmark.Row{"approval_no": bodyB, "uscc": string(sqcOrg), "name": "上海质量认证中心", "region_code": "310115", "scopes": "QMS"},
	)
	load(trustmark.KindLabs,
		trustmark.Row{"cma_no": labA, "uscc": string(labOrg), "name": "浙江方圆检测实验室", "region_code": "330106", "valid_until": "2029-12-31",
			"scope": "电冰箱 / 安全性能、能效、噪声\n电线电缆 / 阻燃性能、绝缘电阻\n依据标准：GB 4706.1-2005、GB 12021.2-2015、GB/T 18380.12-2022"},
	)
	load(trustmark.KindPersons,
		trustmark.Row{"registration_no": personNo, "name": "张伟", "body_approval_no": bodyA, "qualifications": "QMS;EMS", "grade": "高级审核员"},
	)
	load(trustmark.KindCertificates,
		trustmark.Row{"number": certQMS, "type": "QMS", "body_approval_no": bodyA, "holder_uscc": string(haier), "scope": "家用电冰箱的设计和生产", "standard": "GB/T 19001-2016", "issued_on": "2026-01-10", "expires_on": "2029-01-09"},
		trustmark.Row{"number": certOld, "type": "QMS", "body_approval_no": bodyA, "holder_uscc": string(xihu), "scope": "机械加工", "standard": "GB/T 19001-2016", "issued_on": "2023-01-02", "expires_on": "2026-01-01"},
		trustmark.Row{"number": certSusp, "type": "QMS", "body_approval_no": bodyB, "holder_uscc": string(huawei), "scope": "通信设备的设计和生产", "standard": "GB/T 19001-2016", "issued_on": "2025-06-01", "expires_on": "2028-05-31"},
		trustmark.Row{"number": certRev, "type": "EMS", "body_approval_no": bodyA, "holder_uscc": string(huawei), "scope": "通信设备生产相关的环境管理活动", "standard": "GB/T 24001-2016", "issued_on": "2025-06-01", "expires_on": "2028-05-31"},
		trustmark.Row{"number": certCCC, "type": "CCC", "body_approval_no": bodyA, "holder_uscc": string(haier), "scope": "家用电器", "product": "电冰箱", "ccc_category": "0901", "issued_on": "2025-01-15", "expires_on": "2030-01-14"},
	)
	load(trustmark.KindReports,
		trustmark.Row{"number": reportNo, "lab_cma_no": labA, "client_uscc": string(haier), "product": "电冰箱", "conclusion": "pass", "issued_on": "2026-02-01"},
	)
	f.setClock(time.Date(2026, 3, 5, 2, 0, 0, 0, time.UTC))
	if _, err := st.TransitionCertificate(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: bodyB}, certSusp,
		trustmark.Transition{To: trustmark.StatusSuspended, Reason: "监督审核不通过"}); err != nil {
		t.Fatalf("suspend: %v", err)
	}
	f.setClock(time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC))
	if _, err := st.TransitionCertificate(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}, certRev,
		trustmark.Transition{To: trustmark.StatusRevoked, Reason: "超出认证范围使用证书"}); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	f.setClock(now)

	if f.index, err = search.OpenMem(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.index.Close() })
	if _, err := f.index.CatchUp(ctx, trustmark.NewFeed(st, trustmark.FeedOptions{Logger: quiet}), st); err != nil {
		t.Fatalf("index CatchUp: %v", err)
	}
	f.handler = NewHandler(Config{Store: st, Search: f.index, Clock: f.clock, Logger: quiet, BaseURL: "https://trustmark.example.cn"})
	return f
}

// get serves one GET request with optional headers ("Name: value").
func (f *fixture) get(target string, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", target, nil)
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.handler.ServeHTTP(w, r)
	return w
}

func (f *fixture) quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
