package web

import (
	"bytes"
	"encoding/csv"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// pageValues reads the headline values of a statistics page by indicator
// key, without their thousands separators.
func pageValues(t *testing.T, body string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, m := range regexp.MustCompile(`<span class="value" data-key="([a-z_]+)">([0-9,]+)</span>`).FindAllStringSubmatch(body, -1) {
		n, err := strconv.ParseInt(strings.ReplaceAll(m[2], ",", ""), 10, 64)
		if err != nil {
			t.Fatalf("value %q of %s: %v", m[2], m[1], err)
		}
		out[m[1]] = n
	}
	return out
}

func TestStatisticsPage(t *testing.T) {
	f := newFixture(t)
	w := f.get("/statistics")
	if w.Code != 200 {
		t.Fatalf("GET /statistics = %d, want 200", w.Code)
	}
	body := w.Body.String()
	want := map[string]int64{"valid_certificates": 2, "certified_orgs": 1, "reports_per_year": 1, "approved_bodies": 2, "labs": 1, "certification_personnel": 1}
	t.Run("the headline figures are the registry's counts", func(t *testing.T) {
		if got := pageValues(t, body); !equalCounts(got, want) {
			t.Errorf("page values = %v, want %v", got, want)
		}
	})
	for _, c := range []struct{ name, want string }{
		{"the title is the plan's", "<h1>“十四五”主要发展指标</h1>"},
		{"the time of the count has its zone", "统计时间：2026-03-15 10:00（北京时间）。"},
		{"the baseline has thousands separators and the plan's own figure", `<span class="fig-num">2,700,000</span>（规划：270万张）`},
		{"the target too", `<span class="fig-num">3,200,000</span>（规划：320万张）`},
		{"a flow says its period", "统计期：2025-03-01 至 2026-02-28"},
		{"progress below the baseline is negative", `<span class="fig-num">-540.0%</span>`},
		{"a row the registry cannot count says so", "<strong>检验检测认证服务业营业总收入</strong> · 不在登记库中"},
		{"and gives the plan's figures only", "2020年基数 <span class=\"fig-num\">3881亿元</span>"},
		{"each chart is an image with a title", `<svg viewBox="0 0 320 170" role="img" aria-labelledby="trend-valid_certificates-title trend-valid_certificates-desc"`},
		{"and a description of its numbers", `<desc id="trend-valid_certificates-desc">2020-01 至 2026-03：最低 0，最高 4，最近 2。</desc>`},
		{"its table marks the month still running", `<tr><th scope="row" class="fig-num">2026-03</th><td class="fig-num">截至2026-03-15</td><td class="fig-num">2</td></tr>`},
		{"the downloads are linked", `<a href="/statistics/indicators.csv" download>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(body, c.want) {
				t.Errorf("GET /statistics does not contain %q", c.want)
			}
		})
	}
	t.Run("a stock's line has a point per month", func(t *testing.T) {
		m := regexp.MustCompile(`<polyline points="([^"]*)"`).FindStringSubmatch(body)
		if m == nil || len(strings.Fields(m[1])) != 75 {
			t.Errorf("first polyline = %v, want 75 points (2020-01 … 2026-03)", m)
		}
	})
	t.Run("the Chinese page shows no English definition", func(t *testing.T) {
		for _, s := range []string{"Certificates valid on the day", "not in the registry", "Valid certification"} {
			if strings.Contains(body, s) {
				t.Errorf("GET /statistics contains %q", s)
			}
		}
	})
	t.Run("the English page is English and keeps its language in links", func(t *testing.T) {
		en := f.get("/statistics?lang=en").Body.String()
		for _, s := range []string{"<h1>14th Five-Year Plan indicators</h1>", "Valid certification certificates", `<span class="fig-num">2,700,000</span> (plan: 270 × 10,000 certificates)`,
			"Counted at 2026-03-15 10:00 China time (UTC&#43;8).", `href="/statistics/trend.xlsx?lang=en"`} {
			if !strings.Contains(en, s) {
				t.Errorf("GET /statistics?lang=en does not contain %q", s)
			}
		}
		if got := pageValues(t, en); !equalCounts(got, want) {
			t.Errorf("English page values = %v, want %v", got, want)
		}
	})
	t.Run("an unknown download is not found", func(t *testing.T) {
		if w := f.get("/statistics/indicators.pdf"); w.Code != 404 {
			t.Errorf("GET /statistics/indicators.pdf = %d, want 404", w.Code)
		}
	})
	t.Run("the home page links to it", func(t *testing.T) {
		if home := f.get("/").Body.String(); !strings.Contains(home, `<a href="/statistics">发展指标</a>`) {
			t.Errorf("GET / has no link to /statistics")
		}
	})
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestStatisticsForARegion(t *testing.T) {
	f := newFixture(t)
	h := f.handler.(*Handler)
	for _, c := range []struct {
		name, region, title string
		valid               int64
	}{
		{"Shandong counts Haier's certificates in Qingdao", "370000", "“十四五”主要发展指标 · 山东省", 2},
		{"Beijing counts none of them", "110000", "“十四五”主要发展指标 · 北京市", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeStatistics(w, httptest.NewRequest("GET", "/work/statistics", nil), StatisticsScope{Region: c.region, Base: "/work/statistics"}, "")
			body := w.Body.String()
			if got := pageValues(t, body)["valid_certificates"]; w.Code != 200 || got != c.valid {
				t.Errorf("status %d, valid certificates %d, want 200, %d", w.Code, got, c.valid)
			}
			for _, s := range []string{"<h1>" + c.title + "</h1>", "规划的基数和目标是全国数字", `href="/work/statistics/trend.csv"`} {
				if !strings.Contains(body, s) {
					t.Errorf("page does not contain %q", s)
				}
			}
			if strings.Contains(body, "2,700,000") || strings.Contains(body, "完成进度") {
				t.Errorf("a region's page shows the national plan's figures")
			}
		})
	}
}

