package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skip2/go-qrcode"

	"trustmark"
	"trustmark/demo"
	tmhttp "trustmark/http"
	"trustmark/search"
	"trustmark/sqlstore"
)

// The certificate page against a bare net/http handler (issue 16, fault 8),
// side by side in one run:
//
//	go test ./web -run '^$' -bench 'PageVsBare' -benchtime 4000x
//	go test ./web -run '^$' -bench 'PageInProcess' -benchmem -cpuprofile cpu.out && go tool pprof -top web.test cpu.out
//	go test ./web -run '^$' -bench 'QRDraw' -benchmem

// pageServer is the production stack (the server's middleware, metrics,
// request log to /dev/null, rate limiter, the portal mounted as serve
// mounts it) over SQLite holding the tiny demo data set.
type pageServer struct {
	srv     *tmhttp.Server
	portal  *Handler
	numbers []string // about 200 certificate numbers
	orgs    []string // their holders
	words   []string // the first characters of their holders' names
	page    []byte   // one certificate page, for the bare handler
}

var (
	pageOnce sync.Once
	pageSrv  *pageServer
	pageErr  error
)

func newPageServer(b *testing.B) *pageServer {
	b.Helper()
	pageOnce.Do(func() { pageSrv, pageErr = buildPageServer() })
	if pageErr != nil {
		b.Fatal(pageErr)
	}
	return pageSrv
}

func buildPageServer() (*pageServer, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "trustmark-bench")
	if err != nil {
		return nil, err
	}
	// The data set lives as long as the benchmark binary; the OS's temp
	// cleaning removes it after.
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.Open(ctx, filepath.Join(dir, "trustmark.db"), sqlstore.WithLogger(quiet))
	if err != nil {
		return nil, err
	}
	if _, err := demo.Generate(ctx, st, demo.Options{Scale: demo.ScaleTiny, Seed: 1}); err != nil {
		return nil, err
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return nil, err
	}
	// The index on disk, as serve opens it (scorch), not OpenMem's
	// in-memory kind, whose costs differ.
	ix, err := search.Open(filepath.Join(dir, "search"))
	if err != nil {
		return nil, err
	}
	if _, err := ix.CatchUp(ctx, trustmark.NewFeed(st, trustmark.FeedOptions{Logger: quiet}), st); err != nil {
		return nil, err
	}
	// The request log to /dev/null, batched as serve writes it.
	log := slog.New(slog.NewTextHandler(tmhttp.NewLogWriter(devnull, 50*time.Millisecond), nil))
	limit := tmhttp.NewRateLimit(tmhttp.RateLimitConfig{AnonRate: 1e9, AnonBurst: 1e9, TokenRate: 1e9, Authenticate: st.Authenticate})
	srv := tmhttp.NewServer(tmhttp.Config{Store: st, Logger: log, RateLimit: limit.Wrap})
	portal := NewHandler(Config{Store: st, Search: ix, Logger: log, BaseURL: "https://trustmark.example.cn", Auth: srv.Auth(), ClientKey: limit.ClientAddr})
	srv.MountPages(portal)
	p := &pageServer{srv: srv, portal: portal}
	page, err := st.Certificates(ctx, trustmark.CertificateFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	for i, c := range page.Items {
		if i%4 == 0 && len(p.numbers) < 200 {
			p.numbers = append(p.numbers, c.Number)
			p.orgs = append(p.orgs, string(c.HolderUSCC))
			if r := []rune(c.HolderName); len(r) >= 4 {
				p.words = append(p.words, string(r[:2+i%3]))
			}
		}
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/certificates/"+p.numbers[0], nil))
	if w.Code != 200 {
		return nil, fmt.Errorf("page %s: %d", p.numbers[0], w.Code)
	}
	p.page = w.Body.Bytes()
	return p, nil
}

// BenchmarkPageVsBare requests certificate pages over loopback HTTP (64
// keep-alive connections) through the served stack and from a bare handler
// serving one fixed page, alternately in ten rounds, and reports both
// costs and their ratio (bare/served time). Each served request is for a
// page whose QR code is not cached yet for the first 200 requests.
func BenchmarkPageVsBare(b *testing.B) {
	p := newPageServer(b)
	served := httptest.NewServer(p.srv)
	defer served.Close()
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(p.page)
	}))
	defer bare.Close()
	path := func(i int) string { return "/certificates/" + p.numbers[i%len(p.numbers)] }
	tr := &http.Transport{MaxIdleConns: 128, MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var spentServed, spentBare, cpuServed, cpuBare time.Duration
	b.ResetTimer()
	for round := range 10 {
		n := b.N / 10
		if round == 9 {
			n = b.N - n*9
		}
		c0 := cpuTime()
		spentServed += pageBurst(b, client, served.URL, path, n)
		c1 := cpuTime()
		spentBare += pageBurst(b, client, bare.URL, path, n)
		cpuServed, cpuBare = cpuServed+c1-c0, cpuBare+cpuTime()-c1
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuServed.Microseconds())/float64(b.N), "served-cpu-µs/req")
	b.ReportMetric(float64(cpuBare.Microseconds())/float64(b.N), "bare-cpu-µs/req")
	b.ReportMetric(float64(cpuBare)/float64(cpuServed), "cpu-ratio")
	b.ReportMetric(float64(spentServed.Microseconds())/float64(b.N), "served-µs/req")
	b.ReportMetric(float64(spentBare.Microseconds())/float64(b.N), "bare-µs/req")
	b.ReportMetric(float64(spentBare)/float64(spentServed), "ratio")
}

