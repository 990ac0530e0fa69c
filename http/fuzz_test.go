package http_test

import (
	"encoding/json"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAPI sends arbitrary methods, paths, queries, bodies and tokens to the
// server over a real store and checks that nothing a client sends produces a
// 5xx, and that every error answer has the contract's shape.
//
//	go test ./http -run '^$' -fuzz FuzzAPI -fuzztime 60s
func FuzzAPI(f *testing.F) {
	fx := newFixture(f)
	seeds := []struct {
		method uint8
		target string
		body   string
		auth   uint8
	}{
		{0, "/api/v1/certificates/" + certQMS, "", 0},
		{0, "/api/v1/certificates?holder_uscc=" + string(holderA) + "&limit=2", "", 0},
		{0, "/api/v1/certificates?cursor=eyJ4IjoxfQ", "", 0},
		{1, "/api/v1/certificates", `{"number":"00126Q30111R0M","type":"QMS","holder_uscc":"` + string(holderB) + `","scope":"x","expires_on":"2029-01-01"}`, 1},
		{1, "/api/v1/certificates", `{"number":"2025010901009999","type":"CCC","ccc_category":"0901","holder_uscc":"` + string(holderA) + `","scope":"x","expires_on":"2030-01-01"}`, 1},
		{1, "/api/v1/certificates/" + certCCC + "/transitions", `{"to":"suspended","reason":"x","effective_on":"2026-03-15"}`, 1},
		{1, "/api/v1/certificates/" + certOfB + "/transitions", `{"to":"withdrawn","reason":"x"}`, 2},
		{1, "/api/v1/certificates/" + certQMS + "/transitions", `{"to":"valid"}`, 3},
		{0, "/api/v1/certificates/" + certQMS + "/history", "", 0},
		{0, "/api/v1/orgs/" + string(holderA), "", 0},
		{0, "/api/v1/orgs?q=%E6%9D%AD&region=33", "", 0},
		{0, "/api/v1/bodies/" + bodyA, "", 0},
		{0, "/api/v1/labs/" + labA, "", 0},
		{0, "/api/v1/persons?body_approval_no=" + bodyA + "&status=banned", "", 0},
		{0, "/api/v1/reports/" + labA + "/" + reportNo, "", 0},
		{0, "/api/v1/reports?client_uscc=" + string(holderA), "", 0},
		{2, "/api/v1/certificates/%00", "\x00", 4},
		{3, "/api/v1/../../etc/passwd", "[", 0},
		{1, "/api/v1/certificates", `{"number":1e999}`, 1},
		{1, "/api/v1/certificates", `{"issued_on":"2026-02-30","expires_on":"9999-99-99"}`, 1},
		{0, "/healthz", "", 0},
		{0, "/api/openapi.json", "", 0},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, s.body, s.auth)
	}
	methods := []string{"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"}
	f.Fuzz(func(t *testing.T, method uint8, target, body string, auth uint8) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		r, err := nethttp.NewRequest(methods[int(method)%len(methods)], "http://trustmark.test"+target, strings.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		r.RequestURI = target
		switch auth % 5 {
		case 1:
			r.Header.Set("Authorization", "Bearer "+fx.tokenA)
		case 2:
			r.Header.Set("Authorization", "Bearer "+fx.tokenB)
		case 3:
			r.Header.Set("Authorization", "Bearer "+fx.tokenL)
		case 4:
			r.Header.Set("Authorization", "Bearer "+body)
		}
		w := httptest.NewRecorder()
		fx.srv.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %s with body %q = %d %s; a client's request must never be a 5xx", r.Method, target, body, w.Code, w.Body)
		}
		if w.Code >= 400 && r.Method != "HEAD" {
			var e struct {
				Error struct {
					Code    string  `json:"code"`
					Message string  `json:"message"`
					Field   *string `json:"field"`
				} `json:"error"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" || e.Error.Field == nil {
				t.Fatalf("%s %s = %d with body %q: not the contract's error shape", r.Method, target, w.Code, w.Body)
			}
			if !utf8.Valid(w.Body.Bytes()) {
				t.Fatalf("%s %s: error body is not UTF-8", r.Method, target)
			}
		}
	})
}
