package logclient_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/tessera"
	"golang.org/x/mod/sumdb/note"

	tmhttp "trustmark/http"
	"trustmark/logclient"
	"trustmark/logclient/witnesstest"
	"trustmark/translog"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// entries is a translog.Source of entries in memory.
type entries [][]byte

func (s entries) Entries(ctx context.Context, from uint64, max int) ([][]byte, error) {
	if from >= uint64(len(s)) {
		return nil, nil
	}
	return s[from:min(uint64(len(s)), from+uint64(max))], nil
}

func randomEntries(n int, seed uint64) [][]byte {
	r := rand.New(rand.NewPCG(seed, 0))
	var es [][]byte
	for i := range n {
		es = append(es, fmt.Appendf(nil, "entry %d: %x", i, r.Uint64()))
	}
	return es
}

// testKey is the test log's key, the same on every call.
func testKey(t testing.TB) *translog.Key {
	t.Helper()
	var seed [32]byte
	skey, err := translog.GenerateKey(rand.NewChaCha8(seed), "trustmark.test/log")
	if err != nil {
		t.Fatal(err)
	}
	k, err := translog.ParseKey(skey)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func integrateAll(t testing.TB, l *translog.Log) {
	t.Helper()
	for {
		n, err := l.Integrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// testWitness is an honest witness for the test log key served over HTTP.
type testWitness struct {
	*witnesstest.Witness
	srv    *httptest.Server
	policy tessera.Witness // as a log configures it: key and URL
	key    note.Verifier   // as a verifier configures it
}

func newTestWitness(t *testing.T, name string) *testWitness {
	t.Helper()
	w, err := witnesstest.New(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddLog(testKey(t).VerifierKey); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	t.Cleanup(srv.Close)
	p, err := translog.ParseWitness(w.VerifierKey() + "=" + srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	v, err := fnote.NewVerifierForCosignatureV1(w.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	return &testWitness{Witness: w, srv: srv, policy: p, key: v}
}

// openWitnessedLog opens a log of src (the test key) that asks ws over
// HTTP, n of them (0: all).
func openWitnessedLog(t *testing.T, src translog.Source, dir string, timeout time.Duration, n int, ws ...tessera.Witness) *translog.Log {
	t.Helper()
	st, err := translog.NewDirStorage(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	policy, err := translog.WitnessPolicy(n, ws...)
	if err != nil {
		t.Fatal(err)
	}
	l, err := translog.Open(context.Background(), src, st, testKey(t), translog.Options{Logger: quiet, Witnesses: policy, WitnessTimeout: timeout, WitnessTransport: logclient.HTTPWitnesses{}})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// policyFile is a witness policy in the format ReadWitnessPolicy reads.
func policyFile(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

func TestHTTPWitnesses(t *testing.T) {
	ctx := context.Background()
	w := newTestWitness(t, "witness.test/w")
	l := openWitnessedLog(t, entries(randomEntries(20, 1)), t.TempDir(), time.Second, 0, w.policy)
	integrateAll(t, l)
	t.Run("a checkpoint goes to the witness over HTTP and comes back cosigned", func(t *testing.T) {
		if err := l.Witness(ctx); err != nil {
			t.Fatal(err)
		}
		if got, want := w.Requests(), []witnesstest.Request{{Old: 0, Size: 20, Status: 200}}; !cmp.Equal(got, want) {
			t.Errorf("the witness saw %+v, want %+v", got, want)
		}
		if ok, by, _ := translog.CheckCosignatures(l.Published().Signed, mustPolicy(t, w)); !ok {
			t.Errorf("published checkpoint cosigned by %q, want witness.test/w", by)
		}
	})
	t.Run("a witness that refuses connections is an error, not an answer", func(t *testing.T) {
		w.srv.Close()
		_, err := logclient.HTTPWitnesses{}.AddCheckpoint(ctx, w.policy.URL, []byte("old 0\n\n"))
		if err == nil {
			t.Error("AddCheckpoint to a closed server succeeded")
		}
	})
	t.Run("every status is an answer", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/x.tlog.size")
			rw.WriteHeader(http.StatusConflict)
			io.WriteString(rw, "7\n")
		}))
		defer srv.Close()
		a, err := logclient.HTTPWitnesses{}.AddCheckpoint(ctx, srv.URL+"/add-checkpoint", []byte("old 0\n\n"))
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != 409 || a.ContentType != "text/x.tlog.size" || string(a.Body) != "7\n" {
			t.Errorf("answer = %d %q %q, want 409 text/x.tlog.size \"7\\n\"", a.Status, a.ContentType, a.Body)
		}
	})
}

func mustPolicy(t *testing.T, ws ...*testWitness) tessera.WitnessGroup {
	t.Helper()
	var vs []tessera.Witness
	for _, w := range ws {
		vs = append(vs, tessera.Witness{Key: w.key})
	}
	g, err := translog.WitnessPolicy(0, vs...)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestCheckLogWitnesses(t *testing.T) {
	ctx := context.Background()
	a, b := newTestWitness(t, "witness.test/a"), newTestWitness(t, "witness.test/b")
	l := openWitnessedLog(t, entries(randomEntries(50, 1)), t.TempDir(), time.Second, 1, a.policy, b.policy)
	integrateAll(t, l)
	b.srv.Close()
	if err := l.Witness(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/log", tmhttp.LogHandler(l)))
	defer srv.Close()
	check := func(n int, ws ...*testWitness) (*logclient.CheckResult, error) {
		var vs []note.Verifier
		for _, w := range ws {
			vs = append(vs, w.key)
		}
		return logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: srv.URL + "/log/", Verifier: testKey(t).Verifier, Witnesses: vs, WitnessThreshold: n})
	}

	t.Run("a checkpoint cosigned by the required witness verifies", func(t *testing.T) {
		res, err := check(0, a)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res.Cosigners, []string{"witness.test/a"}; !cmp.Equal(got, want) {
			t.Errorf("Cosigners = %q, want %q", got, want)
		}
	})
	t.Run("one of two is enough with a threshold of 1", func(t *testing.T) {
		if _, err := check(1, a, b); err != nil {
			t.Error(err)
		}
	})
	t.Run("a missing cosignature fails and names the witness", func(t *testing.T) {
		_, err := check(0, a, b)
		var f *logclient.CheckFailure
		if !errors.As(err, &f) || !strings.HasPrefix(f.Msg, "FAIL witness:") || !strings.Contains(f.Msg, "not by: witness.test/b") || !strings.Contains(f.Msg, "1 of the witnesses, 2 required") {
			t.Errorf("CheckLog = %v, want a FAIL witness naming witness.test/b", err)
		}
	})
	t.Run("a threshold above the witnesses given is a usage error", func(t *testing.T) {
		_, err := check(3, a, b)
		var f *logclient.CheckFailure
		if err == nil || errors.As(err, &f) {
			t.Errorf("CheckLog = %v, want a usage error", err)
		}
	})
	t.Run("fresh cosignatures pass a maximum age", func(t *testing.T) {
		_, err := logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: srv.URL + "/log/", Verifier: testKey(t).Verifier, Witnesses: []note.Verifier{a.key}, WitnessMaxAge: time.Minute})
		if err != nil {
			t.Error(err)
		}
	})
	t.Run("cosignatures older than the maximum age fail", func(t *testing.T) {
		later := func() time.Time { return time.Now().Add(2 * time.Hour) }
		_, err := logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: srv.URL + "/log/", Verifier: testKey(t).Verifier, Witnesses: []note.Verifier{a.key}, WitnessMaxAge: time.Hour, Now: later})
		var f *logclient.CheckFailure
		if !errors.As(err, &f) || !strings.Contains(f.Msg, "frozen") || !strings.Contains(f.Msg, "0 cosignatures at most 1h0m0s old, 1 required") {
			t.Errorf("CheckLog two hours later = %v, want a FAIL witness about stale cosignatures", err)
		}
	})
	t.Run("a split view shown to this verifier fails", func(t *testing.T) {
		fork := openWitnessedLog(t, entries(randomEntries(60, 99)), t.TempDir(), time.Second, 0, a.policy)
		integrateAll(t, fork)
		if err := fork.Witness(ctx); err == nil {
			t.Fatal("the witness cosigned a fork")
		}
		fsrv := httptest.NewServer(http.StripPrefix("/log", tmhttp.LogHandler(fork)))
		defer fsrv.Close()
		_, err := logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: fsrv.URL + "/log/", Verifier: testKey(t).Verifier, Witnesses: []note.Verifier{a.key}})
		var f *logclient.CheckFailure
		if !errors.As(err, &f) || !strings.Contains(f.Msg, "split view") {
			t.Errorf("CheckLog(fork) = %v, want a FAIL witness", err)
		}
	})
}

