package sqlstore

import (
	"context"
	"errors"

	"trustmark/logstore"
)

var _ logstore.CheckedPublisher = LogStorage{}

// PublishOver implements logstore.CheckedPublisher: Publish in one
// transaction whose checkpoint write is conditional on the stored note
// being prev (none stored, for prev nil), so that the log's check that its
// storage still holds what it published costs no read of its own.
func (s LogStorage) PublishOver(ctx context.Context, prev []byte, size uint64, tiles []logstore.Tile, checkpoint []byte) error {
	errChanged := errors.New("changed")
	err := s.db.Transact(ctx, func(tx *Tx) error {
		if err := writeTiles(ctx, tx, tiles); err != nil {
			return err
		}
		q, args := `UPDATE log_checkpoint SET size = ?, note = ?, published_at = ? WHERE id = 1 AND note = ?`,
			[]any{int64(size), checkpoint, micros(tx.Now()), prev}
		if prev == nil {
			q, args = `INSERT INTO log_checkpoint (id, size, note, published_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, args[:3]
		}
		res, err := tx.Exec(ctx, q, args...)
		if err != nil {
			return internal("write log checkpoint", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return internal("write log checkpoint", err)
		} else if n == 0 {
			return errChanged // rolls the tiles back too
		}
		return nil
	})
	if errors.Is(err, errChanged) {
		return logstore.ErrChanged
	}
	return err
}

// writeTiles stores tiles in tx: a partial tile is only ever replaced by a
// longer one.
func writeTiles(ctx context.Context, tx *Tx, tiles []logstore.Tile) error {
	for _, t := range tiles {
		if _, err := tx.Exec(ctx, `INSERT INTO log_tiles (level, idx, hashes) VALUES (?, ?, ?)
			ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes
			WHERE length(log_tiles.hashes) <= length(excluded.hashes)`, int64(t.Level), int64(t.Index), t.Hashes); err != nil {
			return internal("write log tile", err)
		}
	}
	return nil
}
