package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestServerQuantiles(t *testing.T) {
	bs := func(counts ...uint64) []bucket {
		les := []float64{.001, .005, .01, math.Inf(1)}
		out := make([]bucket, len(counts))
		for i, c := range counts {
			out[i] = bucket{les[i], c}
		}
		return out
	}
	before := serverHistogram{"GET /certificates/{number}": bs(10, 10, 10, 10), "GET /healthz": bs(1, 1, 1, 1)}
	// 100 more page requests: 50 under 1 ms, 40 in (1, 5] ms, 9 in (5, 10], 1 beyond.
	after := serverHistogram{"GET /certificates/{number}": bs(60, 100, 109, 110), "GET /healthz": bs(3, 3, 3, 3)}
	route, n, p50, p99 := serverQuantiles(before, after)
	if route != "GET /certificates/{number}" || n != 100 {
		t.Fatalf("route %q, %d requests; want the page route, 100", route, n)
	}
	if p50 != time.Millisecond {
		t.Errorf("p50 = %v, want 1ms (the 50th request is the last under 1 ms)", p50)
	}
	// The 99th request is the last of the 9 in (5, 10] ms.
	if p99 != 10*time.Millisecond {
		t.Errorf("p99 = %v, want 10ms", p99)
	}
	if _, n, _, _ := serverQuantiles(after, after); n != 0 {
		t.Errorf("no requests between scrapes gave n = %d", n)
	}
}

func TestBenchRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--what", "lookups"}, `--what: want lookup, page, org, body, search or verify, got "lookups"`},
		{[]string{"--n", "0"}, "--n and --concurrency want at least 1"},
		{[]string{"--concurrency", "0"}, "--n and --concurrency want at least 1"},
		{[]string{"--max-time", "0s"}, "--max-time more than 0"},
	} {
		code, _, stderr := logCmd(runBench, tc.args...)
		if code != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("bench %v = %d %q, want 1 and %q", tc.args, code, stderr, tc.want)
		}
	}
}
