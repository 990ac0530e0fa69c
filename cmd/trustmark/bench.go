package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"trustmark"
	"trustmark/sqlstore"
)

// runBench measures a running server from outside, the way a user's client
// sees it: latency percentiles and throughput of certificate lookups, pages,
// searches or bulk verification, over HTTP on loopback. Sample identifiers
// come from the database the server uses. The request loop is bounded by
// count and time.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("bench", "usage: trustmark bench [--db DSN] --url URL [--what lookup|page|org|body|search|verify] [--n N] [--concurrency C]\n\nFlags:\n", stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	base := fs.String("url", "http://127.0.0.1:8080", "the server to measure (loopback only)")
	what := fs.String("what", "lookup", "lookup (GET /api/v1/certificates/N), page (GET /certificates/N), org (GET /orgs/USCC, the holder's page), body (GET /bodies/NO, the issuing body's page), search (GET /search?q=NAME), verify (POST /api/v1/verify, 1,000 items a call)")
	n := fs.Int("n", 20000, "requests to send")
	conc := fs.Int("concurrency", 4, "requests in flight")
	sample := fs.Int("sample", 20000, "identifiers to sample from the database")
	maxTime := fs.Duration("max-time", 2*time.Minute, "stop after this long whatever the count")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	switch *what {
	case "lookup", "page", "org", "body", "search", "verify":
	default:
		return fs.fail("--what: want lookup, page, org, body, search or verify, got %q", *what)
	}
	if *n < 1 || *conc < 1 || *maxTime <= 0 {
		return fs.fail("--n and --concurrency want at least 1, and --max-time more than 0")
	}
	u, err := url.Parse(*base)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		return fs.fail("--url must be a loopback address, got %q", *base)
	}
	store, err := sqlstore.Open(ctx, resolveDSN(*dsn))
	if err != nil {
		return fs.fail("%s", cliMessage(err))
	}
	smp, err := benchSample(ctx, store, *sample)
	store.Close()
	if err != nil || len(smp.numbers) == 0 {
		return fs.fail("sampling certificates: %v (found %d)", err, len(smp.numbers))
	}
	numbers, names := smp.numbers, smp.names
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc * 2}, Timeout: 30 * time.Second}
	request := func(r *rand.Rand) (*http.Request, int) {
		num := numbers[r.IntN(len(numbers))]
		switch *what {
		case "page":
			req, _ := http.NewRequest("GET", *base+"/certificates/"+url.PathEscape(num), nil)
			return req, 1
		case "org":
			req, _ := http.NewRequest("GET", *base+"/orgs/"+url.PathEscape(smp.holders[r.IntN(len(smp.holders))]), nil)
			return req, 1
		case "body":
			req, _ := http.NewRequest("GET", *base+"/bodies/"+url.PathEscape(smp.bodies[r.IntN(len(smp.bodies))]), nil)
			return req, 1
		case "search":
			name := []rune(names[r.IntN(len(names))])
			q := string(name[:min(len(name), 2+r.IntN(3))])
			req, _ := http.NewRequest("GET", *base+"/search?q="+url.QueryEscape(q), nil)
			return req, 1
		case "verify":
			items := make([]string, 1000)
			for i := range items {
				items[i] = numbers[r.IntN(len(numbers))]
			}
			body, _ := json.Marshal(map[string]any{"items": items})
			req, _ := http.NewRequest("POST", *base+"/api/v1/verify", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			return req, len(items)
		default: // lookup
			req, _ := http.NewRequest("GET", *base+"/api/v1/certificates/"+url.PathEscape(num), nil)
			return req, 1
		}
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		items     int
		errs      int
		statuses  = map[int]int{}
	)
	before, scrapeErr := scrapeHistogram(ctx, client, *base)
	deadline := time.Now().Add(*maxTime)
	jobs := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 7))
			for range jobs {
				req, k := request(r)
				t0 := time.Now()
				resp, err := client.Do(req.WithContext(ctx))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t0)
				mu.Lock()
				latencies = append(latencies, d)
				if err != nil {
					errs++
				} else {
					statuses[resp.StatusCode]++
					items += k
				}
				mu.Unlock()
			}
		}(uint64(w + 1))
	}
	for i := 0; i < *n && time.Now().Before(deadline) && ctx.Err() == nil; i++ {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	if len(latencies) == 0 {
		return fs.fail("no request was sent (interrupted)")
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[min(len(latencies)-1, int(float64(len(latencies))*p))] }
	fmt.Fprintf(stdout, "bench %s: %d requests in %s, concurrency %d, statuses %v, errors %d\n", *what, len(latencies), elapsed.Round(time.Millisecond), *conc, statuses, errs)
	fmt.Fprintf(stdout, "latency p50 %s p90 %s p99 %s max %s\n", pct(0.50), pct(0.90), pct(0.99), latencies[len(latencies)-1])
	fmt.Fprintf(stdout, "throughput %.0f requests/s, %.0f items/s\n", float64(len(latencies))/elapsed.Seconds(), float64(items)/elapsed.Seconds())
	if scrapeErr == nil {
		if after, err := scrapeHistogram(ctx, client, *base); err == nil {
			if route, n, p50, p99 := serverQuantiles(before, after); n > 0 {
				fmt.Fprintf(stdout, "server time (its /metrics histogram, %q, %d requests, interpolated within buckets) p50 %s p99 %s\n",
					route, n, p50.Round(10*time.Microsecond), p99.Round(10*time.Microsecond))
			}
		}
	}
	if errs > 0 {
		return 2
	}
	return 0
}

