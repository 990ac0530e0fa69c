package sqlstore_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// indexes lists the secondary indexes of certificates and events in the
// SQLite file at path, read beside the store.
func indexes(t *testing.T, path string) []string {
	t.Helper()
	raw, err := sqlstore.OpenRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('certificates', 'events') ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}

func TestBulkLoad(t *testing.T) {
	open := func(t *testing.T) (*sqlstore.DB, string) {
		path := filepath.Join(t.TempDir(), "trustmark.db")
		db, err := sqlstore.Open(ctx, path, sqlstore.WithClock(storetest.Clock))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		seedParties(t, db)
		return db, path
	}
	importBatch := func(t *testing.T, db *sqlstore.DB, prefix string) {
		out, err := db.Import(ctx, loader, trustmark.KindCertificates, certBatch(prefix, 100))
		if err != nil {
			t.Fatal(err)
		}
		for i, o := range out {
			if o.Result != trustmark.Created {
				t.Fatalf("import %d: %v", i, o.Err)
			}
		}
	}

	t.Run("a large first load builds its indexes at the end, and reads work meanwhile", func(t *testing.T) {
		db, path := open(t)
		before := indexes(t, path)
		if !slices.Contains(before, "certificates_holder") || !slices.Contains(before, "events_entity_key") {
			t.Fatalf("indexes before the load = %v, want the holder's and the events'", before)
		}
		err := db.BulkLoad(ctx, trustmark.KindCertificates, 1_000_000, func(ctx context.Context) error {
			importBatch(t, db, "B")
			if during := indexes(t, path); len(during) != 0 {
				t.Errorf("indexes during the load = %v, want none", during)
			}
			p, err := db.Certificates(ctx, trustmark.CertificateFilter{HolderUSCC: holder(3)})
			if err != nil || len(p.Items) != 1 {
				t.Errorf("Certificates of a holder during the load = %d, %v; want 1", len(p.Items), err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(before, indexes(t, path)); diff != "" {
			t.Errorf("indexes after the load (-before +after):\n%s", diff)
		}
		evs, err := db.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: "QMS/B-00007", After: -1})
		if err != nil || len(evs) != 1 {
			t.Errorf("Events of a certificate after the load = %d, %v; want 1", len(evs), err)
		}
	})

	t.Run("a small load keeps its indexes", func(t *testing.T) {
		db, path := open(t)
		before := indexes(t, path)
		for _, rows := range []int{99_999, 0} {
			err := db.BulkLoad(ctx, trustmark.KindCertificates, rows, func(ctx context.Context) error {
				if during := indexes(t, path); !slices.Equal(during, before) {
					t.Errorf("indexes during a load of %d rows = %v, want %v", rows, during, before)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("a load no more than twice the table keeps its indexes", func(t *testing.T) {
		db, path := open(t)
		out, err := db.Import(ctx, loader, trustmark.KindCertificates, certBatch("T", 50_000))
		if err != nil || out[0].Result != trustmark.Created {
			t.Fatalf("Import = %v, %v", out[0], err)
		}
		before := indexes(t, path)
		err = db.BulkLoad(ctx, trustmark.KindCertificates, 100_000, func(ctx context.Context) error {
			if during := indexes(t, path); !slices.Equal(during, before) {
				t.Errorf("indexes during a load of twice the table = %v, want %v", during, before)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a load that fails still builds the indexes", func(t *testing.T) {
		db, path := open(t)
		before := indexes(t, path)
		failed := errors.New("the file could not be read")
		err := db.BulkLoad(ctx, trustmark.KindCertificates, 1_000_000, func(ctx context.Context) error {
			importBatch(t, db, "F")
			return failed
		})
		if !errors.Is(err, failed) {
			t.Errorf("BulkLoad = %v, want the load's error", err)
		}
		if diff := cmp.Diff(before, indexes(t, path)); diff != "" {
			t.Errorf("indexes after a failed load (-before +after):\n%s", diff)
		}
	})

	t.Run("the indexes of a load killed before its end are built when the database is opened", func(t *testing.T) {
		db, path := open(t)
		before := indexes(t, path)
		db.Close()
		// What a load leaves when killed: the index dropped, its definition kept.
		raw, err := sqlstore.OpenRaw(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`INSERT INTO deferred_indexes (name, sql) SELECT name, sql FROM sqlite_master WHERE name = 'certificates_holder'`,
			`DROP INDEX certificates_holder`,
		} {
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		raw.Close()
		if got := indexes(t, path); slices.Contains(got, "certificates_holder") {
			t.Fatalf("indexes after the kill = %v, want certificates_holder dropped", got)
		}
		db, err = sqlstore.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if diff := cmp.Diff(before, indexes(t, path)); diff != "" {
			t.Errorf("indexes after reopening (-before +after):\n%s", diff)
		}
	})
}

// TestBulkLoadOnPostgresOnlyLoads checks that PostgreSQL, whose loads go by
// COPY, keeps its indexes.
func TestBulkLoadOnPostgresOnlyLoads(t *testing.T) {
	db := openPG(t)
	defer db.Close()
	ran := false
	if err := db.BulkLoad(ctx, trustmark.KindCertificates, 1_000_000, func(context.Context) error { ran = true; return nil }); err != nil || !ran {
		t.Errorf("BulkLoad = %v, ran %v; want the load run", err, ran)
	}
}
