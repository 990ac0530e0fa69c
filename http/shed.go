package http

import (
	nethttp "net/http"
	"strconv"
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

// gate holds the places of the requests served at once. Safe for
// concurrent use.
type gate struct {
	slots     chan struct{}
	wait      time.Duration
	maxQueued int64
	waiting   atomic.Int64

	shedWait, shedQueue prometheus.Counter
}

// newGate returns a gate of maxInFlight places, or nil (no limit) when
// maxInFlight is 0 or less. maxQueued 0 or less means 64 × maxInFlight.
func newGate(maxInFlight, maxQueued int, wait time.Duration, reg prometheus.Registerer) *gate {
	if maxInFlight <= 0 {
		return nil
	}
	if maxQueued <= 0 {
		maxQueued = 64 * maxInFlight
	}
	shed := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "trustmark_http_shed_total",
		Help: "Requests answered 503 unavailable without being served because the server was at its limit of requests in flight, by reason: wait (no place within the longest wait), queue (too many waiting already).",
	}, []string{"reason"})
	g := &gate{slots: make(chan struct{}, maxInFlight), wait: max(0, wait), maxQueued: int64(maxQueued),
		shedWait: shed.WithLabelValues(shedWait), shedQueue: shed.WithLabelValues(shedQueue)}
	reg.MustRegister(shed, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "trustmark_http_requests_waiting",
		Help: "Requests waiting for a place among the requests in flight.",
	}, func() float64 { return float64(g.waiting.Load()) }))
	return g
}

// acquire takes a place for a request, waiting at most g.wait, and
// returns "" when it has one, or why it has none: shedWait, shedQueue, or
// the request's context ended.
func (g *gate) acquire(r *nethttp.Request) (reason string, err error) {
	select {
	case g.slots <- struct{}{}:
		return "", nil
	default:
	}
	if g.waiting.Add(1) > g.maxQueued {
		g.waiting.Add(-1)
		return shedQueue, nil
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return "", nil
	case <-t.C:
		return shedWait, nil
	case <-r.Context().Done():
		return "", r.Context().Err()
	}
}

func (g *gate) release() { <-g.slots }

// shed serves requests through the gate; paths (as exempt takes them)
// pass without a place: a health check must answer while the server is
// busy, and says so itself.
func (s *Server) shed(next nethttp.Handler, paths ...string) nethttp.Handler {
	g := s.gate
	if g == nil {
		return next
	}
	gated := nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		reason, err := g.acquire(r)
		switch {
		case err != nil:
			Error(w, r, err) // the client left while waiting: 499
			return
		case reason != "":
			if reason == shedWait {
				g.shedWait.Inc()
			} else {
				g.shedQueue.Inc()
			}
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterOverloaded))
			w.Header().Set("Cache-Control", "no-store")
			Refuse(w, r, trustmark.Reasonf(trustmark.EUnavailable, "http.overloaded", "",
				"the server is at its limit of requests and could not take this one; retry after %d s", retryAfterOverloaded))
			return
		}
		var sw *shedWriter
		if info := infoOf(r); info != nil {
			sw = &info.shed // no allocation of its own
		} else {
			sw = new(shedWriter)
		}
		*sw = shedWriter{ResponseWriter: w, g: g}
		defer sw.leave()
		next.ServeHTTP(sw, r)
	})
	return exempt(gated, next, paths...)
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
	written int
	left    bool
}

func (w *shedWriter) leave() {
	if !w.left {
		w.left = true
		w.g.release()
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
