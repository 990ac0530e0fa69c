package http

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	nethttp "net/http"
	"strings"
	"time"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
)

// Authentication: the one path by which every request, of the JSON API and
// of the pages, finds out who is calling (Auth.Resolve). A bearer token
// names a party, or an account that acts with its roles; a session cookie
// names an account that signed in on the pages. What the caller may then
// do is decided by access.Decide, nowhere else.

// TokenAuthenticator resolves an API token to its owner
// (trustmark.Store.Authenticate).
type TokenAuthenticator interface {
	Authenticate(ctx context.Context, token string) (trustmark.Party, error)
}

// AuthConfig configures an Auth.
type AuthConfig struct {
	// Tokens resolves API tokens. Required.
	Tokens TokenAuthenticator
	// Accounts keeps accounts and sessions; nil means the server has no
	// accounts: only parties' API tokens authenticate.
	Accounts account.Store
	// Rules are the sign-in rules; zero means account.Default.
	Rules account.Rules
	// Secure marks cookies Secure and gives them the __Host- prefix, which
	// browsers accept only from https and never let a subdomain set. Every
	// deployment sets it; only a server on plain http://127.0.0.1 for the
	// demo leaves it off (cmd/trustmark decides, docs/ACCOUNTS.md).
	Secure bool
	// TrustedOrigins are origins other than the request's own host that may
	// post forms (the site's public address behind a proxy).
	TrustedOrigins []string
	// MaxHashes bounds the argon2 hashes computed at once (64 MiB each
	// under account.RFC9106); default DefaultMaxHashes. HashWait is how
	// long a sign-in waits for its turn before it is told to try again
	// (default 10 s).
	MaxHashes int
	HashWait  time.Duration
	// OIDC, when set, signs people in through a bureau's identity provider
	// as well (oidc.go).
	OIDC *OIDC
	// Issuer names the site in authenticator apps (default "Trustmark").
	Issuer string
	// ClientKey names a request's client for the security log (default
	// its connection's address; the server passes the rate limiter's,
	// which believes trusted proxies).
	ClientKey func(*nethttp.Request) string
	Clock     trustmark.Clock
	Rand      io.Reader // default crypto/rand
	Logger    *slog.Logger
}

// DefaultMaxHashes is how many sign-ins hash a password at once: 256 MiB
// of argon2 memory under account.RFC9106.
const DefaultMaxHashes = 4

// Auth authenticates requests, keeps sessions and their cookies, checks
// CSRF tokens and takes people through sign-in. It is safe for concurrent
// use.
type Auth struct {
	cfg           AuthConfig
	gate          chan struct{}
	origin        *nethttp.CrossOriginProtection
	sessionCookie string
	formCookie    string
}

