package translog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/tessera"
	"golang.org/x/mod/sumdb/note"

	"trustmark/logclient/witnesstest"
)

// testWitness is an honest witness for the test log key, reached in
// memory through witnessNet (the HTTP transport is logclient's, tested
// there).
type testWitness struct {
	*witnesstest.Witness
	url    string          // its submission prefix
	policy tessera.Witness // as a log configures it: key and URL
	key    note.Verifier   // as a verifier configures it
	state  atomic.Int32    // up, down (refuses connections) or hung (never answers)
}

const (
	up int32 = iota
	down
	hung
)

// witnessNet is the test witnesses' network: a WitnessTransport that hands
// each request to the witness at its URL.
type witnessNet struct {
	mu    sync.Mutex
	byURL map[string]*testWitness
}

var testNet = &witnessNet{byURL: map[string]*testWitness{}}

func (n *witnessNet) AddCheckpoint(ctx context.Context, url string, body []byte) (*WitnessAnswer, error) {
	n.mu.Lock()
	w := n.byURL[url]
	n.mu.Unlock()
	switch {
	case w == nil || w.state.Load() == down:
		return nil, fmt.Errorf("dial %s: connection refused", url)
	case w.state.Load() == hung:
		<-ctx.Done()
		return nil, ctx.Err()
	}
	status, ctype, answer := w.AddCheckpoint(body)
	return &WitnessAnswer{Status: status, ContentType: ctype, Body: answer}, nil
}

var witnessCount atomic.Int64

