package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// PostgresDSN returns a DSN for a fresh, empty schema of the PostgreSQL
// database named by TRUSTMARK_TEST_PG, dropped when the test ends, so that
// tests and packages running at once never see each other's rows. Without
// TRUSTMARK_TEST_PG the test is skipped with a message naming the variable
// (.ci/run fails when it sees one). prefix names the schema, for a person
// looking at the server.
func PostgresDSN(t testing.TB, prefix string) string {
	t.Helper()
	base := os.Getenv("TRUSTMARK_TEST_PG")
	if base == "" {
		t.Skip("PostgreSQL tests skipped: set TRUSTMARK_TEST_PG to a postgres:// DSN to run them")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("TRUSTMARK_TEST_PG: %v", err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := prefix + "_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema in TRUSTMARK_TEST_PG: %v", err)
	}
	t.Cleanup(func() {
		if admin, err := sql.Open("pgx", base); err == nil {
			admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			admin.Close()
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// ChildDSN returns the DSN a child process should use to write to dsn, and
// a wait function to call after killing it. On PostgreSQL a killed client's
// server process finishes what it was sent (a COMMIT included) after the
// client is gone, so a test that reads right after a kill may see one half
// of that commit in one query and the other half in the next; wait blocks
// until the child's server processes have ended. On SQLite the kill is the
// end, and wait returns at once.
func ChildDSN(t testing.TB, dsn string) (string, func()) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return dsn, func() {}
	}
	var b [6]byte
	rand.Read(b[:])
	app := "trustmark_child_" + hex.EncodeToString(b[:])
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		t.Helper()
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		deadline := time.Now().Add(time.Minute)
		for {
			var n int
			if err := admin.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d server processes of a killed child still running after a minute", n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
