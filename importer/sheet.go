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
	ref, err := wb.sheetRef(name)
	if err != nil {
		return nil, err
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

// sheetRef finds the named sheet ("" is the first) and checks that the
// workbook holds its part.
func (wb *workbook) sheetRef(name string) (sheetRef, error) {
	if len(wb.sheets) == 0 {
		return sheetRef{}, fmt.Errorf("the workbook has no sheets")
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
			return sheetRef{}, fmt.Errorf("the workbook has no sheet %q (it has %s)", name, strings.Join(wb.sheetNames(), ", "))
		}
	}
	if ref.part == "" || !wb.z.has(ref.part) {
		return sheetRef{}, fmt.Errorf("sheet %q is missing from the workbook: it is damaged", ref.name)
	}
	return ref, nil
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
	num, err := s.rowNumber(start)
	if err != nil {
		return sheetRow{}, err
	}
	s.row = num
	rb := rowBuilder{row: sheetRow{num: num}, cells: s.cells[:0]}
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
				s.cells = rb.cells
				if rb.row.err == nil {
					rb.row.cells = rb.cells
				}
				return rb.row, nil
			}
		case xml.StartElement:
			if t.Name.Local != "c" {
				continue
			}
			if err := s.readRowCell(&rb, t); err != nil {
				return sheetRow{}, err
			}
		}
	}
}

// rowNumber returns the number of the row that start opens: its r
// attribute, or the one after the last row when it has none. Rows come in
// order, and no further than the Rows limit.
func (s *sheetReader) rowNumber(start xml.StartElement) (int, error) {
	num := s.row + 1
	if v := attr(start, "r"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil || n < 1:
			return 0, fmt.Errorf("sheet %q has a row numbered %q: the workbook is damaged", s.name, v)
		case n <= s.row:
			return 0, fmt.Errorf("sheet %q has row %d after row %d: the workbook is damaged", s.name, n, s.row)
		}
		num = n
	}
	if lim := s.wb.lim; num > lim.Rows {
		return 0, tooLarge("file", ReasonRows, int64(lim.Rows))
	}
	return num, nil
}

// rowBuilder gathers the cells of a row as they are read. After the row's
// first fault its cells are still read, to find the row's end, but no
// longer kept.
type rowBuilder struct {
	row      sheetRow
	cells    []string // by column, from 1
	col      int      // column of the last cell read
	rowBytes int      // text kept so far
}

// fail records why the row cannot be taken, unless an earlier cell did.
func (rb *rowBuilder) fail(col int, e *trustmark.Error) {
	if rb.row.err == nil {
		rb.row.err, rb.row.errCol = e, col
	}
}

// readRowCell reads the <c> that start opens and puts its text in its
// column: the one its reference names, or the one after the last.
func (s *sheetReader) readRowCell(rb *rowBuilder, start xml.StartElement) error {
	lim := s.wb.lim
	rb.col++
	if ref := attr(start, "r"); ref != "" {
		c, _, err := cellRef(ref)
		if err != nil {
			rb.fail(0, trustmark.Errorf(trustmark.EInvalid, "", "cell reference %q cannot be read", ref))
		} else {
			rb.col = c
		}
	}
	v, verr, err := s.readCell(start)
	if err != nil {
		return err
	}
	switch {
	case rb.col > lim.Columns:
		rb.fail(0, tooLarge("", ReasonColumns, int64(lim.Columns)))
	case verr != nil:
		rb.fail(rb.col, verr)
	case rb.row.err == nil:
		rb.put(v, lim.RowBytes)
	}
	return nil
}

// put keeps v as the text of the current column, unless the row's text
// would then pass rowBytes.
func (rb *rowBuilder) put(v string, rowBytes int) {
	if rb.rowBytes += len(v); rb.rowBytes > rowBytes {
		rb.fail(0, tooLarge("", ReasonRowBytes, int64(rowBytes)))
		return
	}
	for len(rb.cells) < rb.col {
		rb.cells = append(rb.cells, "")
	}
	rb.cells[rb.col-1] = v
}

// readCell reads a <c> to its end and returns its text as Excel shows it,
// or why it cannot be taken (verr), or an error that stops the sheet.
func (s *sheetReader) readCell(start xml.StartElement) (v string, verr *trustmark.Error, err error) {
	typ, ref := attr(start, "t"), attr(start, "r")
	style := intAttr(start, "s")
	cc, err := s.readCellContent(ref)
	if err != nil {
		return "", nil, err
	}
	if cc.val.tooLong() {
		return "", s.cellTooLong(cc.val.n), nil
	}
	text := string(cc.val.b)
	switch typ {
	case "s":
		return s.sharedCell(ref, text)
	case "inlineStr":
		if cc.inline.tooLong() {
			return "", s.cellTooLong(cc.inline.n), nil
		}
		if cc.hasInline {
			return string(cc.inline.b), nil, nil
		}
		return text, nil, nil
	case "b":
		return boolCell(text), nil, nil
	case "str", "e", "d":
		return text, nil, nil
	}
	return s.wb.styles.format(text, style), nil, nil
}

// cellContent is what a <c> holds: the text of its value (<v>) and of its
// inline string (<is>), each gathered up to CellBytes.
type cellContent struct {
	val, inline textBuilder
	hasInline   bool
}

// readCellContent reads the children of the <c> at ref to its end.
func (s *sheetReader) readCellContent(ref string) (cellContent, error) {
	var cc cellContent
	cc.val.limit, cc.inline.limit = s.wb.lim.CellBytes, s.wb.lim.CellBytes
	for depth := 1; depth > 0; {
		t, err := token(s.d, s.part)
		if err == io.EOF {
			return cellContent{}, fmt.Errorf("sheet %q ends inside cell %s: the workbook is damaged", s.name, ref)
		}
		if err != nil {
			return cellContent{}, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			switch {
			case depth == 1 && t.Name.Local == "v":
				if err := readValue(s.d, s.part, &cc.val); err != nil {
					return cellContent{}, err
				}
				continue
			case depth == 1 && t.Name.Local == "is":
				cc.hasInline = true
				if err := readText(s.d, s.part, t, &cc.inline); err != nil {
					return cellContent{}, err
				}
				continue
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return cc, nil
}

// cellTooLong is why a cell of n bytes, past CellBytes, is not taken: its
// row is invalid, where a file past a limit is too large.
func (s *sheetReader) cellTooLong(n int) *trustmark.Error {
	lim := s.wb.lim
	e := tooLarge("", ReasonCellBytes, int64(lim.CellBytes))
	e.Code, e.Message = trustmark.EInvalid, fmt.Sprintf("cell is %d bytes, longer than the %d allowed", n, lim.CellBytes)
	return e
}

// sharedCell returns the text of the shared string that the cell at ref
// holds the index of.
func (s *sheetReader) sharedCell(ref, text string) (string, *trustmark.Error, error) {
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
		n, _ := strconv.Atoi(str) // a string past CellBytes is stored as its length
		return "", s.cellTooLong(n), nil
	}
	return str, nil, nil
}

// boolCell returns the text of a boolean cell as Excel shows it.
func boolCell(text string) string {
	switch strings.TrimSpace(text) {
	case "1":
		return "TRUE"
	case "0":
		return "FALSE"
	}
	return text
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
