package sqlstore

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"trustmark"
)

// openSQLite opens a store of its own in a temporary SQLite file.
func openSQLite(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// addAudit writes the bare row of an audit, enough for check-ins to refer to.
func addAudit(t *testing.T, db *DB, id string) {
	t.Helper()
	if _, err := db.w.Exec(`INSERT INTO audits (id, body, region, holder, start_at, end_at, revision, doc) VALUES (?, 'B', '330100', 'H', 0, 1, 1, '{}')`, id); err != nil {
		t.Fatal(err)
	}
}

// checkInRow is a checkins row (checkInCols, then request_key) of audit.
func checkInRow(id, audit string) []any {
	return []any{id, audit, "P-1", "open", int64(1), int64(0), 30.0, 120.0, "wgs84", 30.0, 120.0, 10.0, "d", "", "k-" + id}
}

func countRows(t *testing.T, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.w.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestInsertOrFailUndoneByTheTransaction checks that the bulk writes'
// INSERT OR FAIL, which keeps the rows a failing statement wrote before
// its failure, leaves nothing behind: the failure fails the transaction
// and its rollback undoes them.
func TestInsertOrFailUndoneByTheTransaction(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	addAudit(t, db, "A1")
	cols := len(strings.Split(checkInCols, ", ")) + 1
	rows := [][]any{checkInRow("C1", "A1"), checkInRow("C2", "A1"), checkInRow("C1", "A1")} // C1 twice: the third row fails
	err := db.Transact(ctx, func(tx *Tx) error {
		return tx.insertMany(ctx, `checkins (`+checkInCols+`, request_key) VALUES `, cols, ``, rows, 250)
	})
	if err == nil {
		t.Fatal("a duplicate check-in id was written")
	}
	if trustmark.ErrorCode(err) != trustmark.EInternal {
		t.Errorf("error %v, want internal: the store's own rows", err)
	}
	if n := countRows(t, db, "checkins"); n != 0 {
		t.Errorf("%d check-ins left by a failed transaction, want 0", n)
	}
}

// TestDeferredKeysStillRefuse checks that the check-ins' foreign keys,
// deferred to the commit by migration 028, still refuse a check-in of an
// audit that does not exist and a photo use of a check-in that does not,
// leaving nothing behind, and accept rows whose parents are there.
func TestDeferredKeysStillRefuse(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	addAudit(t, db, "A1")
	cols := len(strings.Split(checkInCols, ", ")) + 1
	for _, tc := range []struct {
		name string
		fn   func(tx *Tx) error
	}{
		{"a check-in of no audit", func(tx *Tx) error {
			return tx.insertMany(ctx, `checkins (`+checkInCols+`, request_key) VALUES `, cols, ``, [][]any{checkInRow("C1", "A1"), checkInRow("C2", "A-none")}, 250)
		}},
		{"a photo use of no check-in", func(tx *Tx) error {
			return tx.insertMany(ctx, `photo_uses (sha256, checkin_id, audit_id) VALUES `, 3, ``, [][]any{{"ab", "C-none", "A1"}}, 250)
		}},
	} {
		if err := db.Transact(ctx, tc.fn); err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
			t.Errorf("%s: err = %v, want a foreign key failure", tc.name, err)
		}
	}
	if n := countRows(t, db, "checkins") + countRows(t, db, "photo_uses"); n != 0 {
		t.Errorf("%d rows left by refused transactions, want 0", n)
	}
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := tx.insertMany(ctx, `checkins (`+checkInCols+`, request_key) VALUES `, cols, ``, [][]any{checkInRow("C1", "A1")}, 250); err != nil {
			return err
		}
		return tx.insertMany(ctx, `photo_uses (sha256, checkin_id, audit_id) VALUES `, 3, ``, [][]any{{"ab", "C1", "A1"}}, 250)
	})
	if err != nil {
		t.Fatalf("rows with their parents: %v", err)
	}
}

