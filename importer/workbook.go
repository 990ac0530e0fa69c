package importer

import (
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
)

// workbook is an XLSX workbook read with the standard library alone: its
// parts are streamed out of the zip archive through xmlGuard into
// encoding/xml's token reader, and nothing is kept but the sheet list, the
// number formats and the shared strings (within Limits). Values are read as
// they are stored and formatted here (numfmt.go), so that no step builds
// more than one row. A general-purpose library (excelize) was measured
// building the whole 1 GiB cell of a 1 MB file several times over (6 GB of
// heap): see docs/SECURITY.md.
type workbook struct {
	z        *zipFile
	lim      Limits
	sheets   []sheetRef
	date1904 bool
	styles   *styles
	shared   *sharedStrings
}

// sheetRef is a sheet of the workbook: its name and its part.
type sheetRef struct {
	name, part string
}

// maxSheets bounds the sheets a workbook lists (Excel's limit is memory).
const maxSheets = 4096

// openWorkbook reads a workbook's structure, styles and shared strings.
func openWorkbook(ra io.ReaderAt, size int64, lim Limits) (_ *workbook, err error) {
	z, err := openZip(ra, size, lim)
	if err != nil {
		return nil, err
	}
	wb := &workbook{z: z, lim: lim, styles: &styles{}}
	defer func() {
		if err != nil {
			wb.Close()
		}
	}()
	main := "xl/workbook.xml"
	if rels, err := wb.relationships("_rels/.rels", ""); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.typ, "/officeDocument") {
				main = r.target
			}
		}
	}
	if err := wb.readWorkbook(main); err != nil {
		return nil, err
	}
	rels, err := wb.relationships(path.Join(path.Dir(main), "_rels", path.Base(main)+".rels"), path.Dir(main))
	if err != nil {
		return nil, err
	}
	byID := map[string]string{}
	sharedPart, stylesPart := "xl/sharedStrings.xml", "xl/styles.xml"
	for _, r := range rels {
		byID[r.id] = r.target
		switch {
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			sharedPart = r.target
		case strings.HasSuffix(r.typ, "/styles"):
			stylesPart = r.target
		}
	}
	for i, s := range wb.sheets {
		wb.sheets[i].part = byID[s.part]
	}
	if z.has(stylesPart) {
		if wb.styles, err = wb.readStyles(stylesPart); err != nil {
			return nil, err
		}
	}
	if z.has(sharedPart) {
		if wb.shared, err = wb.readSharedStrings(sharedPart); err != nil {
			return nil, err
		}
	}
	return wb, nil
}

// Close removes the temporary file of the shared strings, if any.
func (wb *workbook) Close() error {
	if wb.shared != nil {
		return wb.shared.Close()
	}
	return nil
}

// sheetNames lists the sheets in workbook order.
func (wb *workbook) sheetNames() []string {
	names := make([]string, len(wb.sheets))
	for i, s := range wb.sheets {
		names[i] = s.name
	}
	return names
}

// decoder opens a part as a token stream within the limits. Close the
// returned closer when done.
func (wb *workbook) decoder(part string) (*xml.Decoder, io.Closer, error) {
	rc, err := wb.z.open(part)
	if err != nil {
		return nil, nil, err
	}
	d := xml.NewDecoder(newXMLGuard(rc, wb.lim))
	// Workbooks are UTF-8 or UTF-16 by the standard; the UTF-16 case never
	// occurs in practice and is refused by the decoder as an unknown charset.
	return d, rc, nil
}

// token returns the next token, turning a syntax error into a message
// about the part (a guard's limit error passes through unchanged). Tokens
// are raw: names keep their prefixes and end tags are not matched to start
// tags, which the readers, matching local names only, do not need and which
// would cost a third of the reading time (measured).
func token(d *xml.Decoder, part string) (xml.Token, error) {
	t, err := d.RawToken()
	if err == nil || err == io.EOF {
		return t, err
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return nil, fmt.Errorf("the workbook's part %s is not well-formed XML (line %d: %s): it is damaged", part, se.Line, se.Msg)
	}
	return nil, err
}

// relationship is one entry of a .rels part, its target resolved to a part
// name.
type relationship struct {
	id, typ, target string
}

