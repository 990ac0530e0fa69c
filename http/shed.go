package http

import (
	nethttp "net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"trustmark"
)

// Load shedding. Past the server's capacity an open stream of requests
// used to queue without bound: for the reader pool's database connections,
// then for the CPU, until clients timed out after 30 s (issue 16). The gate
// below bounds the requests served at once (MaxInFlight) and how long and
// how many may wait for a place (MaxWait, MaxQueued); a request that finds
// no place in time is answered at once 503 unavailable with Retry-After,
// which costs microseconds and keeps the latency of the requests served
// bounded.

// DefaultMaxWait is how long a request waits for a place by default: a
// backstop well under a client's usual 30 s timeout. By default the queue
// is bounded by its length rather than by time (MaxQueued, 64 places a
// place in flight): a closed loop of 1,000 clients never has more than
// 1,000 requests out, which is no overload and is not refused unless the
// server answers fewer than 100 a second (issue 16), while an open stream
// past the capacity fills the queue within seconds and is shed from then
// on, each refusal at once. A site that prefers refusals to waits sets a
// shorter wait.
const DefaultMaxWait = 10 * time.Second

// retryAfterOverloaded is the Retry-After of a shed request, in seconds:
// an overload passes in moments, unlike a database failover.
const retryAfterOverloaded = 1

// Reasons a request is shed, the label of trustmark_http_shed_total.
const (
	shedWait  = "wait"  // no place within MaxWait
	shedQueue = "queue" // MaxQueued requests were waiting already
)

// A client's share of the places. A place is taken before the request's
// body is read, so a client sending bodies slowly (a byte every few
// seconds, within the read timeout of a minute) held a place for each
// connection it opened, within the rate limit's burst: a few dozen
// connections from one address took every place for a minute at a time.
// A client holds at most MaxInFlightPerClient places (by default half of
// them); its further requests wait, without a place, for one of its own
// to finish, so the other half stays for everyone else.

// gate holds the places of the requests served at once. Safe for
// concurrent use.
type gate struct {
	slots     chan struct{}
	wait      time.Duration
	maxQueued int64
	waiting   atomic.Int64

	perClient int
	clientKey func(*nethttp.Request) string
	mu        sync.Mutex
	held      map[string]*share // by client, while it has a request in the gate

	shedWait, shedQueue prometheus.Counter
}

// newGate returns a gate of maxInFlight places, or nil (no limit) when
// maxInFlight is 0 or less. maxQueued 0 or less means 64 × maxInFlight;
// perClient 0 or less half of maxInFlight (at least 1). clientKey names a
// request's client (nil: the address it came from).
func newGate(maxInFlight, maxQueued, perClient int, wait time.Duration, clientKey func(*nethttp.Request) string, reg prometheus.Registerer) *gate {
	if maxInFlight <= 0 {
		return nil
	}
	if maxQueued <= 0 {
		maxQueued = 64 * maxInFlight
	}
	if perClient <= 0 {
		perClient = max(1, maxInFlight/2)
	}
	if clientKey == nil {
		clientKey = func(r *nethttp.Request) string { return remoteAddr(r.RemoteAddr).String() }
	}
	shed := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "trustmark_http_shed_total",
		Help: "Requests answered 503 unavailable without being served because the server was at its limit of requests in flight, by reason: wait (no place within the longest wait), queue (too many waiting already).",
	}, []string{"reason"})
	g := &gate{slots: make(chan struct{}, maxInFlight), wait: max(0, wait), maxQueued: int64(maxQueued),
		perClient: perClient, clientKey: clientKey, held: map[string]*share{},
		shedWait: shed.WithLabelValues(shedWait), shedQueue: shed.WithLabelValues(shedQueue)}
	reg.MustRegister(shed, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "trustmark_http_requests_waiting",
		Help: "Requests waiting for a place among the requests in flight.",
	}, func() float64 { return float64(g.waiting.Load()) }))
	return g
}

// share is a client's part of the places: a semaphore of perClient, kept
// while any of the client's requests holds or waits for it.
type share struct {
	sem  chan struct{}
	refs int
}

// shareOf returns client's share, counting a request in it.
func (g *gate) shareOf(client string) *share {
	g.mu.Lock()
	defer g.mu.Unlock()
	sh := g.held[client]
	if sh == nil {
		sh = &share{sem: make(chan struct{}, g.perClient)}
		g.held[client] = sh
	}
	sh.refs++
	return sh
}

// done counts a request of client out of its share.
func (g *gate) done(client string, sh *share) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if sh.refs--; sh.refs == 0 {
		delete(g.held, client)
	}
}

