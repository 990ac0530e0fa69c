package http_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	tmhttp "trustmark/http"
)

// newBareServer returns a server with no store, for tests of the plumbing
// that never reach the registry.
func newBareServer(t *testing.T, logs io.Writer) *tmhttp.Server {
	t.Helper()
	if logs == nil {
		logs = io.Discard
	}
	return tmhttp.NewServer(tmhttp.Config{Logger: slog.New(slog.NewJSONHandler(logs, nil)), MaxBodyBytes: 1024})
}

func serve(s nethttp.Handler, method, target, body string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	var r *nethttp.Request
	if body == "" {
		r = httptest.NewRequest(method, target, nil)
	} else {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
	}
	s.ServeHTTP(w, r)
	return w
}

func TestPlumbing(t *testing.T) {
	var logs bytes.Buffer
	s := newBareServer(t, &logs)
	s.Mount("GET /boom", nethttp.HandlerFunc(func(nethttp.ResponseWriter, *nethttp.Request) { panic("kaboom: secret detail") }))
	s.Mount("POST /echo", nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		var v map[string]any
		if err := tmhttp.DecodeJSON(r, &v); err != nil {
			tmhttp.Error(w, r, err)
			return
		}
		tmhttp.WriteJSON(w, 200, v)
	}))

	t.Run("a panic is answered 500 internal and logged", func(t *testing.T) {
		w := serve(s, "GET", "/boom", "")
		if w.Code != 500 {
			t.Fatalf("status = %d, want 500", w.Code)
		}
		if got := decodeErrorBody(t, w.Body.String()); got.Code != "internal" || strings.Contains(got.Message, "secret") {
			t.Errorf("error = %+v, want internal without details", got)
		}
		if !strings.Contains(logs.String(), "kaboom: secret detail") {
			t.Errorf("log lacks the panic: %s", logs.String())
		}
	})
	t.Run("an unknown API address is a JSON 404", func(t *testing.T) {
		w := serve(s, "GET", "/api/v1/nothing-here", "")
		if w.Code != 404 || decodeErrorBody(t, w.Body.String()).Code != "not_found" {
			t.Errorf("answer = %d %s, want 404 not_found", w.Code, w.Body)
		}
	})
	t.Run("an unknown page is a JSON 404 while no portal is mounted", func(t *testing.T) {
		w := serve(s, "GET", "/nowhere", "")
		if w.Code != 404 || decodeErrorBody(t, w.Body.String()).Code != "not_found" {
			t.Errorf("answer = %d %s, want 404 not_found", w.Code, w.Body)
		}
	})
	t.Run("a wrong method is a JSON 405 with Allow", func(t *testing.T) {
		w := serve(s, "DELETE", "/echo", "")
		if w.Code != 405 || decodeErrorBody(t, w.Body.String()).Code != "invalid" {
			t.Errorf("answer = %d %s, want 405 invalid", w.Code, w.Body)
		}
		if got := w.Header().Get("Allow"); got != "POST" {
			t.Errorf("Allow = %q, want POST", got)
		}
	})
	t.Run("a wrong method on an API route is a 405, not the API's 404", func(t *testing.T) {
		w := serve(s, "DELETE", "/api/v1/certificates/X", "")
		if w.Code != 405 {
			t.Errorf("answer = %d %s, want 405", w.Code, w.Body)
		}
	})
	t.Run("a body over the limit is 413 too_large", func(t *testing.T) {
		w := serve(s, "POST", "/echo", `{"a":"`+strings.Repeat("x", 2000)+`"}`)
		if w.Code != 413 || decodeErrorBody(t, w.Body.String()).Code != "too_large" {
			t.Errorf("answer = %d %s, want 413 too_large", w.Code, w.Body)
		}
	})
	t.Run("a body over the limit without Content-Length is 413 too_large", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/echo", io.MultiReader(strings.NewReader(`{"a":"`), strings.NewReader(strings.Repeat("x", 2000)+`"}`)))
		r.ContentLength = -1
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != 413 || decodeErrorBody(t, w.Body.String()).Code != "too_large" {
			t.Errorf("answer = %d %s, want 413 too_large", w.Code, w.Body)
		}
	})
	t.Run("a body within the limit is served", func(t *testing.T) {
		w := serve(s, "POST", "/echo", `{"a":"b"}`)
		if w.Code != 200 || strings.TrimSpace(w.Body.String()) != `{"a":"b"}` {
			t.Errorf("answer = %d %s, want 200 {\"a\":\"b\"}", w.Code, w.Body)
		}
	})
	t.Run("a browser's preflight for the API is allowed", func(t *testing.T) {
		r := httptest.NewRequest("OPTIONS", "/api/v1/certificates", nil)
		r.Header.Set("Origin", "https://shop.example")
		r.Header.Set("Access-Control-Request-Method", "POST")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != 204 || w.Header().Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
			t.Errorf("preflight = %d %v, want 204 allowing any origin and Authorization", w.Code, w.Header())
		}
	})
	t.Run("every answer carries a request id", func(t *testing.T) {
		w := serve(s, "GET", "/api/openapi.json", "")
		if w.Header().Get("X-Request-Id") == "" {
			t.Error("X-Request-Id is missing")
		}
	})
	t.Run("requests are logged with their route and status", func(t *testing.T) {
		logs.Reset()
		serve(s, "POST", "/echo", `{"a":1}`)
		var line struct {
			Msg, Method, Path, Route, RequestID string
			Status                              int
		}
		dec := json.NewDecoder(&logs)
		for dec.More() {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				t.Fatal(err)
			}
			if m["msg"] == "request" {
				b, _ := json.Marshal(m)
				json.Unmarshal(b, &line)
				line.RequestID, _ = m["request_id"].(string)
			}
		}
		if line.Route != "POST /echo" || line.Status != 200 || line.Method != "POST" || line.RequestID == "" {
			t.Errorf("log line = %+v, want route POST /echo, status 200, a request id", line)
		}
	})
	t.Run("metrics count requests by route pattern and code", func(t *testing.T) {
		w := serve(s, "GET", "/metrics", "")
		if w.Code != 200 {
			t.Fatalf("GET /metrics = %d", w.Code)
		}
		for _, want := range []string{
			`trustmark_http_requests_total{code="500",method="GET",route="GET /boom"} 1`,
			`trustmark_http_requests_total{code="200",method="POST",route="POST /echo"}`,
			`trustmark_http_requests_total{code="404",method="GET",route="unmatched"}`,
			`trustmark_http_request_duration_seconds_bucket{method="POST",route="POST /echo",le="0.5"}`,
			`go_goroutines`,
		} {
			if !strings.Contains(w.Body.String(), want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
	t.Run("two servers keep separate metrics", func(t *testing.T) {
		other := newBareServer(t, nil)
		w := serve(other, "GET", "/metrics", "")
		if strings.Contains(w.Body.String(), "/boom") {
			t.Error("a new server's metrics count another server's requests")
		}
	})
}

func TestMountReplacesBuiltInRoute(t *testing.T) {
	s := newBareServer(t, nil)
	s.Mount("GET /api/v1/certificates/{number}/history", nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		tmhttp.WriteJSON(w, 200, map[string]string{"from": "log", "number": r.PathValue("number")})
	}))
	w := serve(s, "GET", "/api/v1/certificates/ABC/history", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"from":"log"`) || !strings.Contains(w.Body.String(), `"number":"ABC"`) {
		t.Errorf("answer = %d %s, want the mounted handler's", w.Code, w.Body)
	}
	n := 0
	for _, p := range s.Patterns() {
		if p == "GET /api/v1/certificates/{number}/history" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("pattern listed %d times, want once", n)
	}
}

func TestMountedPortalGetsNonAPIPaths(t *testing.T) {
	s := newBareServer(t, nil)
	s.Mount("/", nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(404)
		io.WriteString(w, "<p>页面不存在</p>")
	}))
	if w := serve(s, "GET", "/certificates/nope", ""); !strings.Contains(w.Body.String(), "页面不存在") {
		t.Errorf("GET /certificates/nope = %d %s, want the portal's page", w.Code, w.Body)
	}
	if w := serve(s, "GET", "/api/v1/nope", ""); w.Code != 404 || decodeErrorBody(t, w.Body.String()).Code != "not_found" {
		t.Errorf("GET /api/v1/nope = %d %s, want the API's JSON 404", w.Code, w.Body)
	}
}

// TestOpenAPIMatchesRoutes holds the OpenAPI document and the API's routes
// equal: every API route is documented and every documented operation is
// served (the end-to-end test in cmd/trustmark checks the complete server).
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := newBareServer(t, nil)
	documented, served := tmhttp.OpenAPIOperations(), tmhttp.APIOperations(s.Patterns())
	sort.Strings(documented)
	sort.Strings(served)
	if strings.Join(documented, "\n") != strings.Join(served, "\n") {
		t.Errorf("documented operations differ from served ones\n documented only: %v\n served only: %v", minus(documented, served), minus(served, documented))
	}
	if len(served) < 16 {
		t.Errorf("only %d API operations served: %v", len(served), served)
	}
	w := serve(s, "GET", "/api/openapi.json", "")
	var doc map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || doc["openapi"] == nil {
		t.Errorf("GET /api/openapi.json = %d, not an OpenAPI document: %v", w.Code, err)
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || x == y
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

// TestOpenAPIDocument checks the document's own consistency: every $ref
// resolves and every path wildcard is a declared path parameter.
func TestOpenAPIDocument(t *testing.T) {
	w := serve(newBareServer(t, nil), "GET", "/api/openapi.json", "")
	var doc map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Errorf("openapi = %q, want 3.x", v)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				var node any = doc
				for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := node.(map[string]any)
					node = m[part]
				}
				if node == nil {
					t.Errorf("$ref %s does not resolve", ref)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			declared := map[string]bool{}
			params, _ := op.(map[string]any)["parameters"].([]any)
			for _, p := range params {
				if p := p.(map[string]any); p["in"] == "path" {
					declared[p["name"].(string)] = true
				}
			}
			for _, seg := range strings.Split(path, "/") {
				if name, ok := strings.CutPrefix(seg, "{"); ok {
					if name = strings.TrimSuffix(name, "}"); !declared[name] {
						t.Errorf("%s %s: path parameter %s is not declared", method, path, name)
					}
				}
			}
		}
	}
}
