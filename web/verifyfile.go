package web

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"trustmark/bulk"
)

// WriteSheetCSV writes a verification's sheet as UTF-8 CSV with a
// byte-order mark, which Excel needs to show Chinese: the summary line,
// the header, then a row per input row. Cells that a spreadsheet would run
// as a formula are prefixed with a quote.
func WriteSheetCSV(w io.Writer, s bulk.Sheet) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	for _, row := range sheetRows(s) {
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

// sheetRows is the sheet as the rows of a file, copies of its own: the
// summary in the first cell of a row as wide as the header (so that a CSV
// reader finds the same number of fields on every line), the header, the
// rows.
func sheetRows(s bulk.Sheet) [][]string {
	out := make([][]string, 0, len(s.Rows)+2)
	summary := make([]string, max(len(s.Header), 1))
	summary[0] = s.Summary
	out = append(out, summary, append([]string(nil), s.Header...))
	for _, r := range s.Rows {
		out = append(out, append([]string(nil), r...))
	}
	return out
}

// defuse keeps a cell from being a spreadsheet formula (CSV injection).
func defuse(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return "'" + c
	}
	return c
}

// WriteSheetXLSX writes a verification's sheet as an XLSX workbook with
// one sheet, rows as in WriteSheetCSV. Cells are written as text, never as
// formulas.
func WriteSheetXLSX(w io.Writer, s bulk.Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter(f.GetSheetName(0))
	if err != nil {
		return err
	}
	for n, cells := range sheetRows(s) {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
