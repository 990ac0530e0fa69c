package web

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"trustmark/account"
	thttp "trustmark/http"
	"trustmark/internal/testfix"
)

// cheapRules are account.Default with a hash cheap enough for tests.
var cheapRules = testfix.CheapRules

const (
	testPassword = testfix.Password
	testSecret   = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

// signinFixture is the portal's fixture with accounts: the pages served
// with an Auth whose clock the test moves (a TOTP code works once, so each
// sign-in with a code needs its own 30-second step).
type signinFixture struct {
	*fixture
	auth    *thttp.Auth
	handler http.Handler
	mu      sync.Mutex
	at      time.Time
	rnd     *rand.ChaCha8
}

func (s *signinFixture) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.at
}

func (s *signinFixture) advance(d time.Duration) {
	s.mu.Lock()
	s.at = s.at.Add(d)
	s.mu.Unlock()
}

func newSigninFixture(t testing.TB, secure bool) *signinFixture {
	t.Helper()
	s := &signinFixture{fixture: newFixture(t), at: now, rnd: rand.NewChaCha8([32]byte{9})}
	s.auth = thttp.NewAuth(thttp.AuthConfig{Tokens: s.store, Accounts: s.store, Rules: cheapRules, Secure: secure, Clock: s.clock, Rand: s.rnd})
	s.handler = NewHandler(Config{Store: s.store, Search: s.index, Clock: s.fixture.clock, Logger: s.quiet(), BaseURL: "https://trustmark.example.cn", Auth: s.auth})
	return s
}

