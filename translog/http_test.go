package translog

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/tessera/api"
)

func TestHandler(t *testing.T) {
	entries := randomEntries(600, 21)
	src := &sliceSource{entries: entries}
	l := openTestLog(t, src, t.TempDir(), 1000)
	integrateAll(t, l)
	h := l.Handler()
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}

	t.Run("the checkpoint is a signed note that is not cached", func(t *testing.T) {
		rec := get("/checkpoint")
		if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-cache" {
			t.Fatalf("GET /checkpoint = %d, Cache-Control %q", rec.Code, rec.Header().Get("Cache-Control"))
		}
		cp, err := ParseCheckpoint(rec.Body.Bytes(), testKey(t).Verifier)
		if err != nil {
			t.Fatal(err)
		}
		if cp.Size != 600 || cp.Origin != "trustmark.test/log" {
			t.Errorf("checkpoint size %d origin %q, want 600 trustmark.test/log", cp.Size, cp.Origin)
		}
	})

	tiles := []struct {
		path   string
		code   int
		hashes int
	}{
		{"/tile/0/000", 200, 256},
		{"/tile/0/001", 200, 256},
		{"/tile/0/002.p/88", 200, 88},
		{"/tile/0/002.p/10", 200, 10}, // an earlier width of the same tile
		{"/tile/0/001.p/5", 200, 5},   // a prefix of a full tile
		{"/tile/1/000.p/2", 200, 2},   // level 1: the roots of the two full tiles
		{"/tile/0/002.p/89", 404, 0},  // beyond the tree
		{"/tile/0/002", 404, 0},       // not full yet
		{"/tile/0/003.p/1", 404, 0},   // beyond the tree
		{"/tile/1/000", 404, 0},       // not full yet
		{"/tile/0/2", 400, 0},         // not three digits
		{"/tile/0/x001/002.p/0", 400, 0},
		{"/tile/64/000", 400, 0},
	}
	for _, tc := range tiles {
		t.Run("GET "+tc.path+" answers "+statusText(tc.code), func(t *testing.T) {
			rec := get(tc.path)
			if rec.Code != tc.code {
				t.Fatalf("GET %s = %d %s, want %d", tc.path, rec.Code, rec.Body, tc.code)
			}
			if tc.code != 200 {
				return
			}
			if got := rec.Body.Len() / HashSize; got != tc.hashes {
				t.Errorf("GET %s gave %d hashes, want %d", tc.path, got, tc.hashes)
			}
			if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("Cache-Control = %q, want immutable", cc)
			}
		})
	}
	t.Run("the level-0 tile holds the entries' leaf hashes", func(t *testing.T) {
		b := get("/tile/0/002.p/88").Body.Bytes()
		for i := 0; i < 88; i++ {
			if !bytes.Equal(b[i*32:(i+1)*32], LeafHash(entries[512+i])) {
				t.Fatalf("hash %d differs from the leaf hash of entry %d", i, 512+i)
			}
		}
	})
	t.Run("entry bundles hold the entries", func(t *testing.T) {
		for _, tc := range []struct {
			path  string
			first int
			n     int
		}{{"/tile/entries/000", 0, 256}, {"/tile/entries/002.p/88", 512, 88}, {"/tile/entries/002.p/3", 512, 3}} {
			rec := get(tc.path)
			if rec.Code != 200 {
				t.Fatalf("GET %s = %d %s", tc.path, rec.Code, rec.Body)
			}
			var eb api.EntryBundle
			if err := eb.UnmarshalText(rec.Body.Bytes()); err != nil {
				t.Fatal(err)
			}
			if len(eb.Entries) != tc.n {
				t.Fatalf("GET %s: %d entries, want %d", tc.path, len(eb.Entries), tc.n)
			}
			for i, e := range eb.Entries {
				if !bytes.Equal(e, entries[tc.first+i]) {
					t.Fatalf("GET %s: entry %d differs", tc.path, i)
				}
			}
		}
		if rec := get("/tile/entries/002"); rec.Code != 404 {
			t.Errorf("GET /tile/entries/002 = %d, want 404", rec.Code)
		}
	})
}

func statusText(code int) string {
	switch code {
	case 200:
		return "200"
	case 400:
		return "400"
	}
	return "404"
}

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
	_ = errors.Is
}

func FuzzHandlerPaths(f *testing.F) {
	src := &sliceSource{entries: randomEntries(300, 1)}
	l := openTestLog(f, src, f.TempDir(), 1000)
	integrateAll(f, l)
	h := l.Handler()
	for _, p := range []string{"/checkpoint", "/tile/0/000", "/tile/0/001.p/44", "/tile/entries/x001/002.p/7", "/tile/1/000.p/1", "/tile/entries/000"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path = path
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %q = %d %s", path, rec.Code, rec.Body)
		}
	})
}
