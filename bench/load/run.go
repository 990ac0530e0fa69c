package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// stats are the results of one route (or of all).
type stats struct {
	lat      []time.Duration
	ok       int
	limited  int            // 429: the rate limit, not an error
	errors   map[string]int // status or transport error → count
	bytesIn  uint64
	first    time.Time
	lastDone time.Time
}

func (s *stats) add(r *vegeta.Result) {
	if s.errors == nil {
		s.errors = map[string]int{}
	}
	if s.first.IsZero() || r.Timestamp.Before(s.first) {
		s.first = r.Timestamp
	}
	if e := r.End(); e.After(s.lastDone) {
		s.lastDone = e
	}
	s.lat = append(s.lat, r.Latency)
	s.bytesIn += r.BytesIn
	switch {
	case r.Code == 429:
		s.limited++
	case r.Code >= 200 && r.Code < 400 && r.Error == "":
		s.ok++
	case r.Code == 0:
		s.errors[shortError(r.Error)]++
	default:
		s.errors[strconv.Itoa(int(r.Code))]++
	}
}

// shortError drops the URL from a transport error, so that errors group.
func shortError(e string) string {
	if i := strings.LastIndex(e, ": "); i >= 0 {
		return e[i+2:]
	}
	return e
}

func (s *stats) nerrors() int {
	n := 0
	for _, c := range s.errors {
		n += c
	}
	return n
}

func (s *stats) pct(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	i := int(float64(len(s.lat))*p/100+0.5) - 1
	return s.lat[max(0, min(i, len(s.lat)-1))]
}

