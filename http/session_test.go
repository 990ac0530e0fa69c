package http_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"trustmark"
	"trustmark/account"
	tmhttp "trustmark/http"
	"trustmark/internal/testfix"
)

// cheap are the sign-in rules of the tests (testfix.CheapRules).
var cheap = testfix.CheapRules

// password is the password of the tests' accounts.
const password = testfix.Password

// accounts is the fixture with accounts: an Auth over its store whose
// clock the test moves, and a few accounts with their passwords set.
type accounts struct {
	*fixture
	auth *tmhttp.Auth
	mu   sync.Mutex
	at   time.Time
	rnd  *rand.ChaCha8
}

func (a *accounts) clock() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.at
}

func (a *accounts) advance(d time.Duration) {
	a.mu.Lock()
	a.at = a.at.Add(d)
	a.mu.Unlock()
}

func newAccounts(t testing.TB, secure bool) *accounts {
	t.Helper()
	a := &accounts{fixture: newFixture(t), at: now, rnd: rand.NewChaCha8([32]byte{42})}
	a.auth = tmhttp.NewAuth(tmhttp.AuthConfig{Tokens: a.store, Accounts: a.store, Rules: cheap, Secure: secure,
		Clock: a.clock, Rand: a.rnd, MaxHashes: 2})
	return a
}

// person creates an account of role with the test password set; with
// totpSecret it also has that second factor enrolled.
func (a *accounts) person(t testing.TB, email string, role account.Role, totpSecret string) account.Account {
	t.Helper()
	return testfix.Person(t, a.store, a.rnd, email, "测试用户", role, totpSecret, now)
}

