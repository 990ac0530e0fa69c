package translog

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/tessera/api/layout"
	"github.com/transparency-dev/tessera/client"
	"golang.org/x/mod/sumdb/tlog"
)

// sliceSource is a Source of entries held in memory, for tests of the log
// engine alone (the registry's events are tested through sqlstore).
type sliceSource struct {
	mu      sync.Mutex
	entries [][]byte
}

func (s *sliceSource) add(e ...[]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = append(s.entries, e...)
}

func (s *sliceSource) Entries(ctx context.Context, from uint64, max int) ([][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if from >= uint64(len(s.entries)) {
		return nil, nil
	}
	end := min(uint64(len(s.entries)), from+uint64(max))
	return s.entries[from:end], nil
}

func testKey(t testing.TB) *Key {
	t.Helper()
	skey, err := GenerateKey(chacha(1), "trustmark.test/log")
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParseKey(skey)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func openTestLog(t testing.TB, src Source, dir string, batch int) *Log {
	t.Helper()
	st, err := NewDirStorage(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Open(context.Background(), src, st, testKey(t), Options{Batch: batch, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func integrateAll(t testing.TB, l *Log) {
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

// chacha is a deterministic random stream for test keys.
func chacha(seed byte) io.Reader {
	var s [32]byte
	s[0] = seed
	return rand.NewChaCha8(s)
}

func hx(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// The leaves and hashes of the RFC 6962 test tree used by Certificate
// Transparency (certificate-transparency/merkle_tree_test, and RFC 9162's
// test vectors): eight leaves, roots of every prefix, audit paths and
// consistency proofs.
var ctLeaves = [][]byte{hx(""), hx("00"), hx("10"), hx("2021"), hx("3031"), hx("40414243"),
	hx("5051525354555657"), hx("606162636465666768696a6b6c6d6e6f")}

var ctRoots = []string{
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}

func TestCTVectors(t *testing.T) {
	ctx := context.Background()
	src := &sliceSource{}
	l := openTestLog(t, src, t.TempDir(), 1)

	t.Run("the empty tree's root is SHA-256 of nothing", func(t *testing.T) {
		if got, want := hex.EncodeToString(l.Latest().Root), ctRoots[0]; got != want {
			t.Errorf("empty root = %s, want %s", got, want)
		}
	})
	t.Run("the leaf hash of the empty entry is SHA-256(0x00)", func(t *testing.T) {
		if got, want := hex.EncodeToString(LeafHash(nil)), ctRoots[1]; got != want {
			t.Errorf("LeafHash(empty) = %s, want %s", got, want)
		}
	})
	t.Run("each prefix of the test tree has its published root", func(t *testing.T) {
		for size := 1; size <= len(ctLeaves); size++ {
			src.add(ctLeaves[size-1])
			integrateAll(t, l)
			cp := l.Latest()
			if cp.Size != uint64(size) {
				t.Fatalf("size = %d, want %d", cp.Size, size)
			}
			if got, want := hex.EncodeToString(cp.Root), ctRoots[size]; got != want {
				t.Errorf("root at size %d = %s, want %s", size, got, want)
			}
		}
	})

	inclusion := []struct {
		index, size uint64
		path        []string
	}{
		{0, 8, []string{"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
		{5, 8, []string{"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
		{2, 3, []string{"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
		{1, 5, []string{"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	}
	for _, tc := range inclusion {
		t.Run(fmt.Sprintf("the audit path of leaf %d in the tree of %d is the published one", tc.index, tc.size), func(t *testing.T) {
			pb, err := client.NewProofBuilder(ctx, tc.size, l.storedTile)
			if err != nil {
				t.Fatal(err)
			}
			got, err := pb.InclusionProof(ctx, tc.index)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(hexes(got)) != fmt.Sprint(tc.path) {
				t.Errorf("path = %v, want %v", hexes(got), tc.path)
			}
			if err := proof.VerifyInclusion(hasher, tc.index, tc.size, LeafHash(ctLeaves[tc.index]), got, hx(ctRoots[tc.size])); err != nil {
				t.Error(err)
			}
		})
	}

	consistency := []struct {
		size1, size2 uint64
		proof        []string
	}{
		{1, 8, []string{"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
		{6, 8, []string{"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
		{2, 5, []string{"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	}
	for _, tc := range consistency {
		t.Run(fmt.Sprintf("the consistency proof from %d to %d is the published one", tc.size1, tc.size2), func(t *testing.T) {
			pb, err := client.NewProofBuilder(ctx, tc.size2, l.storedTile)
			if err != nil {
				t.Fatal(err)
			}
			got, err := pb.ConsistencyProof(ctx, tc.size1, tc.size2)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(hexes(got)) != fmt.Sprint(tc.proof) {
				t.Errorf("proof = %v, want %v", hexes(got), tc.proof)
			}
			if err := proof.VerifyConsistency(hasher, tc.size1, tc.size2, got, hx(ctRoots[tc.size1]), hx(ctRoots[tc.size2])); err != nil {
				t.Error(err)
			}
		})
	}
}

func hexes(hs [][]byte) []string {
	var out []string
	for _, h := range hs {
		out = append(out, hex.EncodeToString(h))
	}
	return out
}

func randomEntries(n int, seed uint64) [][]byte {
	r := rand.New(rand.NewPCG(seed, seed))
	out := make([][]byte, n)
	for i := range out {
		e := make([]byte, 1+r.IntN(64))
		for j := range e {
			e[j] = byte(r.Uint32())
		}
		out[i] = e
	}
	return out
}

// tlogTiles reads tiles as the log serves them (Tile) for x/mod's tlog, an
// implementation of tiles and proofs independent of transparency-dev's.
type tlogTiles struct {
	t testing.TB
	l *Log
}

func (r tlogTiles) Height() int { return 8 }

func (r tlogTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	var out [][]byte
	for _, t := range tiles {
		p := uint8(0)
		if t.W < 256 {
			p = uint8(t.W)
		}
		b, err := r.l.Tile(context.Background(), uint64(t.L), uint64(t.N), p)
		if err != nil {
			return nil, fmt.Errorf("tile %s: %v", layout.TilePath(uint64(t.L), uint64(t.N), p), err)
		}
		out = append(out, b)
	}
	return out, nil
}

func (r tlogTiles) SaveTiles([]tlog.Tile, [][]byte) {}

func TestProofsAgreeAcrossLibraries(t *testing.T) {
	ctx := context.Background()
	const n = 70_000 // three tile levels, with partial tiles at each
	entries := randomEntries(n, 7)
	src := &sliceSource{}
	l := openTestLog(t, src, t.TempDir(), 9999)
	r := rand.New(rand.NewPCG(3, 4))
	var sizes []uint64
	for added := 0; added < n; {
		k := min(n-added, 1+r.IntN(20000))
		src.add(entries[added : added+k]...)
		added += k
		integrateAll(t, l)
		sizes = append(sizes, l.Latest().Size)
	}
	cp := l.Latest()
	tree := tlog.Tree{N: int64(cp.Size), Hash: tlog.Hash(cp.Root)}
	hr := tlog.TileHashReader(tree, tlogTiles{t, l})

	t.Run("x/mod/tlog computes the checkpoint's root from the served tiles", func(t *testing.T) {
		th, err := tlog.TreeHash(tree.N, hr)
		if err != nil {
			t.Fatal(err)
		}
		if th != tlog.Hash(cp.Root) {
			t.Errorf("tlog.TreeHash = %x, want %x", th, cp.Root)
		}
	})
	proofs, err := l.NewProofs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		index := uint64(r.IntN(n))
		if i == 0 {
			index = n - 1
		}
		t.Run(fmt.Sprintf("both libraries give and accept the same inclusion proof for entry %d", index), func(t *testing.T) {
			ours, err := proofs.Inclusion(ctx, index)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := tlog.ProveRecord(tree.N, int64(index), hr)
			if err != nil {
				t.Fatal(err)
			}
			if len(ours) != len(theirs) {
				t.Fatalf("len(proof) = %d, tlog's %d", len(ours), len(theirs))
			}
			for j := range ours {
				if !bytes.Equal(ours[j], theirs[j][:]) {
					t.Fatalf("proof[%d] = %x, tlog's %x", j, ours[j], theirs[j])
				}
			}
			leaf := LeafHash(entries[index])
			if err := tlog.CheckRecord(theirs, tree.N, tree.Hash, int64(index), tlog.Hash(leaf)); err != nil {
				t.Errorf("tlog.CheckRecord: %v", err)
			}
			if err := proof.VerifyInclusion(hasher, index, cp.Size, leaf, ours, cp.Root); err != nil {
				t.Errorf("proof.VerifyInclusion: %v", err)
			}
			if got := tlog.RecordHash(entries[index]); !bytes.Equal(got[:], leaf) {
				t.Errorf("tlog.RecordHash = %x, LeafHash %x", got, leaf)
			}
		})
	}
	for _, old := range sizes[:len(sizes)-1] {
		t.Run(fmt.Sprintf("both libraries give the same consistency proof from size %d", old), func(t *testing.T) {
			ours, err := proofs.Consistency(ctx, old)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := tlog.ProveTree(tree.N, int64(old), hr)
			if err != nil {
				t.Fatal(err)
			}
			if len(ours) != len(theirs) {
				t.Fatalf("len(proof) = %d, tlog's %d", len(ours), len(theirs))
			}
			for j := range ours {
				if !bytes.Equal(ours[j], theirs[j][:]) {
					t.Fatalf("proof[%d] = %x, tlog's %x", j, ours[j], theirs[j])
				}
			}
			oldRoot, err := tlog.TreeHash(int64(old), hr)
			if err != nil {
				t.Fatal(err)
			}
			if err := tlog.CheckTree(theirs, tree.N, tree.Hash, int64(old), oldRoot); err != nil {
				t.Errorf("tlog.CheckTree: %v", err)
			}
			if err := proof.VerifyConsistency(hasher, old, cp.Size, ours, oldRoot[:], cp.Root); err != nil {
				t.Errorf("proof.VerifyConsistency: %v", err)
			}
		})
	}
}

func TestBatchingDoesNotChangeTheTree(t *testing.T) {
	entries := randomEntries(3000, 11)
	roots := map[int]string{}
	for _, batch := range []int{1, 7, 256, 1000, 5000} {
		src := &sliceSource{entries: entries}
		l := openTestLog(t, src, t.TempDir(), batch)
		integrateAll(t, l)
		roots[batch] = hex.EncodeToString(l.Latest().Root)
	}
	for batch, root := range roots {
		if root != roots[1] {
			t.Errorf("root with batches of %d = %s, with batches of 1 %s", batch, root, roots[1])
		}
	}
}
