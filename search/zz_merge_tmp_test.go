package search

import (
	"context"
	"os"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

func TestTmpForceMerge(t *testing.T) {
	dir := os.Getenv("TM_MERGE_DIR")
	if dir == "" {
		t.Skip()
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ix.bleve.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	if err := a.(*scorch.Scorch).ForceMerge(context.Background(), &mergeplan.SingleSegmentMergePlanOptions); err != nil {
		t.Fatal(err)
	}
	ix.Close()
}
