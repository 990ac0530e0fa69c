package translog

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/transparency-dev/tessera/api/layout"
)

// Tile returns the hashes of tile level/index as of the latest checkpoint:
// a full tile once the tree has passed it (p == 0), or its first p hashes
// for any width the tree has reached. Either never changes once served. A
// tile beyond the tree is an error wrapping ErrNotFound.
func (l *Log) Tile(ctx context.Context, level, index uint64, p uint8) ([]byte, error) {
	return l.tileAt(ctx, l.cur.Load(), level, index, p)
}

// EntryBundle returns entry bundle index with p entries (0: a full bundle of
// 256) as served at /tile/entries/: each entry preceded by its length as a
// big-endian uint16. Only entries within the latest checkpoint are served.
func (l *Log) EntryBundle(ctx context.Context, index uint64, p uint8) ([]byte, error) {
	cp := l.cur.Load()
	if !tileInTree(cp.Size, 0, index, p) {
		return nil, fmt.Errorf("entry bundle %d.p/%d is beyond the tree of size %d: %w", index, p, cp.Size, ErrNotFound)
	}
	n := int(p)
	if n == 0 {
		n = layout.EntryBundleWidth
	}
	if first := index * layout.EntryBundleWidth; l.lostRanges().overlaps(first, first+uint64(n)) {
		return nil, fmt.Errorf("entry bundle %d.p/%d holds entries that were %w", index, p, ErrLost)
	}
	entries, err := l.src.Entries(ctx, index*layout.EntryBundleWidth, n)
	if err != nil {
		return nil, err
	}
	if len(entries) != n {
		return nil, fmt.Errorf("source holds %d entries from %d, want %d: entries below the published checkpoint are missing", len(entries), index*layout.EntryBundleWidth, n)
	}
	// The entries are derived from database rows: check them against the
	// published tree so that an edit behind the application's back raises
	// an alarm here, not only when a client notices.
	if leaves, err := l.storedTile(ctx, 0, index, p); err == nil {
		for i, e := range entries {
			if !bytes.Equal(hasher.HashLeaf(e), leaves[i*HashSize:(i+1)*HashSize]) {
				l.opts.Logger.Error("traceability log: an event no longer matches the published log; run `trustmark audit`", "seq", index*layout.EntryBundleWidth+uint64(i))
			}
		}
	}
	return MarshalBundle(entries), nil
}

// MarshalBundle encodes entries as a tlog-tiles entry bundle.
func MarshalBundle(entries [][]byte) []byte {
	size := 0
	for _, e := range entries {
		size += 2 + len(e)
	}
	b := make([]byte, 0, size)
	for _, e := range entries {
		b = binary.BigEndian.AppendUint16(b, uint16(len(e)))
		b = append(b, e...)
	}
	return b
}
