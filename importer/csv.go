package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"trustmark"
)

// Encodings a CSV file may be in.
const (
	encUTF8    = "UTF-8"
	encGB18030 = "GB18030"
	encUTF16LE = "UTF-16LE"
	encUTF16BE = "UTF-16BE"
)

// csvSource reads a CSV file. Excel in China saves "CSV" in the system code
// page (GBK, of which GB18030 is the superset) and "CSV UTF-8" with a BOM;
// other systems write plain UTF-8. "Unicode text" from Excel is UTF-16 with
// a BOM and tab-separated. All of these are read.
type csvSource struct {
	enc   string
	cols  []string
	cr    *csv.Reader
	guard *guardReader
	count *countingReader
	size  int64
	row   int
	done  bool
}

func openCSV(name string, r io.ReadSeeker, k trustmark.Kind, log *slog.Logger) (*csvSource, error) {
	s, err := newCSVSource(name, r, log)
	if err != nil {
		return nil, err
	}
	enc := s.enc
	header, err := s.cr.Read()
	switch {
	case err == io.EOF:
		return nil, fmt.Errorf("the file is empty: it has no header row")
	case errors.Is(err, errRowTooLong):
		return nil, fmt.Errorf("header: the first row is longer than %d bytes: this is not a CSV file of kind %s", maxRowBytes, k)
	case err != nil:
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("header: cannot be read as CSV: %v", pe.Err)
		}
		return nil, err
	}
	if enc == encGB18030 {
		for _, h := range header {
			if strings.ContainsRune(h, utf8.RuneError) {
				return nil, fmt.Errorf("header: the file is neither UTF-8 nor GBK/GB18030 text; save it as \"CSV UTF-8\"")
			}
		}
	}
	if s.cols, err = checkHeader(k, header); err != nil {
		return nil, err
	}
	return s, nil
}

