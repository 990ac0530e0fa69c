package http

import (
	nethttp "net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are a server's Prometheus metrics, in a registry of its own (no
// global state: tests run many servers in one process).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inflight prometheus.Gauge

	// The children of requests and duration by method and route, looked up
	// once: WithLabelValues hashes its labels and formats the status code
	// on every call.
	mu     sync.RWMutex
	routes map[routeKey]*routeMetrics
}

type routeKey struct{ method, route string }

// routeMetrics are one method and route's metric children.
type routeMetrics struct {
	duration prometheus.Observer
	mu       sync.RWMutex
	codes    map[int]prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		// Labelled by route pattern, never by raw path: certificate numbers
		// in paths would make the label set unbounded.
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trustmark_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "trustmark_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method and route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .0075, .01, .015, .02, .025, .05, .1, .25, .5, 1, 2.5, 10}, // fine around the 20 ms page target
		}, []string{"method", "route"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "trustmark_http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		routes: map[routeKey]*routeMetrics{},
	}
	m.reg.MustRegister(m.requests, m.duration, m.inflight,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// methods bounds the method label; anything else a client invents is "other".
var methods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	if !methods[method] {
		method = "other"
	}
	rm := m.route(method, route)
	rm.duration.Observe(d.Seconds())
	rm.mu.RLock()
	c := rm.codes[status]
	rm.mu.RUnlock()
	if c == nil {
		rm.mu.Lock()
		if c = rm.codes[status]; c == nil {
			c = m.requests.WithLabelValues(method, route, strconv.Itoa(status))
			rm.codes[status] = c
		}
		rm.mu.Unlock()
	}
	c.Inc()
}

// route returns the metric children of a method and route. Routes are the
// server's patterns and "unmatched", so the map stays as small as the
// route table.
func (m *metrics) route(method, route string) *routeMetrics {
	k := routeKey{method, route}
	m.mu.RLock()
	rm := m.routes[k]
	m.mu.RUnlock()
	if rm != nil {
		return rm
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if rm = m.routes[k]; rm == nil {
		rm = &routeMetrics{duration: m.duration.WithLabelValues(method, route), codes: map[int]prometheus.Counter{}}
		m.routes[k] = rm
	}
	return rm
}

func (m *metrics) handler() nethttp.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}