func mustRole(t testing.TB, k account.Kind, id string, admin bool) account.Role {
	t.Helper()
	r, err := account.ParseRole(k, id, admin)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// browser keeps cookies between requests, as a browser does for one site.
type browser struct {
	cookies map[string]*nethttp.Cookie
}

func newBrowser() *browser { return &browser{cookies: map[string]*nethttp.Cookie{}} }

// request makes a request carrying the browser's cookies; form, when not
// nil, is posted.
func (b *browser) request(method, target string, form url.Values) *nethttp.Request {
	var r *nethttp.Request
	if form != nil {
		r = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	for _, c := range b.cookies {
		r.AddCookie(&nethttp.Cookie{Name: c.Name, Value: c.Value})
	}
	return r
}

// keep stores the cookies a response sets.
func (b *browser) keep(w *httptest.ResponseRecorder) {
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
}

// signIn runs the password step for b.
func (a *accounts) signIn(b *browser, email, pw string) (account.Next, error) {
	w := httptest.NewRecorder()
	next, err := a.auth.SignInPassword(w, b.request("POST", "/signin", url.Values{}), email, pw)
	b.keep(w)
	return next, err
}

// code runs the second step for b with the CSRF token of its pending session.
func (a *accounts) code(t *testing.T, b *browser, code string) error {
	t.Helper()
	p, err := a.auth.PendingSignIn(b.request("GET", "/signin/code", nil))
	if err != nil {
		return err
	}
	w := httptest.NewRecorder()
	err = a.auth.SignInCode(w, b.request("POST", "/signin/code", url.Values{"csrf": {p.CSRF}}), code)
	b.keep(w)
	return err
}

// whoami resolves b's caller.
func (a *accounts) whoami(b *browser) (*tmhttp.Caller, error) {
	return a.auth.Resolve(b.request("GET", "/work/", nil))
}

const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

func codeAt(t *testing.T, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSignInWithPasswordAndTOTP(t *testing.T) {
	a := newAccounts(t, true)
	reg := a.person(t, "wang@example.cn", mustRole(t, account.Regulator, "330000", false), secret)
	b := newBrowser()

	next, err := a.signIn(b, "Wang@Example.cn", password)
	if err != nil || next != account.NextCode {
		t.Fatalf("password step = %s, %v; want code", next, err)
	}
	if _, err := a.whoami(b); trustmark.ErrorCode(err) != trustmark.EUnauthorized {
		t.Errorf("Resolve after the password alone = %v, want unauthorized (the session awaits its code)", err)
	}
	a.advance(time.Second)
	if err := a.code(t, b, codeAt(t, a.clock())); err != nil {
		t.Fatalf("code step: %v", err)
	}
	c, err := a.whoami(b)
	if err != nil {
		t.Fatalf("Resolve after sign-in: %v", err)
	}
	if c.Account == nil || c.Account.ID != reg.ID || c.Party.String() != "account:"+reg.ID || len(c.Roles) != 1 || c.CSRFToken() == "" {
		t.Errorf("caller = %+v, want account %s with its role and a CSRF token", c, reg.ID)
	}
	recs, err := a.store.SecurityLog(context.Background(), account.SecurityFilter{Account: reg.ID})
	if err != nil || len(recs) == 0 || recs[0].Kind != account.EventSignedIn || recs[0].Detail != "password+totp" {
		t.Errorf("security log = %+v, %v; want the sign-in first", recs, err)
	}
}

func TestReplayedTOTPCodeIsRefused(t *testing.T) {
	a := newAccounts(t, true)
	a.person(t, "li@example.cn", mustRole(t, account.Regulator, "330000", false), secret)
	code := codeAt(t, now)

	first := newBrowser()
	if _, err := a.signIn(first, "li@example.cn", password); err != nil {
		t.Fatal(err)
	}
	if err := a.code(t, first, code); err != nil {
		t.Fatalf("first use of the code: %v", err)
	}
	second := newBrowser()
	if _, err := a.signIn(second, "li@example.cn", password); err != nil {
		t.Fatal(err)
	}
	err := a.code(t, second, code)
	var e *trustmark.Error
	if trustmark.ErrorCode(err) != trustmark.EUnauthorized || !asError(err, &e) || e.Reason != "totp.reused" {
		t.Errorf("the same code again = %v, want unauthorized totp.reused", err)
	}
	if _, err := a.whoami(second); err == nil {
		t.Error("the replaying browser is signed in")
	}
}

func TestRepeatedFailuresLockTheAccount(t *testing.T) {
	a := newAccounts(t, true)
	a.person(t, "zhao@example.cn", mustRole(t, account.Body, bodyA, false), "")
	b := newBrowser()
	for i := 1; i <= cheap.Throttle.MaxFailures; i++ {
		_, err := a.signIn(b, "zhao@example.cn", "wrong password "+fmt.Sprint(i))
		want := trustmark.EUnauthorized
		if i == cheap.Throttle.MaxFailures {
			want = trustmark.ERateLimited
		}
		if got := trustmark.ErrorCode(err); got != want {
			t.Fatalf("failure %d = %v, want %s", i, err, want)
		}
	}
	t.Run("while locked, even the right password is refused", func(t *testing.T) {
		_, err := a.signIn(b, "zhao@example.cn", password)
		if trustmark.ErrorCode(err) != trustmark.ERateLimited {
			t.Errorf("right password while locked = %v, want rate_limited", err)
		}
	})
	t.Run("after the lock the right password signs in", func(t *testing.T) {
		a.advance(cheap.Throttle.Lock + time.Second)
		if next, err := a.signIn(b, "zhao@example.cn", password); err != nil || next != account.NextDone {
			t.Errorf("sign-in after the lock = %s, %v; want done", next, err)
		}
	})
	t.Run("the lock is in the security log", func(t *testing.T) {
		recs, err := a.store.SecurityLog(context.Background(), account.SecurityFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var locked bool
		for _, r := range recs {
			locked = locked || r.Kind == account.EventLocked
		}
		if !locked {
			t.Errorf("security log has no lock: %+v", recs)
		}
	})
}

func TestConcurrentFailuresAreAllCounted(t *testing.T) {
	a := newAccounts(t, true)
	acct := a.person(t, "qian@example.cn", mustRole(t, account.Body, bodyA, false), "")
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() { a.signIn(newBrowser(), "qian@example.cn", fmt.Sprintf("wrong %d", i)) })
	}
	wg.Wait()
	c, _, err := a.store.Credentials(context.Background(), acct.ID)
	if err != nil || c.Throttle.Failures != 4 {
		t.Errorf("failures after 4 wrong passwords at once = %d, %v; want 4", c.Throttle.Failures, err)
	}
}

func TestUnknownAddressIsRefusedLikeAWrongPassword(t *testing.T) {
	a := newAccounts(t, true)
	a.person(t, "sun@example.cn", mustRole(t, account.Body, bodyA, false), "")
	_, wrong := a.signIn(newBrowser(), "sun@example.cn", "not the password")
	_, unknown := a.signIn(newBrowser(), "nobody@example.cn", "not the password")
	if wrong == nil || unknown == nil || wrong.Error() != unknown.Error() {
		t.Errorf("refusals differ: wrong password %v, unknown address %v", wrong, unknown)
	}
}

func TestSessionCookies(t *testing.T) {
	for _, tt := range []struct {
		name   string
		secure bool
		cookie string
	}{
		{"on https the session cookie is Secure, HttpOnly, SameSite=Lax and __Host-", true, "__Host-tm_session"},
		{"on the http demo it is HttpOnly and SameSite=Lax", false, "tm_session"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := newAccounts(t, tt.secure)
			a.person(t, "zhou@example.cn", mustRole(t, account.Body, bodyA, false), "")
			w := httptest.NewRecorder()
			if _, err := a.auth.SignInPassword(w, newBrowser().request("POST", "/signin", url.Values{}), "zhou@example.cn", password); err != nil {
				t.Fatal(err)
			}
			cs := w.Result().Cookies()
			if len(cs) != 1 {
				t.Fatalf("cookies = %v, want the session's", cs)
			}
			c := cs[0]
			if c.Name != tt.cookie || c.Secure != tt.secure || !c.HttpOnly || c.SameSite != nethttp.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
				t.Errorf("cookie = %s secure=%v httponly=%v samesite=%v path=%q domain=%q; want %s secure=%v httponly samesite=Lax path=/ no domain",
					c.Name, c.Secure, c.HttpOnly, c.SameSite, c.Path, c.Domain, tt.cookie, tt.secure)
			}
			fw := httptest.NewRecorder()
			a.auth.FormToken(fw, httptest.NewRequest("GET", "/signin", nil))
			fc := fw.Result().Cookies()
			if len(fc) != 1 || fc[0].Secure != tt.secure || !fc[0].HttpOnly || fc[0].SameSite != nethttp.SameSiteStrictMode {
				t.Errorf("form cookie = %+v, want HttpOnly, SameSite=Strict, Secure %v", fc, tt.secure)
			}
		})
	}
}