func newTestWitness(t *testing.T, name string) *testWitness {
	t.Helper()
	w, err := witnesstest.New(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddLog(testKey(t).VerifierKey); err != nil {
		t.Fatal(err)
	}
	tw := &testWitness{Witness: w, url: fmt.Sprintf("https://w%d.witness.test", witnessCount.Add(1))}
	tw.policy, tw.key = mustWitness(t, w.VerifierKey(), tw.url), mustCosigVerifier(t, w.VerifierKey())
	testNet.mu.Lock()
	testNet.byURL[tw.policy.URL] = tw
	testNet.mu.Unlock()
	return tw
}

func mustWitness(t *testing.T, vkey, u string) tessera.Witness {
	t.Helper()
	w, err := ParseWitness(vkey + "=" + u)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func mustCosigVerifier(t *testing.T, vkey string) note.Verifier {
	t.Helper()
	v, err := fnote.NewVerifierForCosignatureV1(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// openWitnessedLog opens a log of src in dir (the test key) asking ws, n of
// them (0: all).
func openWitnessedLog(t *testing.T, src Source, dir string, timeout time.Duration, n int, ws ...tessera.Witness) *Log {
	t.Helper()
	st, err := NewDirStorage(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	policy, err := WitnessPolicy(n, ws...)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Open(context.Background(), src, st, testKey(t), Options{Logger: quiet, Witnesses: policy, WitnessTimeout: timeout, WitnessTransport: testNet})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// servedCheckpoint is what GET /checkpoint answers.
func servedCheckpoint(t *testing.T, l *Log) []byte {
	t.Helper()
	return l.Published().Signed
}

func cosignedBy(t *testing.T, signed []byte, ws ...*testWitness) []string {
	t.Helper()
	var vs []tessera.Witness
	for _, w := range ws {
		vs = append(vs, tessera.Witness{Key: w.key})
	}
	policy, err := WitnessPolicy(1, vs...)
	if err != nil {
		t.Fatal(err)
	}
	_, by, _ := CheckCosignatures(signed, policy)
	return by
}

func TestWitness(t *testing.T) {
	ctx := context.Background()

	t.Run("checkpoints get cosigned and the served checkpoint carries the cosignatures", func(t *testing.T) {
		a, b := newTestWitness(t, "witness.test/a"), newTestWitness(t, "witness.test/b")
		src := &sliceSource{entries: randomEntries(300, 1)}
		dir := t.TempDir()
		l := openWitnessedLog(t, src, dir, time.Second, 0, a.policy, b.policy)
		integrateAll(t, l)
		if err := l.Witness(ctx); err != nil {
			t.Fatal(err)
		}
		served := servedCheckpoint(t, l)
		if got, want := cosignedBy(t, served, a, b), []string{"witness.test/a", "witness.test/b"}; !cmp.Equal(got, want) {
			t.Errorf("served checkpoint cosigned by %q, want %q", got, want)
		}
		cp, err := ParseCheckpoint(served, testKey(t).Verifier)
		if err != nil {
			t.Fatalf("a verifier that knows only the log's key: %v", err)
		}
		if cp.Size != 300 {
			t.Errorf("served checkpoint size %d, want 300", cp.Size)
		}

		// Storage keeps the log's own checkpoint: a restart reloads that.
		st, _ := NewDirStorage(dir, false)
		stored, err := st.Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(stored, l.Latest().Signed) || bytes.Count(stored, []byte("\n— ")) != 1 {
			t.Errorf("stored checkpoint:\n%s\nwant the log's own signature only:\n%s", stored, l.Latest().Signed)
		}

		src.add(randomEntries(50, 2)...)
		integrateAll(t, l)
		if err := l.Witness(ctx); err != nil {
			t.Fatal(err)
		}
		if got, want := a.Requests(), []witnesstest.Request{{Old: 0, Size: 300, Status: 200}, {Old: 300, Size: 350, Status: 200}}; !cmp.Equal(got, want) {
			t.Errorf("witness a saw %+v, want %+v", got, want)
		}
		if p := l.Published(); p.Size != 350 || len(cosignedBy(t, p.Signed, a, b)) != 2 {
			t.Errorf("published size %d cosigned by %q, want 350 by both", p.Size, cosignedBy(t, p.Signed, a, b))
		}

		// Proofs handed to readers (history, bundles) are against the
		// cosigned checkpoint.
		proofs, err := l.NewPublishedProofs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cp = proofs.Checkpoint()
		if len(cosignedBy(t, cp.Signed, a, b)) != 2 {
			t.Errorf("proofs are against a checkpoint cosigned by %q, want both", cosignedBy(t, cp.Signed, a, b))
		}
		path, err := proofs.Inclusion(ctx, 123)
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyInclusion(hasher, 123, cp.Size, LeafHash(src.entries[123]), path, cp.Root); err != nil {
			t.Errorf("inclusion of entry 123 against the cosigned checkpoint: %v", err)
		}
	})

	t.Run("a split view is refused by the witness", func(t *testing.T) {
		// The log the witness saw: 100 entries. Then logs signed with the
		// same key, different from entry 0 on, as a dishonest operator
		// would show another verifier.
		for _, tc := range []struct {
			name  string
			size  int
			words string
		}{
			{"a larger fork", 120, "(422)"},
			{"a fork of the same size", 100, "another root"},
			{"a smaller fork", 80, "went back"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := newTestWitness(t, "witness.test/w")
				honest := openWitnessedLog(t, &sliceSource{entries: randomEntries(100, 1)}, t.TempDir(), time.Second, 0, w.policy)
				integrateAll(t, honest)
				if err := honest.Witness(ctx); err != nil {
					t.Fatal(err)
				}
				seen := w.State("trustmark.test/log")

				fork := openWitnessedLog(t, &sliceSource{entries: randomEntries(tc.size, 99)}, t.TempDir(), time.Second, 0, w.policy)
				integrateAll(t, fork)
				err := fork.Witness(ctx)
				if !errors.Is(err, ErrWitnessPolicy) || !strings.Contains(err.Error(), tc.words) {
					t.Errorf("Witness(fork) = %v, want %v saying %q", err, ErrWitnessPolicy, tc.words)
				}
				if by := cosignedBy(t, servedCheckpoint(t, fork), w); len(by) != 0 {
					t.Errorf("the fork's checkpoint is cosigned by %q", by)
				}
				if got := w.State("trustmark.test/log"); !cmp.Equal(got, seen) {
					t.Errorf("the witness's state moved to %+v, want %+v", got, seen)
				}
			})
		}
	})

	t.Run("a restarted log starts from the loaded checkpoint's size; a witness holding an older one is caught up by a 409", func(t *testing.T) {
		w := newTestWitness(t, "witness.test/w")
		src := &sliceSource{entries: randomEntries(40, 1)}
		dir := t.TempDir()
		l := openWitnessedLog(t, src, dir, time.Second, 0, w.policy)
		// grow adds 30 entries, restarting the log first when asked, and
		// runs a round of witnessing.
		grow := func(seed uint64, restart bool) {
			t.Helper()
			src.add(randomEntries(30, seed)...)
			if restart {
				l = openWitnessedLog(t, src, dir, time.Second, 0, w.policy)
				if by := cosignedBy(t, servedCheckpoint(t, l), w); len(by) != 0 {
					t.Errorf("after a restart the checkpoint is served cosigned by %q before any round: cosignatures were stored", by)
				}
			}
			integrateAll(t, l)
			if err := l.Witness(ctx); err != nil {
				t.Fatal(err)
			}
		}
		integrateAll(t, l)
		if err := l.Witness(ctx); err != nil {
			t.Fatal(err)
		}
		backup := w.State("trustmark.test/log") // size 40
		grow(2, true)                           // restarted: the witness holds the loaded 40
		w.SetState("trustmark.test/log", backup)
		grow(3, false) // the witness restored from an older backup
		w.SetState("trustmark.test/log", backup)
		grow(4, true) // restarted while the witness holds an older one (as when the last round failed)
		want := []witnesstest.Request{
			{Old: 0, Size: 40, Status: 200},
			{Old: 40, Size: 70, Status: 200},
			{Old: 70, Size: 100, Status: 409}, {Old: 40, Size: 100, Status: 200},
			{Old: 100, Size: 130, Status: 409}, {Old: 40, Size: 130, Status: 200},
		}
		if got := w.Requests(); !cmp.Equal(got, want) {
			t.Errorf("the witness saw %+v, want %+v", got, want)
		}
	})

	t.Run("a witness that is down does not stop publication", func(t *testing.T) {
		up := newTestWitness(t, "witness.test/up")
		gone := newTestWitness(t, "witness.test/gone")
		gone.state.Store(down) // connection refused
		never := newTestWitness(t, "witness.test/hung")
		never.state.Store(hung)
		for _, tc := range []struct {
			name string
			down *testWitness
		}{
			{"a witness that refuses connections", gone},
			{"a witness that never answers", never},
		} {
			down := tc.down
			t.Run(tc.name, func(t *testing.T) {
				src := &sliceSource{entries: randomEntries(10, 1)}
				l := openWitnessedLog(t, src, t.TempDir(), 300*time.Millisecond, 0, up.policy, down.policy)
				integrateAll(t, l)
				t0 := time.Now()
				err := l.Witness(ctx)
				if !errors.Is(err, ErrWitnessPolicy) {
					t.Errorf("Witness = %v, want %v", err, ErrWitnessPolicy)
				}
				if took := time.Since(t0); took > 2*time.Second {
					t.Errorf("Witness took %v with a timeout of 300ms", took)
				}
				served := servedCheckpoint(t, l)
				cp, err := ParseCheckpoint(served, testKey(t).Verifier)
				if err != nil || cp.Size != 10 {
					t.Fatalf("served checkpoint %v, size %d; want size 10", err, cp.Size)
				}
				if got, want := cosignedBy(t, served, up, down), []string{"witness.test/up"}; !cmp.Equal(got, want) {
					t.Errorf("served checkpoint cosigned by %q, want %q", got, want)
				}
				if got := l.WitnessFailures(); got != 1 {
					t.Errorf("WitnessFailures = %d, want 1", got)
				}
				// While the witnesses fail, new checkpoints are published at
				// once, without waiting for a round.
				src.add(randomEntries(5, 2)...)
				integrateAll(t, l)
				if p := l.Published(); p.Size != 15 {
					t.Errorf("published size %d after integrating 15 entries with a witness down, want 15", p.Size)
				}
			})
		}
	})

	t.Run("a threshold lets a witness be down", func(t *testing.T) {
		a, b, c := newTestWitness(t, "witness.test/a"), newTestWitness(t, "witness.test/b"), newTestWitness(t, "witness.test/c")
		c.state.Store(down)
		l := openWitnessedLog(t, &sliceSource{entries: randomEntries(10, 1)}, t.TempDir(), time.Second, 2, a.policy, b.policy, c.policy)
		integrateAll(t, l)
		if err := l.Witness(ctx); err != nil {
			t.Errorf("Witness with 2 of 3 up and a threshold of 2 = %v", err)
		}
		if l.WitnessFailures() != 0 {
			t.Errorf("WitnessFailures = %d, want 0", l.WitnessFailures())
		}
	})

	t.Run("Run cosigns each checkpoint in the background", func(t *testing.T) {
		w := newTestWitness(t, "witness.test/w")
		src := &sliceSource{}
		l := openWitnessedLog(t, src, t.TempDir(), time.Second, 0, w.policy)
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error)
		go func() { done <- l.Run(rctx) }()
		for i := range 3 {
			src.add(randomEntries(20, uint64(i))...)
			l.Notify()
			deadline := time.Now().Add(5 * time.Second)
			for p := l.Published(); p.Size != uint64(20*(i+1)) || len(cosignedBy(t, p.Signed, w)) == 0; p = l.Published() {
				if time.Now().After(deadline) {
					t.Fatalf("published size %d cosigned by %q, want %d cosigned", p.Size, cosignedBy(t, p.Signed, w), 20*(i+1))
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v", err)
		}
	})
}

func TestWitnessRefresh(t *testing.T) {
	ctx := context.Background()
	w := newTestWitness(t, "witness.test/a")
	l := openWitnessedLog(t, &sliceSource{entries: randomEntries(40, 1)}, t.TempDir(), time.Second, 0, w.policy)
	l.wit.refresh = 50 * time.Millisecond
	integrateAll(t, l)
	if err := l.Witness(ctx); err != nil {
		t.Fatal(err)
	}
	if err := l.Witness(ctx); err != nil { // unchanged and recent: nothing to ask
		t.Fatal(err)
	}
	if n := len(w.Requests()); n != 1 {
		t.Fatalf("witness asked %d times for one checkpoint within the refresh period, want 1", n)
	}
	time.Sleep(60 * time.Millisecond)
	if err := l.Witness(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := w.Requests(), []witnesstest.Request{{Old: 0, Size: 40, Status: 200}, {Old: 40, Size: 40, Status: 200}}; !cmp.Equal(got, want) {
		t.Errorf("witness saw %+v, want the same checkpoint cosigned again after the refresh period: %+v", got, want)
	}
}

func TestParseWitness(t *testing.T) {
	w, err := witnesstest.New("witness.test/w")
	if err != nil {
		t.Fatal(err)
	}
	vkey := w.VerifierKey()
	// An ML-DSA-44 key's base64 ends in "=": the split is at the last "=".
	_, mldsa, err := fnote.GenerateMLDSAKey("witness.test/w")
	if err != nil || !strings.HasSuffix(mldsa, "=") {
		t.Fatalf("ML-DSA key %q, %v: want one ending in '='", mldsa, err)
	}
	good := []struct{ in, url string }{
		{vkey + "=https://witness.example/", "https://witness.example/add-checkpoint"},
		{vkey + "=http://127.0.0.1:9000/w?x=1", "http://127.0.0.1:9000/w/add-checkpoint?x=1"},
		{mldsa + "=https://witness.example/pq", "https://witness.example/pq/add-checkpoint"},
	}
	for _, tc := range good {
		got, err := ParseWitness(tc.in)
		if err != nil {
			t.Errorf("ParseWitness(%q) = %v", tc.in, err)
			continue
		}
		if got.URL != tc.url || got.Key.Name() != "witness.test/w" {
			t.Errorf("ParseWitness(%q) = %s %s, want %s witness.test/w", tc.in, got.URL, got.Key.Name(), tc.url)
		}
	}
	bad := []string{"", vkey, vkey + "=", vkey + "=ftp://witness.example/", "https://witness.example/", "witness.example+00000000+AAAA=https://witness.example/", vkey + "=https://"}
	for _, in := range bad {
		if got, err := ParseWitness(in); err == nil {
			t.Errorf("ParseWitness(%q) = %+v, want an error", in, got)
		}
	}
}

// policyFile is a witness policy in the format ReadWitnessPolicy reads.
func policyFile(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

func TestReadWitnessPolicy(t *testing.T) {
	a, b := newTestWitness(t, "witness.test/a"), newTestWitness(t, "witness.test/b")
	good := policyFile(
		"# the log's published policy",
		"log "+testKey(t).VerifierKey,
		"witness a "+a.VerifierKey()+" "+a.url,
		"witness b "+b.VerifierKey()+" "+b.url+"/w # a path prefix",
		"group both all a b",
		"group one any a b",
		"quorum one",
	)
	g, err := ReadWitnessPolicy(good)
	if err != nil {
		t.Fatal(err)
	}
	if g.N != 1 || len(g.Components) != 2 {
		t.Errorf("policy = %d of %d components, want 1 of 2", g.N, len(g.Components))
	}
	var urls []string
	for u := range g.Endpoints() {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	want := []string{a.url + "/add-checkpoint", b.url + "/w/add-checkpoint"}
	slices.Sort(want)
	if !cmp.Equal(urls, want) {
		t.Errorf("endpoints = %q, want %q", urls, want)
	}
	var names []string
	for _, v := range PolicyWitnesses(g) {
		names = append(names, v.Name())
	}
	if want := []string{"witness.test/a", "witness.test/b"}; !cmp.Equal(names, want) {
		t.Errorf("PolicyWitnesses = %q, want %q (each once)", names, want)
	}
	if g, err := ReadWitnessPolicy(policyFile("quorum none")); err != nil || !g.Satisfied(nil) {
		t.Errorf("quorum none = %v, %v: want a policy that needs no one", g, err)
	}

	bad := map[string][]byte{
		"no quorum":             policyFile("witness a " + a.VerifierKey() + " " + a.url),
		"an unknown quorum":     policyFile("quorum nobody"),
		"a non-http URL":        policyFile("witness a "+a.VerifierKey()+" ftp://witness.example/", "quorum a"),
		"a URL without a host":  policyFile("witness a "+a.VerifierKey()+" https://", "quorum a"),
		"a witness without URL": policyFile("witness a "+a.VerifierKey(), "quorum a"),
		"a threshold too high":  policyFile("witness a "+a.VerifierKey()+" "+a.url, "group g 2 a", "quorum g"),
		"an unknown member":     policyFile("witness a "+a.VerifierKey()+" "+a.url, "group g any a c", "quorum g"),
		"a keyword as a name":   policyFile("witness all "+a.VerifierKey()+" "+a.url, "quorum all"),
		"an unknown keyword":    policyFile("witnesses a", "quorum none"),
	}
	for name, text := range bad {
		if _, err := ReadWitnessPolicy(text); err == nil || !strings.HasPrefix(err.Error(), "witness policy: ") {
			t.Errorf("%s: ReadWitnessPolicy = %v, want a witness policy error", name, err)
		}
	}
}

func FuzzReadWitnessPolicy(f *testing.F) {
	w, err := witnesstest.New("witness.test/f")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("witness a " + w.VerifierKey() + " https://w.example/\ngroup g any a\nquorum g\n")
	f.Add("quorum none\n")
	f.Add("group g 300 a\n")
	f.Add("witness a " + w.VerifierKey() + " http://[::1\nquorum a")
	f.Fuzz(func(t *testing.T, text string) {
		g, err := ReadWitnessPolicy([]byte(text))
		if err != nil {
			return
		}
		for u := range g.Endpoints() {
			if pu, err := parseHTTPURL(u); err != nil || !strings.HasSuffix(pu.Path, "/add-checkpoint") {
				t.Errorf("accepted policy with witness URL %q: %v", u, err)
			}
		}
		_ = g.Satisfied([]byte(text)) // must not panic
	})
}