// invite creates an account of role and returns its one-time link's path.
func (s *signinFixture) invite(t testing.TB, email string, role account.Role) string {
	t.Helper()
	ch, token, err := account.Invite(s.rnd, account.Email(email), "王芳", []account.Role{role}, account.FirstSignIn, "cli", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.store.Apply(context.Background(), ch); err != nil {
		t.Fatal(err)
	}
	return account.LinkPath(token)
}

// person creates an account of role with testPassword and, with a secret,
// that second factor.
func (s *signinFixture) person(t testing.TB, email string, role account.Role, secret string) {
	t.Helper()
	testfix.Person(t, s.store, s.rnd, email, "王芳", role, secret, now)
}

func role(t testing.TB, k account.Kind, id string, admin bool) account.Role {
	t.Helper()
	r, err := account.ParseRole(k, id, admin)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// client is a browser without JavaScript: it keeps cookies, follows
// nothing by itself, and reads the CSRF token of the last form it got.
type client struct {
	s       *signinFixture
	cookies map[string]string
	csrf    string
	headers map[string]string
}

func (s *signinFixture) client() *client {
	return &client{s: s, cookies: map[string]string{}, headers: map[string]string{}}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(method, target string, form url.Values) *httptest.ResponseRecorder {
	var r *http.Request
	if form != nil {
		r = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	for k, v := range c.cookies {
		r.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	for k, v := range c.headers {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	c.s.handler.ServeHTTP(w, r)
	for _, ck := range w.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	if m := csrfInput.FindStringSubmatch(w.Body.String()); m != nil {
		c.csrf = m[1]
	}
	return w
}

func (c *client) get(target string) *httptest.ResponseRecorder { return c.do("GET", target, nil) }

// post sends form with the CSRF token of the last page.
func (c *client) post(target string, form url.Values) *httptest.ResponseRecorder {
	form.Set("csrf", c.csrf)
	return c.do("POST", target, form)
}

func wantRedirect(t *testing.T, w *httptest.ResponseRecorder, to string) {
	t.Helper()
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != to {
		t.Fatalf("answer = %d to %q, want 303 to %q\n%s", w.Code, w.Header().Get("Location"), to, w.Body)
	}
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// said is the Chinese catalogue's sentence for a reason key, up to its
// first value: what a Chinese page says for that refusal.
func said(key string) string {
	f := zhMessages().Reasons[key]
	if i := strings.IndexByte(f, '%'); i >= 0 {
		f = f[:i]
	}
	if f == "" {
		panic("no Chinese entry for " + key)
	}
	return f
}

func zhMessages() *Messages { m, _ := pickLangParam("zh"); return m }

var secretShown = regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)<`)

func TestSignInPagesWithPasswordAndTOTP(t *testing.T) {
	s := newSigninFixture(t, true)
	s.person(t, "wang@example.cn", role(t, account.Regulator, "370000", false), testSecret)
	c := s.client()

	wantRedirect(t, c.get("/work/"), "/signin")
	w := c.get("/signin")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "登录工作台") || c.csrf == "" {
		t.Fatalf("GET /signin = %d without the Chinese form and its token\n%s", w.Code, w.Body)
	}
	wantRedirect(t, c.post("/signin", url.Values{"email": {"wang@example.cn"}, "password": {testPassword}, "next": {"/work/"}}), "/signin/code?next=%2Fwork%2F")
	if w := c.get("/work/"); w.Code != http.StatusSeeOther {
		t.Fatalf("GET /work/ between password and code = %d, want a redirect to sign in", w.Code)
	}
	w = c.get("/signin/code?next=%2Fwork%2F")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `autocomplete="one-time-code"`) {
		t.Fatalf("GET /signin/code = %d\n%s", w.Code, w.Body)
	}
	t.Run("a wrong code is refused in Chinese and the form is shown again", func(t *testing.T) {
		w := c.post("/signin/code", url.Values{"code": {"000000"}, "next": {"/work/"}})
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), said("totp.wrong")) {
			t.Errorf("wrong code = %d\n%s", w.Code, w.Body)
		}
	})
	wantRedirect(t, c.post("/signin/code", url.Values{"code": {code(t, testSecret, s.clock())}, "next": {"/work/"}}), "/work/")
	w = c.get("/work/")
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "wang@example.cn") || !strings.Contains(body, "山东省") || !strings.Contains(body, "监管部门") {
		t.Fatalf("GET /work/ = %d, want the person, the region and the role\n%s", w.Code, body)
	}
	t.Run("the workbench speaks English with ?lang=en", func(t *testing.T) {
		if w := c.get("/work/?lang=en"); !strings.Contains(w.Body.String(), "Your roles") || !strings.Contains(w.Body.String(), "Shandong") {
			t.Errorf("GET /work/?lang=en is not in English\n%s", w.Body)
		}
	})
	t.Run("signing out ends the session", func(t *testing.T) {
		c.get("/work/")
		wantRedirect(t, c.post("/signout", url.Values{}), "/signin?signedout=1")
		wantRedirect(t, c.get("/work/"), "/signin")
		if w := c.get("/signin?signedout=1"); !strings.Contains(w.Body.String(), "您已退出登录") {
			t.Errorf("sign-in page after sign-out does not say so\n%s", w.Body)
		}
	})
}

func TestRegulatorWithoutTOTPIsTakenThroughEnrolment(t *testing.T) {
	s := newSigninFixture(t, true)
	s.person(t, "li@example.cn", role(t, account.Regulator, "000000", true), "")
	c := s.client()
	c.get("/signin")
	wantRedirect(t, c.post("/signin", url.Values{"email": {"li@example.cn"}, "password": {testPassword}}), "/signin/code?next=%2Fwork%2F")
	w := c.get("/signin/code")
	m := secretShown.FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || m == nil || !strings.Contains(w.Body.String(), `src="data:image/png;base64,`) {
		t.Fatalf("enrolment page = %d without a QR code and a key\n%s", w.Code, w.Body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	wantRedirect(t, c.post("/signin/code", url.Values{"code": {code(t, secret, s.clock())}}), "/work/")
	if w := c.get("/work/"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "全国") {
		t.Errorf("GET /work/ after enrolment = %d\n%s", w.Code, w.Body)
	}
	a, _ := s.store.AccountByEmail(context.Background(), "li@example.cn")
	if cr, _, err := s.store.Credentials(context.Background(), a.ID); err != nil || cr.TOTP.Secret != secret {
		t.Errorf("stored second factor = %q, %v; want the enrolled key", cr.TOTP.Secret, err)
	}
}

func TestOneTimeLink(t *testing.T) {
	s := newSigninFixture(t, true)
	link := s.invite(t, "zhang@example.cn", role(t, account.Body, bodyA, true))
	c := s.client()

	w := c.get(link)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "zhang@example.cn") || w.Header().Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("GET link = %d (Referrer-Policy %q)\n%s", w.Code, w.Header().Get("Referrer-Policy"), w.Body)
	}
	t.Run("two different passwords are refused and the link stays usable", func(t *testing.T) {
		w := c.post(link, url.Values{"password": {testPassword}, "confirm": {testPassword + "x"}})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), said("password.differ")) {
			t.Errorf("different passwords = %d\n%s", w.Code, w.Body)
		}
	})
	t.Run("a weak password is refused with the policy's reason", func(t *testing.T) {
		w := c.post(link, url.Values{"password": {"password1234"}, "confirm": {"password1234"}})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), said("password.common")) {
			t.Errorf("weak password = %d\n%s", w.Code, w.Body)
		}
	})
	wantRedirect(t, c.post(link, url.Values{"password": {testPassword}, "confirm": {testPassword}}), "/work/")
	if w := c.get("/work/"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "中认检测认证集团") {
		t.Errorf("GET /work/ after the link = %d, want the body's name\n%s", w.Code, w.Body)
	}
	t.Run("the link works once", func(t *testing.T) {
		w := s.client().get(link)
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), said("link.used")) {
			t.Errorf("GET used link = %d\n%s", w.Code, w.Body)
		}
	})
	t.Run("the password it set signs in", func(t *testing.T) {
		c := s.client()
		c.get("/signin")
		wantRedirect(t, c.post("/signin", url.Values{"email": {"zhang@example.cn"}, "password": {testPassword}}), "/work/")
	})
	t.Run("a malformed or unknown link is refused", func(t *testing.T) {
		for _, l := range []string{"/signin/link/nonsense", account.LinkPath("tml_" + strings.Repeat("A", 43))} {
			if w := s.client().get(l); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), said("link.unknown")) {
				t.Errorf("GET %s = %d\n%s", l, w.Code, w.Body)
			}
		}
	})
}

