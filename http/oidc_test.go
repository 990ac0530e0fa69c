package http_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	mathrand "math/rand/v2"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"trustmark"
	"trustmark/account"
	tmhttp "trustmark/http"
)

// provider is an OpenID Connect provider for the tests: it discovers,
// publishes its key, signs in whoever user says without asking, and checks
// the client's PKCE verifier as a real provider does.
type provider struct {
	srv  *httptest.Server
	key  *rsa.PrivateKey
	mu   sync.Mutex
	user map[string]any // the ID token's claims about the person
	code map[string]flow
}

type flow struct{ nonce, challenge, clientID string }

const clientID, clientSecret = "trustmark", "s3cret"

func newProvider(t testing.TB) *provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{key: key, code: map[string]flow{}}
	mux := nethttp.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w nethttp.ResponseWriter, r *nethttp.Request) {
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": p.srv.URL, "authorization_endpoint": p.srv.URL + "/authorize", "token_endpoint": p.srv.URL + "/token",
			"jwks_uri": p.srv.URL + "/jwks", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w nethttp.ResponseWriter, r *nethttp.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /authorize", func(w nethttp.ResponseWriter, r *nethttp.Request) {
		q := r.URL.Query()
		if q.Get("code_challenge_method") != "S256" || q.Get("response_type") != "code" {
			nethttp.Error(w, "want the code flow with S256", nethttp.StatusBadRequest)
			return
		}
		code := rand.Text()
		p.mu.Lock()
		p.code[code] = flow{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), clientID: q.Get("client_id")}
		p.mu.Unlock()
		back, _ := url.Parse(q.Get("redirect_uri"))
		v := url.Values{"code": {code}, "state": {q.Get("state")}}
		back.RawQuery = v.Encode()
		nethttp.Redirect(w, r, back.String(), nethttp.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w nethttp.ResponseWriter, r *nethttp.Request) {
		id, secret, _ := r.BasicAuth()
		if id == "" {
			id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
		}
		p.mu.Lock()
		f, ok := p.code[r.PostFormValue("code")]
		delete(p.code, r.PostFormValue("code"))
		claims := map[string]any{}
		for k, v := range p.user {
			claims[k] = v
		}
		p.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		if !ok || id != clientID || secret != clientSecret || f.clientID != clientID || base64.RawURLEncoding.EncodeToString(sum[:]) != f.challenge {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(nethttp.StatusBadRequest)
			fmt.Fprint(w, `{"error":"invalid_grant"}`)
			return
		}
		claims["iss"], claims["aud"], claims["sub"], claims["nonce"] = p.srv.URL, clientID, "user-1", f.nonce
		claims["iat"], claims["exp"] = time.Now().Unix(), time.Now().Add(5*time.Minute).Unix()
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
		if err != nil {
			t.Error(err)
			return
		}
		payload, _ := json.Marshal(claims)
		jws, err := signer.Sign(payload)
		if err != nil {
			t.Error(err)
			return
		}
		idToken, _ := jws.CompactSerialize()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": rand.Text(), "token_type": "Bearer", "expires_in": 300, "id_token": idToken})
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *provider) signsIn(claims map[string]any) {
	p.mu.Lock()
	p.user = claims
	p.mu.Unlock()
}

// ssoAccounts is the accounts fixture with single sign-on through p.
func ssoAccounts(t *testing.T, p *provider) *accounts {
	t.Helper()
	a := &accounts{fixture: newFixture(t), at: time.Now(), rnd: mathrand.NewChaCha8([32]byte{7})}
	a.auth = tmhttp.NewAuth(tmhttp.AuthConfig{Tokens: a.store, Accounts: a.store, Rules: cheap, Secure: true, Clock: a.clock, Rand: a.rnd,
		OIDC: tmhttp.NewOIDC(tmhttp.OIDCConfig{Issuer: p.srv.URL, ClientID: clientID, ClientSecret: clientSecret,
			RedirectURL: "https://trustmark.example.cn" + tmhttp.OIDCCallbackPath, Name: "测试统一身份认证", Client: p.srv.Client()})})
	return a
}