// NewAuth returns an Auth for cfg.
func NewAuth(cfg AuthConfig) *Auth {
	if cfg.Rules.Hash.Memory == 0 {
		cfg.Rules = account.Default
	}
	if cfg.MaxHashes <= 0 {
		cfg.MaxHashes = DefaultMaxHashes
	}
	if cfg.HashWait <= 0 {
		cfg.HashWait = 10 * time.Second
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "Trustmark"
	}
	if cfg.ClientKey == nil {
		cfg.ClientKey = func(r *nethttp.Request) string { return r.RemoteAddr }
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	a := &Auth{cfg: cfg, gate: make(chan struct{}, cfg.MaxHashes), origin: nethttp.NewCrossOriginProtection(),
		sessionCookie: "tm_session", formCookie: "tm_form"}
	if cfg.Secure {
		a.sessionCookie, a.formCookie = "__Host-tm_session", "__Host-tm_form"
	}
	for _, o := range cfg.TrustedOrigins {
		if err := a.origin.AddTrustedOrigin(o); err != nil {
			cfg.Logger.Warn("auth: trusted origin ignored", "origin", o, "err", err)
		}
	}
	return a
}

// Accounts reports whether the server has accounts (sign-in and the
// workbench).
func (a *Auth) Accounts() bool { return a.cfg.Accounts != nil }

// Caller is who makes a request.
type Caller struct {
	// Party is who acts, in the terms of events and logs: the token's
	// party, or account:ID for a person.
	Party trustmark.Party
	// Account is the person, for an account's token or session; nil for a
	// party's token.
	Account *account.Account
	// Roles are what the caller may act as: the account's roles, or the
	// role a party's token stands for.
	Roles []account.Role

	session string // the session's hash, "" for a token
	csrf    string // the session's CSRF token, "" for a token
}

// Decide returns the first of the caller's roles that may take action on
// target, or the refusal (access.DecideAny).
func (c *Caller) Decide(action access.Action, target access.Target) (account.Role, access.Rule, error) {
	return access.DecideAny(c.Roles, action, target)
}

// CSRFToken returns the token every form posted in the caller's session
// must carry (field "csrf", or the X-CSRF-Token header); "" for a token.
func (c *Caller) CSRFToken() string { return c.csrf }

// partyKinds are the kinds of role a party's API token stands for. System
// and import parties have no token.
var partyKinds = map[string]account.Kind{
	trustmark.PartyBody:      account.Body,
	trustmark.PartyLab:       account.Lab,
	trustmark.PartyRegulator: account.Regulator,
	trustmark.PartyPerson:    account.Auditor,
}

type callerKey struct{}

// CallerOf returns the caller that RequireSession put in r's context, or
// nil.
func CallerOf(r *nethttp.Request) *Caller {
	c, _ := r.Context().Value(callerKey{}).(*Caller)
	return c
}

// Resolve returns the caller of r: by its bearer token when it sends an
// Authorization header, else by its session cookie. A request with a
// session that is not safe (POST, ...) must carry the session's CSRF token.
// The refusal is unauthorized when there is no caller.
func (a *Auth) Resolve(r *nethttp.Request) (*Caller, error) {
	if c := CallerOf(r); c != nil {
		return c, nil
	}
	var c *Caller
	var err error
	if _, hasCookie := a.sessionToken(r); r.Header.Get("Authorization") != "" || !hasCookie || a.cfg.Accounts == nil {
		c, err = a.tokenCaller(r)
	} else {
		c, err = a.sessionCaller(r)
	}
	if err != nil {
		return nil, err
	}
	if info := infoOf(r); info != nil {
		info.actor = c.Party.String()
	}
	return c, nil
}

// Party returns the party the caller of r acts as (Resolve's Party), for
// handlers whose store methods take a trustmark.Party.
func (a *Auth) Party(r *nethttp.Request) (trustmark.Party, error) {
	c, err := a.Resolve(r)
	if err != nil {
		return trustmark.Party{}, err
	}
	return c.Party, nil
}

// BearerToken returns the token of an "Authorization: Bearer TOKEN" header,
// and whether there was one.
func BearerToken(r *nethttp.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// maxTokenBytes bounds a bearer token: ours are 46 bytes.
const maxTokenBytes = 512

// tokenCaller resolves r's bearer token.
func (a *Auth) tokenCaller(r *nethttp.Request) (*Caller, error) {
	token, ok := BearerToken(r)
	if !ok {
		if r.Header.Get("Authorization") != "" {
			return nil, trustmark.Errorf(trustmark.EUnauthorized, "", "the Authorization header must be \"Bearer TOKEN\"")
		}
		return nil, trustmark.Errorf(trustmark.EUnauthorized, "", "this request needs an API token: send \"Authorization: Bearer TOKEN\" (tokens are made with `trustmark token create`)")
	}
	if len(token) > maxTokenBytes {
		return nil, trustmark.Errorf(trustmark.EUnauthorized, "", "the API token is not valid")
	}
	p, err := a.cfg.Tokens.Authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	if p.Kind != account.PartyKind {
		c := &Caller{Party: p}
		if k, ok := partyKinds[p.Kind]; ok {
			c.Roles = []account.Role{{Unit: account.Unit{Kind: k, ID: p.ID}}}
		}
		return c, nil
	}
	if a.cfg.Accounts == nil {
		return nil, trustmark.Errorf(trustmark.EUnauthorized, "", "this server has no accounts; the token of %s is not valid here", p)
	}
	acct, err := a.cfg.Accounts.Account(r.Context(), p.ID)
	if trustmark.IsNotFound(err) {
		return nil, trustmark.Errorf(trustmark.EUnauthorized, "", "the account of this API token no longer exists")
	}
	if err != nil {
		return nil, err
	}
	if acct.Disabled {
		return nil, trustmark.Reasonf(trustmark.EUnauthorized, "signin.disabled", "", "this account is disabled; ask your administrator")
	}
	return &Caller{Party: p, Account: &acct, Roles: acct.Roles}, nil
}

// authenticate returns the party of the request's caller, for the
// certificate handlers, whose store methods take the party that acts.
func (s *Server) authenticate(r *nethttp.Request) (trustmark.Party, error) { return s.auth.Party(r) }
