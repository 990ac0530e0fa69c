package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

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
