package sqlstore_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"trustmark"
	"trustmark/demo"
	"trustmark/sqlstore"
	"trustmark/statistics"
)

// statsBenchDB opens the registry the statistics benchmarks count:
// TRUSTMARK_BENCH_STATS_DB when set (a demo built with `trustmark demo
// --scale small|national --db FILE`; it is migrated in place), else the tiny
// demo generated in a temporary directory.
func statsBenchDB(b *testing.B) *sqlstore.DB {
	b.Helper()
	if dsn := os.Getenv("TRUSTMARK_BENCH_STATS_DB"); dsn != "" {
		db, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	}
	db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "tiny.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkCountIndicators is one count of every indicator in every region
// and month, uncached: what a background refresh costs. certs/s is
// certificates read per second.
func BenchmarkCountIndicators(b *testing.B) {
	db := statsBenchDB(b)
	st, err := db.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var certs int64
	for _, n := range st.Certificates {
		certs += n
	}
	today := trustmark.DateOf(time.Now())
	if _, err := db.CountIndicators(ctx, today); err != nil { // the first count sums report_months
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.CountIndicators(ctx, today); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(certs)*float64(b.N)/b.Elapsed().Seconds(), "certs/s")
	b.ReportMetric(float64(certs), "certs")
}

// BenchmarkIndicatorsAnswer is what a request costs once the count is
// cached: the cached tally and a view of one province.
func BenchmarkIndicatorsAnswer(b *testing.B) {
	db := statsBenchDB(b)
	if _, err := db.Tally(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		t, err := db.Tally(ctx)
		if err != nil {
			b.Fatal(err)
		}
		statistics.NewView(statistics.Plan(), t, "330000")
	}
}
