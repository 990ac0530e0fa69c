package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"trustmark"
	"trustmark/account"
	thttp "trustmark/http"
)

// The sign-in pages: /signin (e-mail address and password), /signin/code
// (the second factor, or the setting up of one), /signin/link/{token} (a
// one-time link: choose a password) and POST /signout. They translate
// forms into the calls of the server's one authentication path
// (thttp.Auth) and its outcomes into pages; package account decides.

// maxFormBytes bounds a sign-in form: an address, a password of at most
// 1,024 bytes and a few tokens.
const maxFormBytes = 16 << 10

// registerAccounts adds the sign-in pages and the workbench.
func (h *Handler) registerAccounts() {
	h.mux.HandleFunc("GET /signin", h.signInForm)
	h.mux.HandleFunc("POST /signin", h.signIn)
	h.mux.HandleFunc("GET /signin/code", h.codeForm)
	h.mux.HandleFunc("POST /signin/code", h.code)
	h.mux.HandleFunc("GET /signin/link/{token}", h.linkForm)
	h.mux.HandleFunc("POST /signin/link/{token}", h.link)
	h.mux.HandleFunc("POST /signout", h.signOut)
	h.mux.HandleFunc("GET "+thttp.OIDCStartPath, h.startSSO)
	h.mux.HandleFunc("GET "+thttp.OIDCCallbackPath, h.finishSSO)
	// A post the session layer refuses for another reason than a missing
	// session (its CSRF token) is answered as any refusal of a page.
	h.mux.Handle("/work/", h.cfg.Auth.RequireSession(h.workMux(), h.fail))
}

// SignInPage is the form of /signin.
type SignInPage struct {
	Page
	CSRF, Email, Next string
	Error, Notice     string
	// SSO names the bureau's identity provider when the server signs in
	// through one ("" otherwise); SSOURL starts it.
	SSO, SSOURL string
}

// signInPage starts the sign-in page, coming back to next.
func (h *Handler) signInPage(w http.ResponseWriter, r *http.Request, next string) SignInPage {
	p := SignInPage{Page: h.accountPage(w, r, func(m *Messages) string { return m.Accounts.SignInTitle }), Next: next}
	if p.SSO = h.cfg.Auth.OIDCName(); p.SSO != "" {
		p.SSOURL = p.Link(thttp.OIDCStartPath + "?next=" + url.QueryEscape(next))
	}
	return p
}

// CodePage is the form of /signin/code: a code, and while an app is set
// up, its QR code and key.
type CodePage struct {
	Page
	CSRF, Next, Error string
	Enrol             bool
	QR                template.URL
	Secret            string // in groups of four, as apps show keys
	Email             string
}

// LinkPage is the form of /signin/link/{token}.
type LinkPage struct {
	Page
	CSRF, Error, Email string
	// SecondFactor is what follows the password (thttp.LinkInfo).
	SecondFactor string
	Usable       bool
}

// accountPage starts a page of the sign-in flow: never cached, never
// indexed, and not telling other sites where it came from (a link page's
// address is a secret).
func (h *Handler) accountPage(w http.ResponseWriter, r *http.Request, title func(*Messages) string) Page {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	p := h.newPage(r, "")
	p.Title, p.Robots = title(p.T), "noindex"
	return p
}

// nextOf is where a sign-in goes back to: the next parameter of r when it
// is a local path (thttp.LocalPath), else the workbench's home.
func nextOf(r *http.Request) string {
	if p, ok := thttp.LocalPath(r.FormValue("next")); ok {
		return p
	}
	return thttp.HomePath
}

// readForm parses a posted form of at most maxFormBytes.
func readForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return trustmark.Errorf(trustmark.ETooLarge, "", "the form is larger than %d bytes or unreadable", maxFormBytes)
	}
	return nil
}

func (h *Handler) signInForm(w http.ResponseWriter, r *http.Request) {
	p := h.signInPage(w, r, nextOf(r))
	if _, err := h.cfg.Auth.Resolve(r); err == nil && r.Header.Get("Authorization") == "" {
		h.redirect(w, r, &p.Page, p.Next) // signed in already
		return
	}
	if r.URL.Query().Has("signedout") {
		p.Notice = p.T.Accounts.SignedOut
	}
	p.CSRF = h.cfg.Auth.FormToken(w, r)
	h.render(w, r, http.StatusOK, "signin", &p)
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	err := readForm(w, r)
	if err == nil {
		err = h.cfg.Auth.CheckFormToken(r)
	}
	p := h.signInPage(w, r, nextOf(r))
	p.Email = strings.TrimSpace(r.PostFormValue("email"))
	var next account.Next
	if err == nil {
		next, err = h.cfg.Auth.SignInPassword(w, r, p.Email, r.PostFormValue("password"))
	}
	if err != nil {
		p.Error, p.CSRF = p.T.Reason(err), h.cfg.Auth.FormToken(w, r)
		h.renderRefusal(w, r, err, "signin", &p)
		return
	}
	if next == account.NextDone {
		h.redirect(w, r, &p.Page, p.Next)
		return
	}
	h.redirect(w, r, &p.Page, "/signin/code?next="+url.QueryEscape(p.Next))
}

// renderRefusal shows a form again with the refusal err, under the status
// of its code; an internal error is logged and shown as such.
func (h *Handler) renderRefusal(w http.ResponseWriter, r *http.Request, err error, name string, data any) {
	status := thttp.StatusCode(trustmark.ErrorCode(err))
	if status >= 500 {
		if status == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "5")
		} else {
			h.cfg.Logger.Error("sign-in failed", "path", r.URL.Path, "err", err)
		}
	}
	h.render(w, r, status, name, data)
}

