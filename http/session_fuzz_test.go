package http_test

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"trustmark"
	tmhttp "trustmark/http"
)

func asError(err error, e **trustmark.Error) bool { return errors.As(err, e) }

var localPaths = []struct {
	in string
	ok bool
}{
	{"/work/", true},
	{"/work/matters?state=open&page=2", true},
	{"/certificates/00126Q30001R0M", true},
	{"", false},
	{"work/", false},
	{"//evil.example/work/", false},
	{"/\\evil.example", false},
	{"/work/\\..\\evil", false},
	{"https://evil.example/", false},
	{"javascript:alert(1)", false},
	{"/work/\r\nSet-Cookie: x=1", false},
	{"/%2F%2Fevil.example", false}, // harmless, but "//" once decoded: refused to be safe
	{"/" + strings.Repeat("a", 1100), false},
}

func TestLocalPath(t *testing.T) {
	for _, tt := range localPaths {
		if _, ok := tmhttp.LocalPath(tt.in); ok != tt.ok {
			t.Errorf("LocalPath(%q) = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}

func TestSignInURLDropsForeignNext(t *testing.T) {
	for _, tt := range []struct{ next, lang, want string }{
		{"/work/matters", "", "/signin?next=%2Fwork%2Fmatters"},
		{"/work/", "", "/signin"},
		{"//evil.example", "en", "/signin?lang=en"},
		{"https://evil.example", "", "/signin"},
	} {
		if got := tmhttp.SignInURL(tt.next, tt.lang); got != tt.want {
			t.Errorf("SignInURL(%q, %q) = %q, want %q", tt.next, tt.lang, got, tt.want)
		}
	}
}

// FuzzLocalPath holds LocalPath to its promise: whatever it accepts, a
// browser resolving it on this site stays on this site.
func FuzzLocalPath(f *testing.F) {
	for _, tt := range localPaths {
		f.Add(tt.in)
	}
	base, _ := url.Parse("https://trustmark.example.cn/signin")
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := tmhttp.LocalPath(s)
		if !ok {
			return
		}
		u, err := url.Parse(p)
		if err != nil {
			t.Fatalf("LocalPath(%q) accepted an address url.Parse refuses: %v", s, err)
		}
		if got := base.ResolveReference(u); got.Host != base.Host || got.Scheme != base.Scheme {
			t.Errorf("LocalPath(%q) accepted an address that leads to %s", s, got)
		}
		if strings.ContainsAny(p, "\\\r\n\t\x00") || strings.HasPrefix(p, "//") {
			t.Errorf("LocalPath(%q) accepted %q", s, p)
		}
	})
}

// FuzzSessionCookie sends any Cookie header: resolving it never panics,
// and never finds a caller where no session was started.
func FuzzSessionCookie(f *testing.F) {
	a := newAccounts(f, true)
	for _, s := range []string{
		"__Host-tm_session=tms_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"__Host-tm_session=",
		"__Host-tm_session=tms_x; __Host-tm_session=tms_y",
		"tm_session=tms_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"__Host-tm_session=\"tms_\"; other=1",
		"__Host-tm_session=tml_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cookie string) {
		r := httptest.NewRequest("GET", "/work/", nil)
		r.Header.Set("Cookie", cookie)
		c, err := a.auth.Resolve(r)
		if err == nil {
			t.Fatalf("Cookie %q resolved to %v with no session started", cookie, c.Party)
		}
		if code := trustmark.ErrorCode(err); code != trustmark.EUnauthorized {
			t.Errorf("Cookie %q: %v, want unauthorized", cookie, err)
		}
	})
}
