package search

import (
	"context"
	"log/slog"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// An index built by catching up with many events is left by scorch's merge
// policy in many segments (15 for the small demo: up to ten per size
// tier), and every term of every query is looked up in each of them: on
// the search page that was most of bleve's time. Compacting after a large
// catch-up, and at start when the index holds more than maxSegments,
// merges them into one; later batches add small segments, which the merge
// policy keeps merging as before.
const (
	compactAfter = 10_000 // events indexed in one run of the follower
	maxSegments  = 4
)

// segments returns how many segments the index's current snapshot holds,
// 0 for an index that is not scorch (OpenMem).
func (ix *Index) segments() int {
	a, err := ix.bleve.Advanced()
	if err != nil {
		return 0
	}
	s, ok := a.(*scorch.Scorch)
	if !ok {
		return 0
	}
	r, err := s.Reader()
	if err != nil {
		return 0
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || snap == nil { // nil once the index is closed
		return 0
	}
	defer snap.Close()
	return len(snap.Segments())
}

// Compact merges the index's segments into one, while it stays searchable
// and writable; it returns when done, at once when another compaction is
// running, and when the index is closed.
func (ix *Index) Compact(ctx context.Context) error {
	if !ix.compacting.CompareAndSwap(false, true) {
		return nil
	}
	defer ix.compacting.Store(false)
	a, err := ix.bleve.Advanced()
	if err != nil {
		return err
	}
	s, ok := a.(*scorch.Scorch)
	if !ok {
		return nil
	}
	return s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions)
}

// compactInBackground compacts the index without holding up the follower.
func (ix *Index) compactInBackground(ctx context.Context, log *slog.Logger, why string) {
	go func() {
		before := ix.segments()
		err := ix.Compact(ctx)
		if ctx.Err() != nil {
			return // stopping: the index may be closed
		}
		if err != nil {
			if log != nil {
				log.Warn("search index compaction failed", "err", err)
			}
			return
		}
		if log != nil {
			log.Info("search index compacted", "why", why, "segments_before", before, "segments_after", ix.segments())
		}
	}()
}