func TestNoWorkbenchPageWithoutASession(t *testing.T) {
	s := newSigninFixture(t, true)
	for _, target := range []string{"/work/", "/work/matters", "/work/anything/at/all?x=1"} {
		w := s.client().get(target)
		loc, _ := url.Parse(w.Header().Get("Location"))
		if w.Code != http.StatusSeeOther || loc.Path != "/signin" {
			t.Errorf("GET %s = %d to %s, want 303 to /signin", target, w.Code, loc)
		}
		if target != "/work/" && loc.Query().Get("next") != target {
			t.Errorf("GET %s: next = %q, want the page", target, loc.Query().Get("next"))
		}
	}
	if w := s.client().do("POST", "/work/", url.Values{}); w.Code != http.StatusSeeOther {
		t.Errorf("POST /work/ without a session = %d, want 303", w.Code)
	}
}

func TestNextMustBeLocal(t *testing.T) {
	s := newSigninFixture(t, true)
	s.person(t, "he@example.cn", role(t, account.Lab, labA, false), "")
	for _, tt := range []struct{ next, want string }{
		{"/work/?tab=inbox", "/work/?tab=inbox"},
		{"//evil.example/", "/work/"},
		{"https://evil.example/", "/work/"},
		{"/\\evil.example", "/work/"},
		{"javascript:alert(1)", "/work/"},
	} {
		c := s.client()
		c.get("/signin")
		wantRedirect(t, c.post("/signin", url.Values{"email": {"he@example.cn"}, "password": {testPassword}, "next": {tt.next}}), tt.want)
	}
}

func TestSignInFormsNeedTheirCSRFToken(t *testing.T) {
	s := newSigninFixture(t, true)
	s.person(t, "xu@example.cn", role(t, account.Org, string(haier), false), "")
	t.Run("a sign-in without the form's token is refused", func(t *testing.T) {
		c := s.client()
		c.get("/signin")
		w := c.do("POST", "/signin", url.Values{"email": {"xu@example.cn"}, "password": {testPassword}})
		if w.Code != http.StatusForbidden || len(c.cookies) != 1 {
			t.Errorf("POST /signin without csrf = %d with cookies %v, want 403 and no session", w.Code, c.cookies)
		}
	})
	t.Run("a sign-in posted from another site is refused", func(t *testing.T) {
		c := s.client()
		c.get("/signin")
		c.headers["Sec-Fetch-Site"] = "cross-site"
		if w := c.post("/signin", url.Values{"email": {"xu@example.cn"}, "password": {testPassword}}); w.Code != http.StatusForbidden {
			t.Errorf("cross-site POST /signin = %d, want 403", w.Code)
		}
	})
	t.Run("a sign-out without the session's token is refused", func(t *testing.T) {
		c := s.client()
		c.get("/signin")
		wantRedirect(t, c.post("/signin", url.Values{"email": {"xu@example.cn"}, "password": {testPassword}}), "/work/")
		if w := c.do("POST", "/signout", url.Values{}); w.Code != http.StatusForbidden {
			t.Errorf("POST /signout without csrf = %d, want 403", w.Code)
		}
		if w := c.get("/work/"); w.Code != http.StatusOK {
			t.Errorf("GET /work/ after a refused sign-out = %d, want the session alive", w.Code)
		}
	})
}