// relationships reads a .rels part; relative targets are resolved against
// dir. A missing part is an error the caller may ignore.
func (wb *workbook) relationships(part, dir string) ([]relationship, error) {
	d, c, err := wb.decoder(part)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var rels []relationship
	for {
		t, err := token(d, part)
		if err == io.EOF {
			return rels, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := t.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		if len(rels) >= wb.lim.ZipEntries {
			return nil, tooLarge("file", ReasonZipEntries, int64(wb.lim.ZipEntries))
		}
		r := relationship{id: attr(se, "Id"), typ: attr(se, "Type"), target: attr(se, "Target")}
		if strings.HasPrefix(r.target, "/") {
			r.target = strings.TrimPrefix(r.target, "/")
		} else {
			r.target = path.Join(dir, r.target)
		}
		rels = append(rels, r)
	}
}

// readWorkbook reads the sheet list and the date system.
func (wb *workbook) readWorkbook(part string) error {
	d, c, err := wb.decoder(part)
	if err != nil {
		return err
	}
	defer c.Close()
	for {
		t, err := token(d, part)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := t.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "workbookPr":
			v := attr(se, "date1904")
			wb.date1904 = v == "1" || v == "true"
		case "sheet":
			if len(wb.sheets) >= maxSheets {
				return fmt.Errorf("the workbook lists more than %d sheets: it is damaged", maxSheets)
			}
			var id string
			for _, a := range se.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" { // r:id, the relationship
					id = a.Value
				}
			}
			wb.sheets = append(wb.sheets, sheetRef{name: attr(se, "name"), part: id})
		}
	}
}

// attr returns the value of the attribute with this local name, or "".
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// intAttr returns an attribute as a non-negative int, or -1.
func intAttr(se xml.StartElement, local string) int {
	v, err := strconv.Atoi(attr(se, local))
	if err != nil || v < 0 {
		return -1
	}
	return v
}

// maxCellStyles bounds the cell formats read from styles.xml (Excel's
// limit is 64,000) and maxNumFmts the custom number formats.
const (
	maxCellStyles = 65536
	maxNumFmts    = 4096
	maxFmtCode    = 255 // Excel's limit on a format code's length
)

// readStyles reads the number format of each cell format (cellXfs) and the
// custom number formats.
func (wb *workbook) readStyles(part string) (*styles, error) {
	d, c, err := wb.decoder(part)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	st := &styles{custom: map[int]string{}, date1904: wb.date1904}
	inXfs := false
	for {
		t, err := token(d, part)
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				code := attr(t, "formatCode")
				if len(st.custom) < maxNumFmts && len(code) <= maxFmtCode {
					st.custom[intAttr(t, "numFmtId")] = code
				}
			case "cellXfs":
				inXfs = true
			case "xf":
				if inXfs && len(st.xfs) < maxCellStyles {
					st.xfs = append(st.xfs, intAttr(t, "numFmtId"))
				}
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}
}

// readSharedStrings reads the shared strings table: the text of each <si>,
// its runs joined and its phonetic guides (<rPh>) left out, as Excel shows
// it.
func (wb *workbook) readSharedStrings(part string) (*sharedStrings, error) {
	d, c, err := wb.decoder(part)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	ss := &sharedStrings{lim: wb.lim}
	ok := false
	defer func() {
		if !ok {
			ss.Close()
		}
	}()
	var total int64
	for {
		t, err := token(d, part)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		se, isStart := t.(xml.StartElement)
		if !isStart || se.Name.Local != "si" {
			continue
		}
		if ss.n >= wb.lim.SharedStrings {
			return nil, tooLarge("file", ReasonSharedStrings, int64(wb.lim.SharedStrings))
		}
		var text textBuilder
		text.limit = wb.lim.CellBytes
		if err := readText(d, part, se, &text); err != nil {
			return nil, err
		}
		if total += int64(text.n); total > wb.lim.SharedStringBytes {
			return nil, tooLarge("file", ReasonSharedStringBytes, wb.lim.SharedStringBytes)
		}
		if err := ss.add(&text); err != nil {
			return nil, err
		}
	}
	if err := ss.finish(); err != nil {
		return nil, err
	}
	ok = true
	return ss, nil
}

// textBuilder gathers the text of a cell or shared string up to limit
// bytes; past the limit it only counts.
type textBuilder struct {
	b     []byte
	n     int // bytes seen, kept or not
	limit int
}

func (tb *textBuilder) write(p []byte) {
	tb.n += len(p)
	if tb.n <= tb.limit {
		tb.b = append(tb.b, p...)
	}
}

// tooLong reports whether the text went past the limit.
func (tb *textBuilder) tooLong() bool { return tb.n > tb.limit }

