package verify_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"trustmark/verify"
)

func TestReadItems(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("序号,证书编号,备注\n1," + cccValid + ",第一张\n2,00125q10001r0m,第二张\n3,,空\n")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"plain UTF-8 without header", cccValid + "\n" + qmsSusp + "\n", []string{cccValid, qmsSusp}},
		{"UTF-8 with BOM and an unknown header", "\ufeff号码列\n" + cccValid + "\r\n", []string{cccValid}},
		{"a known header picks its column", "name,uscc\n某公司," + string(holder1) + "\n", []string{string(holder1)}},
		{"GBK with a Chinese header", gbk, []string{cccValid, "00125q10001r0m"}},
		{"tab-separated", "证书编号\t名称\n" + cccValid + "\tx\n", []string{cccValid}},
		{"quoted cells", `"` + cccValid + `"` + "\n", []string{cccValid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := verify.ReadItems([]byte(tt.data), 100)
			if err != nil {
				t.Fatalf("ReadItems: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadItems (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("too many items", func(t *testing.T) {
		if _, err := verify.ReadItems([]byte("1\n2\n3\n"), 2); err == nil {
			t.Error("ReadItems of 3 items with max 2: no error")
		}
	})
	t.Run("an XLSX workbook", func(t *testing.T) {
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"统一社会信用代码", "证书编号"})
		f.SetSheetRow("Sheet1", "A2", &[]any{string(holder1), cccValid})
		f.SetSheetRow("Sheet1", "A3", &[]any{string(unknownU), qmsSusp})
		var buf bytes.Buffer
		f.WriteTo(&buf)
		got, err := verify.ReadItems(buf.Bytes(), 100)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{string(holder1), string(unknownU)}, got); diff != "" {
			t.Errorf("ReadItems(xlsx) (-want +got):\n%s", diff)
		}
	})
}

func FuzzReadItems(f *testing.F) {
	f.Add([]byte(cccValid + "\n"))
	f.Add([]byte("\ufeff证书编号\n" + cccValid + "\n"))
	f.Add([]byte("\"a,b\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("证书编号\n" + cccValid)
	f.Add([]byte(gbk))
	xf := excelize.NewFile()
	xf.SetSheetRow("Sheet1", "A1", &[]any{cccValid})
	var buf bytes.Buffer
	xf.WriteTo(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		if pasted, err := verify.SplitItems(string(data), 50); err == nil && len(pasted) > 50 {
			t.Fatalf("SplitItems returned %d items, more than max 50", len(pasted))
		}
		items, err := verify.ReadItems(data, 50)
		if err != nil {
			return
		}
		if len(items) > 50 {
			t.Fatalf("ReadItems returned %d items, more than max 50", len(items))
		}
		for _, it := range items {
			if strings.TrimSpace(it) == "" {
				t.Fatalf("ReadItems returned a blank item")
			}
		}
	})
}

// upload posts the verification form.
func upload(t *testing.T, h http.Handler, lang, pasted, filename string, file []byte, format string) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("lang", lang)
	mw.WriteField("items", pasted)
	mw.WriteField("format", format)
	if file != nil {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write(file)
	}
	mw.Close()
	return post(h, "/verify", mw.FormDataContentType(), &body)
}

