package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// openSQLite opens a new SQLite store in a temporary directory.
func openSQLite(t testing.TB, opts ...sqlstore.Option) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "trustmark.db"),
		append([]sqlstore.Option{sqlstore.WithClock(storetest.Clock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// pgDSN returns a DSN for a fresh PostgreSQL schema, or skips the test.
func pgDSN(t testing.TB) string {
	t.Helper()
	return storetest.PostgresDSN(t, "t")
}

func openPG(t testing.TB, opts ...sqlstore.Option) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), pgDSN(t), append([]sqlstore.Option{sqlstore.WithClock(storetest.Clock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// TestSQLite runs the conformance suite on every SQLite driver built in
// (both with -tags sqlite_both).
func TestSQLite(t *testing.T) {
	for _, drv := range sqlstore.SQLiteDrivers() {
		t.Run(drv, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) trustmark.Store { return openSQLite(t, sqlstore.WithSQLiteDriver(drv)) })
		})
	}
}

func TestPostgres(t *testing.T) {
	pgDSN(t) // skip early
	storetest.Run(t, func(t *testing.T) trustmark.Store { return openPG(t) })
}
