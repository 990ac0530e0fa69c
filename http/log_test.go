package http_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/transparency-dev/tessera/api"

	tmhttp "trustmark/http"
	"trustmark/translog"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// entrySource is a translog.Source of entries in memory.
type entrySource [][]byte

func (s entrySource) Entries(ctx context.Context, from uint64, max int) ([][]byte, error) {
	if from >= uint64(len(s)) {
		return nil, nil
	}
	return s[from:min(uint64(len(s)), from+uint64(max))], nil
}

func testEntries(n int) [][]byte {
	var es [][]byte
	for i := range n {
		es = append(es, fmt.Appendf(nil, "entry %d of the handler test", i))
	}
	return es
}

// memLog is a log of entries on files in a temporary directory, all
// integrated.
func memLog(t testing.TB, entries [][]byte) (*translog.Log, *translog.Key) {
	t.Helper()
	skey, err := translog.GenerateKey(nil, "trustmark.test/log")
	if err != nil {
		t.Fatal(err)
	}
	key, err := translog.ParseKey(skey)
	if err != nil {
		t.Fatal(err)
	}
	st, err := translog.NewDirStorage(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	l, err := translog.Open(context.Background(), entrySource(entries), st, key, translog.Options{Batch: 1000, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	for {
		n, err := l.Integrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return l, key
		}
	}
}

func TestLogHandler(t *testing.T) {
	entries := testEntries(600)
	l, key := memLog(t, entries)
	h := tmhttp.LogHandler(l)
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
		cp, err := translog.ParseCheckpoint(rec.Body.Bytes(), key.Verifier)
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
			if got := rec.Body.Len() / translog.HashSize; got != tc.hashes {
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
			if !bytes.Equal(b[i*32:(i+1)*32], translog.LeafHash(entries[512+i])) {
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

func FuzzLogHandlerPaths(f *testing.F) {
	l, _ := memLog(f, testEntries(300))
	h := tmhttp.LogHandler(l)
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
