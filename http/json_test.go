package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"trustmark"
	tmhttp "trustmark/http"
)

type decodeTarget struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Tags  []string `json:"tags"`
	Inner struct {
		Flag bool `json:"flag"`
	} `json:"inner"`
}

func TestDecodeJSON(t *testing.T) {
	good := []struct {
		name, body string
	}{
		{"an object with known fields decodes", `{"name":"x","count":3,"tags":["a"],"inner":{"flag":true}}`},
		{"white space after the object is fine", "{\"name\":\"x\"}\n\n  "},
		{"an empty object decodes", `{}`},
	}
	for _, tt := range good {
		t.Run(tt.name, func(t *testing.T) {
			var v decodeTarget
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			if err := tmhttp.DecodeJSON(r, &v); err != nil {
				t.Errorf("tmhttp.DecodeJSON(%q) = %v, want nil", tt.body, err)
			}
		})
	}

	bad := []struct {
		name, body string
		code       string
		field      string
	}{
		{"an empty body is invalid", ``, trustmark.EInvalid, ""},
		{"malformed JSON is invalid", `{"name": }`, trustmark.EInvalid, ""},
		{"a truncated object is invalid", `{"name": "x"`, trustmark.EInvalid, ""},
		{"an unknown field is invalid and named", `{"name":"x","colour":"red"}`, trustmark.EInvalid, "colour"},
		{"a wrong type is invalid and named", `{"count":"three"}`, trustmark.EInvalid, "count"},
		{"a wrong type in a nested object names the path", `{"inner":{"flag":"yes"}}`, trustmark.EInvalid, "inner.flag"},
		{"a wrong element type names the array", `{"tags":[1]}`, trustmark.EInvalid, "tags"},
		{"a number too big for the field is invalid", `{"count":1e400}`, trustmark.EInvalid, "count"},
		{"an array instead of an object is invalid", `[1,2]`, trustmark.EInvalid, ""},
		{"a string instead of an object is invalid", `"hello"`, trustmark.EInvalid, ""},
		{"trailing data is invalid", `{"name":"x"}{"name":"y"}`, trustmark.EInvalid, ""},
		{"trailing garbage is invalid", `{"name":"x"} xyz`, trustmark.EInvalid, ""},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			var v decodeTarget
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			err := tmhttp.DecodeJSON(r, &v)
			if got := trustmark.ErrorCode(err); got != tt.code {
				t.Fatalf("tmhttp.DecodeJSON(%q) code = %q (%v), want %q", tt.body, got, err, tt.code)
			}
			if got := trustmark.ErrorField(err); got != tt.field {
				t.Errorf("tmhttp.DecodeJSON(%q) field = %q, want %q", tt.body, got, tt.field)
			}
			if trustmark.ErrorMessage(err) == "" {
				t.Errorf("tmhttp.DecodeJSON(%q) has an empty message", tt.body)
			}
		})
	}
}

func TestDecodeJSONTooLarge(t *testing.T) {
	w := httptest.NewRecorder()
	body := `{"name":"` + strings.Repeat("x", 100) + `"}`
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Body = nethttp.MaxBytesReader(w, r.Body, 20)
	var v decodeTarget
	err := tmhttp.DecodeJSON(r, &v)
	if got := trustmark.ErrorCode(err); got != trustmark.ETooLarge {
		t.Errorf("tmhttp.DecodeJSON(101 bytes, limit 20) code = %q (%v), want too_large", got, err)
	}
}

