package translog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/tessera/api/layout"
	"github.com/transparency-dev/tessera/client"
)

// Notify tells the integrator that entries were added, so it need not wait
// for its next poll.
func (l *Log) Notify() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Run integrates entries until ctx is done, publishing a checkpoint after
// each batch. Errors are logged and retried; it never publishes a checkpoint
// inconsistent with the previous one. Batches shrink when one takes more
// than half a second, so that checkpoints keep coming at least every second
// while a backlog (a bulk import) is integrated. With witnesses it also
// asks them to cosign each checkpoint (cosign.go), until ctx is done.
func (l *Log) Run(ctx context.Context) error {
	if l.wit != nil {
		var wg sync.WaitGroup
		wg.Go(func() { l.runWitnessing(ctx) })
		defer wg.Wait()
	}
	backoff := l.opts.Interval
	batch := l.opts.Batch
	for {
		t0, used := time.Now(), batch
		n, err := l.integrateUpTo(ctx, used, false)
		took := time.Since(t0)
		switch {
		case err != nil && ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, ErrHalted):
			backoff = max(l.opts.Interval, checkEvery) // halt says so itself; look again soon
		case err != nil:
			l.opts.Logger.Error("traceability log: integration failed", "err", err)
			backoff = min(2*backoff, 30*time.Second)
		default:
			backoff = l.opts.Interval
		}
		switch {
		case took > 500*time.Millisecond && batch > 64:
			batch /= 2
		case took < 100*time.Millisecond && n == used && batch < l.opts.Batch:
			batch = min(2*batch, l.opts.Batch)
		}
		if n == used && err == nil {
			continue // more waiting
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-l.wake:
		case <-time.After(backoff):
		}
	}
}

// Integrate appends the next batch of entries from the source to the tree
// and publishes its checkpoint. It returns how many entries it added; while
// the storage does not hold what the log published, none, and an error
// wrapping ErrHalted.
func (l *Log) Integrate(ctx context.Context) (int, error) {
	return l.integrateUpTo(ctx, l.opts.Batch, true)
}

// integrateUpTo integrates at most batch entries; check asks for the check
// of the storage even when there is nothing to sign.
func (l *Log) integrateUpTo(ctx context.Context, batch int, check bool) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.loaded {
		if err := l.load(ctx); err != nil {
			return 0, err
		}
	}
	prev := l.cur.Load()
	entries, last, err := l.readBatch(ctx, prev, batch)
	if err != nil {
		return 0, err
	}
	// Before every signature, and about once a second while idle (so that
	// a halt is seen and lifted without new entries): does the storage
	// still hold what was published? A batch to sign through a
	// CheckedPublisher needs no read of the checkpoint: its publish
	// refuses one that is not prev.
	_, checked := l.st.(CheckedPublisher)
	readCheckpoint := !checked || len(entries) == 0 || l.halted.Load() != nil
	if check || len(entries) > 0 || l.halted.Load() != nil || time.Since(l.checkedAt) >= checkEvery {
		if err := l.guard(ctx, prev, last, readCheckpoint); errors.Is(err, ErrStale) {
			l.loaded = false
			return 0, l.load(ctx)
		} else if err != nil {
			return 0, err
		}
	}
	if len(entries) == 0 {
		return 0, nil
	}
	n, err := l.integrate(ctx, prev, entries)
	if errors.Is(err, ErrChanged) {
		// The storage's checkpoint changed under the batch: nothing was
		// published; the full check says whether to reload or to halt.
		if err := l.guard(ctx, prev, lastEntry{}, true); err != nil && !errors.Is(err, ErrStale) {
			return 0, err
		}
		err = ErrStale
	}
	if errors.Is(err, ErrStale) {
		l.loaded = false
		return 0, l.load(ctx)
	}
	return n, err
}

// integrate appends entries to the tree, publishes it and signs its
// checkpoint; on failure the in-memory tree is left as published.
func (l *Log) integrate(ctx context.Context, prev *Checkpoint, entries [][]byte) (n int, err error) {
	// Appending to an edge tile writes beyond the saved slices' lengths, so
	// a shallow copy of the edge is a snapshot.
	savedEdge, savedHashes := maps.Clone(l.edge), slices.Clone(l.rng.Hashes())
	defer func() {
		if err != nil {
			l.edge = savedEdge
			l.rng, _ = rangeFactory.NewRange(0, prev.Size, savedHashes)
		}
	}()
	touched, leaf, err := l.appendLeaves(entries)
	if err != nil {
		return 0, err
	}
	size := l.rng.End()
	root, err := l.rng.GetRootHash(nil)
	if err != nil {
		return 0, err
	}
	tiles := touched.tiles()
	if prev.Size > 0 {
		if err := l.checkGrows(ctx, prev, size, root, touched); err != nil {
			return 0, err
		}
	}
	cp, err := l.sign(size, root)
	if err != nil {
		return 0, err
	}
	if err := l.publish(ctx, prev, tiles, cp); err != nil {
		return 0, err
	}
	l.recordPublished(cp, tiles, entries[len(entries)-1], leaf)
	l.opts.Logger.Debug("traceability log: published checkpoint", "size", size, "added", len(entries))
	return len(entries), nil
}

