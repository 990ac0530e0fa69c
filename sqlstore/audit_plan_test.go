package sqlstore

import (
	"strings"
	"testing"
)

// TestKeyedQueriesSearch checks that the near-photo query, given a group's
// worth of bands (a few hundred rows of q), searches photo_bands by its
// key for each band rather than scanning every band stored: the plan
// SQLite chose for the inner join, which made a group of check-ins with
// photos cost in proportion to all photos ever stored.
func TestKeyedQueriesSearch(t *testing.T) {
	db := openSQLite(t)
	addAudit(t, db, "A1")
	// Enough stored photos for the planner to weigh a scan against q.
	for _, q := range []string{
		`WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x < 5000)
			INSERT INTO photos (sha256, size, phash, data) SELECT printf('%064x', x), 1, x, x'00' FROM n`,
		`INSERT INTO photo_bands (band, bits, sha256) SELECT b.v, (phash * 7919 + b.v) % 65536, sha256 FROM photos,
			(SELECT 0 AS v UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) b`,
	} {
		if _, err := db.w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	const keys = 400
	var args []any
	for i := range keys {
		args = append(args, i, i%4, i*13%65536, "s", "A1")
	}
	rows, err := db.w.Query(`EXPLAIN QUERY PLAN `+keysStatement(nearPhotoCols, nearPhotoRow, nearPhotoQuery, keys), args...)
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
	all := strings.Join(plan, "\n")
	if !strings.Contains(all, "SEARCH b USING PRIMARY KEY (band=? AND bits=?)") {
		t.Errorf("the near-photo query does not search photo_bands by band:\n%s", all)
	}
	for _, step := range plan {
		if strings.HasPrefix(step, "SCAN ") && step != "SCAN q" && !strings.Contains(step, "subquery") && !strings.Contains(step, "CONSTANT ROWS") && step != "SCAN m" {
			t.Errorf("the near-photo query scans a stored table (%s):\n%s", step, all)
		}
	}
}
