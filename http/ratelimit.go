package http

import (
	"context"
	"crypto/sha256"
	"math"
	"net"
	nethttp "net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"trustmark"
	"trustmark/ratelimit"
)

// Defaults for a public server (issue 4): anonymous addresses may make 20
// requests a second with bursts of 100; authenticated parties five times that.
const (
	DefaultAnonRate   = 20
	DefaultAnonBurst  = 100
	DefaultTokenRate  = 100
	DefaultTokenBurst = 500
)

// RateLimitConfig sets the limits. A rate is in requests per second; a rate
// of 0 turns that kind of limiting off.
type RateLimitConfig struct {
	AnonRate   float64 // per anonymous address (IPv4 address, IPv6 /64)
	AnonBurst  int     // default max(1, AnonRate)
	TokenRate  float64 // per authenticated party
	TokenBurst int     // default max(1, TokenRate)

	// Authenticate resolves a bearer token to its party (Store.Authenticate).
	// Requests whose token it accepts are limited per party; requests with
	// a token it refuses are limited by address, so that inventing tokens
	// buys nothing. When nil, every request is limited by address.
	Authenticate func(ctx context.Context, token string) (trustmark.Party, error)

	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For header is believed. Empty: the header is ignored and
	// the connection's address is the client's.
	TrustedProxies []netip.Prefix

	// MaxClients bounds the buckets kept (ratelimit.DefaultMaxClients).
	MaxClients int
	Clock      func() time.Time // default time.Now
}

// RateLimit is the middleware that limits how fast each client calls the
// server, over the token buckets of package ratelimit: authenticated
// callers by their party, anonymous callers by address. A refused request
// gets 429 with Retry-After: the JSON error of CONTRACT.md under /api/, a
// page in the page's language elsewhere (the server's Pages). It is safe
// for concurrent use.
type RateLimit struct {
	cfg     RateLimitConfig
	buckets *ratelimit.Limiter
	auth    authCache
}

// NewRateLimit returns the middleware for cfg.
func NewRateLimit(cfg RateLimitConfig) *RateLimit {
	if cfg.AnonBurst <= 0 {
		cfg.AnonBurst = int(math.Max(1, math.Ceil(cfg.AnonRate)))
	}
	if cfg.TokenBurst <= 0 {
		cfg.TokenBurst = int(math.Max(1, math.Ceil(cfg.TokenRate)))
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return &RateLimit{cfg: cfg, buckets: ratelimit.New(ratelimit.Config{MaxClients: cfg.MaxClients, Clock: cfg.Clock}),
		auth: authCache{m: map[[32]byte]authEntry{}}}
}

// Wrap returns h limited by l.
func (l *RateLimit) Wrap(h nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		if r, ok := l.admit(w, r); ok {
			h.ServeHTTP(w, r)
		}
	})
}

// Buckets returns the number of buckets held, for tests and metrics.
func (l *RateLimit) Buckets() int { return l.buckets.Len() }

// admit takes a token from the request's bucket and returns the request
// with that bucket in its context (for ratelimit.Charge), or answers 429
// and reports false.
func (l *RateLimit) admit(w nethttp.ResponseWriter, r *nethttp.Request) (*nethttp.Request, bool) {
	take := func(key string, rate float64, burst int, who string) bool {
		if rate <= 0 {
			return true
		}
		ok, wait := l.buckets.Take(key, rate, burst)
		if !ok {
			refuse(w, r, wait, rate, burst, who)
		} else {
			r = r.WithContext(ratelimit.WithBucket(r.Context(), l.buckets, key, burst))
		}
		return ok
	}
	anon := func() bool { return take("a:"+l.ClientAddr(r), l.cfg.AnonRate, l.cfg.AnonBurst, "") }
	tok, ok := bearer(r)
	if !ok || l.cfg.Authenticate == nil {
		ok := anon()
		return r, ok
	}
	p, known := l.auth.cached(tok, l.cfg.Clock())
	if !known {
		// Checking a token the cache does not know costs a database read:
		// it is paid from the address's bucket, so invented tokens buy
		// nothing and cost the server no more than anonymous requests.
		if !anon() {
			return r, false
		}
		var err error
		if p, err = l.cfg.Authenticate(r.Context(), tok); err != nil {
			return r, true // the handler answers 401 if it needs a party
		}
		l.auth.put(tok, p, l.cfg.Clock())
	}
	ok = take("p:"+p.String(), l.cfg.TokenRate, l.cfg.TokenBurst, p.String())
	return r, ok // r as take left it: the order of "return r, take()" is unspecified
}

func bearer(r *nethttp.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

// ClientAddr returns the client's address as a bucket key: the connection's
// address, or, when that is a trusted proxy, the last address in
// X-Forwarded-For that is not one. IPv6 clients are keyed by their /64,
// since one host usually holds a whole /64.
func (l *RateLimit) ClientAddr(r *nethttp.Request) string {
	addr := remoteAddr(r.RemoteAddr)
	if addr.IsValid() && l.trusted(addr) {
		hops := r.Header.Values("X-Forwarded-For")
		var all []string
		for _, h := range hops {
			all = append(all, strings.Split(h, ",")...)
		}
		for i := len(all) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(all[i]))
			if err != nil {
				break // a malformed hop: stop at the last address we can believe
			}
			addr = a.Unmap()
			if !l.trusted(addr) {
				break
			}
		}
	}
	if !addr.IsValid() {
		return r.RemoteAddr
	}
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

func remoteAddr(s string) netip.Addr {
	host, _, err := net.SplitHostPort(s)
	if err != nil {
		host = s
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

func (l *RateLimit) trusted(a netip.Addr) bool {
	for _, p := range l.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// refuse answers 429 with Retry-After (whole seconds, at least 1): the
// error body of CONTRACT.md, or a page for a page request (Refuse). who is
// the party refused, "" for an address.
func refuse(w nethttp.ResponseWriter, r *nethttp.Request, wait time.Duration, rate float64, burst int, who string) {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("Cache-Control", "no-store")
	var err *trustmark.Error
	if who == "" {
		err = trustmark.Reasonf(trustmark.ERateLimited, "http.rate_limited", "",
			"too many requests from this address: at most %g a second with bursts of %d; retry after %d s", rate, burst, secs)
	} else {
		err = trustmark.Reasonf(trustmark.ERateLimited, "http.rate_limited_party", "",
			"too many requests from party %[4]s: at most %[1]g a second with bursts of %[2]d; retry after %[3]d s", rate, burst, secs, who)
	}
	Refuse(w, r, err)
}

// authCache remembers accepted tokens for a minute so that limiting costs
// no database read per request. Only hashes of tokens are kept.
type authCache struct {
	mu sync.Mutex
	m  map[[32]byte]authEntry
}

type authEntry struct {
	party trustmark.Party
	until time.Time
}

const (
	authTTL     = time.Minute
	authMaxKeep = 10_000
)

func (c *authCache) cached(token string, now time.Time) (trustmark.Party, bool) {
	h := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[h]
	if !ok || !now.Before(e.until) {
		return trustmark.Party{}, false
	}
	return e.party, true
}

func (c *authCache) put(token string, p trustmark.Party, now time.Time) {
	h := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= authMaxKeep {
		for k, v := range c.m {
			if !now.Before(v.until) || len(c.m) >= authMaxKeep {
				delete(c.m, k)
			}
		}
	}
	c.m[h] = authEntry{party: p, until: now.Add(authTTL)}
}