// TestStatisticsDownloads opens the CSV and XLSX tables and wants the page's
// numbers in them, with headers in the page's language.
func TestStatisticsDownloads(t *testing.T) {
	f := newFixture(t)
	page := pageValues(t, f.get("/statistics").Body.String())
	for _, c := range []struct {
		lang, keyHeader, valueHeader string
	}{{"", "指标代码", "现值"}, {"?lang=en", "key", "value"}} {
		tables := map[string][][]string{}
		for _, file := range []string{"indicators.csv", "trend.csv"} {
			w := f.get("/statistics/" + file + c.lang)
			b := w.Body.Bytes()
			if w.Code != 200 || !bytes.HasPrefix(b, []byte("\ufeff")) || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
				t.Fatalf("GET %s%s = %d %q, want 200 UTF-8 CSV with a byte-order mark", file, c.lang, w.Code, w.Header().Get("Content-Type"))
			}
			rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
			if err != nil {
				t.Fatalf("%s%s: %v", file, c.lang, err)
			}
			tables[file] = rows
		}
		for _, file := range []string{"indicators.xlsx", "trend.xlsx"} {
			w := f.get("/statistics/" + file + c.lang)
			x, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatalf("GET %s%s = %d, not a workbook: %v", file, c.lang, w.Code, err)
			}
			rows, err := x.GetRows(x.GetSheetName(0))
			x.Close()
			if err != nil {
				t.Fatalf("%s%s: %v", file, c.lang, err)
			}
			tables[file] = rows
		}
		for _, name := range []string{"indicators", "trend"} {
			csvRows, xlsxRows := tables[name+".csv"], tables[name+".xlsx"]
			if len(csvRows) != len(xlsxRows) {
				t.Errorf("%s%s: CSV has %d rows, XLSX %d", name, c.lang, len(csvRows), len(xlsxRows))
				continue
			}
			for i := range csvRows {
				if strings.Join(csvRows[i], "|") != strings.Join(xlsxRows[i], "|") {
					t.Errorf("%s%s row %d: CSV %q, XLSX %q", name, c.lang, i, csvRows[i], xlsxRows[i])
				}
			}
		}
		ind := tables["indicators.csv"]
		if ind[0][0] != c.keyHeader || ind[0][5] != c.valueHeader {
			t.Errorf("indicators%s header = %q, want %q … %q", c.lang, ind[0], c.keyHeader, c.valueHeader)
		}
		got := map[string]int64{}
		for _, row := range ind[1:] {
			if row[5] != "" {
				got[row[0]], _ = strconv.ParseInt(row[5], 10, 64)
			}
		}
		if !equalCounts(got, page) {
			t.Errorf("indicators%s values = %v, the page's %v", c.lang, got, page)
		}
		trend := tables["trend.csv"]
		last := trend[len(trend)-1]
		if last[0] != "2026-03" || last[1] != "2026-03-15" {
			t.Errorf("trend%s last row = %q, want 2026-03 read on 2026-03-15", c.lang, last)
		}
		for i, name := range trend[0][2:] {
			for _, row := range ind[1:] {
				if row[1] == name && row[0] != "reports_per_year" && row[5] != last[i+2] {
					t.Errorf("trend%s: %s is %s in the last month, %s in the indicator table", c.lang, name, last[i+2], row[5])
				}
			}
		}
	}
}
