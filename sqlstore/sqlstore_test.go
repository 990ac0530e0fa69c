package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
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

// pgDSN returns a DSN for a fresh schema of the database named by
// TRUSTMARK_TEST_PG, or skips the test.
func pgDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TRUSTMARK_TEST_PG")
	if base == "" {
		t.Skip("PostgreSQL tests skipped: set TRUSTMARK_TEST_PG to a postgres:// DSN to run them")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema in TRUSTMARK_TEST_PG: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err == nil {
			admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			admin.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
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