// sso runs single sign-on for b: start, the provider's answer, the
// callback, with tamper changing the callback's query before it is sent.
func (a *accounts) sso(t *testing.T, b *browser, tamper func(url.Values)) (account.Next, string, error) {
	t.Helper()
	w := httptest.NewRecorder()
	if err := a.auth.StartOIDC(w, b.request("GET", tmhttp.OIDCStartPath, nil), "/work/matters"); err != nil {
		t.Fatalf("StartOIDC: %v", err)
	}
	b.keep(w)
	noFollow := &nethttp.Client{CheckRedirect: func(*nethttp.Request, []*nethttp.Request) error { return nethttp.ErrUseLastResponse }}
	res, err := noFollow.Get(w.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || back.Path != tmhttp.OIDCCallbackPath {
		t.Fatalf("the provider sent the browser to %q, want the callback", res.Header.Get("Location"))
	}
	if tamper != nil {
		q := back.Query()
		tamper(q)
		back.RawQuery = q.Encode()
	}
	w = httptest.NewRecorder()
	next, to, err := a.auth.FinishOIDC(w, b.request("GET", back.RequestURI(), nil))
	b.keep(w)
	return next, to, err
}

func TestSingleSignOn(t *testing.T) {
	p := newProvider(t)
	a := ssoAccounts(t, p)
	a.person(t, "staff@cqc.example.cn", mustRole(t, account.Body, bodyA, false), "")
	a.person(t, "inspector@amr.example.cn", mustRole(t, account.Regulator, "110000", false), "")

	t.Run("a body's staff vouched for by the provider is signed in and goes back", func(t *testing.T) {
		p.signsIn(map[string]any{"email": "Staff@CQC.example.cn", "email_verified": true, "amr": []string{"pwd"}})
		b := newBrowser()
		next, to, err := a.sso(t, b, nil)
		if err != nil || next != account.NextDone || to != "/work/matters" {
			t.Fatalf("sso = %s to %q, %v; want done, back to /work/matters", next, to, err)
		}
		if c, err := a.whoami(b); err != nil || c.Account.Email != "staff@cqc.example.cn" {
			t.Errorf("caller = %v, %v", c, err)
		}
	})
	t.Run("a regulator with a password only at the provider must still set up a second factor", func(t *testing.T) {
		p.signsIn(map[string]any{"email": "inspector@amr.example.cn", "email_verified": true, "amr": []string{"pwd"}})
		b := newBrowser()
		next, _, err := a.sso(t, b, nil)
		if err != nil || next != account.NextEnrol {
			t.Fatalf("sso = %s, %v; want enrol", next, err)
		}
		if _, err := a.whoami(b); err == nil {
			t.Error("the regulator is signed in with one factor")
		}
	})
	t.Run("a regulator the provider asked for a second factor is signed in", func(t *testing.T) {
		p.signsIn(map[string]any{"email": "inspector@amr.example.cn", "email_verified": true, "amr": []string{"pwd", "otp"}})
		b := newBrowser()
		if next, _, err := a.sso(t, b, nil); err != nil || next != account.NextDone {
			t.Fatalf("sso = %s, %v; want done", next, err)
		}
	})
	for _, tt := range []struct {
		name   string
		claims map[string]any
		tamper func(url.Values)
		reason string
	}{
		{"an address the provider has not verified is refused", map[string]any{"email": "staff@cqc.example.cn", "email_verified": false}, nil, "oidc.email"},
		{"an address without an account is refused", map[string]any{"email": "nobody@example.cn", "email_verified": true}, nil, "oidc.no_account"},
		{"a forged state is refused", map[string]any{"email": "staff@cqc.example.cn", "email_verified": true}, func(q url.Values) { q.Set("state", "forged") }, "oidc.state"},
		{"a code the provider did not give is refused", map[string]any{"email": "staff@cqc.example.cn", "email_verified": true}, func(q url.Values) { q.Set("code", "stolen") }, "oidc.failed"},
		{"a provider's refusal is said", map[string]any{"email": "staff@cqc.example.cn", "email_verified": true}, func(q url.Values) { q.Set("error", "access_denied") }, "oidc.refused"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p.signsIn(tt.claims)
			b := newBrowser()
			_, _, err := a.sso(t, b, tt.tamper)
			var e *trustmark.Error
			if !asError(err, &e) || e.Reason != tt.reason {
				t.Errorf("sso = %v, want %s", err, tt.reason)
			}
			if _, err := a.whoami(b); err == nil {
				t.Error("signed in after a refusal")
			}
		})
	}
	t.Run("a callback without the flow's cookie is refused", func(t *testing.T) {
		w := httptest.NewRecorder()
		_, _, err := a.auth.FinishOIDC(w, httptest.NewRequest("GET", tmhttp.OIDCCallbackPath+"?code=x&state=y", nil))
		var e *trustmark.Error
		if !asError(err, &e) || e.Reason != "oidc.state" {
			t.Errorf("FinishOIDC without the cookie = %v, want oidc.state", err)
		}
	})
}