// sample is what benchSample found: certificate numbers, holder names and
// USCCs, and the bodies that issued them.
type sample struct {
	numbers, names, holders, bodies []string
}

// benchSample returns up to n certificates' numbers, holder names and
// USCCs, and the bodies that issued them, in number order.
func benchSample(ctx context.Context, store trustmark.Store, n int) (*sample, error) {
	s := &sample{}
	seenBody := map[string]bool{}
	f := trustmark.CertificateFilter{Limit: 1000}
	for len(s.numbers) < n {
		page, err := store.Certificates(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, c := range page.Items {
			s.numbers = append(s.numbers, c.Number)
			s.holders = append(s.holders, string(c.HolderUSCC))
			if c.HolderName != "" {
				s.names = append(s.names, c.HolderName)
			}
			if !seenBody[c.BodyApprovalNo] {
				seenBody[c.BodyApprovalNo] = true
				s.bodies = append(s.bodies, c.BodyApprovalNo)
			}
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	if len(s.names) == 0 {
		s.names = []string{"有限公司"}
	}
	return s, nil
}

// serverHistogram is the server's request-duration histogram for one
// route: cumulative counts by upper bound, as /metrics gives them.
type serverHistogram map[string][]bucket // by route

type bucket struct {
	le    float64
	count uint64
}

// scrapeHistogram reads trustmark_http_request_duration_seconds from the
// server's /metrics.
func scrapeHistogram(ctx context.Context, c *http.Client, base string) (serverHistogram, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, err
	}
	h := serverHistogram{}
	fam := fams["trustmark_http_request_duration_seconds"]
	if fam == nil {
		return h, nil
	}
	for _, m := range fam.GetMetric() {
		var route string
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" {
				route = l.GetValue()
			}
		}
		for _, b := range m.GetHistogram().GetBucket() {
			h[route] = append(h[route], bucket{b.GetUpperBound(), b.GetCumulativeCount()})
		}
	}
	return h, nil
}

// serverQuantiles returns the route that answered the most requests
// between two scrapes, how many, and its p50 and p99 server time,
// interpolated within the histogram's buckets as Prometheus's
// histogram_quantile does.
func serverQuantiles(before, after serverHistogram) (route string, n uint64, p50, p99 time.Duration) {
	var delta []bucket
	for r, bs := range after {
		d := make([]bucket, len(bs))
		for i, b := range bs {
			d[i] = b
			if old := before[r]; i < len(old) {
				d[i].count -= old[i].count
			}
		}
		if len(d) > 0 && d[len(d)-1].count > n {
			route, n, delta = r, d[len(d)-1].count, d
		}
	}
	q := func(p float64) time.Duration {
		rank := p * float64(n)
		lo, below := 0.0, uint64(0)
		for _, b := range delta {
			if float64(b.count) >= rank {
				if math.IsInf(b.le, 1) {
					return time.Duration(lo * float64(time.Second)) // beyond the last bound: say the bound
				}
				frac := (rank - float64(below)) / float64(max(1, b.count-below))
				return time.Duration((lo + (b.le-lo)*frac) * float64(time.Second))
			}
			lo, below = b.le, b.count
		}
		return 0
	}
	if n == 0 {
		return route, 0, 0, 0
	}
	return route, n, q(0.50), q(0.99)
}
