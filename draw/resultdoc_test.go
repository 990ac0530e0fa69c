package draw

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

func TestResultHashPinsEveryPick(t *testing.T) {
	c := world{subjects: 500, inspectors: 40, regions: 3, units: 9, team: 2, rates: testRates}.build(rand.New(rand.NewPCG(3, 4)))
	res := mustDraw(t, c, randomFor(c, 1))
	h := res.Hash()
	if again := mustDraw(t, c, randomFor(c, 1)).Hash(); again != h {
		t.Fatalf("the same draw hashes to %s and %s", h, again)
	}
	var text bytes.Buffer
	if _, err := res.WriteTo(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text.String(), ResultFormat+"\nalgorithm "+Algorithm+"\ncommitment "+res.Commitment+"\n") {
		t.Errorf("result text begins %q", text.String()[:120])
	}
	if n := strings.Count(text.String(), "\npick "); n != len(res.Picks) {
		t.Errorf("%d pick lines for %d picks", n, len(res.Picks))
	}
	for name, edit := range map[string]func(r *Result){
		"another subject":       func(r *Result) { r.Picks[3].Subject = "S9999999" },
		"another team member":   func(r *Result) { r.Picks[0].Team[1] = "I99999" },
		"a team member less":    func(r *Result) { r.Picks[0].Team = r.Picks[0].Team[:1] },
		"two picks swapped":     func(r *Result) { r.Picks[0], r.Picks[1] = r.Picks[1], r.Picks[0] },
		"a pick dropped":        func(r *Result) { r.Picks = r.Picks[1:] },
		"another stratum count": func(r *Result) { r.Strata[0].Eligible++ },
		"another seed":          func(r *Result) { r.Seed = strings.Repeat("0", 64) },
	} {
		r := mustDraw(t, c, randomFor(c, 1))
		edit(r)
		if r.Hash() == h {
			t.Errorf("%s: the hash did not change", name)
		}
	}
}

func TestReadCommitmentStreams(t *testing.T) {
	c := world{subjects: 3000, inspectors: 80, regions: 5, units: 20, team: 2, conflicts: 30, past: 30, rates: testRates}.build(rand.New(rand.NewPCG(5, 6)))
	b, err := c.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := c.Hash()
	got, sum, err := ReadCommitment(iotest.OneByteReader(bytes.NewReader(b)))
	if err != nil || sum != want || len(got.Subjects) != 3000 {
		t.Fatalf("ReadCommitment one byte at a time: %d subjects, hash %x, err %v; want 3000, %x", len(got.Subjects), sum, err, want)
	}
	broken := errors.New("connection reset")
	if _, _, err := ReadCommitment(io.MultiReader(bytes.NewReader(b[:len(b)/2]), iotest.ErrReader(broken))); !errors.Is(err, broken) {
		t.Errorf("a download broken halfway gives %v, want the reader's error", err)
	}
	if _, _, err := ReadCommitment(bytes.NewReader(b[:len(b)-1])); err == nil {
		t.Error("a commitment cut before its final newline was accepted")
	}
	long := append(append([]byte{}, b...), strings.Repeat("x", 4*maxLine)+"\n"...)
	if _, _, err := ReadCommitment(bytes.NewReader(long)); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("a line of %d bytes gives %.200v, want a refusal", 4*maxLine, err)
	}
}

// TestReadCommitmentOfAMillionSubjects reads a national commitment as it is
// written (a pipe: the document never exists whole) and bounds what the
// parsed list costs.
func TestReadCommitmentOfAMillionSubjects(t *testing.T) {
	if testing.Short() {
		t.Skip("a million subjects: not with -short")
	}
	c := world{subjects: 1_000_000, inspectors: 5000, regions: 31, units: 500, team: 2, rates: testRates}.build(rand.New(rand.NewPCG(1, 1)))
	want, _ := c.Hash()
	pr, pw := io.Pipe()
	go func() {
		_, err := c.WriteTo(pw)
		pw.CloseWithError(err)
	}()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, sum, err := ReadCommitment(pr)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if err != nil || sum != want || len(got.Subjects) != 1_000_000 {
		t.Fatalf("ReadCommitment: %v, hash equal %v", err, sum == want)
	}
	perSubject := float64(after.HeapAlloc-before.HeapAlloc) / 1e6
	t.Logf("parsed list: %.0f bytes a subject kept, %.0f allocated", perSubject, float64(after.TotalAlloc-before.TotalAlloc)/1e6)
	if perSubject > 200 {
		t.Errorf("the parsed list keeps %.0f bytes a subject, want at most 200", perSubject)
	}
	runtime.KeepAlive(c)
}

// BenchmarkReadCommitmentNational reads a national commitment document
// (1,000,000 subjects, 5,000 inspectors, about 30 MB) as `draw verify`
// does: hashed and parsed as it arrives, then encoded again into a second
// hash to prove it canonical. Writing the document is not timed.
func BenchmarkReadCommitmentNational(b *testing.B) {
	c := world{subjects: 1_000_000, inspectors: 5000, regions: 31, units: 500, team: 2, conflicts: 10_000, past: 50_000, bannedEvery: 50,
		rates: testRates}.build(rand.New(rand.NewPCG(1, 1)))
	doc, err := c.Canonical()
	if err != nil {
		b.Fatal(err)
	}
	c = nil
	b.SetBytes(int64(len(doc)))
	start := cpuTime()
	for b.Loop() {
		if _, _, err := ReadCommitment(bytes.NewReader(doc)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}
