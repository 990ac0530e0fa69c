package http_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"trustmark"
	"trustmark/demo"
	tmhttp "trustmark/http"
	"trustmark/sqlstore"
)

// The lookup route against a bare net/http handler (issue 16, fault 8): the
// served route must cost at most twice the bare one. Both run in the same
// benchmark, alternating, so that a shared machine's load falls on both.
//
//	go test ./http -run '^$' -bench 'LookupVsBare' -benchtime 20000x
//	go test ./http -run '^$' -bench 'LookupInProcess' -benchmem -cpuprofile cpu.out && go tool pprof -top http.test cpu.out

// demoServer is the production stack (middleware, metrics, request log to
// /dev/null, batched as serve writes it to standard error, the rate limiter with a
// limit the benchmark never reaches) over SQLite holding the tiny demo data
// set; numbers are about 200 of its certificate numbers.
type demoServer struct {
	srv     *tmhttp.Server
	plain   *tmhttp.Server // the same without the lookup cache
	store   *sqlstore.DB
	numbers []string
	doc     []byte // one certificate's JSON answer, for the bare handler
}

var (
	demoOnce sync.Once
	demoSrv  *demoServer
	demoErr  error
	demoDir  string
)

// newDemoServer builds the demo server once per test binary: generating
// the data set takes a few seconds.
func newDemoServer(b *testing.B) *demoServer {
	b.Helper()
	demoOnce.Do(func() {
		ctx := context.Background()
		demoDir, demoErr = os.MkdirTemp("", "trustmark-bench")
		if demoErr != nil {
			return
		}
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		st, err := sqlstore.Open(ctx, filepath.Join(demoDir, "trustmark.db"), sqlstore.WithLogger(quiet))
		if err != nil {
			demoErr = err
			return
		}
		if _, err := demo.Generate(ctx, st, demo.Options{Scale: demo.ScaleTiny, Seed: 1}); err != nil {
			demoErr = err
			return
		}
		devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			demoErr = err
			return
		}
		limit := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 1e9, AnonBurst: 1e9, TokenRate: 1e9, Authenticate: st.Authenticate})
		log := slog.New(slog.NewTextHandler(tmhttp.NewLogWriter(devnull, 50*time.Millisecond), nil))
		srv := tmhttp.NewServer(tmhttp.Config{Store: st, Logger: log, RateLimit: limit.Wrap})
		plain := tmhttp.NewServer(tmhttp.Config{Store: st, Logger: log, RateLimit: limit.Wrap, LookupCache: -1})
		d := &demoServer{srv: srv, plain: plain, store: st}
		page, err := st.Certificates(ctx, trustmark.CertificateFilter{Limit: 1000})
		if err != nil {
			demoErr = err
			return
		}
		for i, c := range page.Items {
			if i%4 == 0 && len(d.numbers) < 200 {
				d.numbers = append(d.numbers, c.Number)
			}
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/certificates/"+d.numbers[0], nil))
		if w.Code != 200 {
			demoErr = fmt.Errorf("lookup %s: %d %s", d.numbers[0], w.Code, w.Body)
			return
		}
		d.doc = w.Body.Bytes()
		demoSrv = d
	})
	if demoErr != nil {
		b.Fatal(demoErr)
	}
	return demoSrv
}

// TestMain removes the demo database the benchmarks made.
func TestMain(m *testing.M) {
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

// bareHandler serves a fixed certificate document, as the cheapest
// possible JSON server would.
func bareHandler(doc []byte) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(doc)
	})
}

// BenchmarkLookupVsBare runs GET /api/v1/certificates/{number} over
// loopback HTTP (64 keep-alive connections, as wrk -c64) through the served
// stack and against a bare handler, alternately in rounds, and reports
// both costs and their ratio (bare/served time; ≥ 0.5 is the target).
func BenchmarkLookupVsBare(b *testing.B) {
	d := newDemoServer(b)
	served := httptest.NewServer(d.srv)
	defer served.Close()
	bare := httptest.NewServer(bareHandler(d.doc))
	defer bare.Close()
	paths := make([]string, len(d.numbers))
	for i, n := range d.numbers {
		paths[i] = "/api/v1/certificates/" + n
	}
	sideBySide(b, 64, []target{
		{"served", served.URL, func(i int) string { return paths[i%len(paths)] }},
		{"bare", bare.URL, func(i int) string { return paths[i%len(paths)] }},
	})
}

// target is one server of a side-by-side run.
type target struct {
	name string
	base string
	path func(i int) string
}

// sideBySide sends b.N requests to each target over conns keep-alive
// connections, in ten alternating rounds, and reports each target's
// microseconds per request (wall time divided by requests) and the ratio
// of the last target's cost to the first's; the same for the process's
// CPU time (client and server: both sides pay the same client), which the
// neighbours on a shared machine do not inflate.
func sideBySide(b *testing.B, conns int, targets []target) {
	tr := &nethttp.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	client := &nethttp.Client{Transport: tr, Timeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	spent := make([]time.Duration, len(targets))
	cpu := make([]time.Duration, len(targets))
	const rounds = 10
	b.ResetTimer()
	for round := range rounds {
		n := b.N / rounds
		if round == rounds-1 {
			n = b.N - n*(rounds-1)
		}
		for ti, t := range targets {
			c0 := cpuTime()
			spent[ti] += burst(b, client, t, n, conns)
			cpu[ti] += cpuTime() - c0
		}
	}
	b.StopTimer()
	for ti, t := range targets {
		b.ReportMetric(float64(spent[ti].Microseconds())/float64(b.N), t.name+"-µs/req")
		b.ReportMetric(float64(cpu[ti].Microseconds())/float64(b.N), t.name+"-cpu-µs/req")
	}
	b.ReportMetric(float64(spent[len(spent)-1])/float64(spent[0]), "ratio")
	b.ReportMetric(float64(cpu[len(cpu)-1])/float64(cpu[0]), "cpu-ratio")
	b.ReportMetric(0, "ns/op") // both sides are reported above
}

// burst sends n requests to t from conns goroutines and returns the time.
func burst(b *testing.B, client *nethttp.Client, t target, n, conns int) time.Duration {
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				resp, err := client.Get(t.base + t.path(i))
				if err != nil {
					failed.Store(err.Error())
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failed.Store(fmt.Sprintf("%s %s: %d", t.name, t.path(i), resp.StatusCode))
					return
				}
			}
		}()
	}
	wg.Wait()
	if v := failed.Load(); v != nil {
		b.Fatal(v)
	}
	return time.Since(start)
}

// BenchmarkLookupInProcess runs the same lookups without a network, for
// profiles and allocation counts of the server's own work: served (with
// the lookup cache, as serve runs), uncached (every lookup read from
// SQLite) and bare.
func BenchmarkLookupInProcess(b *testing.B) {
	d := newDemoServer(b)
	bare := bareHandler(d.doc)
	for _, k := range []struct {
		name string
		h    nethttp.Handler
	}{{"served", d.srv}, {"uncached", d.plain}, {"bare", bare}} {
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			defer func() {
				b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/1000/float64(b.N), "cpu-µs/op")
			}()
			var i atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n := d.numbers[int(i.Add(1))%len(d.numbers)]
					w := httptest.NewRecorder()
					k.h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/certificates/"+n, nil))
					if w.Code != 200 {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used so far,
// a figure the neighbours on a shared machine do not inflate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
