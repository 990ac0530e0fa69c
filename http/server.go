// Package http is Trustmark's HTTP adapter: the server plumbing (routing on
// the standard library's ServeMux, logging, panic recovery, metrics, body
// limits), the one table from error codes to HTTP statuses, and the JSON API
// of CONTRACT.md over a trustmark.Store. Other front ends (the log, the
// portal, bulk verification) are mounted on the same Server.
package http

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	nethttp "net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"trustmark"
	"trustmark/bulk"
	"trustmark/calendar"
	"trustmark/statistics"
)

// DefaultMaxBodyBytes bounds a request body unless Config says otherwise. A
// bulk verification of 1,000 items is about 30 kB; an issued certificate
// under 2 kB.
const DefaultMaxBodyBytes = 1 << 20

// Config configures a Server.
type Config struct {
	// Addr is the address Open listens on, e.g. "127.0.0.1:8080"; port 0
	// picks a free port (tests).
	Addr string
	// Store is the registry. Required.
	Store trustmark.Store
	// Logger receives one line per request and every internal error.
	// Defaults to slog.Default().
	Logger *slog.Logger
	// Clock gives the time; "today" for effective statuses is its day in
	// China. Defaults to time.Now.
	Clock trustmark.Clock
	// RateLimit, when set, wraps every request but those of health checks,
	// metrics and the log's tiles (/healthz, /metrics, /log/), inside the
	// logging and metrics so that refusals (429) are counted.
	RateLimit func(nethttp.Handler) nethttp.Handler
	// Calendar is the official working-day calendar deadlines are counted
	// on. Defaults to calendar.Official().
	Calendar *calendar.Calendar
	// MaxBodyBytes bounds request bodies (413 too_large beyond it).
	// Defaults to DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Auth authenticates every request, of the API and of the pages.
	// Defaults to API tokens of parties only, resolved by Store.
	Auth *Auth
	// Verify answers bulk verification (POST /api/v1/verify). Defaults to
	// a bulk.Service over Store.
	Verify *bulk.Service
	// Watches keeps the watchlists of the watch routes. Defaults to Store
	// when it is a trustmark.WatchStore; with none, the watch routes answer
	// not_found.
	Watches trustmark.WatchStore
	// Statistics counts the plan's indicators (GET
	// /api/v1/statistics/indicators). Defaults to Store when it is a
	// statistics.Source; with none, the route answers unavailable.
	Statistics statistics.Source

	// MaxInFlight bounds the requests served at once (all but /healthz and
	// /metrics); a request past it waits at most MaxWait (default
	// DefaultMaxWait), with at most MaxQueued others (default 64 ×
	// MaxInFlight), and is otherwise answered 503 unavailable with
	// Retry-After (shed.go). 0: no limit.
	MaxInFlight int
	MaxQueued   int
	MaxWait     time.Duration
	// MaxInFlightPerClient bounds the places one client holds (shed.go);
	// 0 means half of MaxInFlight. ClientKey names a request's client, as
	// the rate limiter does behind trusted proxies; nil means the address
	// the request came from.
	MaxInFlightPerClient int
	ClientKey            func(*nethttp.Request) string

	// LookupCache bounds the answers of GET /api/v1/certificates/{number}
	// kept in memory (lookupcache.go): 0 means DefaultLookupCacheEntries,
	// a negative number no cache. A store without a commit signal
	// (trustmark.FeedStore) gets none. LookupCacheTTL bounds how long an
	// answer is served, and so how late a write by another process (another
	// server on the same database) is seen; default DefaultLookupCacheTTL.
	// Writes by this server are seen at once.
	LookupCache    int
	LookupCacheTTL time.Duration
}

