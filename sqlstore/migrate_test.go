package sqlstore_test

import (
	"path/filepath"
	"testing"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

func TestMigrationsApplyOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"on SQLite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "m.db") }},
		{"on PostgreSQL", func(t *testing.T) string { return pgDSN(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := tc.dsn(t)
			var versions []int
			for range 2 {
				db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(storetest.Clock))
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				db.Close()
				raw, err := sqlstore.OpenRaw(dsn)
				if err != nil {
					t.Fatal(err)
				}
				rows, err := raw.Query(`SELECT version FROM schema_migrations ORDER BY version`)
				if err != nil {
					t.Fatal(err)
				}
				versions = versions[:0]
				for rows.Next() {
					var v int
					if err := rows.Scan(&v); err != nil {
						t.Fatal(err)
					}
					versions = append(versions, v)
				}
				rows.Close()
				raw.Close()
			}
			if len(versions) == 0 || versions[0] != 1 {
				t.Fatalf("schema_migrations = %v, want 1 first", versions)
			}
			for i := 1; i < len(versions); i++ {
				if versions[i] <= versions[i-1] {
					t.Errorf("schema_migrations = %v, want each version once, in order", versions)
				}
			}
		})
	}
}

func TestOpenUnreachablePostgres(t *testing.T) {
	_, err := sqlstore.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if got := trustmark.ErrorCode(err); got != trustmark.EUnavailable {
		t.Errorf("Open of an unreachable database: %v (code %q), want %q", err, got, trustmark.EUnavailable)
	}
}
