package importer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
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
	csvData := certCSV(b, benchRows, 1000)
	for _, f := range []struct {
		name string
		file string
		data func() []byte
	}{
		{"CSV", "certs.csv", func() []byte { return csvData }},
		{"GBK-CSV", "certs.csv", func() []byte { return gbkOf(b, csvData) }},
		{"JSONL", "certs.jsonl", func() []byte { return jsonlOf(b, csvData) }},
		{"XLSX", "certs.xlsx", func() []byte { return xlsxOf(b, csvData) }},
	} {
		b.Run(f.name, func(b *testing.B) {
			data := f.data()
			runtime.GC()
			b.SetBytes(int64(len(data)))
			start, cpu := time.Now(), cpuTime()
			for i := 0; i < b.N; i++ {
				n := readParse(b, f.file, data)
				if n != benchRows {
					b.Fatalf("%d rows parsed, want %d", n, benchRows)
				}
			}
			b.ReportMetric(float64(b.N*benchRows)/time.Since(start).Seconds(), "rows/s")
			b.ReportMetric(float64(b.N*benchRows)/(cpuTime()-cpu).Seconds(), "rows/cpu-s")
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

// BenchmarkImport measures the whole import of a file of 100,000
// certificates into a fresh database (orgs and the body already there):
// read, parse, batch, write. It runs on SQLite, and on PostgreSQL (a fresh
// schema each time) when TRUSTMARK_TEST_PG holds a DSN.
func BenchmarkImport(b *testing.B) {
	data := certCSV(b, benchRows, 1000)
	stores := []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{
		{"SQLite", openStore},
		{"PostgreSQL", func(t testing.TB) *sqlstore.DB { return openDSN(t, pgDSN(t)) }},
	}
	for _, st := range stores {
		for _, batch := range []int{1000, 5000, 10000, 20000} {
			b.Run(st.name+"/batch="+strconv.Itoa(batch), func(b *testing.B) {
				var total, cpu time.Duration
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					db := st.open(b)
					seed(b, db, 1000)
					im := &importer.Importer{Store: db, Kind: trustmark.KindCertificates, BatchSize: batch, Log: quiet}
					b.StartTimer()
					start, cpu0 := time.Now(), cpuTime()
					c, err := im.Import(context.Background(), "certs.csv", bytes.NewReader(data))
					total += time.Since(start)
					cpu += cpuTime() - cpu0
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
				b.ReportMetric(float64(b.N*benchRows)/cpu.Seconds(), "rows/cpu-s")
			})
		}
	}
}

func gbkOf(b *testing.B, data []byte) []byte {
	out, err := simplifiedchinese.GBK.NewEncoder().Bytes(data)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// cpuTime is the CPU time (user and system) this process has used: on a
// shared machine, rows per CPU-second say more than rows per second.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestGenerateFiles writes the benchmark's files for the command line when
// TRUSTMARK_IMPORT_GEN names a directory (docs/BENCHMARKS.md, "Import"):
// orgs.csv (1,000), bodies.csv (1), and certs.csv with
// TRUSTMARK_IMPORT_ROWS certificates (default 1,000,000).
func TestGenerateFiles(t *testing.T) {
	dir := os.Getenv("TRUSTMARK_IMPORT_GEN")
	if dir == "" {
		t.Skip("set TRUSTMARK_IMPORT_GEN=DIR to write the benchmark files")
	}
	n := 1_000_000
	if s := os.Getenv("TRUSTMARK_IMPORT_ROWS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	orgs := [][]string{{"uscc", "name", "region_code", "address"}}
	for i := 0; i < 1000; i++ {
		orgs = append(orgs, []string{uscc(i), "福州市闽侯县第" + strconv.Itoa(i) + "电器有限公司", "350121", "福建省福州市闽侯县上街镇"})
	}
	bodies := [][]string{{"approval_no", "uscc", "name", "region_code", "scopes", "ccc_categories"},
		{body, string(trustmark.MakeUSCC("91110000100000XX")), "中国质量认证中心", "110000", "QMS;CCC", "0901"}}
	for name, data := range map[string][]byte{
		"orgs.csv":   csvOf(t, orgs...),
		"bodies.csv": csvOf(t, bodies...),
		"certs.csv":  certCSV(t, n, 1000),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
