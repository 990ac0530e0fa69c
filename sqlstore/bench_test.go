package sqlstore_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
)

// benchStores opens one store per built-in SQLite driver (build with -tags
// mattn to compare both) and one on PostgreSQL when TRUSTMARK_TEST_PG is set.
func benchStores(b *testing.B, run func(b *testing.B, db *sqlstore.DB)) {
	for _, drv := range sqlstore.SQLiteDrivers() {
		b.Run("sqlite-"+drv, func(b *testing.B) {
			db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlstore.WithSQLiteDriver(drv))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			run(b, db)
		})
	}
	b.Run("postgres", func(b *testing.B) {
		db := openPG(b)
		defer db.Close()
		run(b, db)
	})
}

const benchBatch = 5000

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImportCertificates imports batches of 5,000 new certificates
// (with their events) and reports rows per second.
func BenchmarkImportCertificates(b *testing.B) {
	benchStores(b, func(b *testing.B, db *sqlstore.DB) {
		seedParties(b, db)
		b.ResetTimer()
		start, cpu0 := time.Now(), cpuTime()
		for i := 0; b.Loop(); i++ {
			out, err := db.Import(ctx, loader, trustmark.KindCertificates, certBatch(fmt.Sprintf("B%06d", i), benchBatch))
			if err != nil {
				b.Fatal(err)
			}
			if out[0].Result != trustmark.Created {
				b.Fatalf("outcome %v", out[0])
			}
		}
		b.ReportMetric(float64(b.N*benchBatch)/time.Since(start).Seconds(), "rows/s")
		// Rows per second of this process's CPU time: the figure that does not
		// depend on what else the machine is doing.
		b.ReportMetric(float64(b.N*benchBatch)/(cpuTime()-cpu0).Seconds(), "rows/cpu-s")
	})
}

// BenchmarkCertificateLookup looks up random certificates among 50,000 and
// reports p50 and p99 latency.
func BenchmarkCertificateLookup(b *testing.B) {
	benchStores(b, func(b *testing.B, db *sqlstore.DB) {
		seedParties(b, db)
		const batches = 10
		for i := range batches {
			if _, err := db.Import(ctx, loader, trustmark.KindCertificates, certBatch(fmt.Sprintf("L%02d", i), benchBatch)); err != nil {
				b.Fatal(err)
			}
		}
		var lat []time.Duration
		r := rand.New(rand.NewPCG(1, 2))
		b.ResetTimer()
		for b.Loop() {
			n := fmt.Sprintf("L%02d-%05d", r.IntN(batches), r.IntN(benchBatch))
			t0 := time.Now()
			c, err := db.Certificate(ctx, n)
			lat = append(lat, time.Since(t0))
			if err != nil || c.Number != n {
				b.Fatalf("Certificate(%s) = %v, %v", n, c, err)
			}
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	})
}

// BenchmarkCertificateLookupParallel measures lookup throughput from many
// goroutines.
func BenchmarkCertificateLookupParallel(b *testing.B) {
	benchStores(b, func(b *testing.B, db *sqlstore.DB) {
		seedParties(b, db)
		if _, err := db.Import(ctx, loader, trustmark.KindCertificates, certBatch("P", benchBatch)); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			r := rand.New(rand.NewPCG(rand.Uint64(), 2))
			for pb.Next() {
				if _, err := db.Certificate(ctx, fmt.Sprintf("P-%05d", r.IntN(benchBatch))); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
