package http_test

import (
	"encoding/json"
	nethttp "net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	tmhttp "trustmark/http"
)

func TestWatchAPI(t *testing.T) {
	f := newFixture(t)
	tokA, tokB, do := f.tokenA, f.tokenB, f.do

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
			`{"url": "ftp://x", "items": ["` + certCCC + `"]}`,
			`{"url": "https://user:pw@example.com/", "items": ["` + certCCC + `"]}`,
			`{"url": "https://example.com/", "items": []}`,
			`{"url": "https://example.com/", "items": ["海尔"]}`,
			`{"url": "https://example.com/", "secret": "short", "items": ["` + certCCC + `"]}`,
		} {
			if w := do("POST", "/api/v1/watches", tokA, body); w.Code != 400 {
				t.Errorf("POST %s: status = %d, want 400 (%s)", body, w.Code, w.Body)
			}
		}
	})

	w := do("POST", "/api/v1/watches", tokA, `{"url": "https://platform.example/hooks/trustmark", "items": ["`+certCCC+`", "`+string(holderB)+`", "`+certCCC+`"]}`)
	if w.Code != nethttp.StatusCreated {
		t.Fatalf("create: status = %d, want 201: %s", w.Code, w.Body)
	}
	var created trustmark.Watch
	json.Unmarshal(w.Body.Bytes(), &created)
	if created.ID == "" || len(created.Secret) < 16 || created.Owner != "body:"+bodyA {
		t.Fatalf("created watch = %+v, want an ID, a generated secret and the owner", created)
	}
	wantItems := []trustmark.WatchItem{{Kind: trustmark.WatchCertificate, Key: certCCC}, {Kind: trustmark.WatchOrg, Key: string(holderB)}}
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
		w := do("POST", "/api/v1/watches/"+created.ID+"/items", tokA, `{"add": ["`+certQMS+`"], "remove": ["`+certCCC+`"]}`)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"count":2`) {
			t.Fatalf("POST items: %d %s, want 200 with count 2", w.Code, w.Body)
		}
		w = do("GET", "/api/v1/watches/"+created.ID, tokA, "")
		var got trustmark.Watch
		json.Unmarshal(w.Body.Bytes(), &got)
		want := []trustmark.WatchItem{{Kind: trustmark.WatchCertificate, Key: certQMS}, {Kind: trustmark.WatchOrg, Key: string(holderB)}}
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
		if w := do("POST", "/api/v1/watches/"+created.ID+"/items", tokB, `{"add": ["`+certCCC+`"]}`); w.Code != 404 {
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
	f.Add("https://platform.example/hook", "", certCCC)
	f.Add("http://[::1]:80/x#frag", "0123456789abcdef", string(holderA))
	f.Add("javascript:alert(1)", "x", "海尔")
	f.Fuzz(func(t *testing.T, url, secret, item string) {
		wa, err := tmhttp.ParseWatchRequest(tmhttp.WatchRequest{URL: url, Secret: secret, Items: []string{item, item}})
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
