package http

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/prometheus/client_golang/prometheus"

	"trustmark"
)

// The certificate lookup's cache (issue 16). GET /api/v1/certificates/{number}
// is the registry's most frequent request, and its answer is a function of
// the stored certificate, its holder's name, its body's standing and the
// day in China. The cache keeps the encoded answer by canonical number,
// with the day it was made for, so that an answer is never served on
// another day (expiry is by date: valid through the expiry date, expired
// from the next day).
//
// Freshness:
//   - A write committed by this server is accounted for before any lookup
//     that begins after the write returned: the store's commit signal
//     (trustmark.FeedStore's Committed) closes before Transact returns,
//     and the next lookup then reads the events committed since the last
//     it read (a few rows, in Seq order) and forgets what they may have
//     changed: a certificate's event its answer; an organisation's or a
//     body's every answer (a holder's name and a body's standing are in
//     each); events of anything else (check-ins, audits, matters, reports)
//     none, so that a server taking check-ins all day keeps its answers.
//     An answer read while a commit landed is not kept.
//   - A write by another process (another server on the same PostgreSQL
//     database, `trustmark import` on the same SQLite file, a restored
//     backup, an edit outside the product) is seen at most TTL after it
//     committed: an answer is served for at most TTL after its read began.
//
// A store without a commit signal and an event feed gets no cache.

// Defaults of Config.LookupCache and Config.LookupCacheTTL.
const (
	DefaultLookupCacheEntries = 16384 // answers are about 1 kB: 16 MB at most
	DefaultLookupCacheTTL     = time.Second
)

// eventSource is what the cache follows (sqlstore.DB): the commit signal,
// whose channel the next commit that stored events closes, and the events.
type eventSource interface {
	Committed() <-chan struct{}
	Events(ctx context.Context, f trustmark.EventFilter) ([]trustmark.Event, error)
	LastEventSeq(ctx context.Context) (int64, error)
}

// maxForget is the most events the cache reads at the end of an epoch;
// after more it forgets every answer.
const maxForget = 1000

// lookupCache is a bounded cache of encoded lookup answers. Safe for
// concurrent use.
type lookupCache struct {
	events eventSource
	ttl    time.Duration
	now    func() time.Time // monotonic time for the TTL, not the server's clock

	mu      sync.Mutex // serialises the start of an epoch
	seq     int64      // the last event accounted for; guarded by mu
	epoch   atomic.Pointer[lookupEpoch]
	entries *lru.Cache[string, lookupEntry]

	hits, misses prometheus.Counter
}

// lookupEpoch is a period with no commit of this server: done is the
// store's commit signal taken when the epoch began, before any read of it.
type lookupEpoch struct {
	done <-chan struct{}
}

// lookupEntry is one encoded answer, made on day from a read of the
// store that began no earlier than until-TTL.
type lookupEntry struct {
	day   trustmark.Date
	until time.Time
	body  []byte
}

// newLookupCache returns a cache of at most size answers, each served for
// at most ttl, registering its metrics in reg; nil when size < 0 or the
// store has no commit signal.
func newLookupCache(store trustmark.Store, size int, ttl time.Duration, reg prometheus.Registerer) *lookupCache {
	src, ok := store.(eventSource)
	if !ok || size < 0 {
		return nil
	}
	done := src.Committed() // before the last event is read: no commit between is missed
	seq, err := src.LastEventSeq(context.Background())
	if err != nil {
		return nil // serve without a cache rather than not at all
	}
	if size == 0 {
		size = DefaultLookupCacheEntries
	}
	if ttl <= 0 {
		ttl = DefaultLookupCacheTTL
	}
	entries, err := lru.New[string, lookupEntry](size)
	if err != nil {
		return nil // size > 0 here; lru refuses only sizes below 1
	}
	c := &lookupCache{events: src, ttl: ttl, now: time.Now, entries: entries, seq: seq,
		hits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trustmark_lookup_cache_hits_total",
			Help: "Certificate lookups (GET /api/v1/certificates/{number}) answered from the lookup cache.",
		}),
		misses: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trustmark_lookup_cache_misses_total",
			Help: "Certificate lookups of a well-formed number read from the store (not cached, stale, or of another day).",
		}),
	}
	c.epoch.Store(&lookupEpoch{done: done})
	reg.MustRegister(c.hits, c.misses, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "trustmark_lookup_cache_entries",
		Help: "Answers held by the lookup cache.",
	}, func() float64 { return float64(c.entries.Len()) }))
	return c
}

// current returns the epoch, beginning a new one when a commit ended it.
func (c *lookupCache) current() *lookupEpoch {
	e := c.epoch.Load()
	select {
	case <-e.done:
	default:
		return e
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e2 := c.epoch.Load(); e2 != e {
		return e2 // begun by another request meanwhile, after the commit
	}
	// The signal is taken before the events are read and the epoch is
	// published, so before any read of the new epoch begins: a commit
	// after it ends the new epoch in turn.
	next := &lookupEpoch{done: c.events.Committed()}
	c.forget()
	c.epoch.Store(next)
	return next
}

// forget drops the answers the events committed since c.seq may have
// changed, and moves c.seq past them. When they cannot be read, or are
// more than maxForget, it drops every answer: c.seq then stays where the
// events could be read to, so that none is ever skipped. Called with mu.
func (c *lookupCache) forget() {
	evs, err := c.events.Events(context.Background(), trustmark.EventFilter{After: c.seq, Limit: maxForget})
	if err != nil || len(evs) == maxForget {
		c.entries.Purge()
		if len(evs) > 0 {
			c.seq = evs[len(evs)-1].Seq
		}
		return
	}
	for _, ev := range evs {
		c.seq = ev.Seq
		switch ev.Entity {
		case trustmark.EntityCertificate:
			if k, err := trustmark.ParseCertKey(ev.Key); err == nil {
				c.entries.Remove(string(k.Number))
			} else {
				c.entries.Purge() // a key the cache cannot place: forget all
			}
		case trustmark.EntityOrg, trustmark.EntityBody:
			c.entries.Purge()
		}
	}
}

// answer returns the encoded answer for the canonical number on day, from
// the cache or from load. Errors are not cached.
func (c *lookupCache) answer(number string, day trustmark.Date, load func() ([]byte, error)) ([]byte, error) {
	if c == nil {
		return load()
	}
	e := c.current()
	start := c.now()
	if ent, ok := c.entries.Get(number); ok && ent.day == day && start.Before(ent.until) {
		c.hits.Inc()
		return ent.body, nil
	}
	c.misses.Inc()
	body, err := load()
	if err != nil {
		return nil, err
	}
	c.keep(e, number, lookupEntry{day: day, until: start.Add(c.ttl), body: body})
	return body, nil
}

// keep adds an answer read in epoch e, unless a commit ended e meanwhile:
// the read might have seen the state before it. It holds mu, as the start
// of an epoch does, so that the answer is added either before a later
// commit's events are accounted for (which then forget it if they must)
// or not at all.
func (c *lookupCache) keep(e *lookupEpoch, number string, ent lookupEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-e.done:
		return
	default:
	}
	if c.epoch.Load() == e {
		c.entries.Add(number, ent)
	}
}
