package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"trustmark/logstore"
)

// LogStorage is the traceability log's storage (logstore.Storage) in the
// registry's database, tables of migration 002_log. Keeping the tree next to
// the events lets one backup hold both; the signing key stays outside.
type LogStorage struct{ db *DB }

var _ logstore.Storage = LogStorage{}

// LogStorage returns the traceability log's storage in db.
func (db *DB) LogStorage() LogStorage { return LogStorage{db} }

// ReadTile implements logstore.Storage.
func (s LogStorage) ReadTile(ctx context.Context, level, index uint64) ([]byte, error) {
	var b []byte
	err := s.db.queryRow(ctx, `SELECT hashes FROM log_tiles WHERE level = ? AND idx = ?`, int64(level), int64(index)).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("tile %d/%d: %w", level, index, logstore.ErrNotFound)
	}
	if err != nil {
		return nil, internal("read log tile", err)
	}
	return b, nil
}

// Checkpoint implements logstore.Storage.
func (s LogStorage) Checkpoint(ctx context.Context) ([]byte, error) {
	var b []byte
	err := s.db.queryRow(ctx, `SELECT note FROM log_checkpoint WHERE id = 1`).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("checkpoint: %w", logstore.ErrNotFound)
	}
	if err != nil {
		return nil, internal("read log checkpoint", err)
	}
	return b, nil
}

// Publish implements logstore.Storage: tiles and checkpoint in one
// transaction; a partial tile is only ever replaced by a longer one, and the
// checkpoint only by one of a tree at least as large.
func (s LogStorage) Publish(ctx context.Context, size uint64, tiles []logstore.Tile, checkpoint []byte) error {
	errStale := errors.New("stale")
	err := s.db.Transact(ctx, func(tx *Tx) error {
		if err := writeTiles(ctx, tx, tiles); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `INSERT INTO log_checkpoint (id, size, note, published_at) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET size = excluded.size, note = excluded.note, published_at = excluded.published_at
			WHERE log_checkpoint.size <= excluded.size`, int64(size), checkpoint, micros(tx.Now()))
		if err != nil {
			return internal("write log checkpoint", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return internal("write log checkpoint", err)
		} else if n == 0 {
			return errStale
		}
		return nil
	})
	if errors.Is(err, errStale) {
		return logstore.ErrStale
	}
	return err
}

// Setting implements logstore.Storage.
func (s LogStorage) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.db.queryRow(ctx, `SELECT value FROM log_settings WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("log setting %s: %w", name, logstore.ErrNotFound)
	}
	if err != nil {
		return "", internal("read log setting", err)
	}
	return v, nil
}

// SetSetting implements logstore.Storage.
func (s LogStorage) SetSetting(ctx context.Context, name, value string) error {
	return s.db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO log_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, value); err != nil {
			return internal("write log setting", err)
		}
		var v string
		if err := tx.QueryRow(ctx, `SELECT value FROM log_settings WHERE name = ?`, name).Scan(&v); err != nil {
			return internal("read log setting", err)
		}
		if v != value {
			return fmt.Errorf("log setting %s is already %q, cannot change it to %q", name, v, value)
		}
		return nil
	})
}

// NextEventSeq returns the Seq the application will give its next event
// (the event_seq counter). An event row at or beyond it was not written by
// the application: `trustmark audit` reports it as inserted.
func (s LogStorage) NextEventSeq(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.queryRow(ctx, `SELECT value FROM counters WHERE name = 'event_seq'`).Scan(&n); err != nil {
		return 0, internal("read event counter", err)
	}
	return n, nil
}