// attack runs a, collecting the results by route.
func attack(ctx context.Context, a *vegeta.Attacker, tr vegeta.Targeter, p vegeta.Pacer, d time.Duration, name string) (map[string]*stats, *stats) {
	by := map[string]*stats{}
	all := &stats{}
	results := a.Attack(tr, p, d, name)
	stopped := false
	for r := range results {
		if ctx.Err() != nil && !stopped {
			a.Stop()
			stopped = true
		}
		route := routeOf(r.Method, r.URL)
		s := by[route]
		if s == nil {
			s = &stats{}
			by[route] = s
		}
		s.add(r)
		all.add(r)
	}
	for _, s := range by {
		slices.Sort(s.lat)
	}
	slices.Sort(all.lat)
	return by, all
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

// report prints a table of the results by route, then the total.
func report(title string, by map[string]*stats, all *stats, wall time.Duration) {
	fmt.Printf("\n%s\n", title)
	fmt.Printf("%-18s %8s %9s %8s %8s %8s %9s %7s %7s  %s\n", "route", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "429", "errors", "error kinds")
	line := func(name string, s *stats) {
		kinds := make([]string, 0, len(s.errors))
		for k, n := range s.errors {
			kinds = append(kinds, fmt.Sprintf("%s×%d", k, n))
		}
		slices.Sort(kinds)
		fmt.Printf("%-18s %8d %9.0f %8s %8s %8s %9s %7d %7d  %s\n", name, len(s.lat), float64(len(s.lat))/wall.Seconds(),
			ms(s.pct(50)), ms(s.pct(95)), ms(s.pct(99)), ms(s.pct(100)), s.limited, s.nerrors(), strings.Join(kinds, " "))
	}
	for _, r := range routes {
		if s := by[r]; s != nil {
			line(r, s)
		}
	}
	line("all", all)
}

// newAttacker returns a vegeta attacker for conns connections at most
// (0: as many as the rate needs).
func newAttacker(o options, workers, conns int) *vegeta.Attacker {
	opts := []func(*vegeta.Attacker){
		vegeta.Timeout(o.timeout), vegeta.KeepAlive(true), vegeta.Redirects(0),
		vegeta.Workers(uint64(workers)), vegeta.MaxBody(0),
		vegeta.Connections(max(conns, 10000)),
	}
	if conns > 0 {
		opts = append(opts, vegeta.MaxWorkers(uint64(conns)), vegeta.MaxConnections(conns))
	} else {
		opts = append(opts, vegeta.MaxWorkers(50000))
	}
	return vegeta.NewAttacker(opts...)
}

// openLoop sends the mix at a constant rate.
func openLoop(ctx context.Context, o options, base string, d *data) {
	fmt.Printf("\nopen loop: the mix at %d requests/s for %s (vegeta, constant arrival rate)\n", o.rate, o.duration)
	a := newAttacker(o, 200, 0)
	start := time.Now()
	by, all := attack(ctx, a, mixTargeter(base, d), vegeta.ConstantPacer{Freq: o.rate, Per: time.Second}, o.duration, "open")
	wall := time.Since(start)
	report(fmt.Sprintf("open loop, %d req/s offered, %d sent in %s (%.0f/s achieved):", o.rate, len(all.lat), wall.Round(time.Millisecond), float64(len(all.lat))/wall.Seconds()), by, all, wall)
	verdict(all, 100*time.Millisecond)
}

// closedLoop sends the mix from o.conns connections as fast as they are
// answered.
func closedLoop(ctx context.Context, o options, base string, d *data) {
	fmt.Printf("\nclosed loop: the mix from %d connections for %s\n", o.conns, o.duration)
	a := newAttacker(o, o.conns, o.conns)
	start := time.Now()
	by, all := attack(ctx, a, mixTargeter(base, d), vegeta.ConstantPacer{}, o.duration, "closed")
	wall := time.Since(start)
	report(fmt.Sprintf("closed loop, %d connections, %d requests in %s:", o.conns, len(all.lat), wall.Round(time.Millisecond)), by, all, wall)
	verdict(all, 0)
}

// verdict prints whether the run met issue 16's goal.
func verdict(all *stats, p99 time.Duration) {
	ok := all.nerrors() == 0 && all.limited == 0
	msg := fmt.Sprintf("errors %d, 429 %d", all.nerrors(), all.limited)
	if p99 > 0 {
		ok = ok && all.pct(99) <= p99
		msg += fmt.Sprintf(", p99 %s ms (goal ≤ %s ms)", ms(all.pct(99)), ms(p99))
	}
	mark := "MET"
	if !ok {
		mark = "NOT MET"
	}
	fmt.Printf("goal %s: %s\n", mark, msg)
}

// compareSide is one of the two servers compare measures, with its figures.
type compareSide struct {
	name string
	url  string
	cpu  func() time.Duration // the serving process's CPU time so far; nil: unknown
	wrk  []float64
	veg  []float64
	// CPU time of the serving process and requests served under wrk
	cpuSpent time.Duration
	served   float64
}

// compare measures the lookup route against a bare handler serving one
// fixed certificate document from this process, alternately.
func compare(ctx context.Context, o options, base string, d *data) error {
	numbers := d.numbers[:min(200, len(d.numbers))]
	doc, err := fetch(ctx, base+"/api/v1/certificates/"+numbers[0])
	if err != nil {
		return err
	}
	bare, bareURL, err := serveBare(doc)
	if err != nil {
		return err
	}
	defer bare.Close()

	fmt.Printf("\nlookup against a bare handler: GET /api/v1/certificates/{number}, %d rotating numbers, %d connections, rounds of %s, alternately\n",
		len(numbers), o.cmpConns, o.cmpTime)
	wrk, _ := exec.LookPath("wrk")
	var script string
	if wrk != "" {
		dir, err := os.MkdirTemp("", "trustmark-wrk")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		script = filepath.Join(dir, "rotate.lua")
		if err := os.WriteFile(script, []byte(rotateScript(numbers)), 0o644); err != nil {
			return err
		}
	}
	// The server's own CPU per request under wrk, read from its process
	// (the started server) or from this one (the bare handler, the only
	// work of this process while wrk runs): a figure that the machine's
	// other load does not inflate, unlike requests a second.
	var served func() time.Duration
	if o.serverPID != 0 {
		served = func() time.Duration { return procCPU(o.serverPID) }
	}
	sides := []*compareSide{{name: "trustmark", url: base, cpu: served}, {name: "bare net/http", url: bareURL, cpu: selfCPU}}
	for round := 0; round < 2 && ctx.Err() == nil; round++ {
		for _, s := range sides {
			if wrk != "" {
				if err := s.measureWrk(ctx, o, wrk, script); err != nil {
					return err
				}
			}
			rps, errs := vegetaLookups(ctx, o, s.url, numbers)
			s.veg = append(s.veg, rps)
			fmt.Printf("  vegeta %-14s %9.0f req/s, %d errors\n", s.name, rps, errs)
		}
	}
	printRatios(o, sides[0], sides[1], wrk != "")
	return nil
}

// serveBare serves doc to every request from this process, on a free
// port, and returns the server and its URL.
func serveBare(doc []byte) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	bare := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(doc)
	})}
	go bare.Serve(ln)
	return bare, "http://" + ln.Addr().String(), nil
}

