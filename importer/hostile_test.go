package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"trustmark"
	"trustmark/importer/hostile"
)

// maxPeakHeap is what reading one file may add to the heap at most
// (issue: no upload or import raises memory by more than 64 MB).
const maxPeakHeap = 64 << 20

// hostileCases are the files of package hostile at the sizes the probe
// used, with what reading each must end in: a rejected row (rowErr) or the
// whole file refused (fileErr), naming the limit by its reason.
var hostileCases = []struct {
	name    string
	file    string
	write   func(w io.Writer) error
	lim     Limits // zero fields are DefaultLimits
	reason  string // the limit the refusal names
	fileErr bool   // the file is refused (else one row is rejected)
}{
	{"a 60 MiB inline cell in 63 KB", "cell.xlsx", func(w io.Writer) error { return hostile.InlineCell(w, certColumns, 60<<20) }, Limits{}, ReasonTokenBytes, true},
	{"a 1 GiB inline cell in 1 MB", "cell1g.xlsx", func(w io.Writer) error { return hostile.InlineCell(w, certColumns, 1<<30) }, Limits{}, ReasonTokenBytes, true},
	{"3 GiB of whitespace in the sheet", "space.xlsx", func(w io.Writer) error { return hostile.Whitespace(w, certColumns, 3<<30) }, Limits{}, ReasonTokenBytes, true},
	{"a 1 GiB shared string", "sst1g.xlsx", func(w io.Writer) error { return hostile.GiantSharedString(w, certColumns, 1<<30) }, Limits{}, ReasonTokenBytes, true},
	{"a 16 MiB cell of small rich-text runs", "runs.xlsx", func(w io.Writer) error { return hostile.RichTextCell(w, certColumns, 16<<20) }, Limits{}, ReasonCellBytes, false},
	{"a row of 262,144 cells", "cells.xlsx", func(w io.Writer) error { return hostile.ManyCells(w, certColumns, 256<<10) }, Limits{}, ReasonColumns, false},
	{"more empty rows than allowed", "rows.xlsx", func(w io.Writer) error { return hostile.ManyRows(w, certColumns, 256<<10) }, Limits{Rows: 100000}, ReasonRows, true},
	{"elements nested a million deep", "deep.xlsx", func(w io.Writer) error { return hostile.Nested(w, certColumns, 1<<20) }, Limits{}, ReasonDepth, true},
	{"twenty thousand zip entries", "parts.xlsx", func(w io.Writer) error { return hostile.ManyEntries(w, certColumns, 20000) }, Limits{}, ReasonZipEntries, true},
	{"a CSV line of 256 MiB", "line.csv", func(w io.Writer) error { return hostile.LongLine(w, certColumns, 256<<20) }, Limits{}, "", false},
}

// TestHostileFilesStayBounded reads each hostile file as `trustmark import`
// does and checks that the heap never grows by more than maxPeakHeap and
// that the refusal names the limit.
func TestHostileFilesStayBounded(t *testing.T) {
	for _, tc := range hostileCases {
		t.Run(tc.name+" is refused within bounded memory", func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.write(&buf); err != nil {
				t.Fatal(err)
			}
			data := buf.Bytes()
			var (
				items []Item
				err   error
			)
			peak := hostile.PeakHeap(func() { items, err = readFile(tc.file, data, trustmark.KindCertificates, tc.lim) })
			t.Logf("%d bytes on disk: heap +%.1f MiB", len(data), float64(peak)/(1<<20))
			if peak > maxPeakHeap {
				t.Errorf("reading raised the heap by %d MiB, want at most %d MiB", peak>>20, maxPeakHeap>>20)
			}
			if tc.fileErr {
				var e *trustmark.Error
				if !errors.As(err, &e) || e.Reason != tc.reason || e.Code != trustmark.ETooLarge {
					t.Fatalf("error = %v, want a too_large refusal for %s", err, tc.reason)
				}
				if limit := fmt.Sprint(e.Args[0]); !strings.Contains(err.Error(), limit) {
					t.Errorf("error %q does not name the limit %s", err, limit)
				}
				return
			}
			if err != nil {
				t.Fatalf("error = %v, want the row rejected and the file read", err)
			}
			if len(items) != 1 || items[0].Err == nil {
				t.Fatalf("items = %v, want one rejected row", items)
			}
			if e := (*trustmark.Error)(nil); tc.reason != "" && (!errors.As(items[0].Err, &e) || e.Reason != tc.reason) {
				t.Errorf("row error = %v, want reason %s", items[0].Err, tc.reason)
			}
		})
	}
}

// readFile opens and reads a whole file, returning the items read and the
// error that stopped it (Open's or Next's).
func readFile(name string, data []byte, k trustmark.Kind, lim Limits) ([]Item, error) {
	src, err := Open(name, bytes.NewReader(data), k, OpenOptions{Log: quietLog, Limits: lim})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var items []Item
	for {
		it, err := src.Next()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return items, err
		}
		items = append(items, it)
	}
}

// TestManySharedStringsSpillToDisk reads a workbook whose shared strings
// table is larger than what is kept in memory: it is read, in bounded
// memory, and its strings are found.
func TestManySharedStringsSpillToDisk(t *testing.T) {
	var buf bytes.Buffer
	if err := hostile.ManySharedStrings(&buf, certColumns, 2<<20); err != nil {
		t.Fatal(err)
	}
	var (
		items []Item
		err   error
	)
	peak := hostile.PeakHeap(func() { items, err = readFile("sst.xlsx", buf.Bytes(), trustmark.KindCertificates, Limits{}) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d bytes on disk: heap +%.1f MiB", buf.Len(), float64(peak)/(1<<20))
	if peak > maxPeakHeap {
		t.Errorf("reading raised the heap by %d MiB, want at most %d MiB", peak>>20, maxPeakHeap>>20)
	}
	if len(items) != 1 || items[0].Cells["number"] != "0123456789abcdef" {
		t.Errorf("items = %v, want one row with number 0123456789abcdef", items)
	}
}

// TestSharedStringsLimits refuses tables past the count and byte limits,
// and rejects the row of a cell whose shared string is past the cell limit.
func TestSharedStringsLimits(t *testing.T) {
	var buf bytes.Buffer
	if err := hostile.ManySharedStrings(&buf, orgColumns, 1<<16); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		lim    Limits
		reason string
	}{
		{"a table of more entries than allowed is refused", Limits{SharedStrings: 1000}, ReasonSharedStrings},
		{"a table of more text than allowed is refused", Limits{SharedStringBytes: 1000}, ReasonSharedStringBytes},
		{"a cell of a shared string past the cell limit is rejected", Limits{CellBytes: 12}, ReasonCellBytes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Open("sst.xlsx", bytes.NewReader(buf.Bytes()), trustmark.KindOrgs, OpenOptions{Log: quietLog, Limits: tc.lim})
			if err == nil {
				var it Item
				it, err = src.Next()
				src.Close()
				err = errors.Join(err, it.Err)
			}
			var e *trustmark.Error
			if !errors.As(err, &e) || e.Reason != tc.reason {
				t.Errorf("error = %v, want reason %s", err, tc.reason)
			}
		})
	}
}
