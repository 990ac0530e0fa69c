package http

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	nethttp "net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"trustmark"
	"trustmark/account"
)

// Single sign-on through OpenID Connect, for bureaus that have an identity
// provider: the authorization code flow with PKCE (RFC 7636), the state and
// the nonce. The flow keeps nothing on the server: a cookie holds a random
// key, and the state, the nonce and the PKCE verifier are HMACs of it, so
// that only the browser that started a flow can finish it. The ID token is
// verified by github.com/coreos/go-oidc (signature by the provider's
// published keys, issuer, audience, expiry); the person is the account of
// its verified e-mail address, and package account decides what follows
// (SignInExternal: a regulator still needs two factors).

// OIDCConfig configures single sign-on.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL; its discovery document is at
	// Issuer/.well-known/openid-configuration.
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is this site's callback as registered with the provider:
	// the site's public address and OIDCCallbackPath.
	RedirectURL string
	// Name is what the sign-in page calls the provider ("浙江政务服务网").
	Name string
	// Client makes the requests to the provider (default: a client with a
	// 10-second timeout).
	Client *nethttp.Client
}

// The paths of single sign-on.
const (
	OIDCStartPath    = "/signin/oidc"
	OIDCCallbackPath = "/signin/oidc/callback"
)

// OIDC is single sign-on through one provider. It discovers the provider
// on first use, and again after a failure, so that a provider down when
// the server starts does not keep it from starting.
type OIDC struct {
	cfg      OIDCConfig
	mu       sync.Mutex
	provider *oidc.Provider
}

// NewOIDC returns single sign-on through the provider of cfg.
func NewOIDC(cfg OIDCConfig) *OIDC {
	if cfg.Client == nil {
		cfg.Client = &nethttp.Client{Timeout: 10 * time.Second}
	}
	return &OIDC{cfg: cfg}
}

// Name is what the sign-in page calls the provider.
func (o *OIDC) Name() string { return o.cfg.Name }

// endpoints returns the provider's OAuth 2.0 client and ID token verifier,
// discovering the provider when it was not yet.
func (o *OIDC) endpoints(ctx context.Context) (oauth2.Config, *oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider == nil {
		p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.cfg.Client), o.cfg.Issuer)
		if err != nil {
			return oauth2.Config{}, nil, &trustmark.Error{Code: trustmark.EUnavailable, Reason: "oidc.unavailable",
				Message: "the identity provider does not answer; sign in with your password, or try again later", Err: err}
		}
		o.provider = p
	}
	oc := oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: o.provider.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
	return oc, o.provider.Verifier(&oidc.Config{ClientID: o.cfg.ClientID}), nil
}

// oidcFlowTTL is how long a person has at the provider.
const oidcFlowTTL = 10 * time.Minute

// OIDCName is what the sign-in page calls the provider, "" without single
// sign-on.
func (a *Auth) OIDCName() string {
	if a.cfg.OIDC == nil || a.cfg.Accounts == nil {
		return ""
	}
	return a.cfg.OIDC.Name()
}

// flowSecrets are the state, nonce and PKCE verifier of the flow of key.
func flowSecrets(key []byte) (state, nonce, verifier string) {
	derive := func(label string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte("trustmark oidc " + label))
		return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}
	return derive("state"), derive("nonce"), derive("pkce")
}

// StartOIDC sends the browser to the provider, to come back to next (a
// local path) once signed in.
func (a *Auth) StartOIDC(w nethttp.ResponseWriter, r *nethttp.Request, next string) error {
	if a.OIDCName() == "" {
		return trustmark.Errorf(trustmark.ENotFound, "", "this server has no single sign-on")
	}
	oc, _, err := a.cfg.OIDC.endpoints(r.Context())
	if err != nil {
		return err
	}
	key := make([]byte, 32)
	rand.Read(key)
	if p, ok := LocalPath(next); ok {
		next = p
	} else {
		next = HomePath
	}
	nethttp.SetCookie(w, &nethttp.Cookie{Name: a.oidcCookie(), Path: "/", MaxAge: int(oidcFlowTTL / time.Second),
		Value:    base64.RawURLEncoding.EncodeToString(key) + "." + base64.RawURLEncoding.EncodeToString([]byte(next)),
		HttpOnly: true, Secure: a.cfg.Secure, SameSite: nethttp.SameSiteLaxMode}) // Lax: the provider sends the browser back
	state, nonce, verifier := flowSecrets(key)
	nethttp.Redirect(w, r, oc.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nethttp.StatusSeeOther)
	return nil
}

func (a *Auth) oidcCookie() string {
	if a.cfg.Secure {
		return "__Host-tm_oidc"
	}
	return "tm_oidc"
}

