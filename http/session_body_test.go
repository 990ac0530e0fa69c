package http_test

import (
	"bytes"
	"mime/multipart"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"trustmark"
	"trustmark/account"
	tmhttp "trustmark/http"
)

// TestCSRFCheckReadsLargeFormsBounded holds the CSRF check of a posted
// form to the body's limit: a multipart form within the route's limit is
// served with its files spilled to disk (and removed once answered), its
// token read wherever it comes in the form; one over the limit is refused
// as too large, naming the limit, never as an expired form.
func TestCSRFCheckReadsLargeFormsBounded(t *testing.T) {
	a := newAccounts(t, true)
	a.person(t, "ma@example.cn", mustRole(t, account.Body, bodyA, false), "")
	b := newBrowser()
	if _, err := a.signIn(b, "ma@example.cn", password); err != nil {
		t.Fatal(err)
	}
	c, err := a.whoami(b)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var spilled []string
	var photoBytes int64
	next := nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		spilled, _ = filepath.Glob(filepath.Join(tmp, "multipart-*"))
		if r.MultipartForm != nil && len(r.MultipartForm.File["photos"]) == 1 {
			photoBytes = r.MultipartForm.File["photos"][0].Size
		}
		w.Write([]byte("checked in"))
	})
	const limit = 4 << 20
	h := tmhttp.WithBodyLimit(limit, a.auth.RequireSession(next, func(w nethttp.ResponseWriter, r *nethttp.Request, err error) { tmhttp.Error(w, r, err) }))
	post := func(photo int, token string) *httptest.ResponseRecorder {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("kind", "open")
		fw, _ := mw.CreateFormFile("photos", "photo.jpg")
		fw.Write(bytes.Repeat([]byte{0xd8}, photo))
		mw.WriteField("csrf", token) // after the photo: the whole form is read
		mw.Close()
		r := httptest.NewRequest("POST", "/work/audits/A1/checkins", &buf)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		for _, ck := range b.cookies {
			r.AddCookie(&nethttp.Cookie{Name: ck.Name, Value: ck.Value})
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}

	t.Run("a 3 MB form within the route's limit is served, its photo on disk while read", func(t *testing.T) {
		w := post(3<<20, c.CSRFToken())
		if w.Code != nethttp.StatusOK || w.Body.String() != "checked in" {
			t.Fatalf("3 MB post = %d %q, want 200", w.Code, w.Body)
		}
		if photoBytes != 3<<20 || len(spilled) == 0 {
			t.Errorf("the handler saw a photo of %d bytes and %d temporary files, want %d bytes on disk", photoBytes, len(spilled), 3<<20)
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, "multipart-*")); len(left) != 0 {
			t.Errorf("temporary files left after the answer: %v", left)
		}
	})
	t.Run("a form over the route's limit is refused as too large", func(t *testing.T) {
		w := post(5<<20, c.CSRFToken())
		if w.Code != nethttp.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), `"too_large"`) || !strings.Contains(w.Body.String(), "4.0 MB") {
			t.Errorf("5 MB post = %d %s, want 413 too_large naming 4.0 MB", w.Code, w.Body)
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, "multipart-*")); len(left) != 0 {
			t.Errorf("temporary files left after the refusal: %v", left)
		}
	})
	t.Run("a form within the limit with a forged token is still refused for its token", func(t *testing.T) {
		if w := post(1<<20, "forged"); w.Code != nethttp.StatusForbidden {
			t.Errorf("post with a forged token = %d %s, want 403", w.Code, w.Body)
		}
	})
	t.Run("an urlencoded form over the server's limit is refused as too large", func(t *testing.T) {
		r := b.request("POST", "/work/staff/invite", url.Values{"csrf": {c.CSRFToken()}, "email": {strings.Repeat("a", 2<<20)}})
		r.Body = nethttp.MaxBytesReader(httptest.NewRecorder(), r.Body, tmhttp.DefaultMaxBodyBytes)
		if _, err := a.auth.Resolve(r); trustmark.ErrorCode(err) != trustmark.ETooLarge {
			t.Errorf("Resolve(2 MB form) = %v, want too_large", err)
		}
	})
}
