package http_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"trustmark"
	tmhttp "trustmark/http"
)

// shedServer is a server over the fixture's store with a limit of
// requests in flight and a route, GET /api/v1/hold, that holds its place
// until release is closed, telling entered when it has one.
type shedServer struct {
	srv     *tmhttp.Server
	entered chan struct{}
	release chan struct{}
	clients int // holding clients so far
}

func newShedServer(t *testing.T, maxInFlight, maxQueued int, wait time.Duration) *shedServer {
	t.Helper()
	f := newFixture(t)
	s := &shedServer{entered: make(chan struct{}, 16), release: make(chan struct{})}
	s.srv = tmhttp.NewServer(tmhttp.Config{Store: f.store, Clock: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		MaxInFlight: maxInFlight, MaxQueued: maxQueued, MaxWait: wait})
	s.srv.Mount("GET /api/v1/hold", nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		s.entered <- struct{}{}
		<-s.release
		w.WriteHeader(nethttp.StatusNoContent)
	}))
	return s
}

// hold starts a request, from a client of its own, that takes a place and
// keeps it; its recorder is sent on the returned channel once it is
// answered.
func (s *shedServer) hold(t *testing.T) <-chan *httptest.ResponseRecorder {
	t.Helper()
	s.clients++
	return s.holdAs(t, fmt.Sprintf("198.51.100.%d:4000", s.clients))
}

// holdAs is hold from the client at addr.
func (s *shedServer) holdAs(t *testing.T, addr string) <-chan *httptest.ResponseRecorder {
	t.Helper()
	done := s.startAs(addr)
	select {
	case <-s.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the holding request never got a place")
	}
	return done
}

// startAs starts a holding request from the client at addr without
// waiting for it to have a place.
func (s *shedServer) startAs(addr string) <-chan *httptest.ResponseRecorder {
	done := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/api/v1/hold", nil)
		r.RemoteAddr = addr
		s.srv.ServeHTTP(w, r)
		done <- w
	}()
	return done
}

func (s *shedServer) get(path string, lang string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", path, nil)
	if lang != "" {
		r.Header.Set("Accept-Language", lang)
	}
	s.srv.ServeHTTP(w, r)
	return w
}

// metric returns the value of the gauge or counter name (with the label
// reason=reason when given) in the server's registry.
func (s *shedServer) metric(t *testing.T, name, reason string) float64 {
	t.Helper()
	mfs, err := s.srv.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if reason != "" && (len(m.GetLabel()) != 1 || m.GetLabel()[0].GetValue() != reason) {
				continue
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

// TestOverloadIsShedNotQueued: with every place among the requests in
// flight taken, a request waits at most MaxWait (or not at all when
// MaxQueued others wait) and is answered 503 unavailable with Retry-After,
// in the request's language, counted in trustmark_http_shed_total; the
// health check still answers; a request that waited within the bound is
// served once a place frees. Before the limit, the lookup below waited for
// as long as the holding requests held.
func TestOverloadIsShedNotQueued(t *testing.T) {
	t.Run("a request that finds no place within the wait is answered 503 at once", func(t *testing.T) {
		s := newShedServer(t, 2, 0, 30*time.Millisecond)
		a, b := s.hold(t), s.hold(t)
		start := time.Now()
		w := s.get("/api/v1/certificates/"+certQMS, "zh-CN")
		took := time.Since(start)
		var body tmhttp.ErrorBody
		json.Unmarshal(w.Body.Bytes(), &body)
		if w.Code != nethttp.StatusServiceUnavailable || body.Error.Code != trustmark.EUnavailable || w.Header().Get("Retry-After") != "1" {
			t.Fatalf("lookup with every place taken = %d %q Retry-After %q, want 503 unavailable Retry-After 1: %s",
				w.Code, body.Error.Code, w.Header().Get("Retry-After"), w.Body)
		}
		if !strings.Contains(body.Error.Message, "秒后再试") {
			t.Errorf("message %q, want the Chinese catalogue's", body.Error.Message)
		}
		if took > 5*time.Second {
			t.Errorf("shed after %v, want about the 30 ms wait", took)
		}
		if got := s.metric(t, "trustmark_http_shed_total", "wait"); got != 1 {
			t.Errorf("trustmark_http_shed_total{reason=wait} = %v, want 1", got)
		}
		if w := s.get("/healthz", ""); w.Code != nethttp.StatusOK {
			t.Errorf("/healthz with every place taken = %d, want 200: %s", w.Code, w.Body)
		}
		close(s.release)
		for _, done := range []<-chan *httptest.ResponseRecorder{a, b} {
			if w := <-done; w.Code != nethttp.StatusNoContent {
				t.Errorf("holding request = %d, want 204", w.Code)
			}
		}
		if w := s.get("/api/v1/certificates/"+certQMS, ""); w.Code != nethttp.StatusOK {
			t.Errorf("lookup after the places freed = %d, want 200: %s", w.Code, w.Body)
		}
		if got := s.metric(t, "trustmark_http_shed_total", "wait"); got != 1 {
			t.Errorf("trustmark_http_shed_total{reason=wait} = %v after, want still 1", got)
		}
	})
	t.Run("past MaxQueued waiting, a request is shed without waiting; one waiting is served when a place frees", func(t *testing.T) {
		s := newShedServer(t, 1, 1, time.Minute)
		a := s.hold(t)
		waited := make(chan *httptest.ResponseRecorder, 1)
		go func() { waited <- s.get("/api/v1/certificates/"+certQMS, "") }()
		deadline := time.Now().Add(10 * time.Second)
		for s.metric(t, "trustmark_http_requests_waiting", "") != 1 {
			if time.Now().After(deadline) {
				t.Fatal("the second request never waited")
			}
			time.Sleep(time.Millisecond)
		}
		start := time.Now()
		w := s.get("/api/v1/certificates/"+certQMS, "")
		if w.Code != nethttp.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" {
			t.Fatalf("third request with one waiting = %d Retry-After %q, want 503 Retry-After 1: %s", w.Code, w.Header().Get("Retry-After"), w.Body)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("shed after %v, want at once (the wait is a minute)", took)
		}
		if got := s.metric(t, "trustmark_http_shed_total", "queue"); got != 1 {
			t.Errorf("trustmark_http_shed_total{reason=queue} = %v, want 1", got)
		}
		close(s.release)
		if w := <-a; w.Code != nethttp.StatusNoContent {
			t.Errorf("holding request = %d, want 204", w.Code)
		}
		if w := <-waited; w.Code != nethttp.StatusOK {
			t.Errorf("the waiting request = %d, want 200 once the place freed: %s", w.Code, w.Body)
		}
	})
	t.Run("a streamed answer gives its place up once it streams, so a slow reader holds none", func(t *testing.T) {
		s := newShedServer(t, 1, 0, 30*time.Millisecond)
		streaming, done := make(chan struct{}), make(chan struct{})
		s.srv.Mount("GET /api/v1/stream", nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
			w.Write(make([]byte, 100<<10)) // past the first 64 KiB
			close(streaming)
			<-s.release // a client that reads slowly
		}))
		go func() {
			s.srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v1/stream", nil))
			close(done)
		}()
		<-streaming
		if w := s.get("/api/v1/certificates/"+certQMS, ""); w.Code != nethttp.StatusOK {
			t.Errorf("lookup while an answer streams = %d, want 200 (the stream gave its place up): %s", w.Code, w.Body)
		}
		close(s.release)
		<-done
		s.release = make(chan struct{})
		a := s.hold(t) // the place was given back once, not twice: one holder fills it
		if w := s.get("/api/v1/certificates/"+certQMS, ""); w.Code != nethttp.StatusServiceUnavailable {
			t.Errorf("lookup with the one place held = %d, want 503", w.Code)
		}
		close(s.release)
		<-a
	})
	t.Run("without a limit nothing is shed", func(t *testing.T) {
		s := newShedServer(t, 0, 0, 0)
		a := s.hold(t)
		if w := s.get("/api/v1/certificates/"+certQMS, ""); w.Code != nethttp.StatusOK {
			t.Errorf("lookup = %d, want 200", w.Code)
		}
		close(s.release)
		<-a
	})
}