func TestSignInStartsANewSession(t *testing.T) {
	a := newAccounts(t, true)
	a.person(t, "wu@example.cn", mustRole(t, account.Regulator, "330000", false), secret)
	b := newBrowser()
	if _, err := a.signIn(b, "wu@example.cn", password); err != nil {
		t.Fatal(err)
	}
	pending := b.cookies["__Host-tm_session"].Value
	if err := a.code(t, b, codeAt(t, now)); err != nil {
		t.Fatal(err)
	}
	full := b.cookies["__Host-tm_session"].Value
	if full == pending {
		t.Fatal("the session token did not change when sign-in completed")
	}
	old := newBrowser()
	old.cookies["__Host-tm_session"] = &nethttp.Cookie{Name: "__Host-tm_session", Value: pending}
	if _, err := a.auth.PendingSignIn(old.request("GET", "/signin/code", nil)); err == nil {
		t.Error("the pending session still works after sign-in completed")
	}
}

func TestSessionLapses(t *testing.T) {
	a := newAccounts(t, true)
	a.person(t, "zheng@example.cn", mustRole(t, account.Body, bodyA, false), "")
	b := newBrowser()
	if _, err := a.signIn(b, "zheng@example.cn", password); err != nil {
		t.Fatal(err)
	}
	a.advance(cheap.Sessions.Idle - time.Minute)
	if _, err := a.whoami(b); err != nil {
		t.Fatalf("session used within the idle limit: %v", err)
	}
	a.advance(cheap.Sessions.Idle - time.Minute)
	if _, err := a.whoami(b); err != nil {
		t.Fatalf("session used again within the idle limit of its last use: %v", err)
	}
	a.advance(cheap.Sessions.Idle)
	_, err := a.whoami(b)
	var e *trustmark.Error
	if !asError(err, &e) || e.Reason != "session.idle" {
		t.Errorf("session after %s idle = %v, want session.idle", cheap.Sessions.Idle, err)
	}
	if _, err := a.whoami(b); !asError(err, &e) || e.Reason != "session.unknown" {
		t.Errorf("the lapsed session again = %v, want it ended (session.unknown)", err)
	}
}

