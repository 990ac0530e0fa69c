package importer

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"trustmark"
)

// xlsxSource reads one sheet of an XLSX workbook, streamed within Limits
// (workbook.go). Cells are read as Excel shows them where that matters to a
// registry (a code formatted "0000" keeps its leading zeros), except dates,
// which are written YYYY-MM-DD whatever their display format. The header
// is the first row with any text; Row is the sheet row number less the
// header's, so that an error names the row a person finds in Excel (empty
// rows count but are skipped).
type xlsxSource struct {
	wb        *workbook
	sheet     *sheetReader
	cols      []string
	sheetRow  int // number of the last row read, from 1
	headerRow int
	cleanup   func() error
}

func openXLSX(r io.ReadSeeker, k trustmark.Kind, sheet string, lim Limits) (_ *xlsxSource, err error) {
	wb, sr, cleanup, err := openSheetOf(r, sheet, lim)
	if err != nil {
		return nil, asRefusal(err)
	}
	s := &xlsxSource{wb: wb, sheet: sr, cleanup: cleanup}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	for {
		row, err := sr.next()
		if err == io.EOF {
			return nil, fmt.Errorf("sheet %q is empty: it has no header row", sr.name)
		}
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", sr.name, asRefusal(err))
		}
		s.sheetRow = row.num
		if row.err != nil {
			return nil, fmt.Errorf("sheet %q row %d: header: %s", sr.name, row.num, row.err.Message)
		}
		if blankCells(row.cells) {
			continue
		}
		s.headerRow = row.num
		if s.cols, err = checkHeader(k, row.cells); err != nil {
			return nil, fmt.Errorf("sheet %q row %d: %w", sr.name, row.num, err)
		}
		return s, nil
	}
}

// openSheetOf opens the workbook in r and the named sheet ("" is the first).
// A reader that cannot read at offsets (the workbook's directory is at its
// end) is copied to a temporary file first; cleanup closes everything.
func openSheetOf(r io.ReadSeeker, sheet string, lim Limits) (*workbook, *sheetReader, func() error, error) {
	ra, size, done, err := readerAt(r, lim)
	if err != nil {
		return nil, nil, nil, err
	}
	wb, err := openWorkbook(ra, size, lim)
	if err != nil {
		done()
		return nil, nil, nil, err
	}
	sr, err := wb.openSheet(sheet)
	if err != nil {
		wb.Close()
		done()
		return nil, nil, nil, err
	}
	return wb, sr, func() error {
		sr.Close()
		wb.Close()
		return done()
	}, nil
}

// readerAt returns r as an io.ReaderAt with its size.
func readerAt(r io.ReadSeeker, lim Limits) (io.ReaderAt, int64, func() error, error) {
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, 0, nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, 0, nil, err
	}
	if ra, ok := r.(io.ReaderAt); ok {
		return ra, size, func() error { return nil }, nil
	}
	f, err := os.CreateTemp("", "trustmark-import-*.xlsx")
	if err != nil {
		return nil, 0, nil, err
	}
	done := func() error {
		f.Close()
		return os.Remove(f.Name())
	}
	if _, err := io.Copy(f, r); err != nil {
		done()
		return nil, 0, nil, err
	}
	return f, size, done, nil
}

// maxSheetRows is Excel's limit on the rows of a sheet.
const maxSheetRows = 1 << 20

func blankCells(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func (s *xlsxSource) Format() Format { return FormatXLSX }

// Progress reports rows read against the last row of the sheet's
// dimension, when it has one.
func (s *xlsxSource) Progress() (int64, int64) { return int64(s.sheetRow), int64(s.sheet.rows) }

func (s *xlsxSource) Close() error { return s.cleanup() }

func (s *xlsxSource) Next() (Item, error) {
	for {
		row, err := s.sheet.next()
		if err != nil {
			return Item{}, asRefusal(err) // the importer says after which row
		}
		s.sheetRow = row.num
		n := row.num - s.headerRow
		if row.err != nil {
			e := *row.err
			e.Field = rowField
			if row.errCol > 0 && row.errCol <= len(s.cols) {
				e.Field = s.cols[row.errCol-1]
			}
			return Item{Row: n, Err: &e}, nil
		}
		cells, err := rowOf(s.cols, row.cells, false)
		if err != nil {
			return Item{Row: n, Err: err}, nil
		}
		if cells == nil {
			continue
		}
		for col, v := range cells {
			if isDateColumn(col) {
				cells[col] = serialDate(v)
			}
		}
		return Item{Row: n, Cells: cells}, nil
	}
}

// serialDate turns a bare Excel date serial (a date cell whose format was
// lost, shown as a number such as 45356) into YYYY-MM-DD.
func serialDate(v string) string {
	if len(v) < 4 || len(v) > 5 {
		return v
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 3000 || n > 80000 { // 1908 to 2119
		return v
	}
	d, _ := (*styles)(nil).serialDate(float64(n))
	return d
}
