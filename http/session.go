package http

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	nethttp "net/http"
	"net/url"
	"strings"
	"time"

	"trustmark"
	"trustmark/account"
)

// Sessions of the pages: a cookie holds the session's token, the store its
// hash (account.Session). Cookies are HttpOnly (no script reads them),
// SameSite=Lax (no other site's form or script sends them; a link from an
// e-mail still opens the workbench signed in) and, on every real
// deployment, Secure with the __Host- prefix (only https sets and sends
// them, and no subdomain can plant one).
//
// Forms carry a CSRF token besides: in a session, an HMAC of the session's
// token; before one (the sign-in and link forms), an HMAC of a random form
// cookie (SameSite=Strict). Neither is stored: the server derives it from
// the cookie the browser sends, and a page without the cookie cannot know
// it. Every post is also checked with the standard library's
// CrossOriginProtection (Sec-Fetch-Site, Origin), which refuses a
// cross-origin post even where cookies would be sent.

// touchEvery is how stale a session's recorded last use may be: a request
// within a minute of the last recorded one does not write it again. The
// idle limit is thirty minutes, so sessions end at most a minute early.
const touchEvery = time.Minute

// csrfField is the form field, and csrfHeader the header, of CSRF tokens.
const (
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

// sessionToken returns the session cookie's value, if r has one.
func (a *Auth) sessionToken(r *nethttp.Request) (string, bool) {
	c, err := r.Cookie(a.sessionCookie)
	if err != nil || c.Value == "" {
		return "", false
	}
	return c.Value, true
}

// parseSessionCookie returns the hash of r's session, or why there is
// none. It reads outside input: the fuzz test feeds it any Cookie header.
func (a *Auth) parseSessionCookie(r *nethttp.Request) (token, hash string, err error) {
	token, ok := a.sessionToken(r)
	if !ok {
		return "", "", trustmark.Reasonf(trustmark.EUnauthorized, "session.none", "", "please sign in")
	}
	if hash, err = account.ParseSessionToken(token); err != nil {
		return "", "", trustmark.Reasonf(trustmark.EUnauthorized, "session.unknown", "", "this session has ended; please sign in")
	}
	return token, hash, nil
}

// session returns r's session if it is at stage and still running (the
// session policy's decision), recording its use. A session that has run out
// is ended.
func (a *Auth) session(r *nethttp.Request, stage account.Stage) (string, account.SessionRecord, error) {
	if a.cfg.Accounts == nil {
		return "", account.SessionRecord{}, trustmark.Reasonf(trustmark.EUnauthorized, "session.none", "", "this server has no accounts")
	}
	token, hash, err := a.parseSessionCookie(r)
	if err != nil {
		return "", account.SessionRecord{}, err
	}
	ctx := r.Context()
	rec, err := a.cfg.Accounts.Session(ctx, hash)
	if trustmark.IsNotFound(err) {
		return "", rec, trustmark.Reasonf(trustmark.EUnauthorized, "session.unknown", "", "this session has ended; please sign in")
	}
	if err != nil {
		return "", rec, err
	}
	if rec.Stage != stage {
		return "", rec, trustmark.Reasonf(trustmark.EUnauthorized, "session.stage", "", "please finish signing in first")
	}
	now := a.cfg.Clock()
	used, err := a.cfg.Rules.Sessions.Use(rec.Session, now)
	if err != nil {
		ev := account.Event{Kind: account.EventSessionEnded, Account: rec.Account, At: now, Detail: reasonKey(err)}
		if aerr := a.cfg.Accounts.Apply(ctx, account.Change{EndSessions: []string{hash}, Events: []account.Event{ev}, Client: a.cfg.ClientKey(r)}); aerr != nil {
			return "", rec, aerr
		}
		return "", rec, err
	}
	if used.LastSeen.Sub(rec.LastSeen) >= touchEvery {
		if err := a.cfg.Accounts.TouchSession(ctx, hash, used.LastSeen); err != nil {
			return "", rec, err
		}
	}
	rec.Session = used
	return token, rec, nil
}

// sessionCaller resolves r's full session to its account and roles, and
// checks the CSRF token of an unsafe request.
func (a *Auth) sessionCaller(r *nethttp.Request) (*Caller, error) {
	token, rec, err := a.session(r, account.StageFull)
	if err != nil {
		return nil, err
	}
	acct, err := a.cfg.Accounts.Account(r.Context(), rec.Account)
	if err != nil {
		return nil, err
	}
	if acct.Disabled {
		return nil, trustmark.Reasonf(trustmark.EUnauthorized, "signin.disabled", "", "this account is disabled; ask your administrator")
	}
	c := &Caller{Party: trustmark.Party{Kind: account.PartyKind, ID: acct.ID}, Account: &acct, Roles: acct.Roles,
		session: rec.Hash, csrf: csrfToken(token)}
	if !safeMethod(r.Method) {
		if err := a.checkCSRF(r, c.csrf); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func safeMethod(m string) bool {
	return m == nethttp.MethodGet || m == nethttp.MethodHead || m == nethttp.MethodOptions
}

// csrfToken derives the CSRF token of a cookie's secret value.
func csrfToken(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("trustmark csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses a cross-origin post, and one whose token (field csrf
// or header X-CSRF-Token) is not want.
func (a *Auth) checkCSRF(r *nethttp.Request, want string) error {
	if err := a.origin.Check(r); err != nil {
		return trustmark.Reasonf(trustmark.EForbidden, "csrf.origin", "", "this form was sent from another site; open the page here and send it again")
	}
	got := r.Header.Get(csrfHeader)
	if got == "" {
		if err := readForm(r); err != nil {
			return err
		}
		got = r.PostForm.Get(csrfField)
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return trustmark.Reasonf(trustmark.EForbidden, "csrf.token", "", "this form has expired or was not sent from this site; open the page again and send it again")
	}
	return nil
}

// maxFormMemory bounds the memory a posted form takes while it is read:
// a multipart form's files beyond it wait in temporary files (removed when
// the request has been answered, RequireSession), so a form of photos
// costs its request a fixed amount of memory whatever its size.
const maxFormMemory = 64 << 10

// readForm reads r's posted form, within the body's limit (the server's,
// or the route's: WithBodyLimit). A body over the limit is refused as too
// large, naming the limit, rather than read as a form without its token;
// any other unreadable form is left empty, and so refused for its token.
func readForm(r *nethttp.Request) error {
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		err = r.ParseMultipartForm(maxFormMemory)
	} else {
		err = r.ParseForm()
	}
	var tooLarge *nethttp.MaxBytesError
	if errors.As(err, &tooLarge) {
		return FormTooLarge(tooLarge.Limit)
	}
	if r.PostForm == nil {
		r.PostForm = url.Values{}
	}
	return nil
}

// FormTooLarge is the refusal of a posted form over limit bytes: 413, its
// reason (form.too_large) naming the limit in megabytes.
func FormTooLarge(limit int64) error {
	mb := float64(limit) / (1 << 20)
	return &trustmark.Error{Code: trustmark.ETooLarge, Reason: "form.too_large", Args: []any{mb},
		Message: fmt.Sprintf("the form is larger than the %.1f MB allowed; send it again with fewer or smaller files", mb)}
}

// WithBodyLimit serves next with a body limit of n bytes in place of the
// server's (Config.MaxBodyBytes), for a route that takes larger bodies (a
// check-in's photos). Put it outside anything that reads the body, such as
// RequireSession's CSRF check. Outside a Server it bounds the body to n.
func WithBodyLimit(n int64, next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		body := r.Body
		if info := infoOf(r); info != nil && info.body != nil {
			body = info.body
		}
		if body != nil && body != nethttp.NoBody {
			r.Body = nethttp.MaxBytesReader(w, body, n)
		}
		next.ServeHTTP(w, r)
	})
}

// FormToken returns the CSRF token of the forms shown before a session
// (sign-in, one-time link), setting the form cookie it derives from when r
// has none.
func (a *Auth) FormToken(w nethttp.ResponseWriter, r *nethttp.Request) string {
	if c, err := r.Cookie(a.formCookie); err == nil && len(c.Value) >= 32 {
		return csrfToken(c.Value)
	}
	var b [32]byte
	rand.Read(b[:])
	v := base64.RawURLEncoding.EncodeToString(b[:])
	nethttp.SetCookie(w, &nethttp.Cookie{Name: a.formCookie, Value: v, Path: "/", HttpOnly: true, Secure: a.cfg.Secure, SameSite: nethttp.SameSiteStrictMode})
	return csrfToken(v)
}

// CheckFormToken refuses a post of a form shown before a session whose CSRF
// token does not match the form cookie.
func (a *Auth) CheckFormToken(r *nethttp.Request) error {
	c, err := r.Cookie(a.formCookie)
	if err != nil || len(c.Value) < 32 {
		return a.checkCSRF(r, "")
	}
	return a.checkCSRF(r, csrfToken(c.Value))
}

// setSession gives the browser the cookie of a new session.
func (a *Auth) setSession(w nethttp.ResponseWriter, token string) {
	nethttp.SetCookie(w, &nethttp.Cookie{Name: a.sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: a.cfg.Secure, SameSite: nethttp.SameSiteLaxMode})
}

// clearSession tells the browser to forget its session cookie.
func (a *Auth) clearSession(w nethttp.ResponseWriter) {
	nethttp.SetCookie(w, &nethttp.Cookie{Name: a.sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: a.cfg.Secure, SameSite: nethttp.SameSiteLaxMode})
}

// RequireSession serves next only to a request with a full session, whose
// caller it puts in the context (CallerOf); answers are never cached. A
// request without one (none, ended, unfinished) is sent to the sign-in page
// with this page to come back to; any other refusal (a post without its
// CSRF token) goes to refuse.
func (a *Auth) RequireSession(next nethttp.Handler, refuse func(nethttp.ResponseWriter, *nethttp.Request, error)) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		w.Header().Set("Cache-Control", "no-store")
		defer removeForm(r)
		c, err := a.sessionCaller(r)
		if err != nil {
			if trustmark.ErrorCode(err) == trustmark.EUnauthorized {
				a.clearSessionIfEnded(w, r, err)
				back := r.URL.RequestURI()
				if !safeMethod(r.Method) {
					back = r.URL.Path
				}
				nethttp.Redirect(w, r, SignInURL(back, r.URL.Query().Get("lang")), nethttp.StatusSeeOther)
				return
			}
			refuse(w, r, err)
			return
		}
		if info := infoOf(r); info != nil {
			info.actor = c.Party.String()
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
}

// removeForm removes the temporary files of r's multipart form, if the
// CSRF check read one (the server removes only those of the request it
// made, not of a copy a middleware made).
func removeForm(r *nethttp.Request) {
	if r.MultipartForm != nil {
		r.MultipartForm.RemoveAll()
	}
}

// clearSessionIfEnded drops the cookie of a session that is gone, so the
// browser stops sending it.
func (a *Auth) clearSessionIfEnded(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	if _, ok := a.sessionToken(r); ok && reasonKey(err) != "session.stage" {
		a.clearSession(w)
	}
}

// SignInURL returns the sign-in page's address that comes back to next (a
// local path; anything else is dropped) in language lang ("" for the
// default).
func SignInURL(next, lang string) string {
	q := url.Values{}
	if p, ok := LocalPath(next); ok && p != HomePath {
		q.Set("next", p)
	}
	if lang == "en" || lang == "zh" {
		q.Set("lang", lang)
	}
	if len(q) == 0 {
		return SignInPath
	}
	return SignInPath + "?" + q.Encode()
}

// The pages of accounts.
const (
	SignInPath = "/signin"
	HomePath   = "/work/"
)

// maxNextBytes bounds the address a sign-in comes back to.
const maxNextBytes = 1024

// LocalPath returns s when it is a path on this site that a sign-in may go
// back to, and false for anything that could lead elsewhere: another
// scheme or host ("https://x", "//x", "/\x", which browsers read as
// "//x"), control characters, or an overlong address. It reads outside
// input (the next parameter): the fuzz test holds it to that.
func LocalPath(s string) (string, bool) {
	if s == "" || len(s) > maxNextBytes || s[0] != '/' || strings.HasPrefix(s, "//") ||
		strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "", false
	}
	return s, true
}

// reasonKey is the reason key of err, "" when it has none.
func reasonKey(err error) string {
	var e *trustmark.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}
