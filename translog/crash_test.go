package translog

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/tessera/client"
)

// genSource is a Source of n deterministic entries.
type genSource struct{ n uint64 }

func genEntry(i uint64) []byte { return fmt.Appendf(nil, "entry %d of the crash test", i) }

func (s genSource) Entries(ctx context.Context, from uint64, max int) ([][]byte, error) {
	var out [][]byte
	for i := from; i < s.n && len(out) < max; i++ {
		out = append(out, genEntry(i))
	}
	return out, nil
}

const crashEntries = 300_000

// TestCrashChild is the integrator the crash test kills; it does nothing
// unless started by TestIntegratorKilledAtAnyPoint.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("TRANSLOG_CRASH_DIR")
	if dir == "" {
		t.Skip("run by TestIntegratorKilledAtAnyPoint")
	}
	st, err := NewDirStorage(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Open(context.Background(), genSource{crashEntries}, st, testKey(t), Options{Batch: 777, Interval: time.Millisecond, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	l.Run(context.Background())
}

// TestIntegratorKilledAtAnyPoint kills the integrator (SIGKILL, in another
// process) at random moments, many times, and checks after each kill that
// the published checkpoint verifies, that its tiles give its root, and that
// it is consistent with every checkpoint published before the kill.
func TestIntegratorKilledAtAnyPoint(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	dir := t.TempDir()
	key := testKey(t)
	r := rand.New(rand.NewPCG(5, 6))
	var seen []*Checkpoint
	for round := 0; round < 12; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
		cmd.Env = append(os.Environ(), "TRANSLOG_CRASH_DIR="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(50+r.IntN(250)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		st, _ := NewDirStorage(dir, false)
		raw, err := st.Checkpoint(context.Background())
		if err != nil {
			continue // killed before the first checkpoint
		}
		cp, err := ParseCheckpoint(raw, key.Verifier)
		if err != nil {
			t.Fatalf("round %d: checkpoint after kill does not verify: %v", round, err)
		}
		fetch := func(ctx context.Context, level, index uint64, p uint8) ([]byte, error) {
			b, err := st.ReadTile(ctx, level, index)
			if err != nil {
				return nil, err
			}
			return truncateTile(b, p, level, index)
		}
		pb, _ := client.NewProofBuilder(context.Background(), cp.Size, fetch)
		for _, old := range seen {
			if old.Size > cp.Size {
				t.Fatalf("round %d: checkpoint went back from %d to %d", round, old.Size, cp.Size)
			}
			if old.Size == 0 {
				continue
			}
			cons, err := pb.ConsistencyProof(context.Background(), old.Size, cp.Size)
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			if err := proof.VerifyConsistency(hasher, old.Size, cp.Size, cons, old.Root, cp.Root); err != nil {
				t.Fatalf("round %d: checkpoint %d not consistent with earlier %d: %v", round, cp.Size, old.Size, err)
			}
		}
		if !bytes.Equal(cp.Root, referenceRoot(cp.Size)) {
			t.Fatalf("round %d: root at size %d differs from the entries' root", round, cp.Size)
		}
		t.Logf("round %d: killed at size %d", round, cp.Size)
		seen = append(seen, cp)
	}
	// A last, uninterrupted start finishes the work.
	st, _ := NewDirStorage(dir, false)
	l, err := Open(context.Background(), genSource{crashEntries}, st, key, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	integrateAll(t, l)
	if got := l.Latest(); got.Size != crashEntries || !bytes.Equal(got.Root, referenceRoot(crashEntries)) {
		t.Errorf("after restart: size %d root %x, want %d %x", got.Size, got.Root, crashEntries, referenceRoot(crashEntries))
	}
}

var refRoots = map[uint64][]byte{}

func referenceRoot(size uint64) []byte {
	if r, ok := refRoots[size]; ok {
		return r
	}
	rng := rangeFactory.NewEmptyRange(0)
	for i := uint64(0); i < size; i++ {
		rng.Append(hasher.HashLeaf(genEntry(i)), nil)
	}
	root := hasher.EmptyRoot()
	if size > 0 {
		root, _ = rng.GetRootHash(nil)
	}
	refRoots[size] = root
	return root
}
