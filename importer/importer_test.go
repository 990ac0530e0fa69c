package importer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"trustmark"
	"trustmark/importer"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

const body = "CNCA-R-2002-001"

func uscc(i int) string { return string(trustmark.MakeUSCC(fmt.Sprintf("91350100M%07d", i))) }

func openStore(t testing.TB) *sqlstore.DB {
	t.Helper()
	return openDSN(t, filepath.Join(t.TempDir(), "trustmark.db"))
}

func openDSN(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// eachStore runs f on SQLite, and on PostgreSQL when TRUSTMARK_TEST_PG holds
// a DSN (each store in a fresh schema).
func eachStore(t *testing.T, f func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
	t.Run("SQLite", func(t *testing.T) { f(t, openStore) })
	t.Run("PostgreSQL", func(t *testing.T) {
		f(t, func(t testing.TB) *sqlstore.DB { return openDSN(t, pgDSN(t)) })
	})
}

// pgDSN returns a DSN for a fresh PostgreSQL schema, or skips the test.
func pgDSN(t testing.TB) string {
	t.Helper()
	return storetest.PostgresDSN(t, "imp")
}

func csvOf(t testing.TB, rows ...[]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// run imports data as the file name and returns the counts and the
// rejection lines.
func run(t testing.TB, db trustmark.Store, k trustmark.Kind, name string, data []byte, batch int) (importer.Counts, []string, error) {
	t.Helper()
	var rejected []string
	im := &importer.Importer{Store: db, Kind: k, BatchSize: batch, Log: quiet,
		Reject: func(r importer.Rejection) { rejected = append(rejected, r.String()) }}
	c, err := im.Import(context.Background(), name, bytes.NewReader(data))
	return c, rejected, err
}

// seed imports n orgs and the body of the certificates.
func seed(t testing.TB, db trustmark.Store, n int) {
	t.Helper()
	rows := [][]string{{"uscc", "name", "region_code", "address"}}
	for i := 0; i < n; i++ {
		rows = append(rows, []string{uscc(i), fmt.Sprintf("福州市闽侯县第%d电器有限公司", i), "350121", "福建省福州市闽侯县上街镇"})
	}
	mustImport(t, db, trustmark.KindOrgs, "orgs.csv", csvOf(t, rows...), importer.Counts{Created: n})
	bodies := csvOf(t, []string{"approval_no", "uscc", "name", "region_code", "scopes", "ccc_categories", "ccc_code"},
		[]string{body, string(trustmark.MakeUSCC("91110000100000XX")), "中国质量认证中心", "110000", "QMS;CCC", "0901", "01"})
	mustImport(t, db, trustmark.KindBodies, "bodies.csv", bodies, importer.Counts{Created: 1})
}

func mustImport(t testing.TB, db trustmark.Store, k trustmark.Kind, name string, data []byte, want importer.Counts) {
	t.Helper()
	got, rejected, err := run(t, db, k, name, data, 0)
	if err != nil {
		t.Fatalf("importing %s: %v", name, err)
	}
	if got != want {
		t.Fatalf("importing %s: counts %+v, want %+v; rejected:\n%s", name, got, want, strings.Join(rejected, "\n"))
	}
}

var certHeader = []string{"number", "type", "body_approval_no", "holder_uscc", "scope", "product", "issued_on", "expires_on"}

func certRow(i, holders int) []string {
	if i%5 == 4 {
		return []string{fmt.Sprintf("2024010901%06d", i), "CCC", body, uscc(i % holders), "微型计算机的生产", "台式微型计算机", "2024-03-01", "2029-02-28"}
	}
	return []string{fmt.Sprintf("00124Q%07dR0M", i), "QMS", body, uscc(i % holders), "家用电器的设计和生产", "", "2024-03-01", "2027-02-28"}
}

func certCSV(t testing.TB, n, holders int) []byte {
	rows := [][]string{certHeader}
	for i := 0; i < n; i++ {
		rows = append(rows, certRow(i, holders))
	}
	return csvOf(t, rows...)
}

func TestImportIsIdempotent(t *testing.T) {
	eachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		db := open(t)
		seed(t, db, 10)
		data := certCSV(t, 120, 10)
		for _, format := range []struct{ name, file string }{{"CSV", "certs.csv"}} {
			t.Run(format.name+" imported twice changes nothing the second time", func(t *testing.T) {
				mustImport(t, db, trustmark.KindCertificates, format.file, data, importer.Counts{Created: 120})
				mustImport(t, db, trustmark.KindCertificates, format.file, data, importer.Counts{Unchanged: 120})
			})
		}
		t.Run("a changed row is updated and the rest unchanged", func(t *testing.T) {
			changed := bytes.Replace(data, []byte("微型计算机的生产"), []byte("微型计算机和服务器的生产"), 1)
			mustImport(t, db, trustmark.KindCertificates, "certs.csv", changed, importer.Counts{Updated: 1, Unchanged: 119})
			c, err := db.Certificate(context.Background(), "2024010901000004")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := c.Scope, "微型计算机和服务器的生产"; got != want {
				t.Errorf("scope = %q, want %q", got, want)
			}
		})
		t.Run("the original records as JSON Lines undo the change and as XLSX are unchanged", func(t *testing.T) {
			mustImport(t, db, trustmark.KindCertificates, "certs.jsonl", jsonlOf(t, data), importer.Counts{Updated: 1, Unchanged: 119})
			mustImport(t, db, trustmark.KindCertificates, "certs.xlsx", xlsxOf(t, data), importer.Counts{Unchanged: 120})
		})
	})
}

