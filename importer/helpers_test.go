package importer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/xuri/excelize/v2"

	"trustmark"
)

// Test data: one body approved for QMS and CCC (category 0901), holders with
// Chinese names, and certificates of both types.

const testBody = "CNCA-R-2002-001"

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

func holderUSCC(i int) string {
	return string(trustmark.MakeUSCC(fmt.Sprintf("91350100M%07d", i)))
}

var orgColumns = []string{"uscc", "name", "region_code", "address"}

func orgRows(n int) [][]string {
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = []string{holderUSCC(i), fmt.Sprintf("福州市闽侯县第%d电器有限公司", i), "350121", "福建省福州市闽侯县上街镇"}
	}
	return rows
}

var certColumns = []string{"number", "type", "body_approval_no", "holder_uscc", "scope", "product", "issued_on", "expires_on"}

// certRows returns n certificates held by orgs 0..holders-1.
func certRows(n, holders int) [][]string {
	rows := make([][]string, n)
	for i := range rows {
		if i%5 == 4 {
			rows[i] = []string{fmt.Sprintf("2024010901%06d", i), "CCC", testBody, holderUSCC(i % holders),
				"微型计算机的生产", "台式微型计算机", "2024-03-01", "2029-02-28"}
			continue
		}
		rows[i] = []string{fmt.Sprintf("00124Q%07dR0M", i), "QMS", testBody, holderUSCC(i % holders),
			"家用电器的设计和生产", "", "2024-03-01", "2027-02-28"}
	}
	return rows
}

func csvBytes(t testing.TB, header []string, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jsonlBytes(t testing.TB, header []string, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, r := range rows {
		obj := map[string]string{}
		for i, c := range header {
			obj[c] = r[i]
		}
		b, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func xlsxBytes(t testing.TB, header []string, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	cells := func(r []string) []any {
		out := make([]any, len(r))
		for i, c := range r {
			out[i] = c
		}
		return out
	}
	sw.SetRow("A1", cells(header))
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells(r)); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readAll opens data as the file name and reads every item.
func readAll(t testing.TB, name string, data []byte, k trustmark.Kind) ([]Item, error) {
	t.Helper()
	src, err := Open(name, bytes.NewReader(data), k, OpenOptions{Log: quietLog})
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

// itemErr describes an item's error as "ROW: FIELD: message", or "" for none.
func itemErr(it Item) string {
	if it.Err == nil {
		return ""
	}
	return fmt.Sprintf("%d: %s: %s", it.Row, trustmark.ErrorField(it.Err), trustmark.ErrorMessage(it.Err))
}
