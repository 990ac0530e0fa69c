package translog

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/transparency-dev/tessera/api/layout"
	"github.com/transparency-dev/tessera/client"
)

func BenchmarkEntry(b *testing.B) {
	e := sampleEvent()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Entry(e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIntegrate measures the integrator alone (hashing, tiles,
// consistency check, signing) over DirStorage without fsync, per entry.
func BenchmarkIntegrate(b *testing.B) {
	entries := randomEntries(1<<16, 1)
	src := &sliceSource{}
	l := openTestLog(b, src, b.TempDir(), 4096)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		src.add(entries[i%len(entries)])
		if i%4096 == 4095 {
			integrateAll(b, l)
		}
	}
	integrateAll(b, l)
}

// BenchmarkInclusionProofHTTP builds cold inclusion proofs (no tile cache
// on the client) over the HTTP handler in a tree of a million entries.
func BenchmarkInclusionProofHTTP(b *testing.B) {
	src := &sliceSource{}
	for i := 0; i < 1<<20; i++ {
		src.entries = append(src.entries, fmt.Appendf(nil, "entry %d", i))
	}
	l := openTestLog(b, src, b.TempDir(), 1<<20)
	integrateAll(b, l)
	h := l.Handler()
	fetch := func(ctx context.Context, level, index uint64, p uint8) ([]byte, error) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/"+layout.TilePath(level, index, p), nil))
		return rec.Body.Bytes(), nil
	}
	size := l.Latest().Size
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		pb, _ := client.NewProofBuilder(context.Background(), size, fetch)
		if _, err := pb.InclusionProof(context.Background(), uint64(i*7919)%size); err != nil {
			b.Fatal(err)
		}
	}
}
