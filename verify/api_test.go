package verify_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	thttp "trustmark/http"
	"trustmark/sqlstore"
	"trustmark/verify"
)

// newServer mounts the verification handler on the real server, as serve
// does, so that body limits and error shapes are the production ones.
func newServer(t testing.TB) (*thttp.Server, *sqlstore.DB) {
	db := openStore(t)
	clock := func() time.Time { return verifyNow }
	svc := verify.New(verify.Config{Store: db, Clock: clock})
	h := verify.NewHandler(verify.HandlerConfig{Service: svc, Store: db, Watches: db, Clock: clock})
	srv := thttp.NewServer(thttp.Config{Store: db, Clock: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, p := range h.Patterns() {
		srv.Mount(p, h)
	}
	return srv, db
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
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

func itemsBody(items []string) string {
	b, _ := json.Marshal(map[string]any{"items": items})
	return string(b)
}

func TestVerifyAPI(t *testing.T) {
	srv, _ := newServer(t)
	w := post(srv, "/api/v1/verify", "application/json", strings.NewReader(itemsBody([]string{cccValid, "1999010901000001", qmsExpiring})))
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", w.Code, w.Body)
	}
	var got struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	if len(got.Results) != 3 {
		t.Fatalf("got %d results, want 3", len(got.Results))
	}
	for _, r := range got.Results {
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
	}{{cccValid, true, "valid"}, {"1999010901000001", false, ""}, {qmsExpiring, true, "expired"}}
	for i, w := range want {
		r := got.Results[i]
		if r["item"] != w.item || r["found"] != w.found || r["status"] != w.status {
			t.Errorf("result %d = %v, want item %s found %v status %q", i, r, w.item, w.found, w.status)
		}
	}
}

func TestVerifyAPIRefusesBadRequests(t *testing.T) {
	srv, _ := newServer(t)
	many := make([]string, 1001)
	for i := range many {
		many[i] = cccValid
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
			w := post(srv, "/api/v1/verify", "application/json", strings.NewReader(tt.body))
			var e errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
				t.Fatalf("error answer %q is not JSON: %v", w.Body, err)
			}
			if w.Code != tt.status || e.Error.Code != tt.code || e.Error.Field != tt.field || e.Error.Message == "" {
				t.Errorf("answer = %d %+v, want %d code %s field %q and a message", w.Code, e.Error, tt.status, tt.code, tt.field)
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
		req, err := verify.ParseVerifyRequest(r)
		if err != nil {
			if c := trustmark.ErrorCode(err); c != trustmark.EInvalid && c != trustmark.ETooLarge {
				t.Fatalf("ParseVerifyRequest error code = %q (%v), want invalid or too_large", c, err)
			}
			return
		}
		if n := len(req.Items); n < 1 || n > verify.MaxItems {
			t.Fatalf("accepted %d items, want 1..%d", n, verify.MaxItems)
		}
	})
}

func TestWatchAPI(t *testing.T) {
	srv, db := newServer(t)
	tokA, err := db.CreateToken(ctx, partyBody(bodyCQC))
	if err != nil {
		t.Fatal(err)
	}
	tokB, err := db.CreateToken(ctx, partyBody(bodyOrganic))
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, token, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w
	}

	t.Run("creating needs a token", func(t *testing.T) {
		if w := do("POST", "/api/v1/watches", "", `{}`); w.Code != 401 {
			t.Errorf("status = %d, want 401", w.Code)
		}
		if w := do("POST", "/api/v1/watches", "not-a-token", `{}`); w.Code != 401 {
			t.Errorf("bad token: status = %d, want 401", w.Code)
		}
	})
	t.Run("bad watches are refused", func(t *testing.T) {
		for _, body := range []string{
			`{"url": "ftp://x", "items": ["` + cccValid + `"]}`,
			`{"url": "https://user:pw@example.com/", "items": ["` + cccValid + `"]}`,
			`{"url": "https://example.com/", "items": []}`,
			`{"url": "https://example.com/", "items": ["海尔"]}`,
			`{"url": "https://example.com/", "secret": "short", "items": ["` + cccValid + `"]}`,
		} {
			if w := do("POST", "/api/v1/watches", tokA, body); w.Code != 400 {
				t.Errorf("POST %s: status = %d, want 400 (%s)", body, w.Code, w.Body)
			}
		}
	})

	w := do("POST", "/api/v1/watches", tokA, `{"url": "https://platform.example/hooks/trustmark", "items": ["`+cccValid+`", "`+string(holder2)+`", "`+cccValid+`"]}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("create: status = %d, want 201: %s", w.Code, w.Body)
	}
	var created verify.Watch
	json.Unmarshal(w.Body.Bytes(), &created)
	if created.ID == "" || len(created.Secret) < 16 || created.Owner != "body:"+bodyCQC {
		t.Fatalf("created watch = %+v, want an ID, a generated secret and the owner", created)
	}
	wantItems := []verify.WatchItem{{Kind: trustmark.WatchCertificate, Key: cccValid}, {Kind: trustmark.WatchOrg, Key: string(holder2)}}
	if diff := cmp.Diff(wantItems, created.Items); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}

	t.Run("the owner reads it back without its secret", func(t *testing.T) {
		w := do("GET", "/api/v1/watches/"+created.ID, tokA, "")
		if w.Code != 200 || strings.Contains(w.Body.String(), created.Secret) {
			t.Errorf("GET: %d %s; want 200 without the secret", w.Code, w.Body)
		}
		w = do("GET", "/api/v1/watches", tokA, "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), created.ID) {
			t.Errorf("list: %d %s; want 200 with the watch", w.Code, w.Body)
		}
	})
	t.Run("the owner adds and removes items", func(t *testing.T) {
		w := do("POST", "/api/v1/watches/"+created.ID+"/items", tokA, `{"add": ["`+qmsSusp+`"], "remove": ["`+cccValid+`"]}`)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"count":2`) {
			t.Fatalf("POST items: %d %s, want 200 with count 2", w.Code, w.Body)
		}
		w = do("GET", "/api/v1/watches/"+created.ID, tokA, "")
		var got verify.Watch
		json.Unmarshal(w.Body.Bytes(), &got)
		want := []verify.WatchItem{{Kind: trustmark.WatchCertificate, Key: qmsSusp}, {Kind: trustmark.WatchOrg, Key: string(holder2)}}
		if diff := cmp.Diff(want, got.Items); diff != "" {
			t.Errorf("items after the update (-want +got):\n%s", diff)
		}
		if w := do("POST", "/api/v1/watches/"+created.ID+"/items", tokA, `{"add": ["海尔"]}`); w.Code != 400 {
			t.Errorf("adding a name: %d, want 400", w.Code)
		}
	})
	t.Run("another party cannot see or delete it", func(t *testing.T) {
		if w := do("GET", "/api/v1/watches/"+created.ID, tokB, ""); w.Code != 404 {
			t.Errorf("GET by another party: %d, want 404", w.Code)
		}
		if w := do("POST", "/api/v1/watches/"+created.ID+"/items", tokB, `{"add": ["`+cccValid+`"]}`); w.Code != 404 {
			t.Errorf("POST items by another party: %d, want 404", w.Code)
		}
		if w := do("DELETE", "/api/v1/watches/"+created.ID, tokB, ""); w.Code != 404 {
			t.Errorf("DELETE by another party: %d, want 404", w.Code)
		}
	})
	t.Run("the owner deletes it", func(t *testing.T) {
		if w := do("DELETE", "/api/v1/watches/"+created.ID, tokA, ""); w.Code != 204 {
			t.Errorf("DELETE: %d %s, want 204", w.Code, w.Body)
		}
		if w := do("GET", "/api/v1/watches/"+created.ID, tokA, ""); w.Code != 404 {
			t.Errorf("GET after DELETE: %d, want 404", w.Code)
		}
	})
}

func FuzzParseWatchRequest(f *testing.F) {
	f.Add("https://platform.example/hook", "", cccValid)
	f.Add("http://[::1]:80/x#frag", "0123456789abcdef", string(holder1))
	f.Add("javascript:alert(1)", "x", "海尔")
	f.Fuzz(func(t *testing.T, url, secret, item string) {
		wa, err := verify.ParseWatchRequest(verify.WatchRequest{URL: url, Secret: secret, Items: []string{item, item}})
		if err != nil {
			if c := trustmark.ErrorCode(err); c != trustmark.EInvalid && c != trustmark.ETooLarge {
				t.Fatalf("error code %q (%v), want invalid or too_large", c, err)
			}
			return
		}
		if !strings.HasPrefix(wa.URL, "http://") && !strings.HasPrefix(wa.URL, "https://") {
			t.Fatalf("accepted URL %q", wa.URL)
		}
		if len(wa.Items) != 1 {
			t.Fatalf("duplicate items kept: %v", wa.Items)
		}
		if k := wa.Items[0].Kind; k != trustmark.WatchCertificate && k != trustmark.WatchOrg {
			t.Fatalf("watch item of kind %s", k)
		}
	})
}