// oidcFlow reads the flow's cookie: its key and where it comes back to.
func (a *Auth) oidcFlow(r *nethttp.Request) (key []byte, next string, err error) {
	stale := trustmark.Reasonf(trustmark.EUnauthorized, "oidc.state", "", "this sign-in through the identity provider was not started here, or took too long; please start again")
	c, err := r.Cookie(a.oidcCookie())
	if err != nil {
		return nil, "", stale
	}
	k, n, ok := strings.Cut(c.Value, ".")
	key, err1 := base64.RawURLEncoding.DecodeString(k)
	nb, err2 := base64.RawURLEncoding.DecodeString(n)
	if !ok || err1 != nil || err2 != nil || len(key) != 32 {
		return nil, "", stale
	}
	if next, ok = LocalPath(string(nb)); !ok {
		next = HomePath
	}
	return key, next, nil
}

// oidcClaims are the claims of an ID token Trustmark reads.
type oidcClaims struct {
	Email         string   `json:"email"`
	EmailVerified bool     `json:"email_verified"`
	AMR           []string `json:"amr"`
}

// FinishOIDC completes single sign-on at the callback: it checks the state,
// exchanges the code (with the PKCE verifier), verifies the ID token and
// its nonce, and signs in the account of its verified e-mail address as
// account.Rules.SignInExternal decides. It returns what comes next and
// where the sign-in goes back to.
func (a *Auth) FinishOIDC(w nethttp.ResponseWriter, r *nethttp.Request) (account.Next, string, error) {
	if a.OIDCName() == "" {
		return "", "", trustmark.Errorf(trustmark.ENotFound, "", "this server has no single sign-on")
	}
	key, next, err := a.oidcFlow(r)
	if err != nil {
		return "", "", err
	}
	nethttp.SetCookie(w, &nethttp.Cookie{Name: a.oidcCookie(), Path: "/", MaxAge: -1, HttpOnly: true, Secure: a.cfg.Secure, SameSite: nethttp.SameSiteLaxMode})
	state, nonce, verifier := flowSecrets(key)
	q := r.URL.Query()
	if q.Get("error") != "" {
		return "", "", trustmark.Reasonf(trustmark.EUnauthorized, "oidc.refused", "", "the identity provider did not sign you in; sign in with your password, or ask your administrator")
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1 {
		return "", "", trustmark.Reasonf(trustmark.EUnauthorized, "oidc.state", "", "this sign-in through the identity provider was not started here, or took too long; please start again")
	}
	client := a.cfg.OIDC.cfg.Client
	ctx := context.WithValue(oidc.ClientContext(r.Context(), client), oauth2.HTTPClient, client)
	oc, verify, err := a.cfg.OIDC.endpoints(ctx)
	if err != nil {
		return "", "", err
	}
	failed := func(err error) error {
		return &trustmark.Error{Code: trustmark.EUnauthorized, Reason: "oidc.failed",
			Message: "the identity provider's answer could not be verified; please start again", Err: err}
	}
	tok, err := oc.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return "", "", failed(fmt.Errorf("exchange the code: %w", err))
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := verify.Verify(ctx, raw)
	if err != nil {
		return "", "", failed(fmt.Errorf("verify the ID token: %w", err))
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return "", "", failed(fmt.Errorf("the ID token's nonce is not the flow's"))
	}
	var claims oidcClaims
	if err := idt.Claims(&claims); err != nil {
		return "", "", failed(fmt.Errorf("read the ID token's claims: %w", err))
	}
	email, err := account.ParseEmail(claims.Email)
	if err != nil || !claims.EmailVerified {
		return "", "", trustmark.Reasonf(trustmark.EUnauthorized, "oidc.email", "", "the identity provider vouches for no verified e-mail address; sign in with your password")
	}
	n, err := a.signInExternal(w, r, email, account.External{Provider: idt.Issuer, MFA: account.MultiFactor(claims.AMR)})
	return n, next, err
}

// signInExternal signs in the account of email, which a provider vouched
// for, as the password step would.
func (a *Auth) signInExternal(w nethttp.ResponseWriter, r *nethttp.Request, email account.Email, x account.External) (account.Next, error) {
	ctx, now := r.Context(), a.cfg.Clock()
	acct, err := a.cfg.Accounts.AccountByEmail(ctx, email)
	if trustmark.IsNotFound(err) {
		return "", trustmark.Reasonf(trustmark.EForbidden, "oidc.no_account", "", "%s has no account here; ask your administrator for one", email)
	}
	if err != nil {
		return "", err
	}
	return a.signIn(w, r, acct, now, func(c account.Credentials) (account.Credentials, account.Next, []account.Event, error) {
		return a.cfg.Rules.SignInExternal(acct, c, x, now)
	})
}