// TestWitnessPolicyFile runs a log and a verifier with a policy file: the
// log asks the policy's witnesses, the verifier wants the policy met.
func TestWitnessPolicyFile(t *testing.T) {
	ctx := context.Background()
	a, b := newTestWitness(t, "witness.test/a"), newTestWitness(t, "witness.test/b")
	witnesses := []string{
		"witness a " + a.VerifierKey() + " " + a.srv.URL,
		"witness b " + b.VerifierKey() + " " + b.srv.URL,
	}
	readPolicy := func(rest ...string) *tessera.WitnessGroup {
		g, err := translog.ReadWitnessPolicy(policyFile(append(slices.Clone(witnesses), rest...)...))
		if err != nil {
			t.Fatal(err)
		}
		return &g
	}
	st, err := translog.NewDirStorage(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	l, err := translog.Open(ctx, entries(randomEntries(30, 3)), st, testKey(t), translog.Options{Logger: quiet, Witnesses: *readPolicy("group g any a b", "quorum g"), WitnessTimeout: time.Second, WitnessTransport: logclient.HTTPWitnesses{}})
	if err != nil {
		t.Fatal(err)
	}
	integrateAll(t, l)
	b.srv.Close() // b is down: the log's policy (any) is still met by a
	if err := l.Witness(ctx); err != nil {
		t.Fatal(err)
	}
	if got := a.Requests(); len(got) != 1 || got[0].Size != 30 {
		t.Fatalf("witness a saw %+v, want one checkpoint of 30", got)
	}
	srv := httptest.NewServer(http.StripPrefix("/log", tmhttp.LogHandler(l)))
	defer srv.Close()
	check := func(policy *tessera.WitnessGroup, maxAge time.Duration, now func() time.Time) (*logclient.CheckResult, error) {
		return logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: srv.URL + "/log/", Verifier: testKey(t).Verifier, WitnessPolicy: policy, WitnessMaxAge: maxAge, Now: now})
	}

	if res, err := check(readPolicy("group g any a b", "quorum g"), 0, nil); err != nil {
		t.Errorf("any of a, b: %v", err)
	} else if !cmp.Equal(res.Cosigners, []string{"witness.test/a"}) {
		t.Errorf("Cosigners = %q, want witness.test/a", res.Cosigners)
	}
	if _, err := check(readPolicy("group inner any b", "group g all a inner", "quorum g"), 0, nil); err == nil {
		t.Error("a and (any of b) passed without b's cosignature")
	} else if f := (*logclient.CheckFailure)(nil); !errors.As(err, &f) || !strings.Contains(f.Msg, "not enough for the witness policy") || !strings.Contains(f.Msg, "not by: witness.test/b") {
		t.Errorf("a and (any of b) = %v, want a FAIL witness naming witness.test/b", err)
	}
	if _, err := check(readPolicy("quorum a"), time.Minute, nil); err != nil {
		t.Errorf("a, fresh: %v", err)
	}
	later := func() time.Time { return time.Now().Add(2 * time.Hour) }
	if _, err := check(readPolicy("quorum a"), time.Hour, later); err == nil {
		t.Error("a cosignature two hours old passed a maximum age of one hour")
	} else if f := (*logclient.CheckFailure)(nil); !errors.As(err, &f) || !strings.Contains(f.Msg, "0 cosignatures at most 1h0m0s old, not enough for the witness policy (the newest is 2h0m") {
		t.Errorf("stale = %v", err)
	}
	if _, err := check(readPolicy("quorum none"), time.Hour, later); err != nil {
		t.Errorf("quorum none: %v", err)
	}
	if _, err := logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: srv.URL + "/log/", Verifier: testKey(t).Verifier, WitnessPolicy: readPolicy("quorum a"), Witnesses: []note.Verifier{a.key}}); err == nil || errors.As(err, new(*logclient.CheckFailure)) {
		t.Errorf("witnesses and a policy = %v, want a usage error", err)
	}
}
