package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"trustmark"
	"trustmark/demo"
	"trustmark/sqlstore"
)

// today is the fixed day of the tests' data sets; the store's clock is set to
// the same day so that status changes dated up to today are allowed.
var today = trustmark.NewDate(2026, time.March, 16)

func clock() time.Time { return time.Date(2026, time.March, 16, 4, 0, 0, 0, time.UTC) }

func openStore(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "trustmark.db"), sqlstore.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestGenerateTinyIntoSQLite(t *testing.T) {
	db := openStore(t)
	sum, err := demo.Generate(context.Background(), db, demo.Options{Scale: demo.ScaleTiny, Seed: 1, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", sum)
}
