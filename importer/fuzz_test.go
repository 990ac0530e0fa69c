package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"trustmark"
)

// fuzzFile checks, for any bytes, that reading never panics, rows come in
// strictly increasing order, and every row read ends as exactly one valid
// record or one rejection.
func fuzzFile(t *testing.T, name string, data []byte, k trustmark.Kind) {
	// A file that takes seconds is a bug too: crash so that the fuzzer
	// keeps the input.
	watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("reading %d bytes took over 10s", len(data))) })
	defer watchdog.Stop()
	items, err := readAll(t, name, data, k)
	if err != nil && items == nil {
		return // refused as a whole: nothing to account for
	}
	last := 0
	for _, it := range items {
		if it.Row <= last {
			t.Fatalf("row %d after row %d", it.Row, last)
		}
		last = it.Row
		if (it.Err == nil) == (it.Cells == nil) {
			t.Fatalf("row %d: cells %v and error %v: want exactly one", it.Row, it.Cells, it.Err)
		}
		if it.Err != nil && trustmark.ErrorField(it.Err) == "" {
			t.Fatalf("row %d: error %v names no field", it.Row, it.Err)
		}
	}

	im := &Importer{Kind: k, BatchSize: 3, Log: quietLog}
	src, err := Open(name, bytes.NewReader(data), k, OpenOptions{Log: quietLog})
	if err != nil {
		t.Fatalf("second open fails (%v) where the first did not", err)
	}
	defer src.Close()
	out := make(chan *batch)
	done := make(chan error, 1)
	go func() {
		defer close(out)
		done <- im.read(context.Background(), name, src, out)
	}()
	var rows []int
	for b := range out {
		if len(b.records) > 3 {
			t.Fatalf("batch of %d records, want at most 3", len(b.records))
		}
		got := append([]int{}, b.rows...)
		for _, r := range b.rejected {
			got = append(got, r.Row)
		}
		rows = append(rows, sortedInts(got)...)
	}
	<-done
	want := make([]int, len(items))
	for i, it := range items {
		want[i] = it.Row
	}
	if len(rows) != len(want) {
		t.Fatalf("pipeline accounts for rows %v, reader read %v", rows, want)
	}
	for i := range rows {
		if rows[i] != want[i] {
			t.Fatalf("pipeline accounts for rows %v, reader read %v", rows, want)
		}
	}
}

func sortedInts(s []int) []int {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

func FuzzCSV(f *testing.F) {
	f.Add(csvBytes(f, certColumns, certRows(10, 3)))
	f.Add(csvBytes(f, orgColumns, orgRows(3)))
	f.Add([]byte("\uFEFFnumber,type,body_approval_no,holder_uscc,scope,issued_on,expires_on\r\n1,QMS,x,y,z,2024/1/1,2025-01-01\r\n\"a\nb\",,,,,,\n"))
	f.Add([]byte("number,type,body_approval_no,holder_uscc,scope,issued_on,expires_on\n\"unclosed,QMS\n,,,,,,\nx,\"y\"z,,,,,\n"))
	f.Add(append([]byte("number,type,body_approval_no,holder_uscc,scope,issued_on,expires_on\n"), "\xb2\xe2\xca\xd4,\xff\xfe,,,,,\n"...))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFile(t, "certs.csv", data, trustmark.KindCertificates)
	})
}

func FuzzJSONL(f *testing.F) {
	f.Add(jsonlBytes(f, certColumns, certRows(10, 3)))
	f.Add([]byte("{\"number\": 1, \"type\": null, \"scope\": [\"a\", 2]}\n\n{\"number\": true}\n[]\n{\"x\":1}\n{"))
	f.Add([]byte("\uFEFF{\"number\": \"\xff\"}\r\n{} {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFile(t, "certs.jsonl", data, trustmark.KindCertificates)
	})
}

func FuzzXLSX(f *testing.F) {
	f.Add(xlsxBytes(f, certColumns, certRows(5, 2)))
	f.Add(xlsxBytes(f, append(certColumns, "status"), [][]string{{"", "", "x"}, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFile(t, "certs.xlsx", data, trustmark.KindCertificates)
	})
}

// TestFuzzSeedsReadWhole checks that the seeds of the fuzz tests are read
// as intended, so that fuzzing starts from real files.
func TestFuzzSeedsReadWhole(t *testing.T) {
	for name, data := range map[string][]byte{
		"certs.csv":   csvBytes(t, certColumns, certRows(10, 3)),
		"certs.jsonl": jsonlBytes(t, certColumns, certRows(10, 3)),
		"certs.xlsx":  xlsxBytes(t, certColumns, certRows(10, 3)),
	} {
		items, err := readAll(t, name, data, trustmark.KindCertificates)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(items) != 10 {
			t.Errorf("%s: %d rows read, want 10", name, len(items))
		}
		for _, it := range items {
			if it.Err != nil {
				t.Errorf("%s: %v", name, itemErr(it))
				continue
			}
			if _, err := trustmark.ParseRecord(trustmark.KindCertificates, it.Cells, trustmark.DefaultPolicy()); err != nil {
				t.Errorf("%s row %d: %v", name, it.Row, err)
			}
		}
	}
}

// FuzzXLSXSheet fuzzes the worksheet XML inside an otherwise valid
// workbook, where mutations of the whole file's bytes rarely get past the
// zip format.
func FuzzXLSXSheet(f *testing.F) {
	base := xlsxBytes(f, certColumns, certRows(5, 2))
	sheet := zipEntry(f, base, "xl/worksheets/sheet1.xml")
	f.Add(sheet)
	f.Add(bytes.Replace(sheet, []byte(`r="3"`), []byte(`r="2000000000"`), 1))
	f.Fuzz(func(t *testing.T, sheet []byte) {
		fuzzFile(t, "certs.xlsx", withZipEntry(t, base, "xl/worksheets/sheet1.xml", sheet), trustmark.KindCertificates)
	})
}

func zipEntry(t testing.TB, data []byte, name string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("no %s in the workbook", name)
	return nil
}

// withZipEntry returns the zip data with the named entry's content replaced.
func withZipEntry(t testing.TB, data []byte, name string, content []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == name {
			w.Write(content)
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, r)
		r.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
