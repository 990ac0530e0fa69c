// Command load measures Trustmark under load (issue 16, fault 8), with
// vegeta as the load generator:
//
//	cd bench && go run ./load                      # everything below, on a fresh small demo
//	go run ./load -mode open -rate 2000 -duration 60s
//	go run ./load -mode closed -conns 1000 -duration 60s
//	go run ./load -mode compare -duration 20s      # the lookup route against a bare handler
//	go run ./load -url http://127.0.0.1:8080       # a server already running
//
// Without -url it builds trustmark from this repository, starts `trustmark
// serve --demo --anon-rate 0` on a free port over a new database (or -db),
// and stops it at the end. --anon-rate 0 lifts the per-address rate limit,
// which would otherwise answer most of a one-address load with 429; 429s
// are counted apart from errors either way.
//
// Modes:
//
//   - open: the mix of the issue (40% API lookups, 15% certificate pages,
//     10% organisation pages, 20% searches, 15% bulk verifications of 100
//     items) at a constant arrival rate (open loop: requests are sent on
//     schedule whether or not earlier ones were answered), with latency
//     percentiles and errors by route.
//   - closed: the same mix from -conns connections, each sending its next
//     request when the last is answered.
//   - compare: GET /api/v1/certificates/{number} over 200 rotating numbers,
//     64 connections, against a bare net/http handler in this process that
//     serves one fixed certificate document, alternately, with wrk when it
//     is installed (as the issue measured) and with vegeta; prints the
//     ratio of requests/s (served / bare; the target is ≥ 0.5).
//
// docs/BENCHMARKS.md ("Load") records the figures.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	url        string
	binary     string
	db         string
	scale      string
	mode       string
	rate       int
	duration   time.Duration
	conns      int
	cmpConns   int
	cmpTime    time.Duration
	timeout    time.Duration
	serverLogs string
	settle     time.Duration
	serveFlags []string // more flags for the started server (-serve-flag)
	serverPID  int      // the started server's process, 0 with -url
}

func main() {
	log.SetFlags(0)
	var o options
	flag.StringVar(&o.url, "url", "", "base URL of a running server (default: start trustmark serve --demo)")
	flag.StringVar(&o.binary, "trustmark", "", "the trustmark binary to start (default: build it from this repository)")
	flag.StringVar(&o.db, "db", "", "database of the started server; an existing one is reused (default: a new one in a temporary directory)")
	flag.StringVar(&o.scale, "demo-scale", "small", "demo data set of the started server: tiny, small or national")
	flag.StringVar(&o.mode, "mode", "all", "open, closed, compare or all")
	flag.IntVar(&o.rate, "rate", 2000, "requests a second of the open-loop mix")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "length of the open and closed runs")
	flag.IntVar(&o.conns, "conns", 1000, "connections of the closed-loop run")
	flag.IntVar(&o.cmpConns, "compare-conns", 64, "connections of the lookup comparison")
	flag.DurationVar(&o.cmpTime, "compare-duration", 0, "length of each of the comparison's four rounds (default: duration/6, at least 5s)")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Second, "timeout of one request")
	flag.DurationVar(&o.settle, "settle", 15*time.Minute, "wait at most this long for the server's background work (the log catching up with the events, the search index being built) to finish before measuring; 0: do not wait")
	flag.StringVar(&o.serverLogs, "server-log", "", "file for the started server's standard error (default: in the temporary directory)")
	flag.Func("serve-flag", "a further flag for the started trustmark serve, e.g. -serve-flag=--max-wait=100ms (repeatable)", func(v string) error {
		o.serveFlags = append(o.serveFlags, v)
		return nil
	})
	flag.Parse()
	if o.cmpTime == 0 {
		o.cmpTime = max(5*time.Second, o.duration/6)
	}
	switch o.mode {
	case "open", "closed", "compare", "all":
	default:
		log.Fatalf("-mode %q: want open, closed, compare or all", o.mode)
	}
	if err := run(o); err != nil {
		log.Fatal(err)
	}
}

func run(o options) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if n, err := raiseFileLimit(); err == nil {
		fmt.Printf("open files limit: %d\n", n)
	}
	base := strings.TrimSuffix(o.url, "/")
	if base == "" {
		srv, err := startServer(ctx, o)
		if err != nil {
			return err
		}
		defer srv.stop()
		base = srv.url
		o.serverPID = srv.cmd.Process.Pid
	}
	if o.settle > 0 {
		settle(ctx, base, o.settle)
	}
	data, err := fetchData(ctx, base)
	if err != nil {
		return err
	}
	fmt.Printf("server %s: %d certificates, %d organisations, %d search words taken from its data\n",
		base, len(data.numbers), len(data.orgs), len(data.words))
	if err := warm(ctx, base, data); err != nil {
		return err
	}
	if o.mode == "open" || o.mode == "all" {
		openLoop(ctx, o, base, data)
	}
	if o.mode == "closed" || o.mode == "all" {
		closedLoop(ctx, o, base, data)
	}
	if o.mode == "compare" || o.mode == "all" {
		if err := compare(ctx, o, base, data); err != nil {
			return err
		}
	}
	return nil
}

