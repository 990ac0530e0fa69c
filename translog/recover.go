package translog

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/tessera/api/layout"
	"github.com/transparency-dev/tessera/client"

	"trustmark/logstore"
)

// Recovery is what Recover asks a Recoverer to store, in one transaction
// (the storage contract, package logstore).
type Recovery = logstore.Recovery

// Recoverer is a Storage that can take back a published tree whose end it
// lost. sqlstore's LogStorage is one.
type Recoverer = logstore.Recoverer

// RecoveryReport says what Recover did.
type RecoveryReport struct {
	Published uint64 // the size of the published tree, now in storage
	Stored    uint64 // the size the storage held before
	Lost      Range  // the entries lost (empty when none was)
}

// Recover makes st, a storage that went back (a database restored from a
// backup), hold again the tree the log published, so that the log can
// publish on consistently: published is the log's latest published
// checkpoint (from the halted server's /log/checkpoint or a witness) and
// fetch reads the published tree's tiles (from the halted server, which
// still serves them, or any mirror). Every tile fetched is checked: with
// the stored tiles they must give published's root. The published entries
// the source no longer holds, from the first that differs, are recorded as
// lost (signed with key), and the source's entries from there on, written
// after the restore, are renumbered to follow the published tree. The log
// cannot shrink: the lost entries keep their place and hashes in it, and
// the changes they recorded must be entered again, as new entries.
// See docs/LOG.md, "After a restore".
func Recover(ctx context.Context, src Source, st Storage, key *Key, published []byte, fetch client.TileFetcherFunc) (*RecoveryReport, error) {
	rec, ok := st.(Recoverer)
	if !ok {
		return nil, errors.New("this log's storage cannot recover a published tree")
	}
	pub, err := ParseCheckpoint(published, key.Verifier)
	if err != nil {
		return nil, fmt.Errorf("the published checkpoint does not verify with the log's key: %w", err)
	}
	storedRaw, err := st.Checkpoint(ctx)
	stored := &Checkpoint{Root: hasher.EmptyRoot()}
	switch {
	case errors.Is(err, ErrNotFound):
		storedRaw = nil
	case err != nil:
		return nil, err
	default:
		if stored, err = ParseCheckpoint(storedRaw, key.Verifier); err != nil {
			return nil, fmt.Errorf("the stored checkpoint does not verify with the log's key: %w", err)
		}
	}
	switch {
	case stored.Size > pub.Size:
		return nil, fmt.Errorf("the storage holds %d entries, more than the %d of the checkpoint given: give the latest published checkpoint", stored.Size, pub.Size)
	case stored.Size == pub.Size && !bytes.Equal(stored.Root, pub.Root):
		return nil, fmt.Errorf("the storage holds another tree of %d entries than the one published: a fork, not a loss", pub.Size)
	}
	tiles, err := fetchTiles(ctx, stored.Size, pub.Size, fetch)
	if err != nil {
		return nil, err
	}
	leaves, err := checkTiles(ctx, st, stored, pub, tiles)
	if err != nil {
		return nil, err
	}
	from, err := firstLost(ctx, src, stored.Size, leaves)
	if err != nil {
		return nil, err
	}
	lost, err := loadLost(ctx, st, key)
	if err != nil {
		return nil, err
	}
	if from < pub.Size {
		lost = append(lost, Range{from, pub.Size})
	}
	signedLost, err := signLost(key, lost)
	if err != nil {
		return nil, err
	}
	// The log's own signature, as it stored it (Ed25519 signs the same
	// text the same way): published may carry witnesses' cosignatures.
	own, err := (&Log{key: key}).sign(pub.Size, pub.Root)
	if err != nil {
		return nil, err
	}
	r := Recovery{Stored: storedRaw, Checkpoint: own.Signed, Tiles: tiles, From: from, To: pub.Size, Lost: signedLost}
	if err := rec.Recover(ctx, r); err != nil {
		return nil, err
	}
	rep := &RecoveryReport{Published: pub.Size, Stored: stored.Size}
	if from < pub.Size {
		rep.Lost = Range{from, pub.Size}
	}
	return rep, nil
}