// acquire takes a place for client's request: one of the client's share,
// then one of the server's, waiting for both at most g.wait in all. It
// returns the share and "" when it has both, or why it has none: shedWait,
// shedQueue, or the request's context ended. A client past its share
// waits without holding a place, so that its slow requests cannot take
// the others' places while its fast ones are served in turn.
func (g *gate) acquire(r *nethttp.Request, client string) (sh *share, reason string, err error) {
	sh = g.shareOf(client)
	if reason, err = g.take(r, sh.sem); reason != "" || err != nil {
		g.done(client, sh)
		return nil, reason, err
	}
	return sh, "", nil
}

// take puts a token in share and then one in the server's places,
// waiting at most g.wait; when it fails it holds neither.
func (g *gate) take(r *nethttp.Request, share chan struct{}) (reason string, err error) {
	shared := false
	select {
	case share <- struct{}{}:
		shared = true
		select {
		case g.slots <- struct{}{}:
			return "", nil
		default:
		}
	default:
	}
	fail := func(reason string, err error) (string, error) {
		if shared {
			<-share
		}
		return reason, err
	}
	if g.waiting.Add(1) > g.maxQueued {
		g.waiting.Add(-1)
		return fail(shedQueue, nil)
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.wait)
	defer t.Stop()
	if !shared {
		select {
		case share <- struct{}{}:
			shared = true
		case <-t.C:
			return fail(shedWait, nil)
		case <-r.Context().Done():
			return fail("", r.Context().Err())
		}
	}
	select {
	case g.slots <- struct{}{}:
		return "", nil
	case <-t.C:
		return fail(shedWait, nil)
	case <-r.Context().Done():
		return fail("", r.Context().Err())
	}
}

// release gives back a request's place and its client's share.
func (g *gate) release(client string, sh *share) {
	<-g.slots
	<-sh.sem
	g.done(client, sh)
}

// shed serves requests through the gate; paths (as exempt takes them)
// pass without a place: a health check must answer while the server is
// busy, and says so itself.
func (s *Server) shed(next nethttp.Handler, paths ...string) nethttp.Handler {
	g := s.gate
	if g == nil {
		return next
	}
	gated := nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		client := g.clientKey(r)
		sh, reason, err := g.acquire(r, client)
		switch {
		case err != nil:
			Error(w, r, err) // the client left while waiting: 499
			return
		case reason != "":
			g.refuse(w, r, reason)
			return
		}
		var sw *shedWriter
		if info := infoOf(r); info != nil {
			sw = &info.shed // no allocation of its own
		} else {
			sw = new(shedWriter)
		}
		*sw = shedWriter{ResponseWriter: w, g: g, client: client, share: sh}
		defer sw.leave()
		next.ServeHTTP(sw, r)
	})
	return exempt(gated, next, paths...)
}

// refuse answers a request the gate found no place for, counting why,
// 503 with Retry-After.
func (g *gate) refuse(w nethttp.ResponseWriter, r *nethttp.Request, reason string) {
	if reason == shedWait {
		g.shedWait.Inc()
	} else {
		g.shedQueue.Inc()
	}
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterOverloaded))
	w.Header().Set("Cache-Control", "no-store")
	Refuse(w, r, trustmark.Reasonf(trustmark.EUnavailable, "http.overloaded", "",
		"the server is at its limit of requests and could not take this one; retry after %d s", retryAfterOverloaded))
}

// streamRelease is how much of an answer a request writes before it gives
// its place up. A page or document is written at once from a buffer, at
// the end; an answer streamed in many writes (CSV, exports, a campaign's
// commitment) has done the work a place is for once it streams, and
// a slow reader must not hold a place for minutes (the server's write
// timeout) while others are refused.
const streamRelease = 64 << 10

// shedWriter is the writer of a request that holds a place: it gives the
// place up after streamRelease bytes, on a Flush, or when the request ends.
type shedWriter struct {
	nethttp.ResponseWriter
	g       *gate
	client  string
	share   *share
	written int
	left    bool
}

func (w *shedWriter) leave() {
	if !w.left {
		w.left = true
		w.g.release(w.client, w.share)
	}
}

func (w *shedWriter) Write(p []byte) (int, error) {
	if !w.left {
		if w.written += len(p); w.written > streamRelease {
			w.leave()
		}
	}
	return w.ResponseWriter.Write(p)
}

// Flush gives the place up (a flushing handler streams) and flushes.
func (w *shedWriter) Flush() {
	w.leave()
	nethttp.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap is for http.ResponseController.
func (w *shedWriter) Unwrap() nethttp.ResponseWriter { return w.ResponseWriter }
