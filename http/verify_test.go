package http_test

import (
	"bytes"
	"encoding/json"
	nethttp "net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"trustmark"
	"trustmark/bulk"
	tmhttp "trustmark/http"
)

func itemsBody(items []string) string {
	b, _ := json.Marshal(map[string]any{"items": items})
	return string(b)
}

// verifyResults decodes the answer of POST /api/v1/verify.
func verifyResults(t *testing.T, w *httptest.ResponseRecorder) []map[string]any {
	t.Helper()
	if w.Code != nethttp.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", w.Code, w.Body)
	}
	var got struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	return got.Results
}

func TestVerifyAPI(t *testing.T) {
	f := newFixture(t)
	res := verifyResults(t, f.do("POST", "/api/v1/verify", "", itemsBody([]string{certCCC, "1999010901000001", certOld})))
	if len(res) != 3 {
		t.Fatalf("got %d results, want 3", len(res))
	}
	for _, r := range res {
		for _, k := range []string{"item", "found", "kind", "status", "reason"} {
			if _, ok := r[k]; !ok {
				t.Errorf("result %v lacks the contract field %q", r, k)
			}
		}
	}
	want := []struct {
		item   string
		found  bool
		status string
	}{{certCCC, true, "valid"}, {"1999010901000001", false, ""}, {certOld, true, "expired"}}
	for i, w := range want {
		r := res[i]
		if r["item"] != w.item || r["found"] != w.found || r["status"] != w.status {
			t.Errorf("result %d = %v, want item %s found %v status %q", i, r, w.item, w.found, w.status)
		}
	}
}

// englishWord is a word of English prose: lower case, two letters or more.
var englishWord = regexp.MustCompile(`\b[a-z]{2,}\b`)

// address is a path or URL in a message, which no language translates.
var address = regexp.MustCompile(`[!-~]*/[!-~]*`)

// englishWords returns the English words of a message but for those it
// quotes from the request (a field or parameter name, the path) and the
// addresses it names.
func englishWords(message, request string) []string {
	var out []string
	for _, w := range englishWord.FindAllString(address.ReplaceAllString(message, " "), -1) {
		if !strings.Contains(request, w) {
			out = append(out, w)
		}
	}
	return out
}

func TestVerifyAPISpeaksTheRequestLanguage(t *testing.T) {
	f := newFixture(t)
	items := itemsBody([]string{certCCC, "1999010901000001", "9133010600000011X0", "海尔", certOld})
	for _, tt := range []struct {
		name, target string
		header       []string
	}{
		{"with ?lang=zh", "/api/v1/verify?lang=zh", nil},
		{"with Accept-Language: zh-CN", "/api/v1/verify", []string{"Accept-Language", "zh-CN,zh;q=0.9"}},
	} {
		t.Run("the reasons are Chinese "+tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", tt.target, strings.NewReader(items))
			for i := 0; i+1 < len(tt.header); i += 2 {
				r.Header.Set(tt.header[i], tt.header[i+1])
			}
			w := httptest.NewRecorder()
			f.srv.ServeHTTP(w, r)
			for _, res := range verifyResults(t, w) {
				reason := res["reason"].(string)
				if words := englishWords(reason, items); len(words) > 0 {
					t.Errorf("reason of %v = %q, holds English words %q", res["item"], reason, words)
				}
			}
		})
	}
	t.Run("the reasons are English by default", func(t *testing.T) {
		res := verifyResults(t, f.do("POST", "/api/v1/verify", "", items))
		if reason := res[0]["reason"].(string); !strings.Contains(reason, "valid until 2030-01-14") {
			t.Errorf("reason = %q, want English", reason)
		}
	})
}