// Server is Trustmark's HTTP server. Create it with NewServer, Mount other
// handlers, then Open it (or use it as an http.Handler in tests). Mount is
// not safe once the server serves requests.
type Server struct {
	cfg      Config
	mux      *nethttp.ServeMux
	routes   map[string]*route
	patterns []string // in registration order
	handler  nethttp.Handler
	metrics  *metrics

	ln  net.Listener
	srv *nethttp.Server

	health []func(context.Context) error // AddHealthCheck
	pages  Pages                         // MountPages
	auth   *Auth
	gate   *gate // the requests in flight (shed.go); nil: no limit

	lookups *lookupCache // the lookup's answers (lookupcache.go); nil: none
}

// route is a registered pattern whose handler Mount may replace: the API
// answers certificate history from the store until the log engine mounts
// its own handler with proofs on the same pattern.
type route struct{ h nethttp.Handler }

// ServeHTTP serves a matched request. Called by the server's mux through
// route, it records the pattern (set on r by the mux, so known even when
// the handler panics) and hands the handler the request's own writer.
func (rt *route) ServeHTTP(w nethttp.ResponseWriter, r *nethttp.Request) {
	if mw, ok := w.(*muxWriter); ok {
		mw.matched = true
		mw.info.pattern = r.Pattern
		w = mw.ResponseWriter
	}
	rt.h.ServeHTTP(w, r)
}