func TestUploadRoundTrip(t *testing.T) {
	srv, _ := newServer(t)
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("证书编号\n" + cccValid + "\n" + qmsExpiring + "\n2025010901999999\n")

	t.Run("a GBK CSV comes back as UTF-8 CSV in order", func(t *testing.T) {
		w := upload(t, srv, "zh", "", "list.csv", []byte(gbk), "csv")
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
			t.Fatalf("status %d type %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
		}
		body := strings.TrimPrefix(w.Body.String(), "\ufeff")
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 {
			t.Fatalf("got %d rows, want header + 3", len(rows))
		}
		got := [][]string{}
		for _, r := range rows[1:] {
			got = append(got, r[:4])
		}
		want := [][]string{
			{cccValid, "是", "证书", "有效"},
			{qmsExpiring, "是", "证书", "过期失效"},
			{"2025010901999999", "否", "证书", ""},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("CSV rows (-want +got):\n%s", diff)
		}
	})
	t.Run("an XLSX upload comes back as XLSX", func(t *testing.T) {
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"number"})
		f.SetSheetRow("Sheet1", "A2", &[]any{qmsSusp})
		f.SetSheetRow("Sheet1", "A3", &[]any{"=HYPERLINK(\"x\")1"})
		var in bytes.Buffer
		f.WriteTo(&in)
		w := upload(t, srv, "en", string(holder1), "list.xlsx", in.Bytes(), "xlsx")
		if w.Code != 200 {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		out, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatalf("answer is not XLSX: %v", err)
		}
		rows, _ := out.GetRows(out.GetSheetName(0))
		if len(rows) != 4 {
			t.Fatalf("got %d rows, want header + 3: %v", len(rows), rows)
		}
		if rows[0][0] != "item" || rows[1][0] != string(holder1) || rows[2][0] != qmsSusp || rows[2][3] != "suspended" {
			t.Errorf("rows = %v, want the pasted USCC first, then the suspended certificate", rows)
		}
		if f, _ := out.GetCellFormula(out.GetSheetName(0), "A4"); f != "" {
			t.Errorf("cell A4 became the formula %q; items must stay text", f)
		}
	})
	t.Run("the page shows results in English", func(t *testing.T) {
		w := upload(t, srv, "en", cccValid+"\n"+qmsSusp, "", nil, "html")
		body := w.Body.String()
		for _, want := range []string{`<html lang="en">`, "Results (2)", "suspended since 2026-03-15", `<label for="items">`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
	t.Run("an upload over the server's body limit is refused with the page", func(t *testing.T) {
		big := bytes.Repeat([]byte(cccValid+"\n"), 2<<20/17)
		w := upload(t, srv, "en", "", "big.csv", big, "html")
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "larger than") {
			t.Errorf("status %d, want 413 with the reason on the page", w.Code)
		}
	})
	t.Run("more items than an upload may hold", func(t *testing.T) {
		many := bytes.Repeat([]byte(cccValid+"\n"), 20_001)
		w := upload(t, srv, "en", "", "many.csv", many, "csv")
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "more than 20000 items") {
			t.Errorf("status %d, want 413 naming the limit", w.Code)
		}
	})
	t.Run("an empty form says what to do", func(t *testing.T) {
		w := upload(t, srv, "zh", "", "", nil, "html")
		if w.Code != 400 || !strings.Contains(w.Body.String(), "没有要核查的内容") {
			t.Errorf("status %d, body lacks the Chinese hint", w.Code)
		}
	})
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestPageGolden compares the empty form, in each language, with its golden
// file (go test ./verify -run PageGolden -update rewrites them).
func TestPageGolden(t *testing.T) {
	srv, _ := newServer(t)
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest("GET", "/verify?lang="+lang, nil))
			path := filepath.Join("testdata", "verify_"+lang+".golden.html")
			if *update {
				os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(path, w.Body.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), w.Body.String()); diff != "" {
				t.Errorf("GET /verify?lang=%s differs from %s (-want +got):\n%s", lang, path, diff)
			}
		})
	}
}

func TestPageLanguages(t *testing.T) {
	srv, _ := newServer(t)
	for _, tt := range []struct{ query, accept, want string }{
		{"", "", `<html lang="zh-CN">`},
		{"?lang=en", "", `<html lang="en">`},
		{"", "en-US,en;q=0.9", `<html lang="en">`},
		{"?lang=zh", "en-US", `<html lang="zh-CN">`},
	} {
		r := httptest.NewRequest("GET", "/verify"+tt.query, nil)
		r.Header.Set("Accept-Language", tt.accept)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != 200 || !strings.Contains(w.Body.String(), tt.want) {
			t.Errorf("GET /verify%s (Accept-Language %q): status %d, want 200 with %s", tt.query, tt.accept, w.Code, tt.want)
		}
	}
}