// readText reads the element start (an <si> or an <is>) to its end and
// writes the text of its <t> elements, leaving out those inside phonetic
// runs (<rPh>).
func readText(d *xml.Decoder, part string, start xml.StartElement, tb *textBuilder) error {
	depth, inT, phonetic := 1, false, 0
	for depth > 0 {
		t, err := token(d, part)
		if err == io.EOF {
			return fmt.Errorf("the workbook's part %s ends inside <%s>: it is damaged", part, start.Name.Local)
		}
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "t":
				inT = true
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "t":
				inT = false
			case "rPh":
				phonetic--
			}
		case xml.CharData:
			if inT && phonetic == 0 {
				tb.write(t)
			}
		}
	}
	return nil
}

// sharedStrings is a workbook's shared strings table: up to sharedMemBytes
// of text and offsets in memory, then in a temporary file, so that a table
// of millions of entries costs disk, not memory. A string past CellBytes is
// stored as its length, flagged, so that a cell using it is rejected with
// the length but the text is never kept.
type sharedStrings struct {
	lim  Limits
	n    int
	text spill // the strings, one after another
	ends spill // the end offset of each string in text, 8 bytes each, the top bit set for a string past the limit
}

// sharedMemBytes is how much of each of a shared strings table's two
// arrays (text and offsets) is kept in memory before it moves to a file.
const sharedMemBytes = 8 << 20

const longFlag = uint64(1) << 63

func (ss *sharedStrings) add(tb *textBuilder) error {
	var end uint64
	if tb.tooLong() {
		if err := ss.text.write([]byte(strconv.Itoa(tb.n))); err != nil {
			return err
		}
		end = uint64(ss.text.size) | longFlag
	} else {
		if err := ss.text.write(tb.b); err != nil {
			return err
		}
		end = uint64(ss.text.size)
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], end)
	ss.n++
	return ss.ends.write(b[:])
}

func (ss *sharedStrings) finish() error {
	if err := ss.text.flush(); err != nil {
		return err
	}
	return ss.ends.flush()
}

// get returns shared string i, or its length and true when it was past
// the cell limit. ok is false when there is no string i.
func (ss *sharedStrings) get(i int) (s string, long, ok bool, err error) {
	if ss == nil || i < 0 || i >= ss.n {
		return "", false, false, nil
	}
	var b [16]byte
	start := uint64(0)
	if i > 0 {
		if err := ss.ends.readAt(b[:16], int64(i-1)*8); err != nil {
			return "", false, false, err
		}
		start = binary.LittleEndian.Uint64(b[:8]) &^ longFlag
	} else if err := ss.ends.readAt(b[8:16], 0); err != nil {
		return "", false, false, err
	}
	end := binary.LittleEndian.Uint64(b[8:16])
	long = end&longFlag != 0
	end &^= longFlag
	text := make([]byte, end-start)
	if err := ss.text.readAt(text, int64(start)); err != nil {
		return "", false, false, err
	}
	return string(text), long, true, nil
}

func (ss *sharedStrings) Close() error {
	return errors.Join(ss.text.close(), ss.ends.close())
}

// spill is a byte array kept in memory up to sharedMemBytes and in a
// temporary file after that.
type spill struct {
	mem  []byte
	f    *os.File
	buf  []byte // writes to f waiting to be flushed
	size int64
}

func (s *spill) write(p []byte) error {
	s.size += int64(len(p))
	if s.f == nil && len(s.mem)+len(p) <= sharedMemBytes {
		s.mem = append(s.mem, p...)
		return nil
	}
	if s.f == nil {
		f, err := os.CreateTemp("", "trustmark-import-*")
		if err != nil {
			return fmt.Errorf("shared strings: %w", err)
		}
		s.f = f
		if _, err := f.Write(s.mem); err != nil {
			return fmt.Errorf("shared strings: %w", err)
		}
		s.mem = nil
	}
	s.buf = append(s.buf, p...)
	if len(s.buf) >= 64<<10 {
		return s.flush()
	}
	return nil
}

func (s *spill) flush() error {
	if s.f == nil || len(s.buf) == 0 {
		return nil
	}
	_, err := s.f.Write(s.buf)
	s.buf = s.buf[:0]
	if err != nil {
		return fmt.Errorf("shared strings: %w", err)
	}
	return nil
}

func (s *spill) readAt(p []byte, off int64) error {
	if s.f == nil {
		copy(p, s.mem[off:])
		return nil
	}
	_, err := s.f.ReadAt(p, off)
	if err != nil {
		return fmt.Errorf("shared strings: %w", err)
	}
	return nil
}

func (s *spill) close() error {
	if s.f == nil {
		return nil
	}
	name := s.f.Name()
	err := s.f.Close()
	s.f = nil
	return errors.Join(err, os.Remove(name))
}
