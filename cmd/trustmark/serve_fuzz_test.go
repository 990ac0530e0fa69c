package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzServe sends arbitrary requests to the complete server (API, portal,
// log, verification), in process: nothing a client sends may produce a 5xx,
// and every error under /api/ has the contract's shape.
//
//	go test ./cmd/trustmark -run '^$' -fuzz FuzzServe -fuzztime 60s
func FuzzServe(f *testing.F) {
	m := NewMain()
	m.Stderr = &syncBuffer{}
	if err := m.ParseFlags([]string{"--db", filepath.Join(f.TempDir(), "t.db"), "--addr", "127.0.0.1:0", "--anon-rate", "0"}); err != nil {
		f.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { m.Close() })
	for _, s := range []struct{ method, target, body string }{
		{"GET", "/api/v1/certificates/X1/history?bundle=1", ""},
		{"GET", "/log/tile/0/000.p/1", ""},
		{"GET", "/log/tile/entries/000", ""},
		{"GET", "/certificates/%ff%fe", ""},
		{"GET", "/search?q=%E6%B5%B7%E5%B0%94&type=CCC", ""},
		{"GET", "/reports?cma_no=1&number=2", ""},
		{"GET", "/disclosures?format=csv&province=330000", ""},
		{"POST", "/api/v1/verify", `{"items":["2023010711127072","91440307793409884M","261314340319/WT-1"]}`},
		{"POST", "/verify", "items=1%0A2"},
		{"POST", "/api/v1/watches", `{"url":"https://example.com/hook","items":["X"]}`},
		{"DELETE", "/api/v1/watches/abc", ""},
		{"POST", "/api/v1/certificates", `{"number":"1"}`},
		{"OPTIONS", "/api/v1/certificates", ""},
	} {
		f.Add(s.method, s.target, s.body)
	}
	f.Fuzz(func(t *testing.T, method, target, body string) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		r, err := http.NewRequest(method, "http://trustmark.test"+target, strings.NewReader(body))
		if err != nil {
			return
		}
		if method == "POST" && strings.HasPrefix(target, "/verify") {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w := httptest.NewRecorder()
		m.HTTPServer.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %s with body %q = %d %s", method, target, body, w.Code, w.Body)
		}
		if w.Code >= 400 && strings.HasPrefix(r.URL.Path, "/api/") && method != "HEAD" {
			var e struct {
				Error *struct {
					Code    string  `json:"code"`
					Message string  `json:"message"`
					Field   *string `json:"field"`
				} `json:"error"`
			}
			if err := json.NewDecoder(bytes.NewReader(w.Body.Bytes())).Decode(&e); err != nil || e.Error == nil || e.Error.Code == "" || e.Error.Field == nil {
				t.Fatalf("%s %s = %d %q: not the contract's error shape", method, target, w.Code, w.Body)
			}
		}
	})
}
