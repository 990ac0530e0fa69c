package translog

import (
	"context"
	"fmt"
	"testing"

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

// BenchmarkInclusionProof builds cold inclusion proofs (no tile cache on
// the client) from the tiles as served (Tile) in a tree of a million
// entries.
func BenchmarkInclusionProof(b *testing.B) {
	src := &sliceSource{}
	for i := 0; i < 1<<20; i++ {
		src.entries = append(src.entries, fmt.Appendf(nil, "entry %d", i))
	}
	l := openTestLog(b, src, b.TempDir(), 1<<20)
	integrateAll(b, l)
	size := l.Latest().Size
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		pb, _ := client.NewProofBuilder(context.Background(), size, l.Tile)
		if _, err := pb.InclusionProof(context.Background(), uint64(i*7919)%size); err != nil {
			b.Fatal(err)
		}
	}
}