func TestCSRF(t *testing.T) {
	a := newAccounts(t, true)
	a.person(t, "feng@example.cn", mustRole(t, account.Body, bodyA, false), "")
	b := newBrowser()
	if _, err := a.signIn(b, "feng@example.cn", password); err != nil {
		t.Fatal(err)
	}
	c, err := a.whoami(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		form   url.Values
		header map[string]string
		ok     bool
	}{
		{"a post with the session's token is served", url.Values{"csrf": {c.CSRFToken()}}, nil, true},
		{"the token may come in the X-CSRF-Token header", url.Values{}, map[string]string{"X-CSRF-Token": c.CSRFToken()}, true},
		{"a post without the token is refused", url.Values{}, nil, false},
		{"a post with another token is refused", url.Values{"csrf": {"forged"}}, nil, false},
		{"a post from another site is refused even with the token", url.Values{"csrf": {c.CSRFToken()}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, false},
		{"a post whose Origin is another site is refused", url.Values{"csrf": {c.CSRFToken()}}, map[string]string{"Origin": "https://evil.example"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := b.request("POST", "/work/x", tt.form)
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			_, err := a.auth.Resolve(r)
			if tt.ok && err != nil {
				t.Errorf("Resolve = %v, want the caller", err)
			}
			if !tt.ok && trustmark.ErrorCode(err) != trustmark.EForbidden {
				t.Errorf("Resolve = %v, want forbidden", err)
			}
		})
	}
	t.Run("the sign-in form's token is checked against its cookie", func(t *testing.T) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/signin", nil)
		token := a.auth.FormToken(w, r)
		fb := newBrowser()
		fb.keep(w)
		if err := a.auth.CheckFormToken(fb.request("POST", "/signin", url.Values{"csrf": {token}})); err != nil {
			t.Errorf("CheckFormToken(own token) = %v", err)
		}
		if err := a.auth.CheckFormToken(fb.request("POST", "/signin", url.Values{})); trustmark.ErrorCode(err) != trustmark.EForbidden {
			t.Errorf("CheckFormToken(no token) = %v, want forbidden", err)
		}
		if err := a.auth.CheckFormToken(newBrowser().request("POST", "/signin", url.Values{"csrf": {token}})); trustmark.ErrorCode(err) != trustmark.EForbidden {
			t.Errorf("CheckFormToken(token without its cookie) = %v, want forbidden", err)
		}
	})
}