func TestImportGBKRoundTrip(t *testing.T) {
	names := []string{"福州市闽侯县第一电器有限公司", "鑫淼(厦门)检测技术有限公司", "中国质量认证中心·华南分中心", "石家庄市藁城区宏昇纺织品有限公司"}
	rows := [][]string{{"uscc", "name", "region_code", "address"}}
	for i, n := range names {
		rows = append(rows, []string{uscc(i), n, "350121", "福建省福州市闽侯县"})
	}
	text := csvOf(t, rows...)
	for _, enc := range []struct {
		name string
		data func() []byte
	}{
		{"UTF-8", func() []byte { return text }},
		{"UTF-8 with BOM", func() []byte { return append([]byte("\uFEFF"), text...) }},
		{"GBK", func() []byte {
			b, err := simplifiedchinese.GBK.NewEncoder().Bytes(bytes.ReplaceAll(text, []byte("昇"), []byte("升")))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
		{"GB18030", func() []byte {
			b, err := simplifiedchinese.GB18030.NewEncoder().Bytes(text)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
	} {
		t.Run(enc.name+" names come back as written", func(t *testing.T) {
			db := openStore(t)
			mustImport(t, db, trustmark.KindOrgs, "orgs.csv", enc.data(), importer.Counts{Created: len(names)})
			for i, want := range names {
				if enc.name == "GBK" {
					want = strings.ReplaceAll(want, "昇", "升")
				}
				o, err := db.Org(context.Background(), trustmark.USCC(uscc(i)))
				if err != nil {
					t.Fatal(err)
				}
				if o.Name != want {
					t.Errorf("name of %s = %q, want %q", uscc(i), o.Name, want)
				}
			}
		})
	}
}

func TestImportRejectsBadRows(t *testing.T) {
	eachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		db := open(t)
		seed(t, db, 3)
		good := func(i int) []string { return certRow(i, 3) }
		with := func(i int, col string, v string) []string {
			r := good(i)
			for j, c := range certHeader {
				if c == col {
					r[j] = v
				}
			}
			return r
		}
		rows := [][]string{
			certHeader,
			good(0), // 1
			with(1, "holder_uscc", "91350100M000001XXX"),   // 2
			with(2, "type", "ABC"),                         // 3
			with(3, "issued_on", "2024-02-30"),             // 4
			with(5, "expires_on", "2023-01-01"),            // 5
			with(6, "body_approval_no", "CNCA-R-2099-999"), // 6: unknown to the store
			with(7, "scope", strings.Repeat("范", 2000)),    // 7: 6000 bytes
			good(0),                                // 8: duplicate of row 1
			with(8, "scope", ""),                   // 9
			with(9, "holder_uscc", uscc(99)),       // 10: holder not in the registry
			with(11, "expires_on", "2030-03-01"),   // 11: longer than 3 years
			{"x"},                                  // 12
			with(14, "number", "2024010101000014"), // 13: CCC category 0101 not designated? type is CCC for i%5==4
			good(15),                               // 14
		}
		c, rejected, err := run(t, db, trustmark.KindCertificates, "certs.csv", csvOf(t, rows...), 4)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.Imported(), 2; got != want {
			t.Errorf("imported %d, want %d", got, want)
		}
		wantPrefixes := []string{
			"certs.csv:2: holder_uscc: ",
			"certs.csv:3: type: certificate type \"ABC\" is not one of",
			"certs.csv:4: issued_on: date \"2024-02-30\" is not a real date of the form YYYY-MM-DD",
			"certs.csv:5: expires_on: expiry date 2023-01-01 is not after issue date 2024-03-01",
			"certs.csv:6: body_approval_no: ",
			"certs.csv:7: scope: cell is 6000 bytes, longer than the 4096 allowed",
			"certs.csv:8: number: row 1 has the same QMS certificate number 00124Q0000000R0M; a file may give each record once",
			"certs.csv:9: scope: scope is required",
			"certs.csv:10: holder_uscc: ",
			"certs.csv:11: expires_on: expiry date 2030-03-01 is more than 3 years after issue date 2024-03-01",
			"certs.csv:12: row: row has 1 fields, the header has 8",
			"certs.csv:13: ",
		}
		if len(rejected) != len(wantPrefixes) {
			t.Fatalf("%d rejected rows, want %d:\n%s", len(rejected), len(wantPrefixes), strings.Join(rejected, "\n"))
		}
		for i, want := range wantPrefixes {
			if !strings.HasPrefix(rejected[i], want) {
				t.Errorf("rejection %d = %q, want it to start %q", i, rejected[i], want)
			}
		}
		if c.Rejected != len(wantPrefixes) {
			t.Errorf("counted %d rejected, want %d", c.Rejected, len(wantPrefixes))
		}
	})
}

func TestImportStopsAtBatchBoundary(t *testing.T) {
	eachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		db := open(t)
		seed(t, db, 10)
		ctx, cancel := context.WithCancel(context.Background())
		batches := 0
		im := &importer.Importer{Store: &cancelAfter{Store: db, n: 3, cancel: cancel, calls: &batches}, Kind: trustmark.KindCertificates, BatchSize: 100, Log: quiet}
		_, err := im.Import(ctx, "certs.csv", bytes.NewReader(certCSV(t, 1000, 10)))
		if err == nil {
			t.Fatal("no error from an interrupted import")
		}
		st, err := db.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, v := range st.Certificates {
			n += v
		}
		if n != 300 {
			t.Errorf("%d certificates stored after 3 whole batches of 100, want 300", n)
		}
	})
}