func TestErrorTable(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{trustmark.EInvalid, 400},
		{trustmark.ENotFound, 404},
		{trustmark.EConflict, 409},
		{trustmark.EUnauthorized, 401},
		{trustmark.EForbidden, 403},
		{trustmark.ETooLarge, 413},
		{trustmark.ERateLimited, 429},
		{trustmark.EUnavailable, 503},
		{trustmark.EInternal, 500},
		{"no such code", 500},
	}
	for _, tt := range tests {
		if got := tmhttp.StatusCode(tt.code); got != tt.want {
			t.Errorf("tmhttp.StatusCode(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestErrorAnswer(t *testing.T) {
	t.Run("a client error shows its code, message and field", func(t *testing.T) {
		w := httptest.NewRecorder()
		tmhttp.Error(w, httptest.NewRequest("GET", "/", nil), trustmark.Errorf(trustmark.EConflict, "to", "certificate %s is revoked", "X1"))
		if w.Code != 409 {
			t.Errorf("status = %d, want 409", w.Code)
		}
		got := decodeErrorBody(t, w.Body.String())
		want := tmhttp.ErrorDetail{Code: "conflict", Message: "certificate X1 is revoked", Field: "to"}
		if got != want {
			t.Errorf("error body = %+v, want %+v", got, want)
		}
	})
	t.Run("an internal error hides its details", func(t *testing.T) {
		w := httptest.NewRecorder()
		tmhttp.Error(w, httptest.NewRequest("GET", "/", nil), errors.New("pq: password authentication failed for user secret"))
		if w.Code != 500 {
			t.Errorf("status = %d, want 500", w.Code)
		}
		if strings.Contains(w.Body.String(), "secret") {
			t.Errorf("body %s shows the internal error", w.Body)
		}
		if got := decodeErrorBody(t, w.Body.String()); got.Code != "internal" {
			t.Errorf("code = %q, want internal", got.Code)
		}
	})
	t.Run("a client error with an internal cause hides the cause", func(t *testing.T) {
		w := httptest.NewRecorder()
		tmhttp.Error(w, httptest.NewRequest("GET", "/", nil), &trustmark.Error{Code: trustmark.EUnavailable, Message: "try later", Err: errors.New("dial tcp 10.0.0.5:5432")})
		if w.Code != 503 || strings.Contains(w.Body.String(), "10.0.0.5") {
			t.Errorf("answer = %d %s, want 503 without the cause", w.Code, w.Body)
		}
	})
	t.Run("a request its client abandoned is not a server error", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		w := httptest.NewRecorder()
		tmhttp.Error(w, httptest.NewRequest("GET", "/", nil).WithContext(ctx), fmt.Errorf("read certificate: %w", context.Canceled))
		if w.Code >= 500 {
			t.Errorf("status = %d, want no 5xx for a canceled request", w.Code)
		}
	})
	t.Run("unauthorized says how to authenticate", func(t *testing.T) {
		w := httptest.NewRecorder()
		tmhttp.Error(w, httptest.NewRequest("GET", "/", nil), trustmark.Errorf(trustmark.EUnauthorized, "", "no token"))
		if got := w.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("WWW-Authenticate = %q, want Bearer ...", got)
		}
	})
}

// decodeErrorBody parses an error answer strictly: the error shape of the
// contract and nothing else.
func decodeErrorBody(t *testing.T, body string) tmhttp.ErrorDetail {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	var e struct {
		Error *struct {
			Code    *string `json:"code"`
			Message *string `json:"message"`
			Field   *string `json:"field"`
		} `json:"error"`
	}
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error body %q does not have the contract's shape: %v", body, err)
	}
	if e.Error == nil || e.Error.Code == nil || e.Error.Message == nil || e.Error.Field == nil {
		t.Fatalf("error body %q lacks error.code, error.message or error.field", body)
	}
	return tmhttp.ErrorDetail{Code: *e.Error.Code, Message: *e.Error.Message, Field: *e.Error.Field}
}

// FuzzDecodeJSON checks that any body decodes or fails with a client error
// (invalid or too_large) that names at most a field the request could have.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"name":"x","count":1,"tags":["a"],"inner":{"flag":true}}`, `{"count":"1"}`, `[`, `{"x":1}`, `{} {}`, `null`, "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var v decodeTarget
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Body = nethttp.MaxBytesReader(w, r.Body, 256)
		err := tmhttp.DecodeJSON(r, &v)
		if err == nil {
			return
		}
		if code := trustmark.ErrorCode(err); code != trustmark.EInvalid && code != trustmark.ETooLarge {
			t.Fatalf("DecodeJSON(%q) = %v, code %q; want invalid or too_large", body, err, code)
		}
		if trustmark.ErrorMessage(err) == "" {
			t.Fatalf("DecodeJSON(%q): empty message", body)
		}
	})
}
