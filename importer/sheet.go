package importer

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"trustmark"
)

// sheetReader streams the rows of one sheet: one row's cells at a time,
// each cell's text bounded by CellBytes and the row's by RowBytes.
type sheetReader struct {
	wb    *workbook
	name  string
	part  string
	d     *xml.Decoder
	c     io.Closer
	rows  int // last row number in the sheet's <dimension>, or -1
	row   int // number of the last row read
	done  bool
	cells []string // reused between rows
}

// sheetRow is one stored row of a sheet. A row that cannot be taken has
// err set (a *trustmark.Error without a field) and errCol, the column at
// fault from 1, or 0 for the row as a whole.
type sheetRow struct {
	num    int
	cells  []string
	err    *trustmark.Error
	errCol int
}

// openSheet opens the named sheet ("" is the first) and reads up to its
// cells.
func (wb *workbook) openSheet(name string) (*sheetReader, error) {
	if len(wb.sheets) == 0 {
		return nil, fmt.Errorf("the workbook has no sheets")
	}
	ref := wb.sheets[0]
	if name != "" {
		found := false
		for _, s := range wb.sheets {
			if s.name == name {
				ref, found = s, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("the workbook has no sheet %q (it has %s)", name, strings.Join(wb.sheetNames(), ", "))
		}
	}
	if ref.part == "" || !wb.z.has(ref.part) {
		return nil, fmt.Errorf("sheet %q is missing from the workbook: it is damaged", ref.name)
	}
	d, c, err := wb.decoder(ref.part)
	if err != nil {
		return nil, err
	}
	s := &sheetReader{wb: wb, name: ref.name, part: ref.part, d: d, c: c, rows: -1}
	for {
		t, err := token(d, ref.part)
		if err == io.EOF {
			s.done = true
			return s, nil
		}
		if err != nil {
			c.Close()
			return nil, err
		}
		se, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "dimension":
			if _, end, ok := strings.Cut(attr(se, "ref"), ":"); ok {
				if _, row, err := cellRef(end); err == nil {
					s.rows = row
				}
			}
		case "sheetData":
			return s, nil
		}
	}
}

func (s *sheetReader) Close() error { return s.c.Close() }

// next returns the next stored row, or io.EOF after the last one. Any
// other error means the rest of the sheet cannot be read.
func (s *sheetReader) next() (sheetRow, error) {
	for !s.done {
		t, err := token(s.d, s.part)
		if err == io.EOF {
			break
		}
		if err != nil {
			return sheetRow{}, err
		}
		switch t := t.(type) {
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				s.done = true
			}
		case xml.StartElement:
			if t.Name.Local == "row" {
				return s.readRow(t)
			}
		}
	}
	s.done = true
	return sheetRow{}, io.EOF
}

// readRow reads a <row> to its end.
func (s *sheetReader) readRow(start xml.StartElement) (sheetRow, error) {
	lim := s.wb.lim
	num := s.row + 1
	if v := attr(start, "r"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil || n < 1:
			return sheetRow{}, fmt.Errorf("sheet %q has a row numbered %q: the workbook is damaged", s.name, v)
		case n <= s.row:
			return sheetRow{}, fmt.Errorf("sheet %q has row %d after row %d: the workbook is damaged", s.name, n, s.row)
		}
		num = n
	}
	if num > lim.Rows {
		return sheetRow{}, tooLarge("file", ReasonRows, int64(lim.Rows))
	}
	s.row = num
	row := sheetRow{num: num}
	fail := func(col int, e *trustmark.Error) {
		if row.err == nil {
			row.err, row.errCol = e, col
		}
	}
	cells := s.cells[:0]
	col, rowBytes := 0, 0
	for {
		t, err := token(s.d, s.part)
		if err == io.EOF {
			return sheetRow{}, fmt.Errorf("sheet %q ends inside row %d: the workbook is damaged", s.name, num)
		}
		if err != nil {
			return sheetRow{}, err
		}
		switch t := t.(type) {
		case xml.EndElement:
			if t.Name.Local == "row" {
				s.cells = cells
				if row.err == nil {
					row.cells = cells
				}
				return row, nil
			}
		case xml.StartElement:
			if t.Name.Local != "c" {
				continue
			}
			col++
			if ref := attr(t, "r"); ref != "" {
				c, _, err := cellRef(ref)
				if err != nil {
					fail(0, trustmark.Errorf(trustmark.EInvalid, "", "cell reference %q cannot be read", ref))
				} else {
					col = c
				}
			}
			v, verr, err := s.readCell(t)
			if err != nil {
				return sheetRow{}, err
			}
			switch {
			case col > lim.Columns:
				fail(0, tooLarge("", ReasonColumns, int64(lim.Columns)))
			case verr != nil:
				fail(col, verr)
			case row.err == nil:
				if rowBytes += len(v); rowBytes > lim.RowBytes {
					fail(0, tooLarge("", ReasonRowBytes, int64(lim.RowBytes)))
					continue
				}
				for len(cells) < col {
					cells = append(cells, "")
				}
				cells[col-1] = v
			}
		}
	}
}