// cancelAfter is the real store with the context cancelled once n batches
// have been written, as if the operator pressed Ctrl-C.
type cancelAfter struct {
	trustmark.Store
	n      int
	calls  *int
	cancel func()
}

func (s *cancelAfter) Import(ctx context.Context, actor trustmark.Party, k trustmark.Kind, items []trustmark.Record) ([]trustmark.Outcome, error) {
	if *s.calls == s.n {
		s.cancel()
	}
	*s.calls++
	return s.Store.Import(ctx, actor, k, items)
}

func TestImportNamesTheFileInEvents(t *testing.T) {
	eachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		db := open(t)
		seed(t, db, 1)
		evs, err := db.Events(context.Background(), trustmark.EventFilter{After: -1})
		if err != nil {
			t.Fatal(err)
		}
		actors := map[string]int{}
		for _, e := range evs {
			actors[e.Actor]++
		}
		if got, want := actors["import:orgs.csv"], 1; got != want {
			t.Errorf("%d events by import:orgs.csv, want %d (events by actor: %v)", got, want, actors)
		}
	})
}

func jsonlOf(t testing.TB, csvData []byte) []byte {
	rows, err := csv.NewReader(bytes.NewReader(csvData)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	for _, r := range rows[1:] {
		buf.WriteString("{")
		for i, c := range rows[0] {
			if i > 0 {
				buf.WriteString(", ")
			}
			fmt.Fprintf(&buf, "%q: %q", c, r[i])
		}
		buf.WriteString("}\n")
	}
	return buf.Bytes()
}

func TestRejectionFormat(t *testing.T) {
	r := importer.Rejection{File: "certs.csv", Row: 17, Field: "holder_uscc", Message: "unified social credit code \"X\" has 1 characters, want 18"}
	if diff := cmp.Diff(`certs.csv:17: holder_uscc: unified social credit code "X" has 1 characters, want 18`, r.String()); diff != "" {
		t.Error(diff)
	}
	c := importer.Counts{Created: 3, Updated: 2, Unchanged: 5, Rejected: 1}
	if got, want := c.String(), "imported 5, unchanged 5, rejected 1"; got != want {
		t.Errorf("Counts.String() = %q, want %q", got, want)
	}
}

func xlsxOf(t testing.TB, csvData []byte) []byte {
	rows, err := csv.NewReader(bytes.NewReader(csvData)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportRejectsUndecodableText(t *testing.T) {
	db := openStore(t)
	header := "uscc,name,region_code\n"
	good := func(i int) string { return uscc(i) + ",福州市闽侯县第一电器有限公司,350121\n" }
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"a Latin-1 byte in a UTF-8 file rejects its row only",
			[]byte(header + good(0) + uscc(1) + ",Caf\xe9,350121\n" + good(2)),
			[]string{"orgs.csv:2: name: cell is not valid UTF-8 text"}},
		{"a byte that is not GB18030 in a GBK file rejects its row only",
			append(append(gbkBytes(t, header+good(3)), []byte(uscc(4)+",\x81\x20,350121\n")...), gbkBytes(t, good(5))...),
			[]string{"orgs.csv:2: name: cell has bytes that are not GBK/GB18030 text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rejected, err := run(t, db, trustmark.KindOrgs, "orgs.csv", tt.data, 0)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rejected); diff != "" {
				t.Errorf("rejections differ (-want +got):\n%s", diff)
			}
			if got, want := c.Imported(), 2; got != want {
				t.Errorf("imported %d, want %d", got, want)
			}
		})
	}
}

func gbkBytes(t testing.TB, s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