// NewServer returns a server for cfg with the JSON API, /healthz, /metrics
// and /api/openapi.json registered.
func NewServer(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Calendar == nil {
		cfg.Calendar = calendar.Official()
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.Verify == nil {
		cfg.Verify = bulk.New(bulk.Config{Store: cfg.Store, Clock: cfg.Clock, Logger: cfg.Logger})
	}
	if ws, ok := cfg.Store.(trustmark.WatchStore); ok && cfg.Watches == nil {
		cfg.Watches = ws
	}
	if src, ok := cfg.Store.(statistics.Source); ok && cfg.Statistics == nil {
		cfg.Statistics = src
	}
	if cfg.Auth == nil {
		cfg.Auth = NewAuth(AuthConfig{Tokens: cfg.Store, Clock: cfg.Clock, Logger: cfg.Logger})
	}
	s := &Server{
		cfg:     cfg,
		mux:     nethttp.NewServeMux(),
		routes:  map[string]*route{},
		metrics: newMetrics(),
		auth:    cfg.Auth,
	}
	s.gate = newGate(cfg.MaxInFlight, cfg.MaxQueued, cfg.MaxInFlightPerClient, cfg.MaxWait, cfg.ClientKey, s.metrics.reg)
	s.lookups = newLookupCache(cfg.Store, cfg.LookupCache, cfg.LookupCacheTTL, s.metrics.reg)
	s.registerAPI()
	s.registerRiskReports()
	s.handle("GET /healthz", nethttp.HandlerFunc(s.healthz))
	s.handle("GET /metrics", s.metrics.handler())
	s.handle("GET /api/openapi.json", nethttp.HandlerFunc(serveOpenAPI))
	// Anything else under /api/ is an unknown API route, answered in JSON
	// even when the portal is mounted at "/".
	s.handle("/api/", nethttp.HandlerFunc(s.apiFallback))

	// Outermost first: observe (log + metrics) sees the final status of
	// every request, panics included; the rate limit comes before reading
	// anything of the request, and before a place among the requests in
	// flight, which a refused client does not take.
	inner := s.shed(s.limitBody(nethttp.HandlerFunc(s.route)), "/healthz", "/metrics")
	if cfg.RateLimit != nil {
		inner = exempt(cfg.RateLimit(inner), inner, "/healthz", "/metrics", "/log/")
	}
	s.handler = s.observe(s.recoverPanics(cors(inner)))
	return s
}

// Mount registers h for pattern (a Go 1.22 ServeMux pattern such as
// "POST /api/v1/verify", "/log/" or "/"). Mounting a pattern the server
// already serves replaces its handler; a pattern that conflicts with another
// one panics, as ServeMux does.
func (s *Server) Mount(pattern string, h nethttp.Handler) {
	if rt, ok := s.routes[pattern]; ok {
		rt.h = h
		return
	}
	s.handle(pattern, h)
}

func (s *Server) handle(pattern string, h nethttp.Handler) {
	rt := &route{h: h}
	s.mux.Handle(pattern, rt)
	s.routes[pattern] = rt
	s.patterns = append(s.patterns, pattern)
}

// Patterns returns the registered patterns, mounted ones included, in the
// order they were registered.
func (s *Server) Patterns() []string { return append([]string(nil), s.patterns...) }

// AddHealthCheck adds a check to /healthz: while check returns an error,
// /healthz answers it (its code gives the status) instead of "ok". Call it
// before the server serves requests.
func (s *Server) AddHealthCheck(check func(context.Context) error) {
	s.health = append(s.health, check)
}

// Auth returns the server's authentication, for mounted packages: every
// request is authenticated by this one path.
func (s *Server) Auth() *Auth { return s.auth }

// Registry returns the server's Prometheus registry, served at /metrics, so
// that mounted packages can register their own metrics.
func (s *Server) Registry() *prometheus.Registry { return s.metrics.reg }

// ServeHTTP serves a request through the middleware and routes.
func (s *Server) ServeHTTP(w nethttp.ResponseWriter, r *nethttp.Request) { s.handler.ServeHTTP(w, r) }

// route dispatches to the mux, matching each request once: the mux calls a
// registered route (route.ServeHTTP), which takes the request's writer back
// from the muxWriter; anything the mux answers itself (not found, method
// not allowed, a redirect to a cleaned path) stays in the muxWriter and is
// translated here into the JSON error shape.
func (s *Server) route(w nethttp.ResponseWriter, r *nethttp.Request) {
	info := infoOf(r)
	if info == nil {
		info = &requestInfo{}
	}
	mw := &info.mux
	*mw = muxWriter{ResponseWriter: w, info: info}
	s.mux.ServeHTTP(mw, r)
	if !mw.matched {
		s.unmatched(w, r, &mw.capture)
	}
}

// unmatched answers a request no route took with what the mux wrote for
// it: its plain-text 404 and 405 become JSON errors (or the portal's
// pages), anything else (a redirect) is passed on.
func (s *Server) unmatched(w nethttp.ResponseWriter, r *nethttp.Request, rec *capture) {
	switch rec.status {
	case nethttp.StatusNotFound:
		s.notFound(w, r)
		return
	case nethttp.StatusMethodNotAllowed:
		w.Header().Set("Allow", rec.header.Get("Allow"))
		writeError(w, r, nethttp.StatusMethodNotAllowed, trustmark.EInvalid,
			trustmark.Invalidf("http.method", "", "method %s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, rec.header.Get("Allow")))
		return
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body)
}

// apiFallback answers requests under /api/ that no API route matched with
// their method: 405 when the path exists with other methods, else 404.
func (s *Server) apiFallback(w nethttp.ResponseWriter, r *nethttp.Request) {
	var allowed []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		if m == r.Method || (m == "GET" && r.Method == "HEAD") {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := s.mux.Handler(probe); p != "" && p != "/api/" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) == 0 {
		s.notFound(w, r)
		return
	}
	allow := strings.Join(allowed, ", ")
	w.Header().Set("Allow", allow)
	writeError(w, r, nethttp.StatusMethodNotAllowed, trustmark.EInvalid,
		trustmark.Invalidf("http.method", "", "method %s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, allow))
}

// exempt sends requests whose path is one of the given paths (or under one
// ending in "/") to plain, all others to limited.
func exempt(limited, plain nethttp.Handler, paths ...string) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		for _, p := range paths {
			if r.URL.Path == p || (strings.HasSuffix(p, "/") && strings.HasPrefix(r.URL.Path, p)) {
				plain.ServeHTTP(w, r)
				return
			}
		}
		limited.ServeHTTP(w, r)
	})
}

func (s *Server) notFound(w nethttp.ResponseWriter, r *nethttp.Request) {
	Error(w, r, trustmark.Reasonf(trustmark.ENotFound, "http.not_found", "", "no such address: %s %s (the API is described at /api/openapi.json)", r.Method, r.URL.Path))
}

// muxWriter is the writer the mux gets: a matched route takes the
// request's writer from it; otherwise it captures what the mux answers.
type muxWriter struct {
	capture
	nethttp.ResponseWriter
	info    *requestInfo
	matched bool
}

func (m *muxWriter) Header() nethttp.Header      { return m.capture.Header() }
func (m *muxWriter) WriteHeader(status int)      { m.capture.WriteHeader(status) }
func (m *muxWriter) Write(b []byte) (int, error) { return m.capture.Write(b) }

// capture records a response the mux writes for unmatched requests.
type capture struct {
	header nethttp.Header
	status int
	body   []byte
}

func (c *capture) Header() nethttp.Header {
	if c.header == nil {
		c.header = nethttp.Header{}
	}
	return c.header
}
func (c *capture) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}
func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = nethttp.StatusOK
	}
	c.body = append(c.body, b...)
	return len(b), nil
}