// BenchmarkShedGate serves a handler that does nothing through the whole
// middleware, without a limit of requests in flight and with serve's
// default, side by side: the gate's cost to a request that finds a place.
//
//	go test ./http -run '^$' -bench ShedGate -benchmem -count 4
func BenchmarkShedGate(b *testing.B) {
	for _, limit := range []int{0, 32} {
		b.Run(map[int]string{0: "off", 32: "on"}[limit], func(b *testing.B) {
			srv := tmhttp.NewServer(tmhttp.Config{Store: nil, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxInFlight: limit})
			srv.Mount("GET /api/v1/noop", nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) { w.WriteHeader(nethttp.StatusNoContent) }))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				r := httptest.NewRequest("GET", "/api/v1/noop", nil)
				for pb.Next() {
					w := httptest.NewRecorder()
					srv.ServeHTTP(w, r)
					if w.Code != nethttp.StatusNoContent {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		})
	}
}

// TestSlowClientHoldsOnlyItsShare: a client holds at most half of the
// places (requests sending their bodies slowly hold theirs until the read
// timeout); its further requests wait without a place while other
// clients are served, and are served once one of its own finishes.
// Before the share, the third request below took a place at once, and a
// few dozen slow connections from one address took them all.
func TestSlowClientHoldsOnlyItsShare(t *testing.T) {
	s := newShedServer(t, 4, 0, 10*time.Second)
	const slow = "203.0.113.7:5000"
	a1, a2 := s.holdAs(t, slow), s.holdAs(t, slow)
	a3 := s.startAs(slow)
	select {
	case <-s.entered:
		t.Fatal("a client's third request took a place while it held two of four")
	case <-time.After(300 * time.Millisecond):
	}
	b := s.holdAs(t, "198.51.100.9:4000") // another client still gets a place
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/api/v1/certificates/"+certQMS, nil)
	r.RemoteAddr = "198.51.100.10:4000"
	s.srv.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("another client's lookup = %d, want 200 while the slow client waits", w.Code)
	}
	close(s.release)
	for i, done := range []<-chan *httptest.ResponseRecorder{a1, a2, a3, b} {
		select {
		case w := <-done:
			if w.Code != nethttp.StatusNoContent {
				t.Errorf("holding request %d = %d, want 204", i, w.Code)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("holding request %d was never answered", i)
		}
	}
}