// rotateScript is a wrk script whose requests look up the numbers in turn.
func rotateScript(numbers []string) string {
	var b strings.Builder
	b.WriteString("numbers = {")
	for i, n := range numbers {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q", n)
	}
	b.WriteString("}\ni = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", \"/api/v1/certificates/\" .. numbers[(i % #numbers) + 1])\nend\n")
	return b.String()
}

// measureWrk runs one round of wrk against s and prints its requests a
// second and, when s's CPU time can be read, the server's CPU per request.
func (s *compareSide) measureWrk(ctx context.Context, o options, wrk, script string) error {
	var c0 time.Duration
	if s.cpu != nil {
		c0 = s.cpu()
	}
	rps, err := runWrk(ctx, wrk, script, s.url, o.cmpConns, o.cmpTime)
	if err != nil {
		return err
	}
	s.wrk = append(s.wrk, rps)
	line := fmt.Sprintf("  wrk    %-14s %9.0f req/s", s.name, rps)
	if s.cpu != nil {
		spent := s.cpu() - c0
		s.cpuSpent += spent
		s.served += rps * o.cmpTime.Seconds()
		line += fmt.Sprintf(", server CPU %.1f µs/request", float64(spent.Microseconds())/(rps*o.cmpTime.Seconds()))
	}
	fmt.Println(line)
	return nil
}

// printRatios prints how the served side compares with the bare one over
// all rounds: requests a second (with wrk, when it ran, and with vegeta)
// and the server's CPU per request under wrk.
func printRatios(o options, served, bare *compareSide, withWrk bool) {
	if withWrk {
		fmt.Printf("ratio (wrk -t2 -c%d):    %.2f   served / bare requests/s (goal ≥ 0.50)\n", o.cmpConns, total(served.wrk)/total(bare.wrk))
		if served.cpu != nil && served.served > 0 && bare.served > 0 {
			ca, cb := served.cpuSpent.Seconds()/served.served, bare.cpuSpent.Seconds()/bare.served
			fmt.Printf("server CPU per request under wrk: %.1f µs served, %.1f µs bare; ratio bare / served %.2f\n", ca*1e6, cb*1e6, cb/ca)
		}
	} else {
		fmt.Println("wrk is not installed (apt-get install wrk): vegeta figures only")
	}
	fmt.Printf("ratio (vegeta, %d conns): %.2f   served / bare requests/s (goal ≥ 0.50)\n", o.cmpConns, total(served.veg)/total(bare.veg))
}

// total is the sum of v.
func total(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}

// fetch returns the body of a GET answered 200.
func fetch(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != 200 {
		err = fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return b, err
}

var wrkRPS = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)

func runWrk(ctx context.Context, wrk, script, base string, conns int, d time.Duration) (float64, error) {
	cmd := exec.CommandContext(ctx, wrk, "-t2", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", int(d.Seconds())), "-s", script, base)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk: %v: %s", err, out)
	}
	m := wrkRPS.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("wrk printed no Requests/sec: %s", out)
	}
	if strings.Contains(string(out), "Non-2xx") || strings.Contains(string(out), "Socket errors") {
		fmt.Printf("  wrk reports errors against %s:\n%s", base, out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// vegetaLookups sends lookups from o.cmpConns connections for o.cmpTime
// and returns the requests answered a second and the errors.
func vegetaLookups(ctx context.Context, o options, base string, numbers []string) (float64, int) {
	i := 0
	tr := func(t *vegeta.Target) error {
		*t = vegeta.Target{Method: "GET", URL: base + "/api/v1/certificates/" + numbers[i%len(numbers)]}
		i++
		return nil
	}
	mu := make(chan struct{}, 1) // vegeta's workers call the targeter concurrently
	locked := func(t *vegeta.Target) error {
		mu <- struct{}{}
		defer func() { <-mu }()
		return tr(t)
	}
	a := newAttacker(o, o.cmpConns, o.cmpConns)
	start := time.Now()
	_, all := attack(ctx, a, locked, vegeta.ConstantPacer{}, o.cmpTime, "compare")
	return float64(all.ok) / time.Since(start).Seconds(), all.nerrors()
}

// procCPU returns the CPU time (user and system) of process pid so far,
// from /proc (Linux); 0 when it cannot be read.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name, which is in parentheses and may
	// hold spaces: utime and stime are the 12th and 13th of them.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(ut+st) * time.Second / ticks
}

// selfCPU returns this process's CPU time (user and system) so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
