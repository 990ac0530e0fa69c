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
