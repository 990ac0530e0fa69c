package sqlstore

import (
	"fmt"
	"strings"
	"testing"
)

// TestKeyedQueriesSearch checks that the near-photo query, given a group's
// worth of bands (a few hundred rows of q), searches photo_bands by its
// key for each band rather than scanning every band stored: the plan
// SQLite chose for the inner join, which made a group of check-ins with
// photos cost in proportion to all photos ever stored. The device query
// likewise searches device_persons by device and week, then the other
// persons' check-ins by person.
func TestKeyedQueriesSearch(t *testing.T) {
	db := openSQLite(t)
	addAudit(t, db, "A1")
	// Enough stored photos for the planner to weigh a scan against q.
	for _, q := range []string{
		`WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x < 5000)
			INSERT INTO checkins (` + checkInCols + `, request_key) SELECT 'C' || x, 'A1', 'P' || (x % 50), 'open', x, x, 30, 120, 'wgs84', 30, 120, 10,
				'D' || (x % 70), '', 'k' || x FROM n`,
		`INSERT INTO device_persons (device_hash, week, person) SELECT DISTINCT device_hash, at / 604800000000, person FROM checkins`,
		`WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x < 5000)
			INSERT INTO photo_uses (sha256, checkin_id, audit_id, phash) SELECT printf('%064x', x), 'C' || x, 'A1', x FROM n`,
		`INSERT INTO photo_bands (band, bits, sha256) SELECT b.v, (phash * 7919 + b.v) % 65536, sha256 FROM photo_uses,
			(SELECT 0 AS v UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) b`,
	} {
		if _, err := db.w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	const keys = 400
	var photoArgs, deviceArgs []any
	for i := range keys {
		photoArgs = append(photoArgs, i, i%4, i*13%65536, "s", "A1")
		deviceArgs = append(deviceArgs, i, fmt.Sprint("D", i%70), "P1", 0, 1e12, 0, 2)
	}
	for _, q := range []struct {
		name, cols, row, body, search string
		args                          []any
	}{
		{"near-photo", nearPhotoCols, nearPhotoRow, nearPhotoQuery, "SEARCH b USING PRIMARY KEY (band=? AND bits=?)", photoArgs},
		{"device", deviceCols, deviceRow, deviceQuery + "3", "SEARCH d USING PRIMARY KEY (device_hash=? AND week>? AND week<?)", deviceArgs},
	} {
		plan := queryPlan(t, db, keysStatement(q.cols, q.row, q.body, keys), q.args)
		all := strings.Join(plan, "\n")
		if !strings.Contains(all, q.search) {
			t.Errorf("the %s query does not %s:\n%s", q.name, q.search, all)
		}
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") && step != "SCAN q" && !strings.Contains(step, "subquery") && !strings.Contains(step, "CONSTANT ROWS") &&
				step != "SCAN m" && step != "SCAN o" {
				t.Errorf("the %s query scans a stored table (%s):\n%s", q.name, step, all)
			}
		}
	}
}

// queryPlan returns the steps of SQLite's plan for query.
func queryPlan(t *testing.T, db *DB, query string, args []any) []string {
	t.Helper()
	rows, err := db.w.Query(`EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return plan
}
