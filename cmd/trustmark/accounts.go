package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"trustmark/account"
	"trustmark/demo"
	tmhttp "trustmark/http"
	"trustmark/sqlstore"
)

// The serve command's accounts: the one authentication path of the server
// (API tokens, sessions of the sign-in pages), the key that seals TOTP
// secrets at rest, and the demo's accounts. docs/ACCOUNTS.md describes
// them for operators.

// secretKeyEnv names the environment variable that holds the key sealing
// TOTP secrets at rest (sqlstore.WithSecretKey): 64 hex digits or 32 bytes
// in base64. It is read from the environment, never from a flag, so that
// it does not show in the process list.
const secretKeyEnv = "TRUSTMARK_SECRET_KEY"

// secretKeyFromEnv returns the key of $TRUSTMARK_SECRET_KEY, or nil when it
// is not set.
func secretKeyFromEnv() ([]byte, error) {
	v := os.Getenv(secretKeyEnv)
	if v == "" {
		return nil, nil
	}
	key, err := sqlstore.ParseSecretKey(v)
	if err != nil {
		return nil, fmt.Errorf("$%s: %v", secretKeyEnv, err)
	}
	return key, nil
}

// secretKeyOption seals TOTP secrets with the configured key, if any.
func (m *Main) secretKeyOption() sqlstore.Option {
	if len(m.Config.SecretKey) == 0 {
		return func(*sqlstore.DB) {}
	}
	return sqlstore.WithSecretKey(m.Config.SecretKey)
}

// cookiesSecure decides whether session cookies are Secure (with the
// __Host- prefix): always, unless the site is plain http on the loopback
// interface, as for the demo on http://127.0.0.1:8080, where browsers
// would otherwise drop them. baseURL is --base-url ("" when not given) and
// addr the address listened on. A server that listens on another
// interface over plain http gets Secure cookies all the same, and signing
// in then needs https in front of it: passwords must not cross a network
// in clear.
func cookiesSecure(baseURL, addr string) bool {
	host := ""
	if baseURL != "" {
		u, err := url.Parse(baseURL)
		if err != nil || u.Scheme != "http" {
			return true
		}
		host = u.Hostname()
	} else if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// oidcSecretEnv names the environment variable that holds the client
// secret of single sign-on (not a flag: it would show in the process list).
const oidcSecretEnv = "TRUSTMARK_OIDC_CLIENT_SECRET"

// oidcFlags adds the flags of single sign-on to fs.
func oidcFlags(fs *flag.FlagSet, c *ServeConfig) {
	fs.StringVar(&c.OIDC.Issuer, "oidc-issuer", "", "issuer URL of a bureau's OpenID Connect provider, for single sign-on (needs --base-url and --oidc-client-id; the secret is $"+oidcSecretEnv+")")
	fs.StringVar(&c.OIDC.ClientID, "oidc-client-id", "", "client ID of this site at the OpenID Connect provider")
	fs.StringVar(&c.OIDC.Name, "oidc-name", "", "what the sign-in page calls the OpenID Connect provider (default 统一身份认证)")
}

// checkOIDC completes and checks the configuration of single sign-on: the
// provider must send people back to a fixed public address.
func checkOIDC(c *ServeConfig) error {
	if c.OIDC.Issuer == "" {
		return nil
	}
	u, err := url.Parse(c.OIDC.Issuer)
	switch {
	case err != nil || u.Host == "" || u.Scheme != "https" && !strings.HasPrefix(c.OIDC.Issuer, "http://127.0.0.1"):
		return fmt.Errorf("--oidc-issuer %q is not an https URL", c.OIDC.Issuer)
	case c.OIDC.ClientID == "":
		return fmt.Errorf("--oidc-issuer needs --oidc-client-id")
	case c.BaseURL == "":
		return fmt.Errorf("--oidc-issuer needs --base-url: the provider sends people back to %s on it", tmhttp.OIDCCallbackPath)
	}
	if c.OIDC.Name == "" {
		c.OIDC.Name = "统一身份认证"
	}
	c.OIDC.ClientSecret = os.Getenv(oidcSecretEnv)
	c.OIDC.RedirectURL = c.BaseURL + tmhttp.OIDCCallbackPath
	return nil
}

// newAuth returns the server's authentication: API tokens and accounts of
// the store, sessions with cookies as cookiesSecure decides.
func (m *Main) newAuth() *tmhttp.Auth {
	secure := cookiesSecure(m.Config.BaseURL, m.Config.Addr)
	if !secure {
		m.Logger.Info("session cookies are not Secure: the site is plain http on the loopback interface (the demo); deploy behind https with --base-url https://...")
	}
	var origins []string
	if m.Config.BaseURL != "" {
		origins = append(origins, m.Config.BaseURL)
	}
	cfg := tmhttp.AuthConfig{
		Tokens: m.Store, Accounts: m.Store, Secure: secure, TrustedOrigins: origins,
		ClientKey: m.limiter.ClientAddr, Clock: m.Clock, Logger: m.Logger,
	}
	if m.Config.OIDC.Issuer != "" {
		cfg.OIDC = tmhttp.NewOIDC(m.Config.OIDC)
	}
	return tmhttp.NewAuth(cfg)
}

// siteURL is the address links printed on the command line point at:
// --base-url, else the first --host, else the address listened on.
func (m *Main) siteURL() string {
	switch {
	case m.Config.BaseURL != "":
		return m.Config.BaseURL
	case len(m.Config.Hosts) > 0:
		return "http://" + m.Config.Hosts[0]
	}
	return m.HTTPServer.URL()
}

// printDemoAccounts gives each demo account a fresh one-time link and
// prints them, so that a new user can sign in as each role at once.
func (m *Main) printDemoAccounts(ctx context.Context) error {
	links, err := demo.Accounts(ctx, m.Store, m.Store, rand.Reader, m.Clock())
	if err != nil {
		return fmt.Errorf("--demo: %w", err)
	}
	if len(links) == 0 {
		return nil
	}
	base := m.siteURL()
	fmt.Fprintln(m.Stdout, "demo accounts: open a link to choose a password (each works once, for 72 hours; regulators also set up an authenticator app):")
	for _, l := range links {
		fmt.Fprintf(m.Stdout, "  %-46s %-28s %s\n", l.Role, l.Email, base+account.LinkPath(l.Token))
	}
	fmt.Fprintf(m.Stdout, "  then sign in at %s/signin (docs/DEMO.md)\n", strings.TrimSuffix(base, "/"))
	return nil
}