// readCell reads a <c> to its end and returns its text as Excel shows it,
// or why it cannot be taken (verr), or an error that stops the sheet.
func (s *sheetReader) readCell(start xml.StartElement) (v string, verr *trustmark.Error, err error) {
	lim := s.wb.lim
	typ, ref := attr(start, "t"), attr(start, "r")
	style := intAttr(start, "s")
	var val, inline textBuilder
	val.limit, inline.limit = lim.CellBytes, lim.CellBytes
	hasInline := false
	for depth := 1; depth > 0; {
		t, err := token(s.d, s.part)
		if err == io.EOF {
			return "", nil, fmt.Errorf("sheet %q ends inside cell %s: the workbook is damaged", s.name, ref)
		}
		if err != nil {
			return "", nil, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			switch {
			case depth == 1 && t.Name.Local == "v":
				if err := readValue(s.d, s.part, &val); err != nil {
					return "", nil, err
				}
				continue
			case depth == 1 && t.Name.Local == "is":
				hasInline = true
				if err := readText(s.d, s.part, t, &inline); err != nil {
					return "", nil, err
				}
				continue
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	long := func(n int) *trustmark.Error {
		e := tooLarge("", ReasonCellBytes, int64(lim.CellBytes))
		e.Code, e.Message = trustmark.EInvalid, fmt.Sprintf("cell is %d bytes, longer than the %d allowed", n, lim.CellBytes)
		return e
	}
	if val.tooLong() {
		return "", long(val.n), nil
	}
	text := string(val.b)
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil {
			return "", trustmark.Errorf(trustmark.EInvalid, "", "cell %s refers to shared string %q, which is not a number", ref, text), nil
		}
		str, isLong, ok, err := s.wb.shared.get(i)
		switch {
		case err != nil:
			return "", nil, err
		case !ok:
			return "", trustmark.Errorf(trustmark.EInvalid, "", "cell %s refers to shared string %d, which the workbook does not have", ref, i), nil
		case isLong:
			n, _ := strconv.Atoi(str)
			return "", long(n), nil
		}
		return str, nil, nil
	case "inlineStr":
		if inline.tooLong() {
			return "", long(inline.n), nil
		}
		if hasInline {
			return string(inline.b), nil, nil
		}
		return text, nil, nil
	case "b":
		switch strings.TrimSpace(text) {
		case "1":
			return "TRUE", nil, nil
		case "0":
			return "FALSE", nil, nil
		}
		return text, nil, nil
	case "str", "e", "d":
		return text, nil, nil
	}
	return s.wb.styles.format(text, style), nil, nil
}

// readValue reads the text of a <v> to its end.
func readValue(d *xml.Decoder, part string, tb *textBuilder) error {
	for depth := 1; depth > 0; {
		t, err := token(d, part)
		if err == io.EOF {
			return fmt.Errorf("the workbook's part %s ends inside a value: it is damaged", part)
		}
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 1 {
				tb.write(t)
			}
		}
	}
	return nil
}

// cellRef parses a cell reference such as "B12" into its column and row,
// both from 1.
func cellRef(ref string) (col, row int, err error) {
	i := 0
	for i < len(ref) && i < 4 {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		i++
	}
	if i == 0 || col > 16384 {
		return 0, 0, fmt.Errorf("bad cell reference %q", ref)
	}
	if i == len(ref) {
		return col, 0, nil
	}
	row, err = strconv.Atoi(ref[i:])
	if err != nil || row < 1 {
		return 0, 0, fmt.Errorf("bad cell reference %q", ref)
	}
	return col, row, nil
}