// fetchTiles fetches the tiles of the tree of size to that the tree of size
// from does not hold whole.
func fetchTiles(ctx context.Context, from, to uint64, fetch client.TileFetcherFunc) ([]Tile, error) {
	var tiles []Tile
	for level := uint64(0); to>>(layout.TileHeight*level) > 0; level++ {
		n, have := to>>(layout.TileHeight*level), from>>(layout.TileHeight*level)
		for i := have / layout.TileWidth; i*layout.TileWidth < n; i++ {
			w := min(n-i*layout.TileWidth, layout.TileWidth)
			p := uint8(w % layout.TileWidth) // 0: a full tile
			t, err := fetch(ctx, level, i, p)
			if err != nil {
				return nil, fmt.Errorf("fetching tile %d/%d of the published tree: %w", level, i, err)
			}
			if uint64(len(t)) != w*HashSize {
				return nil, fmt.Errorf("tile %d/%d of the published tree has %d bytes, want %d", level, i, len(t), w*HashSize)
			}
			tiles = append(tiles, Tile{Level: level, Index: i, Hashes: t})
		}
	}
	return tiles, nil
}

// checkTiles checks that the stored tree of stored extended by the fetched
// tiles is the published tree pub, every fetched hash included, and
// returns the leaf hashes from stored.Size to pub.Size.
func checkTiles(ctx context.Context, st Storage, stored, pub *Checkpoint, tiles []Tile) ([][]byte, error) {
	byKey := map[tileKey][]byte{}
	for _, t := range tiles {
		byKey[tileKey{t.Level, t.Index}] = t.Hashes
	}
	fetched := func(level, index uint64) []byte {
		t := byKey[tileKey{level / layout.TileHeight, index / layout.TileWidth}]
		i := index % layout.TileWidth
		if uint64(len(t)) < (i+1)*HashSize {
			return nil
		}
		return t[i*HashSize : (i+1)*HashSize]
	}
	fromStorage := func(ctx context.Context, level, index uint64, p uint8) ([]byte, error) {
		t, err := st.ReadTile(ctx, level, index)
		if err != nil {
			return nil, err
		}
		return truncateTile(t, p, level, index)
	}
	hashes, err := client.FetchRangeNodes(ctx, stored.Size, fromStorage)
	if err != nil {
		return nil, fmt.Errorf("reading the stored tree's right edge: %w", err)
	}
	rng, err := rangeFactory.NewRange(0, stored.Size, hashes)
	if err != nil {
		return nil, err
	}
	var bad error
	visit := func(id compact.NodeID, h []byte) {
		if bad == nil && id.Level > 0 && id.Level%layout.TileHeight == 0 && !bytes.Equal(fetched(uint64(id.Level), id.Index), h) {
			bad = fmt.Errorf("the fetched tiles' hash of node %d/%d is not the hash of its children", id.Level, id.Index)
		}
	}
	var leaves [][]byte
	for i := stored.Size; i < pub.Size; i++ {
		leaf := fetched(0, i)
		if leaf == nil {
			return nil, fmt.Errorf("the fetched tiles lack leaf %d", i)
		}
		if err := rng.Append(leaf, visit); err != nil {
			return nil, err
		}
		leaves = append(leaves, leaf)
	}
	if bad != nil {
		return nil, bad
	}
	root := hasher.EmptyRoot()
	if pub.Size > 0 {
		if root, err = rng.GetRootHash(nil); err != nil {
			return nil, err
		}
	}
	if !bytes.Equal(root, pub.Root) {
		return nil, fmt.Errorf("the stored tree with the fetched tiles gives root %s, the published checkpoint %s: the storage's tree is not a prefix of the published one, or the tiles are not the log's", b64(root), b64(pub.Root))
	}
	return leaves, nil
}

// firstLost returns the index of the first published entry from start on
// that src no longer holds (missing, or another entry); start+len(leaves)
// when it holds them all.
func firstLost(ctx context.Context, src Source, start uint64, leaves [][]byte) (uint64, error) {
	for i := 0; i < len(leaves); {
		entries, err := src.Entries(ctx, start+uint64(i), min(len(leaves)-i, 4096))
		if err != nil {
			return 0, err
		}
		if len(entries) == 0 {
			return start + uint64(i), nil
		}
		for _, e := range entries {
			if !bytes.Equal(hasher.HashLeaf(e), leaves[i]) {
				return start + uint64(i), nil
			}
			i++
		}
	}
	return start + uint64(len(leaves)), nil
}
