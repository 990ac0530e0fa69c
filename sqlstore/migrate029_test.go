package sqlstore_test

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// TestMigration029 upgrades a store written with the schema before
// migration 029 (migrations 1-28, applied as an older binary did), which
// holds check-ins, photos and their uses, by opening it with the store:
// every photo a check-in uses is still read by its content hash, the
// perceptual hashes are on the uses, each device's persons are in
// device_persons by week, the index of check-ins by device is gone, and
// no row is lost.
func TestMigration029SQLite(t *testing.T) {
	testMigration029(t, "sqlite", filepath.Join(t.TempDir(), "t.db"))
}

func TestMigration029Postgres(t *testing.T) {
	testMigration029(t, "postgres", storetest.PostgresDSN(t, "m"))
}

const week = 7 * 24 * 3600 * 1_000_000

func testMigration029(t *testing.T, dialect, dsn string) {
	raw, err := sqlstore.OpenRaw(dsn)
	if err != nil {
		t.Fatal(err)
	}
	applyMigrationsThrough(t, raw, dialect, 28)
	at := int64(2900*week + 1000)
	checkin := func(id, person, device string, at int64) string {
		return `INSERT INTO checkins (id, audit_id, person, request_key, kind, at, device_time, lat, lng, datum, wgs_lat, wgs_lng, accuracy_m, device_hash, photos)
			VALUES ('` + id + `', 'A1', '` + person + `', 'k-` + id + `', 'open', ` + strconv.FormatInt(at, 10) + `, 0, 30, 120, 'wgs84', 30, 120, 10, '` + device + `', '')`
	}
	for _, q := range []string{
		`INSERT INTO audits (id, body, region, holder, start_at, end_at, revision, doc) VALUES ('A1', 'B', '330100', 'H', 0, 1, 1, '{}')`,
		checkin("C1", "P-1", "d", at),
		checkin("C2", "P-1", "d", at+3600_000_000),
		checkin("C3", "P-2", "d", at+2*week),
		checkin("C4", "P-2", "", at+2*week),
		`INSERT INTO photos (sha256, size, phash, data) VALUES ('ab', 2, 77, 'ab'), ('cd', 2, 0, 'cd'), ('ef', 2, 5, 'ef')`,
		`INSERT INTO photo_uses (sha256, checkin_id, audit_id) VALUES ('ab', 'C2', 'A1'), ('ab', 'C1', 'A1'), ('cd', 'C3', 'A1')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(storetest.Clock))
	if err != nil {
		t.Fatalf("open the old store: %v", err)
	}
	defer db.Close()
	for sha, want := range map[string]string{"ab": "ab", "cd": "cd"} {
		if got, err := db.CheckInPhoto(ctx, sha); err != nil || !bytes.Equal(got, []byte(want)) {
			t.Errorf("CheckInPhoto(%s) = %q, %v; want %q", sha, got, err, want)
		}
	}
	if _, err := db.CheckInPhoto(ctx, "ef"); !trustmark.IsNotFound(err) {
		t.Errorf("a photo no check-in uses: %v, want not found", err)
	}

	raw, err = sqlstore.OpenRaw(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for q, want := range map[string]string{
		`SELECT checkin_id || ':' || sha256 || ':' || CAST(size AS TEXT) FROM photos ORDER BY 1`:          ":ef:2,C1:ab:2,C3:cd:2",
		`SELECT sha256 || ':' || checkin_id || ':' || CAST(phash AS TEXT) FROM photo_uses ORDER BY 1`:     "ab:C1:77,ab:C2:77,cd:C3:0",
		`SELECT device_hash || ':' || CAST(week AS TEXT) || ':' || person FROM device_persons ORDER BY 1`: "d:2900:P-1,d:2902:P-2",
	} {
		if got := column(t, raw, q); got != want {
			t.Errorf("%s\n= %s, want %s", q, got, want)
		}
	}
	index := `SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'checkins_device'`
	if dialect == "postgres" {
		index = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'checkins_device'`
	}
	if got := column(t, raw, index); got != "" {
		t.Errorf("the index of check-ins by device is still there")
	}
	if dialect == "sqlite" {
		if got := column(t, raw, `SELECT "table" FROM pragma_foreign_key_check`); got != "" {
			t.Errorf("broken keys in %s", got)
		}
	}
}

// applyMigrationsThrough applies the store's migrations up to version last
// to an empty database, recording them as the store does, so that a later
// Open applies only the rest: a store as an older binary left it.
func applyMigrationsThrough(t *testing.T, raw *sql.DB, dialect string, last int) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("migrations", dialect, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v", err)
	}
	sort.Strings(files)
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		num, _, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v > last {
			continue
		}
		q, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(q)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (` + num + `, '` + name + `', 0)`); err != nil {
			t.Fatal(err)
		}
	}
}

// column returns the values of a one-column query, comma-separated.
func column(t *testing.T, raw *sql.DB, q string) string {
	t.Helper()
	rows, err := raw.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, ",")
}