func TestVerifyAPIRefusesBadRequests(t *testing.T) {
	f := newFixture(t)
	many := make([]string, 1001)
	for i := range many {
		many[i] = certCCC
	}
	tests := []struct {
		name   string
		body   string
		status int
		code   string
		field  string
	}{
		{"no items at all", `{}`, 400, "invalid", "items"},
		{"zero items", `{"items": []}`, 400, "invalid", "items"},
		{"1001 items", itemsBody(many), 413, "too_large", "items"},
		{"an unknown field", `{"items": ["1"], "extra": 1}`, 400, "invalid", "extra"},
		{"items not strings", `{"items": [1, 2]}`, 400, "invalid", "items"},
		{"not JSON", `items=1`, 400, "invalid", ""},
		{"two JSON values", `{"items": ["1"]} {}`, 400, "invalid", ""},
		{"a body over the server's limit", `{"items": ["` + strings.Repeat("1", 2<<20) + `"]}`, 413, "too_large", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do("POST", "/api/v1/verify", "", tt.body)
			e := decodeErrorBody(t, w.Body.String())
			if w.Code != tt.status || e.Code != tt.code || e.Field != tt.field || e.Message == "" {
				t.Errorf("answer = %d %+v, want %d code %s field %q and a message", w.Code, e, tt.status, tt.code, tt.field)
			}
		})
	}
}

// TestErrorsSpeakTheRequestLanguage asks for Chinese and wants every error
// message of the API in Chinese: refusals of the JSON, of the query, of
// the routes and of the watches, with and without a reason key.
func TestErrorsSpeakTheRequestLanguage(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, method, target, token, body string
	}{
		{"no items", "POST", "/api/v1/verify", "", `{}`},
		{"an unknown field", "POST", "/api/v1/verify", "", `{"items": ["1"], "extra": 1}`},
		{"items not strings", "POST", "/api/v1/verify", "", `{"items": [1]}`},
		{"not JSON", "POST", "/api/v1/verify", "", `items=1`},
		{"an unknown query parameter", "GET", "/api/v1/certificates?colour=red", "", ""},
		{"a malformed USCC", "GET", "/api/v1/orgs/9133010600000011X0", "", ""},
		{"an unknown route", "GET", "/api/v1/nope", "", ""},
		{"a method not allowed", "DELETE", "/api/v1/certificates", "", ""},
		{"a watch without a token", "GET", "/api/v1/watches", "", ""},
		{"a watch of a name", "POST", "/api/v1/watches", "tokenA", `{"url": "https://example.com/", "items": ["海尔"]}`},
		{"a watch of a malformed organic code", "POST", "/api/v1/watches", "tokenA", `{"url": "https://example.com/", "items": ["有机码：123"]}`},
		{"a watch with a bad URL", "POST", "/api/v1/watches", "tokenA", `{"url": "ftp://x", "items": ["` + certCCC + `"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused in Chinese", func(t *testing.T) {
			token := map[string]string{"tokenA": f.tokenA}[tt.token]
			target := tt.target + "?lang=zh"
			if strings.Contains(tt.target, "?") {
				target = tt.target + "&lang=zh"
			}
			w := f.do(tt.method, target, token, tt.body)
			e := decodeErrorBody(t, w.Body.String())
			if w.Code < 400 || e.Message == "" {
				t.Fatalf("answer = %d %+v, want an error", w.Code, e)
			}
			if words := englishWords(e.Message, tt.target+" "+tt.body); len(words) > 0 || !strings.ContainsFunc(e.Message, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				t.Errorf("message = %q, want Chinese without English words (has %q)", e.Message, words)
			}
			en := decodeErrorBody(t, f.do(tt.method, tt.target, token, tt.body).Body.String())
			if words := englishWord.FindAllString(en.Message, -1); len(words) == 0 {
				t.Errorf("without ?lang=zh the message = %q, want English", en.Message)
			}
		})
	}
}

func FuzzParseVerifyRequest(f *testing.F) {
	f.Add([]byte(`{"items": ["2025010901000001"]}`))
	f.Add([]byte(`{"items": []}`))
	f.Add([]byte(`{"items": null}`))
	f.Add([]byte(`{"items": ["a", 1]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/verify", bytes.NewReader(body))
		req, err := tmhttp.ParseVerifyRequest(r)
		if err != nil {
			if c := trustmark.ErrorCode(err); c != trustmark.EInvalid && c != trustmark.ETooLarge {
				t.Fatalf("ParseVerifyRequest error code = %q (%v), want invalid or too_large", c, err)
			}
			return
		}
		if n := len(req.Items); n < 1 || n > bulk.MaxItems {
			t.Fatalf("accepted %d items, want 1..%d", n, bulk.MaxItems)
		}
	})
}
