package importer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"trustmark"
	"trustmark/importer"
	"trustmark/sqlstore"
)

// benchRows is the size of the file each benchmark iteration reads.
const benchRows = 100_000

// BenchmarkReadParse measures reading and validating certificate rows
// without a store: the part of the import that overlaps with the writes.
func BenchmarkReadParse(b *testing.B) {
	data := certCSV(b, benchRows, 1000)
	for _, f := range []struct {
		name string
		file string
		data []byte
	}{
		{"CSV", "certs.csv", data},
		{"GBK-CSV", "certs.csv", gbkOf(b, data)},
		{"JSONL", "certs.jsonl", jsonlOf(b, data)},
		{"XLSX", "certs.xlsx", xlsxOf(b, data)},
	} {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(f.data)))
			start := time.Now()
			for i := 0; i < b.N; i++ {
				n := readParse(b, f.file, f.data)
				if n != benchRows {
					b.Fatalf("%d rows parsed, want %d", n, benchRows)
				}
			}
			b.ReportMetric(float64(b.N*benchRows)/time.Since(start).Seconds(), "rows/s")
		})
	}
}

// readParse reads and parses every row of data as the import does.
func readParse(b *testing.B, name string, data []byte) int {
	src, err := importer.Open(name, bytes.NewReader(data), trustmark.KindCertificates, importer.OpenOptions{Log: quiet})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	p := trustmark.DefaultPolicy()
	n := 0
	for {
		it, err := src.Next()
		if err != nil {
			break
		}
		if it.Err != nil {
			b.Fatal(it.Err)
		}
		if _, err := trustmark.ParseRecord(trustmark.KindCertificates, it.Cells, p); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return n
}

// BenchmarkImportSQLite measures the whole import of a certificate file into
// a fresh SQLite database (orgs and the body already there): read, parse,
// batch, write. With TRUSTMARK_BENCH_PG set to the URL of an empty
// PostgreSQL database it measures PostgreSQL instead (one iteration only:
// the database is not emptied between them; run with -benchtime 1x).
func BenchmarkImportSQLite(b *testing.B) {
	data := certCSV(b, benchRows, 1000)
	for _, batch := range []int{1000, 5000, 20000} {
		b.Run("batch="+strconv.Itoa(batch), func(b *testing.B) {
			var total time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := openBenchStore(b)
				seed(b, db, 1000)
				im := &importer.Importer{Store: db, Kind: trustmark.KindCertificates, BatchSize: batch, Log: quiet}
				b.StartTimer()
				start := time.Now()
				c, err := im.Import(context.Background(), "certs.csv", bytes.NewReader(data))
				total += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				if c.Created != benchRows {
					b.Fatalf("created %d, want %d", c.Created, benchRows)
				}
				b.StopTimer()
				db.Close()
			}
			b.ReportMetric(float64(b.N*benchRows)/total.Seconds(), "rows/s")
		})
	}
}

func openBenchStore(b *testing.B) *sqlstore.DB {
	dsn := filepath.Join(b.TempDir(), "bench.db")
	if pg := os.Getenv("TRUSTMARK_BENCH_PG"); pg != "" {
		dsn = pg
	}
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.WithLogger(quiet))
	if err != nil {
		b.Fatal(err)
	}
	return db
}

func gbkOf(b *testing.B, data []byte) []byte {
	out, err := simplifiedchinese.GBK.NewEncoder().Bytes(data)
	if err != nil {
		b.Fatal(err)
	}
	return out
}