func pageBurst(b *testing.B, client *http.Client, base string, path func(int) string, n int) time.Duration {
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				resp, err := client.Get(base + path(i))
				if err != nil {
					failed.Store(err.Error())
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failed.Store(fmt.Sprintf("GET %s: %d", path(i), resp.StatusCode))
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

// BenchmarkPageInProcess serves certificate pages without a network, for
// profiles and allocation counts. "cold" empties the QR cache before each
// request, as a registry too large for the cache sees it.
func BenchmarkPageInProcess(b *testing.B) {
	p := newPageServer(b)
	for _, cold := range []bool{false, true} {
		name := "warm"
		if cold {
			name = "cold"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			h := p.srv
			cpu0 := cpuTime()
			defer func() { reportCPU(b, cpu0) }()
			for i := 0; b.Loop(); i++ {
				if cold {
					p.portal.cache.qr.init()
					p.portal.cache.qr.codes.Purge()
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", "/certificates/"+p.numbers[i%len(p.numbers)], nil))
				if w.Code != 200 {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

// BenchmarkQRDraw draws a certificate page's QR code as go-qrcode's PNG
// does and as qrPNG does, side by side.
func BenchmarkQRDraw(b *testing.B) {
	u := "https://trustmark.example.cn/certificates/2025010901000001"
	b.Run("library", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			q, err := qrcode.New(u, qrcode.Medium)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := q.PNG(-1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("qrPNG", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := qrPNG(u); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMix serves issue 16's mix (40% API lookups, 15% certificate
// pages, 10% organisation pages, 20% name searches, 15% bulk verifications
// of 100 items) in process through the whole server, for a profile of
// where the mix's time goes:
//
//	go test ./web -run '^$' -bench Mix -benchtime 4000x -cpuprofile cpu.out && go tool pprof -top web.test cpu.out
func BenchmarkMix(b *testing.B) {
	p := newPageServer(b)
	var body strings.Builder
	body.WriteString(`{"items":[`)
	for i := range 100 {
		if i > 0 {
			body.WriteString(",")
		}
		if i%10 == 1 {
			fmt.Fprintf(&body, "%q", p.orgs[i%len(p.orgs)])
		} else {
			fmt.Fprintf(&body, "%q", p.numbers[(i*7)%len(p.numbers)])
		}
	}
	body.WriteString("]}")
	verify := body.String()
	schedule := []string{"lookup", "search", "page", "lookup", "verify", "org", "lookup", "search", "page", "lookup",
		"verify", "lookup", "search", "org", "lookup", "page", "verify", "lookup", "search", "lookup"}
	b.ReportAllocs()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	for i := 0; b.Loop(); i++ {
		k := (i * 7919) % len(p.numbers)
		var r *http.Request
		switch schedule[i%len(schedule)] {
		case "lookup":
			r = httptest.NewRequest("GET", "/api/v1/certificates/"+p.numbers[k], nil)
		case "page":
			r = httptest.NewRequest("GET", "/certificates/"+p.numbers[k], nil)
		case "org":
			r = httptest.NewRequest("GET", "/orgs/"+p.orgs[k], nil)
		case "search":
			r = httptest.NewRequest("GET", "/search?q="+url.QueryEscape(p.words[k%len(p.words)]), nil)
		case "verify":
			r = httptest.NewRequest("POST", "/api/v1/verify", strings.NewReader(verify))
			r.Header.Set("Content-Type", "application/json")
		}
		w := httptest.NewRecorder()
		p.srv.ServeHTTP(w, r)
		if w.Code >= 400 {
			b.Fatalf("%s %s: %d %s", r.Method, r.URL, w.Code, w.Body)
		}
	}
}

// reportCPU reports the process's CPU time per operation since cpu0: on a
// machine shared with other jobs, a figure the neighbours do not inflate
// as they do wall time.
func reportCPU(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

// BenchmarkSearchPage serves the search page for the mix's name searches
// (the first two to four characters of holders' names, rotating), in
// process, for profiles and CPU time per page:
//
//	go test ./web -run '^$' -bench SearchPage -benchtime 2000x -benchmem -cpuprofile cpu.out && go tool pprof -top web.test cpu.out
func BenchmarkSearchPage(b *testing.B) {
	p := newPageServer(b)
	b.ReportAllocs()
	cpu0 := cpuTime()
	defer func() { reportCPU(b, cpu0) }()
	for i := 0; b.Loop(); i++ {
		w := httptest.NewRecorder()
		p.srv.ServeHTTP(w, httptest.NewRequest("GET", "/search?q="+url.QueryEscape(p.words[(i*7919)%len(p.words)]), nil))
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}
