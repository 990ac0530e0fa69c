package importer_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"trustmark"
	"trustmark/demo"
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
		for _, batch := range []int{1000, 5000, 20000, importer.DefaultBatchSize} {
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
// TRUSTMARK_IMPORT_ROWS certificates (default 1,000,000). With
// TRUSTMARK_IMPORT_SHAPE=national the files are realistic instead (see
// writeNationalFiles).
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
	if os.Getenv("TRUSTMARK_IMPORT_SHAPE") == "national" {
		writeNationalFiles(t, dir, n)
		return
	}
	orgs := [][]string{{"uscc", "name", "region_code", "address"}}
	for i := 0; i < 1000; i++ {
		orgs = append(orgs, []string{uscc(i), "福州市闽侯县第" + strconv.Itoa(i) + "电器有限公司", "350121", "福建省福州市闽侯县上街镇"})
	}
	bodies := [][]string{{"approval_no", "uscc", "name", "region_code", "scopes", "ccc_categories", "ccc_code"},
		{body, string(trustmark.MakeUSCC("91110000100000XX")), "中国质量认证中心", "110000", "QMS;CCC", "0901", "01"}}
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

// writeNationalFiles writes files shaped like a national registry rather
// than the demo's single body: the demo generator's data at 1,128 bodies and
// 100,000 organisations, with n certificates of every type and status (holders
// spread over all organisations, numbers in each body's own format), in
// random order, as a merged file from many bodies would be. The data is
// generated into a scratch database and read back into orgs.csv, bodies.csv
// and certs.csv.
func writeNationalFiles(t *testing.T, dir string, n int) {
	path := filepath.Join(t.TempDir(), "national.db")
	db, err := sqlstore.Open(context.Background(), path, sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	sizes := demo.Sizes{Orgs: 100_000, Bodies: 1_128, Labs: 10, Persons: 0, Certificates: n}
	if _, err := demo.Generate(context.Background(), db, demo.Options{Sizes: &sizes, Seed: 7, BatchSize: 20_000}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sqlstore.OpenRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	dump := func(name, query string, shuffle bool) {
		rows, err := raw.Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out [][]string
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			rec := make([]string, len(cols))
			for i, v := range vals {
				rec[i] = v.String
			}
			out = append(out, rec)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if shuffle {
			r := rand.New(rand.NewPCG(7, 11))
			r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		}
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(f)
		w.Write(cols)
		w.WriteAll(out)
		if err := w.Error(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d rows", name, len(out))
	}
	dump("orgs.csv", `SELECT uscc, name, name_en, region_code, address, lat, lng, CASE WHEN employees > 0 THEN employees END AS employees FROM orgs`, false)
	// Every body active: the demo suspends some, and their certificates
	// would be refused, which is not what this file measures.
	dump("bodies.csv", `SELECT approval_no, uscc, name, name_en, region_code, scopes, ccc_categories, ccc_code, approved_on FROM bodies`, false)
	dump("certs.csv", `SELECT number, type, body_approval_no, holder_uscc, scope, standard, product, ccc_category, issued_on, expires_on, status FROM certificates`, true)
}

// BenchmarkImportFiles imports the files TestGenerateFiles wrote into the
// directory TRUSTMARK_IMPORT_DIR (orgs.csv and bodies.csv untimed, then
// certs.csv) into a fresh SQLite database per iteration: the figure of
// docs/BENCHMARKS.md for files of a million rows, with a CPU profile of the
// import alone when run with -cpuprofile.
func BenchmarkImportFiles(b *testing.B) {
	dir := os.Getenv("TRUSTMARK_IMPORT_DIR")
	if dir == "" {
		b.Skip("set TRUSTMARK_IMPORT_DIR to a directory of TestGenerateFiles")
	}
	var rows int
	var total, cpu time.Duration
	for range b.N {
		b.StopTimer()
		db := openDSN(b, filepath.Join(b.TempDir(), "trustmark.db"))
		for _, f := range []struct {
			kind trustmark.Kind
			name string
		}{{trustmark.KindOrgs, "orgs.csv"}, {trustmark.KindBodies, "bodies.csv"}} {
			im := &importer.Importer{Store: db, Kind: f.kind, Log: quiet}
			if c, err := im.ImportFile(context.Background(), filepath.Join(dir, f.name)); err != nil || c.Rejected > 0 {
				b.Fatalf("%s: %v, %v", f.name, c, err)
			}
		}
		runtime.GC()
		im := &importer.Importer{Store: db, Kind: trustmark.KindCertificates, Log: quiet}
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		c, err := im.ImportFile(context.Background(), filepath.Join(dir, "certs.csv"))
		total += time.Since(start)
		cpu += cpuTime() - cpu0
		if err != nil {
			b.Fatal(err)
		}
		rows += c.Created + c.Updated + c.Unchanged + c.Rejected
		b.Logf("%v", c)
		b.StopTimer()
		db.Close()
	}
	b.ReportMetric(float64(rows)/total.Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/cpu.Seconds(), "rows/cpu-s")
}
