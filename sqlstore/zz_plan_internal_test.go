package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
)

func TestZZPlan(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`EXPLAIN QUERY PLAN SELECT doc FROM matters WHERE state IN ('opened','paused','answered') AND region >= '37' AND region < '38' ORDER BY due_on, opened_at LIMIT 500`,
		`EXPLAIN QUERY PLAN SELECT doc FROM matters WHERE state IN ('opened','paused','answered') ORDER BY due_on, opened_at LIMIT 500`,
	} {
		rows, err := db.query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a, b, c any
			var d string
			rows.Scan(&a, &b, &c, &d)
			t.Log(d)
		}
		rows.Close()
		t.Log("--")
	}
}
