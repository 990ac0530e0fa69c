package http

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	nethttp "net/http"
	"runtime/debug"
	"strings"
	"time"

	"trustmark"
)

// requestInfo is what the middleware learns about a request while it is
// served: the inner layers fill it in, the outer one logs and counts it.
type requestInfo struct {
	id      string
	base    *slog.Logger // the server's logger
	logger  *slog.Logger // base with the request id, made when a handler first asks
	pattern string       // the ServeMux pattern that matched, "" if none
	actor   string       // the authenticated party, if any
	errCode string       // the error code answered, if any
	pages   Pages        // the server's pages, which answer refusals of page requests

	// body is the request's body before limitBody bounded it, for a
	// route with a limit of its own (WithBodyLimit).
	body io.ReadCloser

	mux  muxWriter  // the writer the mux gets (Server.route), allocated with the info
	shed shedWriter // the writer of a request holding a place (shed.go), likewise
}

type infoKey struct{}

// SetRoute records the pattern that r was routed by, for its request line
// and its metrics, when a handler mounted on a wider pattern routes it
// further (the pages, all mounted on "/", each by its own pattern).
func SetRoute(r *nethttp.Request, pattern string) {
	if info := infoOf(r); info != nil && pattern != "" {
		info.pattern = pattern
	}
}

func infoOf(r *nethttp.Request) *requestInfo {
	info, _ := r.Context().Value(infoKey{}).(*requestInfo)
	return info
}

// log returns the request's logger. Most requests never log but their
// request line, which adds the id itself: deriving a logger for each one
// (slog's With formats the attribute in advance) cost more than the lookup
// it served.
func (info *requestInfo) log() *slog.Logger {
	if info.logger == nil {
		info.logger = info.base.With(slog.String("request_id", info.id))
	}
	return info.logger
}

// logger returns the request's logger (with its request id), for handlers
// that log.
func logger(r *nethttp.Request) *slog.Logger {
	if info := infoOf(r); info != nil {
		return info.log()
	}
	return slog.Default()
}

// Logger returns the logger of a request served by a Server, carrying the
// request id; mounted packages use it so their lines join the request's.
func Logger(r *nethttp.Request) *slog.Logger { return logger(r) }

// served is what observe allocates for a request, in one piece: the
// status writer handed down and the info handed through the context.
type served struct {
	sw   statusWriter
	info requestInfo
}

// observe logs one structured line per request and records its metrics.
func (s *Server) observe(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = newRequestID()
		}
		sv := &served{sw: statusWriter{ResponseWriter: w}, info: requestInfo{id: id, base: s.cfg.Logger, pages: s.pages}}
		info, sw := &sv.info, &sv.sw
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		w.Header()["X-Request-Id"] = []string{id}

		s.metrics.inflight.Inc()
		defer s.metrics.inflight.Dec()
		next.ServeHTTP(sw, r)

		elapsed := time.Since(start)
		status := sw.status
		if status == 0 {
			status = nethttp.StatusOK
		}
		route := info.pattern
		if route == "" {
			// Answered before routing (rate limit, body limit, preflight)
			// or by no route at all.
			if _, route = s.mux.Handler(r); route == "" {
				route = "unmatched"
			}
		}
		s.metrics.observe(r.Method, route, status, elapsed)

		level := slog.LevelInfo
		switch {
		case status >= 500 && status != statusClientClosed:
			level = slog.LevelError
		case status < 400 && (route == "GET /healthz" || route == "GET /metrics"):
			level = slog.LevelDebug // probes and scrapes every few seconds would drown the log
		}
		ctx := r.Context()
		if !s.cfg.Logger.Enabled(ctx, level) {
			return
		}
		// A record made here with no caller's PC: Logger.LogAttrs would walk
		// the stack for every request (runtime.Callers) for a source that
		// the request line never prints.
		rec := slog.NewRecord(time.Now(), level, "request", 0)
		rec.AddAttrs(
			slog.String("request_id", id),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Int64("bytes", sw.bytes),
			slog.Duration("duration", elapsed),
			slog.String("remote", r.RemoteAddr),
		)
		if info.actor != "" {
			rec.AddAttrs(slog.String("actor", info.actor))
		}
		if info.errCode != "" {
			rec.AddAttrs(slog.String("error_code", info.errCode))
		}
		s.cfg.Logger.Handler().Handle(ctx, rec)
	})
}

// newRequestID returns 16 hexadecimal digits from the runtime's ChaCha8
// generator (math/rand/v2, seeded by the system): an id needs to be
// unique, and crypto/rand's system call for each request cost more.
func newRequestID() string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

// recoverPanics turns a panic in a handler into a logged 500 internal error,
// so that one bad request does not take the server down.
func (s *Server) recoverPanics(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == nethttp.ErrAbortHandler {
				panic(v) // the handler asks to abort the connection
			}
			logger(r).LogAttrs(r.Context(), slog.LevelError, "panic serving request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
			if sw, ok := w.(*statusWriter); ok && sw.status != 0 {
				return // the answer has begun; nothing sensible can be added
			}
			Error(w, r, errors.New("panic")) // logged above with the details
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses bodies over the limit: at once when Content-Length says
// so, otherwise when a handler reads past it (DecodeJSON then answers
// too_large). A form posted to a page is left to its page, which reads at
// most the limit and says so in the page's language; so is a route with a
// limit of its own (ownBodyLimit), which its handler sets (WithBodyLimit).
func (s *Server) limitBody(next nethttp.Handler) nethttp.Handler {
	limit := s.cfg.MaxBodyBytes
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		if r.ContentLength > limit && !pageForm(r) && !ownBodyLimit(r) {
			w.Header().Set("Connection", "close")
			Error(w, r, trustmark.Reasonf(trustmark.ETooLarge, "http.body_too_large", "", "request body is %d bytes, larger than the %d bytes allowed", r.ContentLength, limit))
			return
		}
		if r.Body != nil && r.Body != nethttp.NoBody {
			if info := infoOf(r); info != nil {
				info.body = r.Body
			}
			r.Body = nethttp.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// pageForm reports whether r is a form posted to a page (not to the API).
func pageForm(r *nethttp.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	ct := r.Header.Get("Content-Type")
	return strings.HasPrefix(ct, "multipart/form-data") || strings.HasPrefix(ct, "application/x-www-form-urlencoded")
}

// cors lets web pages of any origin call the API: its answers are public
// and its writes are authorised by bearer tokens, never by cookies, so no
// origin gains anything by being allowed. Preflight requests are answered
// here.
func cors(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "Location, Retry-After, X-Request-Id")
		if r.Method == nethttp.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			h.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(nethttp.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status and size of an answer. Unwrap lets
// http.ResponseController reach the connection's Flusher and deadlines.
type statusWriter struct {
	nethttp.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = nethttp.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() nethttp.ResponseWriter { return w.ResponseWriter }

// Flush passes flushes through, for streaming handlers that assert
// http.Flusher directly.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(nethttp.Flusher); ok {
		if w.status == 0 {
			w.status = nethttp.StatusOK
		}
		f.Flush()
	}
}
