package sqlstore

import (
	"context"
	"sync"

	"trustmark"
)

// The event feed's storage (trustmark.FeedStore): the followers' cursors,
// table of migration 008_feed_cursors, and the wake-up after a commit that
// wrote events.

var _ trustmark.FeedStore = (*DB)(nil)

// commitSignal wakes the followers of this process after a commit that
// wrote events. A waiter takes the current channel; a commit closes it and
// the next waiter gets a new one, so any number of followers wake from one
// close, and a commit nobody waits for costs a mutex. The zero value is
// ready.
type commitSignal struct {
	mu sync.Mutex
	ch chan struct{}
}

// wait returns the channel the next commit closes.
func (s *commitSignal) wait() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

// fire wakes the waiters.
func (s *commitSignal) fire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}

// Committed implements trustmark.FeedStore: Transact fires it after the
// commit of a transaction that stored events.
func (db *DB) Committed() <-chan struct{} { return db.commits.wait() }

// Cursor implements trustmark.FeedStore.
func (db *DB) Cursor(ctx context.Context, name string) (int64, error) {
	rows, err := db.query(ctx, `SELECT seq FROM feed_cursors WHERE name = ?`, name)
	if err != nil {
		return 0, internal("read feed cursor", err)
	}
	defer rows.Close()
	seq := int64(-1)
	if rows.Next() {
		if err := rows.Scan(&seq); err != nil {
			return 0, internal("read feed cursor", err)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, internal("read feed cursor", err)
	}
	return seq, nil
}

// SetCursor implements trustmark.FeedStore.
func (db *DB) SetCursor(ctx context.Context, name string, seq int64) error {
	if err := checkCursor(name, seq); err != nil {
		return err
	}
	return db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO feed_cursors (name, seq, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`, name, seq, micros(tx.Now())); err != nil {
			return internal("set feed cursor", err)
		}
		return nil
	})
}

// AdvanceCursor implements trustmark.FeedStore. The compare-and-set is one
// statement: an update of the row at from, or, from -1, an insert of a row
// that is not there yet; no row changed means another follower of the same
// name got there first.
func (db *DB) AdvanceCursor(ctx context.Context, name string, from, to int64, in func(ctx context.Context) error) error {
	if err := checkCursor(name, to); err != nil {
		return err
	}
	if to < from {
		return trustmark.Errorf(trustmark.EInvalid, "to", "a cursor moves forward: %d is before %d", to, from)
	}
	return db.Transact(ctx, func(tx *Tx) error {
		if in != nil {
			if err := in(context.WithValue(ctx, followerTxKey{}, tx)); err != nil {
				return err
			}
		}
		res, err := tx.Exec(ctx, `UPDATE feed_cursors SET seq = ?, updated_at = ? WHERE name = ? AND seq = ?`, to, micros(tx.Now()), name, from)
		if err != nil {
			return internal("advance feed cursor", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return internal("advance feed cursor", err)
		}
		if n == 0 && from == -1 {
			if res, err = tx.Exec(ctx, `INSERT INTO feed_cursors (name, seq, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
				name, to, micros(tx.Now())); err != nil {
				return internal("create feed cursor", err)
			}
			if n, err = res.RowsAffected(); err != nil {
				return internal("create feed cursor", err)
			}
		}
		if n == 0 {
			return trustmark.Errorf(trustmark.EConflict, "name", "the cursor %q is no longer at %d: another follower of that name moved it", name, from)
		}
		return nil
	})
}

func checkCursor(name string, seq int64) error {
	switch {
	case name == "":
		return trustmark.Errorf(trustmark.EInvalid, "name", "a feed cursor needs a name")
	case seq < -1:
		return trustmark.Errorf(trustmark.EInvalid, "seq", "a feed cursor is an event Seq or -1, not %d", seq)
	}
	return nil
}

// followerTxKey marks the context AdvanceCursor gives a follower's handler:
// its value is the transaction that will move the cursor.
type followerTxKey struct{}

// followerTransact runs fn in the transaction of the follower's handler that
// ctx comes from (see AdvanceCursor), or in a transaction of its own. Only
// writes of a follower's output use it (deliveries): registry writes must
// not run inside a cursor's transaction, whose single SQLite writer
// connection they would wait for.
func (db *DB) followerTransact(ctx context.Context, fn func(tx *Tx) error) error {
	if tx, ok := ctx.Value(followerTxKey{}).(*Tx); ok && tx.db == db {
		return fn(tx)
	}
	return db.Transact(ctx, fn)
}
