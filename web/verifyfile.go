package web

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"trustmark/bulk"
	"trustmark/locale"
)

// resultRow is one result as a row of the downloads, in the language of m:
// the columns of m.Bulk.Columns.
func resultRow(r bulk.Result, m *locale.Messages) []string {
	found := m.Bulk.No
	if r.Found {
		found = m.Bulk.Yes
	}
	return []string{r.Item, found, bulk.KindText(m, r.Kind), bulk.StatusText(m, r), r.Reason, string(r.Type), r.Name, r.ExpiresOn, r.URL}
}

// WriteResultsCSV writes results as UTF-8 CSV with a byte-order mark,
// which Excel needs to show Chinese, in the language of m. Cells that a
// spreadsheet would run as a formula are prefixed with a quote.
func WriteResultsCSV(w io.Writer, results []bulk.Result, m *locale.Messages) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(m.Bulk.Columns); err != nil {
		return err
	}
	for _, r := range results {
		row := resultRow(r, m)
		for i, c := range row {
			row[i] = defuse(c)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuse keeps a cell from being a spreadsheet formula (CSV injection).
func defuse(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return "'" + c
	}
	return c
}

// WriteResultsXLSX writes results as an XLSX workbook with one sheet, in
// the language of m. Cells are written as text, never as formulas.
func WriteResultsXLSX(w io.Writer, results []bulk.Result, m *locale.Messages) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	row := func(n int, cells []string) error {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, vals)
	}
	if err := row(1, m.Bulk.Columns); err != nil {
		return err
	}
	for i, r := range results {
		if err := row(i+2, resultRow(r, m)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
