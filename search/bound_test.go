package search

import (
	"context"
	"fmt"
	"testing"
)

// A remembered match bound is the one matchBound computes now: a batch
// that adds matching names raises it at once.
func TestCachedBoundFollowsTheIndex(t *testing.T) {
	ctx := context.Background()
	ix := memIndex(t, []Doc{{Kind: KindOrg, Number: "A1", Name: "青岛海尔电器有限公司"}})
	for round := 1; round <= 3; round++ {
		got, err := ix.cachedBound(ctx, "海尔")
		if err != nil {
			t.Fatal(err)
		}
		want, err := ix.matchBound(ctx, "海尔")
		if err != nil {
			t.Fatal(err)
		}
		if got != want || want != uint64(round) {
			t.Fatalf("round %d: cached bound %d, computed %d, want %d", round, got, want, round)
		}
		if again, _ := ix.cachedBound(ctx, "海尔"); again != got {
			t.Fatalf("round %d: second bound %d, first %d", round, again, got)
		}
		if err := ix.Put(Doc{Kind: KindOrg, Number: fmt.Sprintf("B%d", round), Name: "合肥海尔空调有限公司"}); err != nil {
			t.Fatal(err)
		}
	}
}

// Compact leaves an index on disk in one segment, with every document.
func TestCompact(t *testing.T) {
	ix, err := Open(t.TempDir() + "/ix")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for i := range 6 {
		if err := ix.Put(Doc{Kind: KindOrg, Number: fmt.Sprintf("C%d", i), Name: fmt.Sprintf("青岛海尔第%d分公司", i)}); err != nil {
			t.Fatal(err)
		}
	}
	ix.pending.Wait() // Compact merges the segments on disk
	if err := ix.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := ix.segments(); n != 1 {
		t.Errorf("%d segments after Compact, want 1", n)
	}
	if n, err := ix.Count(); err != nil || n != 6 {
		t.Errorf("Count after Compact: %d, %v; want 6", n, err)
	}
	if n, err := ix.matchBound(context.Background(), "海尔"); err != nil || n != 6 {
		t.Errorf("bound after Compact: %d, %v; want 6", n, err)
	}
}
