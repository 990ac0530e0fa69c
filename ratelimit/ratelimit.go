// Package ratelimit limits how fast each client may call the server, with a
// token bucket per client and no captchas: authenticated callers by their
// party, anonymous callers by address. A refused request gets 429 with
// Retry-After and the error body of CONTRACT.md.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"hash/maphash"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"trustmark"
	thttp "trustmark/http"
)

// Defaults for a public server (issue 4): anonymous addresses may make 20
// requests a second with bursts of 100; authenticated parties five times that.
const (
	DefaultAnonRate   = 20
	DefaultAnonBurst  = 100
	DefaultTokenRate  = 100
	DefaultTokenBurst = 500
	DefaultMaxClients = 100_000
)

// Config sets the limits. A rate is in requests per second; a rate of 0
// turns that kind of limiting off.
type Config struct {
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

	// MaxClients bounds the buckets kept (default 100,000, about 10 MB).
	// Buckets that have refilled are dropped first; beyond that, arbitrary
	// ones, which only ever lets a client through sooner.
	MaxClients int

	Clock func() time.Time // default time.Now
}

// Limiter is the middleware. It is safe for concurrent use.
type Limiter struct {
	cfg    Config
	shards [shardCount]shard
	seed   maphash.Seed
	auth   authCache
}

const shardCount = 32

type shard struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

// bucket is a token bucket: tokens at instant last.
type bucket struct {
	tokens float64
	last   time.Time
}

// New returns a Limiter for cfg.
func New(cfg Config) *Limiter {
	if cfg.AnonBurst <= 0 {
		cfg.AnonBurst = int(math.Max(1, math.Ceil(cfg.AnonRate)))
	}
	if cfg.TokenBurst <= 0 {
		cfg.TokenBurst = int(math.Max(1, math.Ceil(cfg.TokenRate)))
	}
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = DefaultMaxClients
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	l := &Limiter{cfg: cfg, seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].buckets = map[string]*bucket{}
	}
	l.auth = authCache{m: map[[32]byte]authEntry{}}
	return l
}

// Wrap returns h limited by l.
func (l *Limiter) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r, ok := l.admit(w, r); ok {
			h.ServeHTTP(w, r)
		}
	})
}

// admit takes a token from the request's bucket and returns the request
// with that bucket in its context (for Charge), or answers 429 and reports
// false.
func (l *Limiter) admit(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	take := func(key string, rate float64, burst int, who string) bool {
		if rate <= 0 {
			return true
		}
		ok, wait := l.allow(key, rate, burst)
		if !ok {
			refuse(w, r, wait, rate, burst, who)
		} else {
			r = r.WithContext(context.WithValue(r.Context(), chargeKey{}, charge{l, key, burst}))
		}
		return ok
	}
	anon := func() bool { return take("a:"+l.ClientAddr(r), l.cfg.AnonRate, l.cfg.AnonBurst, "this address") }
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
	ok = take("p:"+p.String(), l.cfg.TokenRate, l.cfg.TokenBurst, "party "+p.String())
	return r, ok // r as take left it: the order of "return r, take()" is unspecified
}

func bearer(r *http.Request) (string, bool) {
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
func (l *Limiter) ClientAddr(r *http.Request) string {
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

func (l *Limiter) trusted(a netip.Addr) bool {
	for _, p := range l.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// allow takes a token from key's bucket, or says how long until one is
// there.
func (l *Limiter) allow(key string, rate float64, burst int) (bool, time.Duration) {
	now := l.cfg.Clock()
	s := &l.shards[maphash.String(l.seed, key)%shardCount]
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[key]
	if b == nil {
		if len(s.buckets) >= l.cfg.MaxClients/shardCount+1 {
			s.evict(now, rate, burst)
		}
		b = &bucket{tokens: float64(burst), last: now}
		s.buckets[key] = b
	} else if now.After(b.last) {
		b.tokens = math.Min(float64(burst), b.tokens+now.Sub(b.last).Seconds()*rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / rate * float64(time.Second))
}

type chargeKey struct{}

// charge is what Charge needs to find a request's bucket.
type charge struct {
	l     *Limiter
	key   string
	burst int
}

// Charge takes n more tokens from the bucket of the request whose context
// is ctx, for a request that costs more than one (an upload of 20,000
// items is twenty API calls' worth). The bucket may go into debt, at most
// ten bursts deep; later requests then wait until it has refilled. Without
// a limiter on the request, Charge does nothing.
func Charge(ctx context.Context, n float64) {
	c, ok := ctx.Value(chargeKey{}).(charge)
	if !ok || n <= 0 {
		return
	}
	s := &c.l.shards[maphash.String(c.l.seed, c.key)%shardCount]
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.buckets[c.key]; b != nil {
		b.tokens = math.Max(b.tokens-n, -10*float64(c.burst))
	}
}

// evict drops the buckets that have refilled (they are as good as new),
// and if none has, an arbitrary eighth of the shard.
func (s *shard) evict(now time.Time, rate float64, burst int) {
	full := float64(burst) / rate
	n := 0
	for k, b := range s.buckets {
		if now.Sub(b.last).Seconds() >= full {
			delete(s.buckets, k)
			n++
		}
	}
	if n > 0 {
		return
	}
	drop := len(s.buckets)/8 + 1
	for k := range s.buckets {
		if drop == 0 {
			break
		}
		delete(s.buckets, k)
		drop--
	}
}

// Len returns the number of buckets held, for tests and metrics.
func (l *Limiter) Len() int {
	n := 0
	for i := range l.shards {
		l.shards[i].mu.Lock()
		n += len(l.shards[i].buckets)
		l.shards[i].mu.Unlock()
	}
	return n
}

// refuse answers 429 with Retry-After (whole seconds, at least 1) and the
// error body of CONTRACT.md.
func refuse(w http.ResponseWriter, r *http.Request, wait time.Duration, rate float64, burst int, who string) {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("Cache-Control", "no-store")
	thttp.Error(w, r, trustmark.Errorf(trustmark.ERateLimited, "",
		"too many requests from %s: at most %g a second with bursts of %d; retry after %d s", who, rate, burst, secs))
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
