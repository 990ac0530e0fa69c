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
	o := benchFlags(fs)
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if err := o.check(); err != nil {
		return fs.fail("%v", err)
	}
	store, err := sqlstore.Open(ctx, resolveDSN(o.dsn))
	if err != nil {
		return fs.fail("%s", cliMessage(err))
	}
	smp, err := benchSample(ctx, store, o.sample)
	store.Close()
	if err != nil {
		return fs.fail("sampling certificates: %v", err)
	}
	if len(smp.numbers) == 0 {
		return fs.fail("sampling certificates: the database holds none")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.conc * 2}, Timeout: 30 * time.Second}
	before, scrapeErr := scrapeHistogram(ctx, client, o.base)
	res := o.load(ctx, client, smp)
	if len(res.latencies) == 0 {
		return fs.fail("no request was sent (interrupted)")
	}
	res.print(stdout, o)
	if scrapeErr == nil {
		printServerTime(ctx, stdout, client, o.base, before)
	}
	if res.errs > 0 {
		return 2
	}
	return 0
}

// benchOptions are the bench command's flags.
type benchOptions struct {
	dsn, base, what string
	n, conc, sample int
	maxTime         time.Duration
}

// benchFlags adds the bench command's flags to fs; their values are read
// once fs is parsed.
func benchFlags(fs *subcommand) *benchOptions {
	o := &benchOptions{}
	fs.StringVar(&o.dsn, "db", "", dbFlagHelp)
	fs.StringVar(&o.base, "url", "http://127.0.0.1:8080", "the server to measure (loopback only)")
	fs.StringVar(&o.what, "what", "lookup", "lookup (GET /api/v1/certificates/N), page (GET /certificates/N), org (GET /orgs/USCC, the holder's page), body (GET /bodies/NO, the issuing body's page), search (GET /search?q=NAME), verify (POST /api/v1/verify, 1,000 items a call)")
	fs.IntVar(&o.n, "n", 20000, "requests to send")
	fs.IntVar(&o.conc, "concurrency", 4, "requests in flight")
	fs.IntVar(&o.sample, "sample", 20000, "identifiers to sample from the database")
	fs.DurationVar(&o.maxTime, "max-time", 2*time.Minute, "stop after this long whatever the count")
	return o
}

// check refuses flag values out of their range, and a server that is not
// on loopback: the load is meant for one's own machine.
func (o *benchOptions) check() error {
	switch o.what {
	case "lookup", "page", "org", "body", "search", "verify":
	default:
		return fmt.Errorf("--what: want lookup, page, org, body, search or verify, got %q", o.what)
	}
	if o.n < 1 || o.conc < 1 || o.maxTime <= 0 {
		return fmt.Errorf("--n and --concurrency want at least 1, and --max-time more than 0")
	}
	u, err := url.Parse(o.base)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		return fmt.Errorf("--url must be a loopback address, got %q", o.base)
	}
	return nil
}

// request returns a request of the kind --what names, about identifiers
// drawn from smp with r, and how many items it asks about.
func (o *benchOptions) request(r *rand.Rand, smp *sample) (*http.Request, int) {
	base, numbers, names := o.base, smp.numbers, smp.names
	num := numbers[r.IntN(len(numbers))]
	switch o.what {
	case "page":
		req, _ := http.NewRequest("GET", base+"/certificates/"+url.PathEscape(num), nil)
		return req, 1
	case "org":
		req, _ := http.NewRequest("GET", base+"/orgs/"+url.PathEscape(smp.holders[r.IntN(len(smp.holders))]), nil)
		return req, 1
	case "body":
		req, _ := http.NewRequest("GET", base+"/bodies/"+url.PathEscape(smp.bodies[r.IntN(len(smp.bodies))]), nil)
		return req, 1
	case "search":
		name := []rune(names[r.IntN(len(names))])
		q := string(name[:min(len(name), 2+r.IntN(3))])
		req, _ := http.NewRequest("GET", base+"/search?q="+url.QueryEscape(q), nil)
		return req, 1
	case "verify":
		items := make([]string, 1000)
		for i := range items {
			items[i] = numbers[r.IntN(len(numbers))]
		}
		body, _ := json.Marshal(map[string]any{"items": items})
		req, _ := http.NewRequest("POST", base+"/api/v1/verify", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return req, len(items)
	default: // lookup
		req, _ := http.NewRequest("GET", base+"/api/v1/certificates/"+url.PathEscape(num), nil)
		return req, 1
	}
}

// benchResult is what the requests of a bench run met.
type benchResult struct {
	mu        sync.Mutex
	latencies []time.Duration
	items     int // items asked about in the requests answered
	errs      int // requests that got no answer
	statuses  map[int]int
	elapsed   time.Duration
}

// load sends --n requests from --concurrency workers, stopping early after
// --max-time or when ctx is done. Each worker draws its identifiers from a
// generator of its own with a fixed seed, so that runs ask the same.
func (o *benchOptions) load(ctx context.Context, client *http.Client, smp *sample) *benchResult {
	res := &benchResult{statuses: map[int]int{}}
	deadline := time.Now().Add(o.maxTime)
	jobs := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < o.conc; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 7))
			for range jobs {
				req, k := o.request(r, smp)
				t0 := time.Now()
				resp, err := client.Do(req.WithContext(ctx))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				res.add(time.Since(t0), resp, k, err)
			}
		}(uint64(w + 1))
	}
	for i := 0; i < o.n && time.Now().Before(deadline) && ctx.Err() == nil; i++ {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// add records one request that took d and asked about k items: its answer
// resp, or the error that left it without one.
func (res *benchResult) add(d time.Duration, resp *http.Response, k int, err error) {
	res.mu.Lock()
	defer res.mu.Unlock()
	res.latencies = append(res.latencies, d)
	if err != nil {
		res.errs++
	} else {
		res.statuses[resp.StatusCode]++
		res.items += k
	}
}

// print writes the run's counts, latency percentiles and throughput; it
// sorts res.latencies.
func (res *benchResult) print(w io.Writer, o *benchOptions) {
	latencies := res.latencies
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[min(len(latencies)-1, int(float64(len(latencies))*p))] }
	fmt.Fprintf(w, "bench %s: %d requests in %s, concurrency %d, statuses %v, errors %d\n", o.what, len(latencies), res.elapsed.Round(time.Millisecond), o.conc, res.statuses, res.errs)
	fmt.Fprintf(w, "latency p50 %s p90 %s p99 %s max %s\n", pct(0.50), pct(0.90), pct(0.99), latencies[len(latencies)-1])
	fmt.Fprintf(w, "throughput %.0f requests/s, %.0f items/s\n", float64(len(latencies))/res.elapsed.Seconds(), float64(res.items)/res.elapsed.Seconds())
}

// printServerTime writes the server's own time for the run, from its
// /metrics histogram scraped before (before) and now; nothing when the
// scrape fails or no route answered.
func printServerTime(ctx context.Context, w io.Writer, client *http.Client, base string, before serverHistogram) {
	after, err := scrapeHistogram(ctx, client, base)
	if err != nil {
		return
	}
	if route, n, p50, p99 := serverQuantiles(before, after); n > 0 {
		fmt.Fprintf(w, "server time (its /metrics histogram, %q, %d requests, interpolated within buckets) p50 %s p99 %s\n",
			route, n, p50.Round(10*time.Microsecond), p99.Round(10*time.Microsecond))
	}
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
