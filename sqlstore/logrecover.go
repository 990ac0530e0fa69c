package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"trustmark/logstore"
)

var _ logstore.Recoverer = LogStorage{}

// Recover implements logstore.Recoverer: after the database was restored
// from a backup under a published log, it stores the published tiles and
// checkpoint again, moves the events numbered r.From and above (written
// after the restore) up to start at r.To, behind the published entries the
// database lost, with the event counter, and stores the signed record of
// lost entries. One transaction, refused if the stored checkpoint changed
// since the recovery was prepared. Followers that had read the moved events
// read them again under their new numbers (the webhook notifier may
// deliver them twice); see docs/LOG.md, "After a restore".
func (s LogStorage) Recover(ctx context.Context, r logstore.Recovery) error {
	return s.db.Transact(ctx, func(tx *Tx) error {
		var note []byte
		err := tx.QueryRow(ctx, `SELECT note FROM log_checkpoint WHERE id = 1`).Scan(&note)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return internal("read log checkpoint", err)
		}
		if !bytes.Equal(note, r.Stored) {
			return errors.New("the log's stored checkpoint changed while the recovery was prepared: run it again")
		}
		for _, t := range r.Tiles {
			if _, err := tx.Exec(ctx, `INSERT INTO log_tiles (level, idx, hashes) VALUES (?, ?, ?)
				ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes
				WHERE length(log_tiles.hashes) <= length(excluded.hashes)`, int64(t.Level), int64(t.Index), t.Hashes); err != nil {
				return internal("write log tile", err)
			}
		}
		size, err := checkpointSize(r.Checkpoint)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO log_checkpoint (id, size, note, published_at) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET size = excluded.size, note = excluded.note, published_at = excluded.published_at`,
			int64(size), r.Checkpoint, micros(tx.Now())); err != nil {
			return internal("write log checkpoint", err)
		}
		if r.To > r.From {
			// Through negative numbers, so that no two rows ever share a
			// seq, whatever order the database updates them in.
			d, from := int64(r.To-r.From), int64(r.From)
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{`UPDATE events SET seq = -1 - (seq + ?) WHERE seq >= ?`, []any{d, from}},
				{`UPDATE events SET seq = -1 - seq WHERE seq < 0`, nil},
				{`UPDATE counters SET value = value + ? WHERE name = 'event_seq'`, []any{d}},
			} {
				if _, err := tx.Exec(ctx, q.sql, q.args...); err != nil {
					return internal("renumber events", err)
				}
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO log_settings (name, value) VALUES ('lost', ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, string(r.Lost)); err != nil {
			return internal("write log setting", err)
		}
		return nil
	})
}

// checkpointSize reads the size line of a checkpoint the caller verified.
func checkpointSize(signed []byte) (uint64, error) {
	_, rest, _ := bytes.Cut(signed, []byte("\n"))
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	var n uint64
	if _, err := fmt.Sscan(string(line), &n); err != nil {
		return 0, fmt.Errorf("checkpoint without a size: %v", err)
	}
	return n, nil
}