func TestRequireSession(t *testing.T) {
	a := newAccounts(t, true)
	a.person(t, "chen@example.cn", mustRole(t, account.Body, bodyA, false), "")
	h := a.auth.RequireSession(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		fmt.Fprintf(w, "hello %s", tmhttp.CallerOf(r).Party)
	}), func(w nethttp.ResponseWriter, r *nethttp.Request, err error) { tmhttp.Error(w, r, err) })
	serve := func(b *browser, method, target string, form url.Values) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, b.request(method, target, form))
		return w
	}
	t.Run("a page without a session sends the browser to sign in and back", func(t *testing.T) {
		w := serve(newBrowser(), "GET", "/work/matters?state=open", nil)
		if w.Code != nethttp.StatusSeeOther || w.Header().Get("Location") != "/signin?next=%2Fwork%2Fmatters%3Fstate%3Dopen" {
			t.Errorf("GET without a session = %d to %q, want 303 to /signin?next=...", w.Code, w.Header().Get("Location"))
		}
	})
	t.Run("a bearer token does not open the workbench", func(t *testing.T) {
		r := httptest.NewRequest("GET", "/work/", nil)
		r.Header.Set("Authorization", "Bearer "+a.tokenA)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != nethttp.StatusSeeOther {
			t.Errorf("GET with a token = %d, want 303 to sign in", w.Code)
		}
	})
	b := newBrowser()
	if _, err := a.signIn(b, "chen@example.cn", password); err != nil {
		t.Fatal(err)
	}
	t.Run("with a session the page is served, never cached", func(t *testing.T) {
		w := serve(b, "GET", "/work/", nil)
		if w.Code != nethttp.StatusOK || !strings.HasPrefix(w.Body.String(), "hello account:") || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("GET with a session = %d %q (Cache-Control %q)", w.Code, w.Body, w.Header().Get("Cache-Control"))
		}
	})
	t.Run("a post without the CSRF token is refused", func(t *testing.T) {
		if w := serve(b, "POST", "/work/", url.Values{}); w.Code != nethttp.StatusForbidden {
			t.Errorf("POST without a token = %d, want 403", w.Code)
		}
	})
	t.Run("after sign-out the page sends the browser to sign in", func(t *testing.T) {
		c, _ := a.whoami(b)
		w := httptest.NewRecorder()
		if err := a.auth.SignOut(w, b.request("POST", "/signout", url.Values{"csrf": {c.CSRFToken()}})); err != nil {
			t.Fatal(err)
		}
		b.keep(w)
		if len(b.cookies) != 0 {
			t.Errorf("cookies after sign-out = %v, want none", b.cookies)
		}
		if w := serve(b, "GET", "/work/", nil); w.Code != nethttp.StatusSeeOther {
			t.Errorf("GET after sign-out = %d, want 303", w.Code)
		}
	})
}

func TestTokensResolveToPartiesAndAccounts(t *testing.T) {
	a := newAccounts(t, true)
	acct := a.person(t, "he@example.cn", mustRole(t, account.Lab, labA, true), "")
	accountToken, _, err := a.store.IssueToken(context.Background(), account.APIToken{Owner: trustmark.Party{Kind: account.PartyKind, ID: acct.ID}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, token string
		party       string
		role        string
	}{
		{"a body's token acts as the body, with the body's role", a.tokenA, "body:" + bodyA, "body:" + bodyA},
		{"a regulator's token has its region's role", a.tokenR, "regulator:110000", "regulator:110000"},
		{"an account's token acts as the account, with its roles", accountToken, "account:" + acct.ID, "lab:" + labA + " (admin)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/v1/x", nil)
			r.Header.Set("Authorization", "Bearer "+tt.token)
			c, err := a.auth.Resolve(r)
			if err != nil {
				t.Fatal(err)
			}
			if c.Party.String() != tt.party || len(c.Roles) != 1 || c.Roles[0].String() != tt.role {
				t.Errorf("caller = %v with roles %v, want %s with %s", c.Party, c.Roles, tt.party, tt.role)
			}
		})
	}
}

// TestArgonHashesAreBounded checks that no more sign-ins hash at once than
// MaxHashes allows, and that one waiting past HashWait is told to retry.
func TestArgonHashesAreBounded(t *testing.T) {
	a := &accounts{fixture: newFixture(t), at: now, rnd: rand.NewChaCha8([32]byte{1})}
	slow := cheap
	slow.Hash = account.Params{Memory: 8 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
	a.auth = tmhttp.NewAuth(tmhttp.AuthConfig{Tokens: a.store, Accounts: a.store, Rules: slow, Clock: a.clock,
		MaxHashes: 1, HashWait: time.Nanosecond})
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = a.signIn(newBrowser(), fmt.Sprintf("u%d@example.cn", i), "whatever password") })
	}
	wg.Wait()
	busy := 0
	for _, err := range errs {
		var e *trustmark.Error
		if asError(err, &e) && e.Reason == "signin.busy" {
			busy++
			if e.Code != trustmark.EUnavailable {
				t.Errorf("busy refusal code = %s, want unavailable", e.Code)
			}
		}
	}
	if busy == 0 {
		t.Errorf("8 sign-ins at once with room for 1 hash and no wait: none was told the server is busy (%v)", errs)
	}
}