// healthz answers 200 when the store answers a lookup, 503 otherwise. It
// looks up a certificate that cannot exist: an index probe, cheap at any
// scale, that exercises the database connection. The number must be well
// formed, or the store answers not found without asking the database.
func (s *Server) healthz(w nethttp.ResponseWriter, r *nethttp.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	_, err := s.cfg.Store.Certificate(ctx, "HEALTHZ-PROBE")
	if err != nil && !trustmark.IsNotFound(err) {
		logger(r).LogAttrs(r.Context(), slog.LevelError, "health check failed", slog.Any("err", err))
		Error(w, r, &trustmark.Error{Code: trustmark.EUnavailable, Reason: "http.database", Message: "the registry database does not answer", Err: err})
		return
	}
	for _, check := range s.health {
		if err := check(ctx); err != nil {
			Error(w, r, err)
			return
		}
	}
	WriteJSON(w, nethttp.StatusOK, map[string]string{"status": "ok"})
}

// Listen binds Config.Addr without serving yet, so that URL is known before
// the handlers that print it are mounted; Open then serves on it.
func (s *Server) Listen() error {
	if s.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	return nil
}

// Open starts listening on Config.Addr (unless Listen did) and serving in
// the background.
func (s *Server) Open() error {
	if err := s.Listen(); err != nil {
		return err
	}
	ln := s.ln
	s.srv = &nethttp.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, nethttp.ErrServerClosed) {
			s.cfg.Logger.Error("http server stopped", "err", err)
		}
	}()
	return nil
}

// URL returns the base URL the server listens on, e.g.
// "http://127.0.0.1:8080", or "" before Open. An unspecified host (":8080",
// "0.0.0.0") is shown as localhost.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	addr := s.ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "localhost"
	}
	return (&url.URL{Scheme: "http", Host: net.JoinHostPort(host, fmt.Sprint(addr.Port))}).String()
}

// Close stops the server gracefully, waiting up to ctx's deadline for
// requests in flight.
func (s *Server) Close(ctx context.Context) error {
	if s.srv == nil {
		if s.ln != nil {
			return s.ln.Close() // listened, never served
		}
		return nil
	}
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	return err
}

// today is the current day in China by the server's clock.
func (s *Server) today() trustmark.Date { return trustmark.DateOf(s.cfg.Clock()) }

// storeFor returns the server's store as T, the port of one capability,
// or unavailable naming what a server whose store lacks it does not keep.
func storeFor[T any](s *Server, what string) (T, error) {
	st, ok := s.cfg.Store.(T)
	if !ok {
		var zero T
		return zero, trustmark.Errorf(trustmark.EUnavailable, "", "this server does not keep %s", what)
	}
	return st, nil
}