// TestMigration028KeepsCheckIns runs migration 028 over a store holding
// check-ins and photo uses, as an upgrade does: every row and index is
// still there, the keys are deferred, the photos' tables have no rowid,
// and no key is broken.
func TestMigration028KeepsCheckIns(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	addAudit(t, db, "A1")
	addAudit(t, db, "A2")
	cols := len(strings.Split(checkInCols, ", ")) + 1
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := tx.insertMany(ctx, `checkins (`+checkInCols+`, request_key) VALUES `, cols, ``, [][]any{checkInRow("C1", "A1"), checkInRow("C2", "A2")}, 250); err != nil {
			return err
		}
		if err := tx.insertMany(ctx, `photo_bands (band, bits, sha256) VALUES `, 3, ``, [][]any{{0, 7, "ab"}, {1, 9, "ab"}}, 250); err != nil {
			return err
		}
		return tx.insertMany(ctx, `photo_uses (sha256, checkin_id, audit_id) VALUES `, 3, ``, [][]any{{"ab", "C1", "A1"}, {"ab", "C2", "A2"}, {"cd", "C2", "A2"}}, 250)
	})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	var m028 string
	for _, m := range ms {
		if m.version == 28 {
			m028 = m.sql
		}
	}
	if m028 == "" {
		t.Fatal("no migration 028")
	}
	if _, err := db.w.Exec(m028); err != nil {
		t.Fatalf("migration 028 over check-ins: %v", err)
	}
	if c, u, b := countRows(t, db, "checkins"), countRows(t, db, "photo_uses"), countRows(t, db, "photo_bands"); c != 2 || u != 3 || b != 2 {
		t.Errorf("after the migration: %d check-ins, %d photo uses and %d bands, want 2, 3 and 2", c, u, b)
	}
	var sqls []string
	rows, err := db.w.Query(`SELECT name, sql FROM sqlite_schema WHERE tbl_name IN ('checkins', 'photo_uses', 'photo_bands') AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			t.Fatal(err)
		}
		sqls = append(sqls, name+": "+sql)
	}
	rows.Close()
	schema := strings.Join(sqls, "\n")
	for _, want := range []string{"checkins_audit", "checkins_person", "checkins_device", `REFERENCES audits (id) DEFERRABLE INITIALLY DEFERRED`,
		`REFERENCES "checkins" (id) DEFERRABLE INITIALLY DEFERRED`, "photo_uses: CREATE TABLE", "photo_bands: CREATE TABLE"} {
		if !strings.Contains(schema, want) {
			t.Errorf("schema lacks %q:\n%s", want, schema)
		}
	}
	if n := strings.Count(schema, "WITHOUT ROWID"); n != 2 {
		t.Errorf("%d WITHOUT ROWID tables, want photo_uses and photo_bands:\n%s", n, schema)
	}
	if strings.Contains(schema, "_028") {
		t.Errorf("schema still names a copy:\n%s", schema)
	}
	var broken int
	if err := db.w.QueryRow(`SELECT COUNT(*) FROM pragma_foreign_key_check`).Scan(&broken); err != nil || broken != 0 {
		t.Errorf("foreign_key_check: %d broken, err %v", broken, err)
	}
}

// TestStatementRows checks that bulk writes split their rows into
// statements of at most max rows that add up to all of them, in few
// shapes: max, then powers of two.
func TestStatementRows(t *testing.T) {
	shapes := map[int]bool{}
	for _, max := range []int{1, 50, 250, 307} {
		for n := range 2000 {
			sum := 0
			for _, k := range statementRows(n, max) {
				if k < 1 || k > max {
					t.Fatalf("statementRows(%d, %d) has a statement of %d rows", n, max, k)
				}
				if k != max && k&(k-1) != 0 {
					t.Fatalf("statementRows(%d, %d) has a statement of %d rows, neither the most nor a power of two", n, max, k)
				}
				sum += k
				if max == 307 {
					shapes[k] = true
				}
			}
			if sum != n {
				t.Fatalf("statementRows(%d, %d) writes %d rows", n, max, sum)
			}
		}
	}
	if len(shapes) > 10 {
		t.Errorf("%d shapes of statement for up to 2,000 rows of 307 at most, want 10 at most", len(shapes))
	}
}