// newCSVSource detects the encoding of the CSV file in r and returns a
// source ready to read its first record.
func newCSVSource(name string, r io.ReadSeeker, log *slog.Logger) (*csvSource, error) {
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	enc, why, err := detectEncoding(r)
	if err != nil {
		return nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	log.Info("import file encoding", "file", name, "encoding", enc, "why", why)

	s := &csvSource{enc: enc, size: size, count: &countingReader{r: r}}
	var text io.Reader = s.count
	switch enc {
	case encGB18030:
		text = transform.NewReader(text, simplifiedchinese.GB18030.NewDecoder())
	case encUTF16LE:
		text = transform.NewReader(text, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case encUTF16BE:
		text = transform.NewReader(text, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
	}
	s.guard = &guardReader{r: text}
	br := bufio.NewReaderSize(s.guard, 64<<10)
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		br.Discard(len(bom))
	}
	s.cr = csv.NewReader(br)
	s.cr.Comma = sniffComma(br)
	s.cr.FieldsPerRecord = -1
	s.cr.ReuseRecord = true
	s.guard.offset = s.cr.InputOffset
	s.guard.slack = 64 << 10
	return s, nil
}

// sniffComma picks the field separator from the header line: a comma, or a
// tab (Excel's "Unicode text" and many exports), whichever occurs more.
func sniffComma(br *bufio.Reader) rune {
	b, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if bytes.Count(b, []byte{'\t'}) > bytes.Count(b, []byte{','}) {
		return '\t'
	}
	return ','
}

func (s *csvSource) Format() Format { return FormatCSV }

func (s *csvSource) Progress() (int64, int64) { return s.count.n, s.size }

func (s *csvSource) Close() error { return nil }

func (s *csvSource) Next() (Item, error) {
	for !s.done {
		rec, err := s.cr.Read()
		if err == io.EOF {
			break
		}
		s.row++
		if err != nil {
			var pe *csv.ParseError
			switch {
			case errors.Is(err, errRowTooLong):
				// The reader cannot find the end of this row (an unclosed
				// quote, most likely): nothing after it can be trusted.
				s.done = true
				return Item{Row: s.row, Err: rowError(rowField, "row is longer than %d bytes (an unclosed quote?); the rest of the file was not read", maxRowBytes)}, nil
			case errors.As(err, &pe):
				return Item{Row: s.row, Err: rowError(rowField, "cannot be read as CSV at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)}, nil
			}
			return Item{}, err
		}
		if s.enc == encGB18030 {
			for i, c := range rec {
				if strings.ContainsRune(c, utf8.RuneError) {
					field := rowField
					if i < len(s.cols) {
						field = s.cols[i]
					}
					return Item{Row: s.row, Err: rowError(field, "cell has bytes that are not GBK/GB18030 text")}, nil
				}
			}
		}
		row, err := rowOf(s.cols, rec, true)
		if err != nil {
			return Item{Row: s.row, Err: err}, nil
		}
		if row == nil {
			continue // a row of empty cells, as spreadsheets write
		}
		return Item{Row: s.row, Cells: row}, nil
	}
	return Item{}, io.EOF
}

// detectEncoding reads r to its end and decides its text encoding: UTF-16
// by its byte-order mark; UTF-8 when it is valid UTF-8 (or nearly: a few
// broken bytes among much UTF-8 text are rows to reject, not a code page);
// GB18030 otherwise. It refuses binary files.
func detectEncoding(r io.Reader) (enc, why string, err error) {
	buf := make([]byte, 256<<10)
	count := utf8Count{firstBad: -1}
	carry, first := 0, true
	for {
		n, err := io.ReadFull(r, buf[carry:])
		n += carry
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			return "", "", err
		}
		chunk := buf[:n]
		if first {
			first = false
			enc, err := headEncoding(chunk)
			if err != nil {
				return "", "", err
			}
			if enc != "" {
				return enc, "byte-order mark", nil
			}
		}
		// Keep an incomplete sequence at the end for the next chunk.
		carry = 0
		if !eof {
			carry = incompleteTail(chunk)
		}
		count.add(chunk[:len(chunk)-carry])
		copy(buf, chunk[len(chunk)-carry:])
		if eof {
			break
		}
	}
	enc, why = count.encoding()
	return enc, why, nil
}

// headEncoding looks at the start of a file: it returns UTF-16 when a
// byte-order mark says so, "" when the rest of the file must decide, or an
// error for a NUL byte, which no text in one of the other encodings has.
func headEncoding(head []byte) (string, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return encUTF16LE, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return encUTF16BE, nil
	}
	if bytes.IndexByte(head[:min(len(head), 4096)], 0) >= 0 {
		return "", fmt.Errorf("the file contains NUL bytes: it is binary, or UTF-16 without a byte-order mark; save it as \"CSV UTF-8\"")
	}
	return "", nil
}

// incompleteTail returns how many bytes at the end of chunk start a UTF-8
// sequence that chunk does not complete: 0 to 3.
func incompleteTail(chunk []byte) int {
	for i := 1; i <= 3 && i <= len(chunk); i++ {
		if utf8.RuneStart(chunk[len(chunk)-i]) {
			if !utf8.FullRune(chunk[len(chunk)-i:]) {
				return i
			}
			return 0
		}
	}
	return 0
}

// utf8Count counts, over a file read in chunks, its multi-byte UTF-8
// characters and its bytes that are not UTF-8.
type utf8Count struct {
	multi, bad int64
	firstBad   int64 // offset of the first invalid byte, or -1
	pos        int64 // offset of the next chunk
}

// add counts the next piece of the file. A piece ends where a character
// does, except the last, which may end inside one.
func (u *utf8Count) add(body []byte) {
	if utf8.Valid(body) {
		for _, b := range body {
			if b >= 0xC0 {
				u.multi++
			}
		}
	} else {
		for i := 0; i < len(body); {
			c, size := utf8.DecodeRune(body[i:])
			switch {
			case c == utf8.RuneError && size == 1:
				if u.firstBad < 0 {
					u.firstBad = u.pos + int64(i)
				}
				u.bad++
			case size > 1:
				u.multi++
			}
			i += size
		}
	}
	u.pos += int64(len(body))
}

// encoding decides from the counts: UTF-8 when there are at least four
// multi-byte UTF-8 characters for each broken byte, GB18030 otherwise.
func (u *utf8Count) encoding() (enc, why string) {
	switch {
	case u.bad == 0:
		return encUTF8, "valid UTF-8"
	case u.multi >= 4*u.bad:
		return encUTF8, fmt.Sprintf("mostly UTF-8: %d invalid bytes (first at byte %d) among %d UTF-8 characters; rows with them are rejected", u.bad, u.firstBad, u.multi)
	}
	return encGB18030, fmt.Sprintf("not UTF-8 (first invalid byte at %d): read as GBK/GB18030, as Excel in China saves CSV", u.firstBad)
}

// errRowTooLong stops reading a row that will not end.
var errRowTooLong = errors.New("row too long")

// guardReader fails once more than maxRowBytes (plus the reader's buffer,
// slack) have been read past the end of the last complete row, so that one
// endless row cannot take all memory.
type guardReader struct {
	r      io.Reader
	n      int64
	offset func() int64
	slack  int64
	err    error
}

func (g *guardReader) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.offset != nil && g.n-g.offset() > maxRowBytes+g.slack {
		g.err = errRowTooLong
		return 0, g.err
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
