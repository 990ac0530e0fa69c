package importer

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"trustmark"
)

// xlsxSource reads one sheet of an XLSX workbook with excelize's streaming
// row iterator. Cells are read as Excel shows them (so a code formatted
// "0000" keeps its leading zeros), except dates, which are written
// YYYY-MM-DD whatever their display format. The header is the first row
// with any text; Row is the sheet row number less the header's, so that an
// error names the row a person finds in Excel (empty rows count but are
// skipped).
type xlsxSource struct {
	f         *excelize.File
	rows      *excelize.Rows
	cols      []string
	sheetRow  int // sheet row of the iterator, from 1
	headerRow int
	total     int64
}

func openXLSX(r io.Reader, k trustmark.Kind, sheet string) (s *xlsxSource, err error) {
	// excelize is a large parser of outside input; a panic in it is a bad
	// file, not a reason to stop the whole import.
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("the workbook cannot be read (%v): save it again from Excel, or as CSV", p)
		}
	}()
	f, err := excelize.OpenReader(r, excelize.Options{ShortDatePattern: "yyyy-mm-dd", UnzipSizeLimit: maxUnzipBytes})
	if err != nil {
		return nil, fmt.Errorf("the workbook cannot be read: %v", err)
	}
	src := &xlsxSource{f: f, total: -1}
	defer func() {
		if err != nil {
			src.Close()
		}
	}()
	s = src
	sheets := f.GetSheetList()
	if sheet == "" {
		if len(sheets) == 0 {
			return nil, fmt.Errorf("the workbook has no sheets")
		}
		sheet = sheets[0]
	} else if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return nil, fmt.Errorf("the workbook has no sheet %q (it has %s)", sheet, strings.Join(sheets, ", "))
	}
	if dim, err := f.GetSheetDimension(sheet); err == nil {
		if _, end, ok := strings.Cut(dim, ":"); ok {
			if _, row, err := excelize.CellNameToCoordinates(end); err == nil {
				s.total = int64(row)
			}
		}
	}
	if s.rows, err = f.Rows(sheet); err != nil {
		return nil, fmt.Errorf("sheet %q cannot be read: %v", sheet, err)
	}
	for s.rows.Next() {
		s.sheetRow++
		if s.sheetRow > maxSheetRows {
			return nil, errTooManyRows
		}
		cells, err := s.rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("header: row %d of sheet %q cannot be read: %v", s.sheetRow, sheet, err)
		}
		if blankCells(cells) {
			continue
		}
		s.headerRow = s.sheetRow
		if s.cols, err = checkHeader(k, cells); err != nil {
			return nil, fmt.Errorf("sheet %q row %d: %w", sheet, s.sheetRow, err)
		}
		return s, nil
	}
	if err := s.rows.Error(); err != nil {
		return nil, fmt.Errorf("sheet %q cannot be read: %v", sheet, err)
	}
	return nil, fmt.Errorf("sheet %q is empty: it has no header row", sheet)
}

// maxSheetRows is Excel's limit. The streaming iterator steps through every
// row number up to the next stored row, so a damaged row number (r="2000000000")
// would otherwise mean billions of empty rows.
const maxSheetRows = 1 << 20

var errTooManyRows = fmt.Errorf("the sheet has a row beyond row %d, Excel's limit: the workbook is damaged", maxSheetRows)

func blankCells(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func (s *xlsxSource) Format() Format { return FormatXLSX }

func (s *xlsxSource) Progress() (int64, int64) { return int64(s.sheetRow), s.total }

func (s *xlsxSource) Close() error {
	if s.rows != nil {
		s.rows.Close()
	}
	return s.f.Close()
}

func (s *xlsxSource) Next() (it Item, err error) {
	defer func() {
		if p := recover(); p != nil {
			it, err = Item{}, fmt.Errorf("the workbook cannot be read past row %d (%v)", s.sheetRow, p)
		}
	}()
	for s.rows.Next() {
		s.sheetRow++
		if s.sheetRow > maxSheetRows {
			return Item{}, errTooManyRows
		}
		n := s.sheetRow - s.headerRow
		cells, err := s.rows.Columns()
		if err != nil {
			return Item{}, fmt.Errorf("row %d cannot be read: %v", n, err)
		}
		row, err := rowOf(s.cols, cells, false)
		if err != nil {
			return Item{Row: n, Err: err}, nil
		}
		if row == nil {
			continue
		}
		for col, v := range row {
			if isDateColumn(col) {
				row[col] = serialDate(v)
			}
		}
		return Item{Row: n, Cells: row}, nil
	}
	if err := s.rows.Error(); err != nil {
		return Item{}, err
	}
	return Item{}, io.EOF
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
	t, err := excelize.ExcelDateToTime(float64(n), false)
	if err != nil {
		return v
	}
	return t.Format(trustmark.DateLayout)
}
