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
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/compact"
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
		return l.publishEmpty(ctx)
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
	rng, err := l.storedRange(ctx, cp)
	if err != nil {
		return err
	}
	edge, err := l.storedEdge(ctx, cp.Size)
	if err != nil {
		return err
	}
	last, err := l.storedLastLeaf(ctx, cp.Size)
	if err != nil {
		return err
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

// publishEmpty starts the log of a storage that holds no checkpoint by
// publishing the empty tree's; when another process published one first,
// that one is loaded instead.
func (l *Log) publishEmpty(ctx context.Context) error {
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

// storedRange reads the right edge of the stored tree of cp's size, the
// compact range the integrator appends to, and wants it to give cp's root.
func (l *Log) storedRange(ctx context.Context, cp *Checkpoint) (*compact.Range, error) {
	hashes, err := client.FetchRangeNodes(ctx, cp.Size, l.storedTile)
	if err != nil {
		return nil, fmt.Errorf("reading the tree's right edge at size %d: %w", cp.Size, err)
	}
	rng, err := rangeFactory.NewRange(0, cp.Size, hashes)
	if err != nil {
		return nil, err
	}
	root := hasher.EmptyRoot()
	if cp.Size > 0 {
		if root, err = rng.GetRootHash(nil); err != nil {
			return nil, err
		}
	}
	if !bytes.Equal(root, cp.Root) {
		return nil, fmt.Errorf("the stored tiles give root %s at size %d, but the published checkpoint says %s: the log's storage was changed", b64(root), cp.Size, b64(cp.Root))
	}
	return rng, nil
}

// storedEdge reads, per tile level, the rightmost partial tile of the
// stored tree of size: the tiles the next entries extend.
func (l *Log) storedEdge(ctx context.Context, size uint64) (map[uint64][]byte, error) {
	edge := map[uint64][]byte{}
	for level := uint64(0); size>>(8*level) > 0; level++ {
		n := size >> (8 * level)
		if w := n % layout.TileWidth; w > 0 {
			t, err := l.st.ReadTile(ctx, level, n/layout.TileWidth)
			if err != nil {
				return nil, err
			}
			if len(t) < int(w)*HashSize {
				return nil, fmt.Errorf("tile %d/%d holds %d hashes, want %d", level, n/layout.TileWidth, len(t)/HashSize, w)
			}
			edge[level] = bytes.Clone(t[:w*HashSize])
		}
	}
	return edge, nil
}

// storedLastLeaf reads the leaf hash of the last entry of the stored tree
// of size; nil for the empty tree.
func (l *Log) storedLastLeaf(ctx context.Context, size uint64) ([]byte, error) {
	if size == 0 {
		return nil, nil
	}
	t, err := l.storedTile(ctx, 0, (size-1)/layout.TileWidth, uint8((size-1)%layout.TileWidth+1))
	if err != nil {
		return nil, err
	}
	return bytes.Clone(t[len(t)-HashSize:]), nil
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
