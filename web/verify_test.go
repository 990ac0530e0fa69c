package web

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	thttp "trustmark/http"
)

// newVerifyServer serves the portal on the real server, as serve does, so
// that body limits are the production ones; maxBody 0 is the server's
// default. The X-Client header names the client, so that one test can be
// many.
func newVerifyServer(t testing.TB, maxBody int64) *thttp.Server {
	f := newFixture(t)
	srv := thttp.NewServer(thttp.Config{Store: f.store, Clock: f.clock, MaxBodyBytes: maxBody, Logger: f.quiet()})
	srv.MountPages(NewHandler(Config{Store: f.store, Clock: f.clock, Logger: f.quiet(),
		ClientKey: func(r *http.Request) string { return r.Header.Get("X-Client") }}))
	return srv
}

func post(h http.Handler, path, contentType string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", path, body)
	r.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// uploadForm returns a multipart form with the file, and its content type.
func uploadForm(lang, filename string, file []byte) (*bytes.Buffer, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("lang", lang)
	mw.WriteField("format", "html")
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(file)
	mw.Close()
	return &body, mw.FormDataContentType()
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

func TestVerifyUploadRoundTrip(t *testing.T) {
	srv := newVerifyServer(t, 0)
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("证书编号\n" + certCCC + "\n" + certOld + "\n2025010901999999\n")

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
		if len(rows) != 5 {
			t.Fatalf("got %d rows, want summary, header + 3", len(rows))
		}
		got := [][]string{}
		for _, r := range rows[1:] {
			got = append(got, r[:5])
		}
		want := [][]string{
			{"证书编号", "查询项", "是否找到", "类别", "状态"},
			{certCCC, certCCC, "是", "证书", "有效"},
			{certOld, certOld, "是", "证书", "过期失效"},
			{"2025010901999999", "2025010901999999", "否", "证书", ""},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("CSV rows (-want +got):\n%s", diff)
		}
		english := regexp.MustCompile(`\b[a-z]{2,}\b`)
		for _, row := range rows {
			for i, cell := range row[:len(row)-1] { // the last column is the link
				if words := english.FindAllString(cell, -1); len(words) > 0 {
					t.Errorf("Chinese CSV cell %d %q holds English words %q", i, cell, words)
				}
			}
		}
	})
	t.Run("an XLSX upload comes back as XLSX", func(t *testing.T) {
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"number"})
		f.SetSheetRow("Sheet1", "A2", &[]any{certSusp})
		f.SetSheetRow("Sheet1", "A3", &[]any{"=HYPERLINK(\"x\")1"})
		var in bytes.Buffer
		f.WriteTo(&in)
		w := upload(t, srv, "en", string(haier), "list.xlsx", in.Bytes(), "xlsx")
		if w.Code != 200 {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		out, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatalf("answer is not XLSX: %v", err)
		}
		rows, _ := out.GetRows(out.GetSheetName(0))
		if len(rows) != 5 {
			t.Fatalf("got %d rows, want summary, header + 3: %v", len(rows), rows)
		}
		if rows[0][0] != "3 rows: 1 registered, 1 suspended, 1 not found" || rows[1][0] != "number" || rows[1][1] != "item" ||
			rows[2][0] != string(haier) || rows[3][0] != certSusp || rows[3][4] != "suspended" {
			t.Errorf("rows = %v, want the summary, the pasted USCC first, then the suspended certificate", rows)
		}
		if f, _ := out.GetCellFormula(out.GetSheetName(0), "A5"); f != "" {
			t.Errorf("cell A5 became the formula %q; items must stay text", f)
		}
	})
	t.Run("the page shows results in English", func(t *testing.T) {
		w := upload(t, srv, "en", certCCC+"\n"+certSusp, "", nil, "html")
		body := w.Body.String()
		for _, want := range []string{`<html lang="en">`, "Results (2)", "suspended since 2026-03-05", `<label for="items">`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
	t.Run("an upload over the server's body limit is refused with the page", func(t *testing.T) {
		big := bytes.Repeat([]byte(certCCC+"\n"), 2<<20/17)
		w := upload(t, srv, "en", "", "big.csv", big, "html")
		// The form's fields are past the limit too: the page answers in its
		// default language, naming the limit.
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "超过1048576字节的上限") {
			t.Errorf("status %d, want 413 with the limit named on the page", w.Code)
		}
	})
	t.Run("more items than an upload may hold", func(t *testing.T) {
		many := bytes.Repeat([]byte(certCCC+"\n"), 20_001)
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

// TestVerifyPageGolden compares the empty form, in each language, with its
// golden file (go test ./web -run VerifyPageGolden -update rewrites them).
func TestVerifyPageGolden(t *testing.T) {
	srv := newVerifyServer(t, 0)
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest("GET", "/verify?lang="+lang, nil))
			path := filepath.Join("testdata", "verify_"+lang+".golden")
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

func TestVerifyPageLanguages(t *testing.T) {
	srv := newVerifyServer(t, 0)
	for _, tt := range []struct{ query, accept, want string }{
		{"", "", `<html lang="zh-Hans">`},
		{"?lang=en", "", `<html lang="en">`},
		{"", "en-US,en;q=0.9", `<html lang="en">`},
		{"?lang=zh", "en-US", `<html lang="zh-Hans">`},
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
