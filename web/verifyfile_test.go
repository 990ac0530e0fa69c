package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// TestVerifyDownloadKeepsTheInput: a download keeps every input column and
// row in place (blank and malformed rows with their reason), adds the
// result columns with Chinese headers on a Chinese page, links absolutely
// on the configured base URL whatever Host the request names, and starts
// with a summary line of counts by result; in CSV and in XLSX.
func TestVerifyDownloadKeepsTheInput(t *testing.T) {
	f := newFixture(t)
	h := NewHandler(Config{Store: f.store, Clock: f.clock, Logger: f.quiet(), BaseURL: "https://trustmark.example.cn"})
	in := "序号,供应商名称,证书编号,备注\n" +
		"1,海尔," + certCCC + ",冰箱\n" +
		"2,空行,,\n" +
		"3,华为," + certSusp + ",\n" +
		"4,坏号,91370200163562681H,格式错\n" +
		"5,未知,2025010901999999,\n"
	wantRows := [][]string{
		{"共 5 行：有效 1，暂停 1，未找到 2，空行 1"},
		{"序号", "供应商名称", "证书编号", "备注", "查询项", "是否找到", "类别", "状态", "说明", "证书类型", "名称", "有效期至", "链接"},
		{"1", "海尔", certCCC, "冰箱", certCCC, "是", "证书", "有效"},
		{"2", "空行", "", "", "", "", "", "", "空行，未核查"},
		{"3", "华为", certSusp, "", certSusp, "是", "证书", "暂停"},
		{"4", "坏号", "91370200163562681H", "格式错", "91370200163562681H", "否"},
		{"5", "未知", "2025010901999999", "", "2025010901999999", "否", "证书", ""},
	}
	check := func(t *testing.T, rows [][]string) {
		t.Helper()
		if len(rows) != len(wantRows) {
			t.Fatalf("got %d rows, want %d: %q", len(rows), len(wantRows), rows)
		}
		for i, want := range wantRows {
			got := rows[i]
			if len(got) < len(want) {
				t.Errorf("row %d = %q, want it to start with %q", i, got, want)
				continue
			}
			if diff := cmp.Diff(want, got[:len(want)]); diff != "" {
				t.Errorf("row %d (-want +got):\n%s", i, diff)
			}
		}
		if bad := rows[5]; len(bad) < 9 || !strings.HasPrefix(bad[8], "格式错误") {
			t.Errorf("the malformed row does not say why: %q", bad)
		}
		links := map[int]string{2: "https://trustmark.example.cn/certificates/" + certCCC + "?lang=zh", 4: "https://trustmark.example.cn/certificates/" + certSusp + "?lang=zh"}
		for i, want := range links {
			if got := rows[i][len(rows[i])-1]; got != want {
				t.Errorf("row %d link = %q, want %q", i, got, want)
			}
		}
	}
	t.Run("CSV", func(t *testing.T) {
		w := upload(t, withHost(h, "evil.example"), "zh", "", "suppliers.csv", []byte(in), "csv")
		if w.Code != 200 {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		check(t, rows)
		if strings.Contains(w.Body.String(), "evil.example") {
			t.Errorf("the download links to the request's Host")
		}
	})
	t.Run("XLSX", func(t *testing.T) {
		x := excelize.NewFile()
		for i, line := range strings.Split(strings.TrimSpace(in), "\n") {
			cells := strings.Split(line, ",")
			vals := make([]any, len(cells))
			for j, c := range cells {
				vals[j] = c
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			x.SetSheetRow("Sheet1", cell, &vals)
		}
		var buf bytes.Buffer
		x.WriteTo(&buf)
		w := upload(t, withHost(h, "evil.example"), "zh", "", "suppliers.xlsx", buf.Bytes(), "xlsx")
		if w.Code != 200 {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		out, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := out.GetRows(out.GetSheetName(0))
		check(t, rows)
	})
	t.Run("the page shows the summary", func(t *testing.T) {
		w := upload(t, h, "en", certCCC+"\n"+certSusp+"\n2025010901999999", "", nil, "html")
		if !strings.Contains(w.Body.String(), "3 rows: 1 valid, 1 suspended, 1 not found") {
			t.Errorf("page lacks the English summary")
		}
	})
}

// withHost serves h as if every request named host in its Host header.
func withHost(h http.Handler, host string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Host = host
		h.ServeHTTP(w, r)
	})
}