// raiseFileLimit raises the soft limit on open files to the hard one: the
// closed loop holds -conns connections, and a server started here
// inherits the limit for their other ends.
func raiseFileLimit() (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	l.Cur = l.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	return l.Cur, nil
}

// server is a trustmark serve process started by this command.
type server struct {
	url  string
	cmd  *exec.Cmd
	dir  string // temporary directory to remove, if any
	done chan error
}

// startServer starts trustmark serve --demo on a free port, building the
// binary first unless -trustmark names one, and returns once it answers
// /healthz.
func startServer(ctx context.Context, o options) (*server, error) {
	s := &server{done: make(chan error, 1)}
	dir, err := os.MkdirTemp("", "trustmark-load")
	if err != nil {
		return nil, err
	}
	s.dir = dir
	bin := o.binary
	if bin == "" {
		if bin, err = buildTrustmark(ctx, dir); err != nil {
			return nil, err
		}
	}
	db := o.db
	if db == "" {
		db = filepath.Join(dir, "load.db")
	}
	logPath := o.serverLogs
	if logPath == "" {
		logPath = filepath.Join(dir, "serve.log")
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--demo", "--demo-scale", o.scale, "--db", db, "--addr", "127.0.0.1:0", "--anon-rate", "0"}
	args = append(args, o.serveFlags...)
	fmt.Printf("starting %s %s (its log: %s; the demo data set takes a minute or more the first time)\n", bin, strings.Join(args, " "), logPath)
	urls, err := s.launch(bin, args, logFile)
	if err != nil {
		return nil, err
	}
	select {
	case s.url = <-urls:
	case err := <-s.done:
		return nil, fmt.Errorf("trustmark serve stopped before serving (%v); see %s", err, logPath)
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
	if err := s.awaitHealthy(); err != nil {
		return nil, err
	}
	fmt.Printf("pid %d serving %s\n", s.cmd.Process.Pid, s.url)
	return s, nil
}

// buildTrustmark builds trustmark from the repository this command runs in
// into dir and returns the binary's path.
func buildTrustmark(ctx context.Context, dir string) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "trustmark")
	fmt.Printf("building trustmark from %s\n", root)
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/trustmark")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build trustmark: %w", err)
	}
	return bin, nil
}

// launch starts bin with args, its standard error into logFile. The
// channel it returns receives the URL the server says it serves; s.done
// receives the process's end.
func (s *server) launch(bin string, args []string, logFile *os.File) (<-chan string, error) {
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stderr = logFile
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if rest, ok := strings.CutPrefix(line, "Trustmark is serving "); ok {
				urls <- strings.TrimSuffix(strings.TrimSpace(rest), "/")
			}
		}
		io.Copy(io.Discard, out)
	}()
	go func() { s.done <- s.cmd.Wait(); logFile.Close() }()
	return urls, nil
}

// awaitHealthy waits, a minute at most, for the server's /healthz to answer
// 200; it stops the server when it does not.
func (s *server) awaitHealthy() error {
	for i := 0; ; i++ {
		resp, err := http.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		if i > 300 {
			s.stop()
			return errors.New("the server's /healthz did not answer 200 within a minute")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stop asks the server to stop (SIGTERM: it stops gracefully) and removes
// the temporary directory.
func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// repoRoot finds the main module's directory above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(b), "module trustmark\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the trustmark repository: give -trustmark or -url")
		}
		dir = parent
	}
}

// settle waits until the server's process uses less than a fifth of a CPU
// over two samples 3 s apart (process_cpu_seconds_total in /metrics): a
// server just started on a new demo database integrates its events into
// the log and builds its search index first, which would take the CPU the
// measurement is about.
func settle(ctx context.Context, base string, limit time.Duration) {
	deadline := time.Now().Add(limit)
	prev, quiet := -1.0, 0
	start := time.Now()
	for time.Now().Before(deadline) && ctx.Err() == nil {
		cpu, err := processCPU(ctx, base)
		if err != nil {
			fmt.Printf("settle: %v; not waiting\n", err)
			return
		}
		if prev >= 0 && (cpu-prev)/3 < 0.2 {
			if quiet++; quiet >= 2 {
				fmt.Printf("server settled after %s\n", time.Since(start).Round(time.Second))
				return
			}
		} else if prev >= 0 {
			quiet = 0
			fmt.Printf("server busy (%.1f CPUs): waiting for its background work\n", (cpu-prev)/3)
		}
		prev = cpu
		select {
		case <-ctx.Done():
		case <-time.After(3 * time.Second):
		}
	}
}

func processCPU(ctx context.Context, base string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_cpu_seconds_total "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, errors.New("no process_cpu_seconds_total in /metrics")
}
