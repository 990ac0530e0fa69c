// Package ratelimit keeps token buckets by key: how fast each client may
// call the server, with no captchas. It knows nothing of HTTP; the server's
// middleware (http.RateLimit) names the clients (a party, an address) and
// answers refusals.
package ratelimit

import (
	"context"
	"hash/maphash"
	"math"
	"sync"
	"time"
)

// DefaultMaxClients is how many buckets a Limiter keeps unless told
// otherwise: about 10 MB.
const DefaultMaxClients = 100_000

// Config configures a Limiter.
type Config struct {
	// MaxClients bounds the buckets kept (default DefaultMaxClients).
	// Buckets that have refilled are dropped first; beyond that, arbitrary
	// ones, which only ever lets a client through sooner.
	MaxClients int
	Clock      func() time.Time // default time.Now
}

// Limiter holds one token bucket per key. A bucket holds at most burst
// tokens and gains rate tokens a second; each request takes one. It is safe
// for concurrent use.
type Limiter struct {
	maxClients int
	clock      func() time.Time
	shards     [shardCount]shard
	seed       maphash.Seed
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
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = DefaultMaxClients
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	l := &Limiter{maxClients: cfg.MaxClients, clock: cfg.Clock, seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].buckets = map[string]*bucket{}
	}
	return l
}

// Now returns the limiter's time.
func (l *Limiter) Now() time.Time { return l.clock() }

func (l *Limiter) shard(key string) *shard {
	return &l.shards[maphash.String(l.seed, key)%shardCount]
}

// Take takes a token from key's bucket, which refills at rate a second up
// to burst, or says how long until one is there. A rate of 0 or less
// always allows.
func (l *Limiter) Take(key string, rate float64, burst int) (ok bool, wait time.Duration) {
	if rate <= 0 {
		return true, 0
	}
	burst = max(burst, 1)
	now := l.clock()
	s := l.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[key]
	if b == nil {
		if len(s.buckets) >= l.maxClients/shardCount+1 {
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

// charge takes n more tokens from key's bucket, which may go into debt at
// most ten bursts deep.
func (l *Limiter) charge(key string, n float64, burst int) {
	s := l.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.buckets[key]; b != nil {
		b.tokens = math.Max(b.tokens-n, -10*float64(burst))
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

type chargeKey struct{}

// charge is what Charge needs to find a request's bucket.
type chargeTo struct {
	l     *Limiter
	key   string
	burst int
}

// WithBucket returns ctx carrying the bucket of key (of the given burst) in
// l, the bucket a request was admitted from, so that its handler can
// Charge it more.
func WithBucket(ctx context.Context, l *Limiter, key string, burst int) context.Context {
	return context.WithValue(ctx, chargeKey{}, chargeTo{l, key, burst})
}

// Charge takes n more tokens from the bucket that ctx carries (WithBucket),
// for a request that costs more than one (an upload of 20,000 items is
// twenty API calls' worth). The bucket may go into debt, at most ten bursts
// deep; later requests then wait until it has refilled. Without a bucket in
// ctx, Charge does nothing.
func Charge(ctx context.Context, n float64) {
	c, ok := ctx.Value(chargeKey{}).(chargeTo)
	if !ok || n <= 0 {
		return
	}
	c.l.charge(c.key, n, c.burst)
}
