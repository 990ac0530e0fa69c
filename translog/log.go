// Package translog is Trustmark's traceability log: every registry event,
// in order, as an entry of an append-only RFC 6962 Merkle log published in
// the C2SP formats (tlog-checkpoint signed as a signed-note with Ed25519,
// tlog-tiles), so that anyone holding the log's verifier key can check that
// history was never rewritten.
//
// The log's entry i is the canonical encoding (Entry) of the registry event
// with Seq i. Events are written in the same database transaction as the
// state they describe, so the log holds exactly the committed events; the
// Merkle tree (hash tiles) is derived data an integrator computes from the
// events in order and publishes with a signed checkpoint. See docs/LOG.md.
package translog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/api/layout"
	"github.com/transparency-dev/tessera/client"
	"golang.org/x/mod/sumdb/note"
)

var hasher = rfc6962.DefaultHasher

// Source gives the log's entries in order.
type Source interface {
	// Entries returns the entries with indexes from, from+1, ..., at most
	// max of them; fewer (or none) when the source holds no more yet.
	Entries(ctx context.Context, from uint64, max int) ([][]byte, error)
}

// Checkpoint is a published, signed checkpoint.
type Checkpoint struct {
	Origin string
	Size   uint64
	Root   []byte
	Signed []byte // the C2SP signed note (from Published: with cosignatures)
}

// Options configure a Log. The zero value is usable.
type Options struct {
	// Interval is how long the integrator waits for new entries when it
	// is caught up; default 250ms, so that a checkpoint follows an entry
	// within a second.
	Interval time.Duration
	// Batch is the most entries integrated under one checkpoint; default 16384.
	Batch int
	// Logger; default slog.Default().
	Logger *slog.Logger

	// Witnesses is the witness policy (C2SP tlog-witness): after each
	// checkpoint, Run asks these witnesses to cosign it and publishes it at
	// /checkpoint with their cosignatures. The zero value asks none. See
	// cosign.go and docs/LOG.md, "Witnesses".
	Witnesses tessera.WitnessGroup
	// WitnessTimeout bounds a round of witnessing; when the policy is not
	// satisfied by then, the checkpoint is published anyway with the
	// cosignatures it got. Default DefaultWitnessTimeout.
	WitnessTimeout time.Duration
	// WitnessRefresh is how old the published cosignatures may grow while
	// no entries arrive before the log asks its witnesses to cosign the same
	// checkpoint again, so that a verifier can tell a quiet log from a frozen
	// or stale view by the cosignatures' timestamps (verify
	// --witness-max-age). Default DefaultWitnessRefresh.
	WitnessRefresh time.Duration
	// StateFile, when set, is a file outside the storage where the log
	// keeps the last checkpoint it published, so that a storage that went
	// backwards (a database restored from a backup) is caught across
	// restarts too, not only by a running log: Open then starts halted
	// (see Halted). Keep it beside the signing key, never restore it from
	// a backup. Empty: no such file.
	StateFile string

	// WitnessTransport carries requests to the witnesses
	// (logclient.HTTPWitnesses over HTTP); required with Witnesses. Rounds
	// are bounded by WitnessTimeout.
	WitnessTransport WitnessTransport
}

// Log is a running traceability log: it integrates entries from its Source
// into the Merkle tree in its Storage and publishes signed checkpoints. It is
// safe for concurrent use; one integrator runs at a time per process, and
// several processes may share a Storage (Publish refuses stale checkpoints).
type Log struct {
	src  Source
	st   Storage
	key  *Key
	opts Options

	cur   atomic.Pointer[Checkpoint]
	cache *lru.Cache[tileKey, []byte] // tiles as last published (prefixes never change)

	mu       sync.Mutex // the integrator's state below
	loaded   bool
	rng      *compact.Range
	edge     map[uint64][]byte // per tile level, the rightmost partial tile
	lastLeaf []byte            // the leaf hash of the last published entry
	lastSeen []byte            // that entry, when this process published it (nil after load)
	wake     chan struct{}

	lost      atomic.Pointer[lostRanges]    // entries the storage lost, as recorded by Recover
	halted    atomic.Pointer[RollbackError] // set while the storage does not hold what was published; see guard.go
	checkedAt time.Time                     // the last check of the storage
	warnedAt  time.Time                     // the last log line about a halt

	wit *witnessing // nil without witnesses; see cosign.go
}