func (h *Handler) codePage(w http.ResponseWriter, r *http.Request) (CodePage, thttp.Pending, error) {
	p := CodePage{Page: h.accountPage(w, r, func(m *Messages) string { return m.Accounts.CodeTitle }), Next: nextOf(r)}
	pending, err := h.cfg.Auth.PendingSignIn(r)
	if err != nil {
		return p, pending, err
	}
	p.CSRF, p.Enrol, p.Email = pending.CSRF, pending.Enrol, string(pending.Account.Email)
	if p.Enrol {
		p.Title = p.T.Accounts.EnrolTitle
		png, err := qrPNG(pending.URI)
		if err != nil {
			return p, pending, err
		}
		p.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		p.Secret = groups(pending.Secret, 4)
	}
	return p, pending, nil
}

// groups writes s in groups of n characters, as authenticator apps show
// keys, so that a person typing one keeps their place.
func groups(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+n, len(s))])
	}
	return b.String()
}

func (h *Handler) codeForm(w http.ResponseWriter, r *http.Request) {
	p, _, err := h.codePage(w, r)
	if err != nil {
		h.restartSignIn(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "signin_code", &p)
}

func (h *Handler) code(w http.ResponseWriter, r *http.Request) {
	if err := readForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	err := h.cfg.Auth.SignInCode(w, r, r.PostFormValue("code"))
	if err == nil {
		p := h.newPage(r, "")
		h.redirect(w, r, &p, nextOf(r))
		return
	}
	p, _, perr := h.codePage(w, r)
	if perr != nil {
		h.restartSignIn(w, r, err)
		return
	}
	p.Error = p.T.Reason(err)
	h.renderRefusal(w, r, err, "signin_code", &p)
}

// restartSignIn shows the sign-in form with why the sign-in in progress
// cannot go on (it took too long, the session ended).
func (h *Handler) restartSignIn(w http.ResponseWriter, r *http.Request, err error) {
	switch trustmark.ErrorCode(err) {
	case trustmark.EUnauthorized, trustmark.ERateLimited, trustmark.EForbidden, trustmark.EUnavailable:
	default:
		h.fail(w, r, err)
		return
	}
	p := h.signInPage(w, r, nextOf(r))
	p.Error, p.CSRF = p.T.Reason(err), h.cfg.Auth.FormToken(w, r)
	h.render(w, r, thttp.StatusCode(trustmark.ErrorCode(err)), "signin", &p)
}

// startSSO sends the browser to the bureau's identity provider.
func (h *Handler) startSSO(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if err := h.cfg.Auth.StartOIDC(w, r, nextOf(r)); err != nil {
		h.restartSignIn(w, r, err)
	}
}

// finishSSO is where the identity provider sends the browser back.
func (h *Handler) finishSSO(w http.ResponseWriter, r *http.Request) {
	next, to, err := h.cfg.Auth.FinishOIDC(w, r)
	if err != nil {
		if trustmark.ErrorCode(err) == trustmark.EInternal || trustmark.ErrorCode(err) == trustmark.EUnavailable {
			h.cfg.Logger.Warn("single sign-on failed", "err", err)
		}
		h.restartSignIn(w, r, err)
		return
	}
	p := h.newPage(r, "")
	if next == account.NextDone {
		h.redirect(w, r, &p, to)
		return
	}
	h.redirect(w, r, &p, "/signin/code?next="+url.QueryEscape(to))
}

func (h *Handler) linkPage(w http.ResponseWriter, r *http.Request) (LinkPage, error) {
	p := LinkPage{Page: h.accountPage(w, r, func(m *Messages) string { return m.Accounts.LinkTitle })}
	info, err := h.cfg.Auth.PeekLink(r.Context(), r.PathValue("token"))
	if err != nil {
		p.Title = p.T.Accounts.LinkInvalid
		return p, err
	}
	p.Usable, p.Email, p.SecondFactor = true, string(info.Account.Email), info.SecondFactor
	p.CSRF = h.cfg.Auth.FormToken(w, r)
	return p, nil
}

func (h *Handler) linkForm(w http.ResponseWriter, r *http.Request) {
	p, err := h.linkPage(w, r)
	if err != nil {
		p.Error = p.T.Reason(err)
		h.renderRefusal(w, r, err, "signin_link", &p)
		return
	}
	h.render(w, r, http.StatusOK, "signin_link", &p)
}

func (h *Handler) link(w http.ResponseWriter, r *http.Request) {
	err := readForm(w, r)
	if err == nil {
		err = h.cfg.Auth.CheckFormToken(r)
	}
	pw := r.PostFormValue("password")
	if err == nil && pw != r.PostFormValue("confirm") {
		err = trustmark.Reasonf(trustmark.EInvalid, "password.differ", "confirm", "the two passwords differ")
	}
	var next account.Next
	if err == nil {
		next, err = h.cfg.Auth.RedeemLink(w, r, r.PathValue("token"), pw, r.PostFormValue("totp") != "")
	}
	if err == nil {
		p := h.newPage(r, "")
		if next == account.NextDone {
			h.redirect(w, r, &p, thttp.HomePath)
		} else {
			h.redirect(w, r, &p, "/signin/code")
		}
		return
	}
	p, perr := h.linkPage(w, r)
	if perr != nil {
		err = perr
	}
	p.Error = p.T.Reason(err)
	h.renderRefusal(w, r, err, "signin_link", &p)
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	if err := readForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.cfg.Auth.SignOut(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.newPage(r, "")
	h.redirect(w, r, &p, thttp.SignInPath+"?signedout=1")
}