// touchedTiles are the tiles an append wrote to, with their new hashes, in
// the order first written.
type touchedTiles struct {
	hashes map[tileKey][]byte
	order  []tileKey
}

// tiles returns the touched tiles to publish, in order, each with a copy
// of its hashes.
func (tt *touchedTiles) tiles() []Tile {
	tiles := make([]Tile, 0, len(tt.order))
	for _, k := range tt.order {
		tiles = append(tiles, Tile{Level: k.level, Index: k.index, Hashes: bytes.Clone(tt.hashes[k])})
	}
	return tiles
}

// appendLeaves appends the entries' leaf hashes to the in-memory tree and
// its edge tiles, and returns the tiles written and the last leaf hash.
func (l *Log) appendLeaves(entries [][]byte) (*touchedTiles, []byte, error) {
	touched := &touchedTiles{hashes: map[tileKey][]byte{}}
	visit := func(id compact.NodeID, h []byte) {
		if id.Level%layout.TileHeight != 0 {
			return
		}
		level := uint64(id.Level / layout.TileHeight)
		k := tileKey{level, id.Index / layout.TileWidth}
		buf := l.edge[level]
		if id.Index%layout.TileWidth == 0 {
			buf = make([]byte, 0, layout.TileWidth*HashSize)
		}
		buf = append(buf, h...)
		if _, ok := touched.hashes[k]; !ok {
			touched.order = append(touched.order, k)
		}
		touched.hashes[k] = buf
		if len(buf) == layout.TileWidth*HashSize {
			delete(l.edge, level)
		} else {
			l.edge[level] = buf
		}
	}
	var leaf []byte
	for _, e := range entries {
		if len(e) > MaxEntrySize {
			return nil, nil, fmt.Errorf("entry %d is %d bytes, want at most %d", l.rng.End(), len(e), MaxEntrySize)
		}
		leaf = hasher.HashLeaf(e)
		if err := l.rng.Append(leaf, visit); err != nil {
			return nil, nil, err
		}
	}
	return touched, leaf, nil
}

// checkGrows proves that the tree of size with root extends the published
// tree of prev before it is signed. The tree only grows: the proof is built
// from the tiles about to be published (touched, over the stored ones), so
// that no bug or tampered storage can make the log sign a checkpoint
// inconsistent with the last one.
func (l *Log) checkGrows(ctx context.Context, prev *Checkpoint, size uint64, root []byte, touched *touchedTiles) error {
	overlay := func(ctx context.Context, level, index uint64, p uint8) ([]byte, error) {
		if t, ok := touched.hashes[tileKey{level, index}]; ok {
			return truncateTile(t, p, level, index)
		}
		return l.storedTile(ctx, level, index, p)
	}
	pb, err := client.NewProofBuilder(ctx, size, overlay)
	if err != nil {
		return err
	}
	cons, err := pb.ConsistencyProof(ctx, prev.Size, size)
	if err != nil {
		return err
	}
	if err := proof.VerifyConsistency(hasher, prev.Size, size, cons, prev.Root, root); err != nil {
		return fmt.Errorf("refusing to sign size %d: not consistent with the published size %d: %w", size, prev.Size, err)
	}
	return nil
}

// recordPublished makes cp, just published with tiles, the log's current
// checkpoint: in the tile cache, the state file, the integrator's record of
// its last entry (lastEntry, whose leaf hash is leaf) and the witnesses'.
func (l *Log) recordPublished(cp *Checkpoint, tiles []Tile, lastEntry, leaf []byte) {
	for _, t := range tiles {
		// Partial tiles too: a partial tile only grows, so the latest
		// one serves every width up to its own.
		l.cache.Add(tileKey{t.Level, t.Index}, t.Hashes)
	}
	if err := l.saveState(cp); err != nil {
		// Published but not recorded: a restart could miss a rollback
		// to before it, so say so; publication goes on.
		l.opts.Logger.Error("traceability log: recording the published checkpoint", "file", l.opts.StateFile, "err", err)
	}
	l.lastSeen, l.lastLeaf = lastEntry, leaf
	l.cur.Store(cp)
	l.wit.notify()
}