func TestLockedAccountPage(t *testing.T) {
	s := newSigninFixture(t, true)
	s.person(t, "lu@example.cn", role(t, account.Body, bodyB, false), "")
	c := s.client()
	c.get("/signin")
	var w *httptest.ResponseRecorder
	for range cheapRules.Throttle.MaxFailures {
		w = c.post("/signin", url.Values{"email": {"lu@example.cn"}, "password": {"not my password"}})
	}
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), said("signin.locked")) {
		t.Errorf("the failure that locks = %d\n%s", w.Code, w.Body)
	}
	if w := c.post("/signin", url.Values{"email": {"lu@example.cn"}, "password": {testPassword}}); w.Code != http.StatusTooManyRequests {
		t.Errorf("the right password while locked = %d, want 429", w.Code)
	}
}

// FuzzSignInForm posts any form to /signin: the page never fails with a
// server error, never signs anyone in with a wrong password, and never
// redirects off the site.
func FuzzSignInForm(f *testing.F) {
	s := newSigninFixture(f, true)
	s.person(f, "fuzz@example.cn", role(f, account.Body, bodyA, false), "")
	c := s.client()
	c.get("/signin")
	csrf, form := c.csrf, c.cookies
	f.Add("fuzz@example.cn", "wrong", "/work/", true)
	f.Add("FUZZ@example.cn ", testPassword, "//evil.example", true)
	f.Add("not an address", "", "https://evil.example", false)
	f.Add(strings.Repeat("a", 300)+"@x.cn", strings.Repeat("密", 2000), "/\\x", true)
	f.Fuzz(func(t *testing.T, email, password, next string, withToken bool) {
		c := &client{s: s, cookies: map[string]string{}, headers: map[string]string{}}
		for k, v := range form {
			c.cookies[k] = v
		}
		v := url.Values{"email": {email}, "password": {password}, "next": {next}}
		if withToken {
			v.Set("csrf", csrf)
		}
		s.advance(time.Hour) // no lock carries over between inputs
		w := c.do("POST", "/signin", v)
		if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
			t.Fatalf("POST /signin %q %q = %d\n%s", email, password, w.Code, w.Body)
		}
		if w.Code == http.StatusSeeOther {
			loc := w.Header().Get("Location")
			if _, ok := thttp.LocalPath(loc); !ok {
				t.Errorf("redirect to %q", loc)
			}
			if password != testPassword {
				t.Errorf("signed in with %q", password)
			}
		}
	})
}

func TestSingleSignOnPages(t *testing.T) {
	s := newSigninFixture(t, true)
	down := httptest.NewServer(http.NotFoundHandler()) // a provider that publishes no discovery document
	defer down.Close()
	s.auth = thttp.NewAuth(thttp.AuthConfig{Tokens: s.store, Accounts: s.store, Rules: cheapRules, Secure: true, Clock: s.clock,
		OIDC: thttp.NewOIDC(thttp.OIDCConfig{Issuer: down.URL, ClientID: "trustmark", RedirectURL: "https://trustmark.example.cn/signin/oidc/callback", Name: "浙江政务服务网"})})
	s.handler = NewHandler(Config{Store: s.store, Clock: s.fixture.clock, Logger: s.quiet(), Auth: s.auth})
	c := s.client()
	w := c.get("/signin?next=%2Fwork%2Fmatters")
	if !strings.Contains(w.Body.String(), `href="/signin/oidc?next=%2Fwork%2Fmatters"`) || !strings.Contains(w.Body.String(), "通过浙江政务服务网登录") {
		t.Errorf("sign-in page offers no single sign-on\n%s", w.Body)
	}
	t.Run("a provider that does not answer leaves the password", func(t *testing.T) {
		w := c.get("/signin/oidc?next=%2Fwork%2F")
		if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), said("oidc.unavailable")) || !strings.Contains(w.Body.String(), `id="password"`) {
			t.Errorf("GET /signin/oidc = %d\n%s", w.Code, w.Body)
		}
	})
	t.Run("a callback nobody started is refused", func(t *testing.T) {
		w := c.get("/signin/oidc/callback?code=x&state=y")
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), said("oidc.state")) {
			t.Errorf("GET callback = %d\n%s", w.Code, w.Body)
		}
	})
}
