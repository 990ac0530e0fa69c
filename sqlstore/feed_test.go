package sqlstore_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// feedStores opens stores for the feed suite and remembers the DSN of each,
// for the hooks that work on its database behind its back.
type feedStores struct {
	mu   sync.Mutex
	dsns map[trustmark.Store]string
}

func (fs *feedStores) open(t *testing.T, dsn string) trustmark.Store {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.WithClock(storetest.Clock))
	if err != nil {
		t.Fatal(err)
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.dsns == nil {
		fs.dsns = map[trustmark.Store]string{}
	}
	fs.dsns[db] = dsn
	return db
}

func (fs *feedStores) dsn(s trustmark.Store) string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.dsns[s]
}

// hooks gives the feed suite what only the database's owner can do.
func (fs *feedStores) hooks() storetest.FeedHooks {
	return storetest.FeedHooks{
		DeleteEvent: func(t *testing.T, s trustmark.Store, seq int64) {
			t.Helper()
			raw, err := sqlstore.OpenRaw(fs.dsn(s))
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			q := `DELETE FROM events WHERE seq = ?`
			if s.(*sqlstore.DB).Dialect() == "postgres" {
				q = `DELETE FROM events WHERE seq = $1`
			}
			if _, err := raw.Exec(q, seq); err != nil {
				t.Fatalf("delete event %d: %v", seq, err)
			}
		},
		RollBack: func(t *testing.T, s trustmark.Store) {
			t.Helper()
			failure := errors.New("roll back")
			err := s.(*sqlstore.DB).Transact(context.Background(), func(tx *sqlstore.Tx) error {
				tx.Record(trustmark.Event{Actor: "system", Entity: trustmark.EntityOrg, Key: "9111010800000001", Action: trustmark.ActionUpdated})
				return failure
			})
			if !errors.Is(err, failure) {
				t.Fatalf("Transact = %v, want the failure", err)
			}
		},
		Reopen: func(t *testing.T, s trustmark.Store) trustmark.Store {
			t.Helper()
			again := fs.open(t, fs.dsn(s))
			t.Cleanup(func() { again.Close() })
			return again
		},
	}
}

func TestFeedSQLite(t *testing.T) {
	var fs feedStores
	storetest.RunFeed(t, func(t *testing.T) trustmark.Store {
		return fs.open(t, filepath.Join(t.TempDir(), "trustmark.db"))
	}, fs.hooks())
}

func TestFeedPostgres(t *testing.T) {
	pgDSN(t) // skip early
	var fs feedStores
	storetest.RunFeed(t, func(t *testing.T) trustmark.Store { return fs.open(t, pgDSN(t)) }, fs.hooks())
}

// TestNotifierCursorMovesIntoFeedCursors opens a database as it was before
// migration 008 (the webhook notifier's cursor in notify_cursor) and checks
// that the notifier resumes where it was instead of sending again.
func TestNotifierCursorMovesIntoFeedCursors(t *testing.T) {
	for _, tc := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"on SQLite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "m.db") }},
		{"on PostgreSQL", func(t *testing.T) string { return pgDSN(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := tc.dsn(t)
			db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(storetest.Clock))
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			raw, err := sqlstore.OpenRaw(dsn)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				`DROP TABLE feed_cursors`,
				`CREATE TABLE notify_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq BIGINT NOT NULL)`,
				`INSERT INTO notify_cursor (id, last_seq) VALUES (1, 41)`,
				`DELETE FROM schema_migrations WHERE version = 8`,
			} {
				if _, err := raw.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			raw.Close()

			db, err = sqlstore.Open(ctx, dsn, sqlstore.WithClock(storetest.Clock))
			if err != nil {
				t.Fatalf("Open of a database before migration 008: %v", err)
			}
			defer db.Close()
			if got, err := db.Cursor(ctx, "webhook-notifier"); got != 41 || err != nil {
				t.Errorf("the notifier's cursor after the migration = %d, %v; want 41, as notify_cursor said", got, err)
			}
		})
	}
}