type tileKey struct{ level, index uint64 }

var rangeFactory = &compact.RangeFactory{Hash: hasher.HashChildren}

// Open opens the log kept in st whose entries come from src, signed with
// key. The log's origin is the key's name. On first start it records the
// origin and verifier key in st and publishes the empty tree's checkpoint;
// later it refuses a different key or origin, and checks that the stored
// tiles still give the published root.
func Open(ctx context.Context, src Source, st Storage, key *Key, opts Options) (*Log, error) {
	if opts.Interval <= 0 {
		opts.Interval = 250 * time.Millisecond
	}
	if opts.Batch <= 0 {
		opts.Batch = 16384
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if len(opts.Witnesses.Endpoints()) > 0 && opts.WitnessTransport == nil {
		return nil, errors.New("traceability log: witnesses given without a transport to reach them (Options.WitnessTransport)")
	}
	if es, ok := src.(EventSource); ok {
		es.memo = &entryMemo{} // the log's own copy remembers its last entry
		src = es
	}
	cache, _ := lru.New[tileKey, []byte](8192)
	l := &Log{src: src, st: st, key: key, opts: opts, cache: cache, wake: make(chan struct{}, 1)}
	l.wit = newWitnessing(opts)
	for name, want := range map[string]string{"origin": key.Signer.Name(), "verifier_key": key.VerifierKey} {
		got, err := st.Setting(ctx, name)
		switch {
		case errors.Is(err, ErrNotFound):
			if err := st.SetSetting(ctx, name, want); err != nil {
				return nil, err
			}
		case err != nil:
			return nil, err
		case got != want:
			return nil, fmt.Errorf("the log's %s is %q but the signing key gives %q: use the log's own key", name, got, want)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if opts.StateFile != "" {
		cp, err := readState(opts.StateFile, key)
		if err != nil {
			return nil, err
		}
		if cp != nil {
			l.cur.Store(cp) // what was published, whatever storage says
		}
	}
	if err := l.load(ctx); err != nil && !errors.Is(err, ErrHalted) {
		return nil, err
	}
	l.wit.assumeSize(l.cur.Load().Size)
	return l, nil
}

// Origin returns the log's origin.
func (l *Log) Origin() string { return l.key.Signer.Name() }

// VerifierKey returns the key verifiers need (name+hexid+base64key).
func (l *Log) VerifierKey() string { return l.key.VerifierKey }

// Latest returns the latest checkpoint this process published or loaded.
func (l *Log) Latest() Checkpoint { return *l.cur.Load() }

// load restores the integrator's state from storage. Called with l.mu held.
func (l *Log) load(ctx context.Context) error {
	prev := l.cur.Load() // nil at Open
	raw, err := l.st.Checkpoint(ctx)
	if errors.Is(err, ErrNotFound) && prev != nil && prev.Size > 0 {
		return l.halt(&RollbackError{Published: prev.Size, Reason: "holds no checkpoint"})
	}
	l.loaded = false
	if errors.Is(err, ErrNotFound) {
		l.rng = rangeFactory.NewEmptyRange(0)
		l.edge = map[uint64][]byte{}
		cp, err := l.sign(0, hasher.EmptyRoot())
		if err != nil {
			return err
		}
		if err := l.st.Publish(ctx, 0, nil, cp.Signed); err != nil && !errors.Is(err, ErrStale) {
			return err
		} else if err != nil {
			return l.load(ctx)
		}
		l.cur.Store(cp)
		l.loaded = true
		return nil
	}
	if err != nil {
		return err
	}
	cp, err := ParseCheckpoint(raw, l.key.Verifier)
	if err != nil {
		return fmt.Errorf("the published checkpoint does not verify with the log's key: %w", err)
	}
	if prev != nil {
		// Never load a tree that does not extend the one published: the
		// in-memory state stays, and publication stops.
		if err := l.extends(ctx, prev, cp); err != nil {
			l.loaded = l.rng != nil // the published tree stays in memory, when it is there
			return l.halt(err)
		}
	}
	hashes, err := client.FetchRangeNodes(ctx, cp.Size, l.storedTile)
	if err != nil {
		return fmt.Errorf("reading the tree's right edge at size %d: %w", cp.Size, err)
	}
	rng, err := rangeFactory.NewRange(0, cp.Size, hashes)
	if err != nil {
		return err
	}
	root := hasher.EmptyRoot()
	if cp.Size > 0 {
		if root, err = rng.GetRootHash(nil); err != nil {
			return err
		}
	}
	if !bytes.Equal(root, cp.Root) {
		return fmt.Errorf("the stored tiles give root %s at size %d, but the published checkpoint says %s: the log's storage was changed", b64(root), cp.Size, b64(cp.Root))
	}
	edge := map[uint64][]byte{}
	for level := uint64(0); cp.Size>>(8*level) > 0; level++ {
		n := cp.Size >> (8 * level)
		if w := n % layout.TileWidth; w > 0 {
			t, err := l.st.ReadTile(ctx, level, n/layout.TileWidth)
			if err != nil {
				return err
			}
			if len(t) < int(w)*HashSize {
				return fmt.Errorf("tile %d/%d holds %d hashes, want %d", level, n/layout.TileWidth, len(t)/HashSize, w)
			}
			edge[level] = bytes.Clone(t[:w*HashSize])
		}
	}
	var last []byte
	if cp.Size > 0 {
		t, err := l.storedTile(ctx, 0, (cp.Size-1)/layout.TileWidth, uint8((cp.Size-1)%layout.TileWidth+1))
		if err != nil {
			return err
		}
		last = bytes.Clone(t[len(t)-HashSize:])
	}
	lost, err := loadLost(ctx, l.st, l.key)
	if err != nil {
		return err
	}
	l.rng, l.edge, l.lastLeaf, l.lastSeen = rng, edge, last, nil
	l.lost.Store(&lost)
	l.cur.Store(cp)
	l.loaded = true
	l.resume()
	return l.saveState(cp)
}

// sign returns the signed checkpoint of the tree of size with root.
func (l *Log) sign(size uint64, root []byte) (*Checkpoint, error) {
	text := log.Checkpoint{Origin: l.Origin(), Size: size, Hash: root}.Marshal()
	signed, err := note.Sign(&note.Note{Text: string(text)}, l.key.Signer)
	if err != nil {
		return nil, err
	}
	return &Checkpoint{Origin: l.Origin(), Size: size, Root: root, Signed: signed}, nil
}

// ParseCheckpoint opens a signed checkpoint with verifier: the signature
// must verify and the origin must be the verifier's name.
func ParseCheckpoint(signed []byte, v note.Verifier) (*Checkpoint, error) {
	cp, _, _, err := log.ParseCheckpoint(signed, v.Name(), v)
	if err != nil {
		return nil, err
	}
	return &Checkpoint{Origin: cp.Origin, Size: cp.Size, Root: cp.Hash, Signed: signed}, nil
}

// checkpointSize reads the size of a checkpoint without checking it.
func checkpointSize(signed []byte) (uint64, error) {
	var cp log.Checkpoint
	_, err := cp.Unmarshal(signed)
	return cp.Size, err
}

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
	touched := map[tileKey][]byte{}
	var order []tileKey
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
		if _, ok := touched[k]; !ok {
			order = append(order, k)
		}
		touched[k] = buf
		if len(buf) == layout.TileWidth*HashSize {
			delete(l.edge, level)
		} else {
			l.edge[level] = buf
		}
	}
	var leaf []byte
	for _, e := range entries {
		if len(e) > MaxEntrySize {
			return 0, fmt.Errorf("entry %d is %d bytes, want at most %d", l.rng.End(), len(e), MaxEntrySize)
		}
		leaf = hasher.HashLeaf(e)
		if err := l.rng.Append(leaf, visit); err != nil {
			return 0, err
		}
	}
	size := l.rng.End()
	root, err := l.rng.GetRootHash(nil)
	if err != nil {
		return 0, err
	}
	tiles := make([]Tile, 0, len(order))
	for _, k := range order {
		tiles = append(tiles, Tile{Level: k.level, Index: k.index, Hashes: bytes.Clone(touched[k])})
	}

	// The tree only grows: prove it before signing, from the tiles about to
	// be published, so that no bug or tampered storage can make the log sign
	// a checkpoint inconsistent with the last one.
	if prev.Size > 0 {
		overlay := func(ctx context.Context, level, index uint64, p uint8) ([]byte, error) {
			if t, ok := touched[tileKey{level, index}]; ok {
				return truncateTile(t, p, level, index)
			}
			return l.storedTile(ctx, level, index, p)
		}
		pb, err := client.NewProofBuilder(ctx, size, overlay)
		if err != nil {
			return 0, err
		}
		cons, err := pb.ConsistencyProof(ctx, prev.Size, size)
		if err != nil {
			return 0, err
		}
		if err := proof.VerifyConsistency(hasher, prev.Size, size, cons, prev.Root, root); err != nil {
			return 0, fmt.Errorf("refusing to sign size %d: not consistent with the published size %d: %w", size, prev.Size, err)
		}
	}
	cp, err := l.sign(size, root)
	if err != nil {
		return 0, err
	}
	if err := l.publish(ctx, prev, tiles, cp); err != nil {
		return 0, err
	}
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
	l.lastSeen, l.lastLeaf = entries[len(entries)-1], leaf
	l.cur.Store(cp)
	l.wit.notify()
	l.opts.Logger.Debug("traceability log: published checkpoint", "size", size, "added", len(entries))
	return len(entries), nil
}

// storedTile is a tessera client.TileFetcherFunc over the log's storage: the
// tile at level, index, truncated to p hashes when p > 0.
func (l *Log) storedTile(ctx context.Context, level, index uint64, p uint8) ([]byte, error) {
	k := tileKey{level, index}
	if t, ok := l.cache.Get(k); ok {
		if b, err := truncateTile(t, p, level, index); err == nil {
			return b, nil
		}
		// A partial tile cached by another process's view: read storage.
	}
	t, err := l.st.ReadTile(ctx, level, index)
	if err != nil {
		return nil, err
	}
	l.cache.Add(k, t)
	return truncateTile(t, p, level, index)
}

func truncateTile(t []byte, p uint8, level, index uint64) ([]byte, error) {
	want := int(p) * HashSize
	if p == 0 {
		want = layout.TileWidth * HashSize
	}
	if len(t) < want || len(t)%HashSize != 0 {
		return nil, fmt.Errorf("tile %d/%d has %d hashes, want %d: %w", level, index, len(t)/HashSize, want/HashSize, ErrNotFound)
	}
	return t[:want], nil
}

// tileAt returns the hashes of a tile as of the tree size of cp, as served:
// a full tile once the tree has passed it, a partial tile of width p for any
// width the tree has reached (its content never changes).
func (l *Log) tileAt(ctx context.Context, cp *Checkpoint, level, index uint64, p uint8) ([]byte, error) {
	if !tileInTree(cp.Size, level, index, p) {
		return nil, fmt.Errorf("tile %d/%d.p/%d is beyond the tree of size %d: %w", level, index, p, cp.Size, ErrNotFound)
	}
	return l.storedTile(ctx, level, index, p)
}

// tileInTree reports whether the tree of size holds tile level/index with p
// hashes (p == 0: full).
func tileInTree(size, level, index uint64, p uint8) bool {
	if level >= 8 {
		return false
	}
	n := size >> (layout.TileHeight * level)
	full := n / layout.TileWidth
	if index < full {
		return true
	}
	return p > 0 && index == full && uint64(p) <= n%layout.TileWidth
}
