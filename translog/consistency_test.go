package translog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/proof"
)

func TestNeverInconsistent(t *testing.T) {
	ctx := context.Background()
	t.Run("a rewritten entry below the checkpoint is never signed", func(t *testing.T) {
		src := &sliceSource{entries: randomEntries(300, 1)}
		l := openTestLog(t, src, t.TempDir(), 1000)
		integrateAll(t, l)
		before := l.Latest()
		src.entries[5] = []byte("rewritten history")
		src.add(randomEntries(10, 2)...)
		integrateAll(t, l)
		after := l.Latest()
		proofs, _ := l.NewProofs(ctx)
		cons, err := proofs.Consistency(ctx, before.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyConsistency(hasher, before.Size, after.Size, cons, before.Root, after.Root); err != nil {
			t.Errorf("checkpoints %d and %d inconsistent: %v", before.Size, after.Size, err)
		}
	})

	t.Run("a tampered tile makes the integrator refuse to sign", func(t *testing.T) {
		dir := t.TempDir()
		src := &sliceSource{entries: randomEntries(300, 3)}
		l := openTestLog(t, src, dir, 1000)
		integrateAll(t, l)
		before := l.Latest()
		l.cache.Purge()
		p := filepath.Join(dir, "tile", "1", "0")
		b, _ := os.ReadFile(p)
		b[0] ^= 1
		os.WriteFile(p, b, 0o644)
		src.add(randomEntries(10, 4)...)
		if _, err := l.Integrate(ctx); err == nil || !strings.Contains(err.Error(), "refusing to sign") {
			t.Fatalf("Integrate over a tampered tile = %v, want a refusal", err)
		}
		st, _ := NewDirStorage(dir, false)
		raw, _ := st.Checkpoint(ctx)
		if n, _ := checkpointSize(raw); n != before.Size {
			t.Errorf("published size %d after the refusal, want %d", n, before.Size)
		}
		if _, err := Open(ctx, src, st, testKey(t), Options{Logger: quiet}); err == nil {
			t.Errorf("Open over a tampered right edge succeeded")
		}
	})

	t.Run("two integrators on one storage never publish a smaller tree", func(t *testing.T) {
		dir := t.TempDir()
		src := &sliceSource{entries: randomEntries(100, 5)}
		a := openTestLog(t, src, dir, 1000)
		b := openTestLog(t, src, dir, 1000)
		src.add(randomEntries(50, 6)...)
		integrateAll(t, a)
		src.add(randomEntries(50, 7)...)
		b.opts.Batch = 10 // b still believes the tree has 100 entries
		if _, err := b.Integrate(ctx); err != nil {
			t.Fatal(err)
		}
		integrateAll(t, b)
		st, _ := NewDirStorage(dir, false)
		raw, _ := st.Checkpoint(ctx)
		cp, _ := ParseCheckpoint(raw, testKey(t).Verifier)
		if cp.Size != 200 || !bytes.Equal(cp.Root, b.Latest().Root) {
			t.Errorf("published size %d, want 200", cp.Size)
		}
	})

	t.Run("a log opened with another key is refused", func(t *testing.T) {
		dir := t.TempDir()
		openTestLog(t, &sliceSource{}, dir, 1)
		st, _ := NewDirStorage(dir, false)
		skey, _ := GenerateKey(chacha(9), "trustmark.test/log")
		k, _ := ParseKey(skey)
		if _, err := Open(ctx, &sliceSource{}, st, k, Options{}); err == nil {
			t.Errorf("Open with another key succeeded")
		}
	})
}
