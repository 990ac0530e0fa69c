package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"trustmark"
)

// jsonlSource reads JSON Lines: one object per line, column → string,
// number or null (an array of strings is joined with ";", the list
// separator of a cell). Blank lines are skipped; Row is the line number.
// There is no header: the keys of the first object are checked as one, and
// every later line's keys are checked again.
type jsonlSource struct {
	br      *bufio.Reader
	count   *countingReader
	size    int64
	known   map[string]bool
	line    int
	pending *Item // the first object, read by openJSONL
	done    bool
}

func openJSONL(r io.ReadSeeker, k trustmark.Kind) (*jsonlSource, error) {
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	s := &jsonlSource{size: size, count: &countingReader{r: r}, known: map[string]bool{}}
	s.br = bufio.NewReaderSize(s.count, 64<<10)
	if b, _ := s.br.Peek(len(bom)); bytes.Equal(b, bom) {
		s.br.Discard(len(bom))
	}
	req, opt := k.Columns()
	for _, c := range append(append([]string{}, req...), opt...) {
		s.known[c] = true
	}
	// The first object's keys stand for the header: a key unknown there is
	// a mistake of the whole file, not of one row.
	first, err := s.Next()
	if err == io.EOF {
		return nil, fmt.Errorf("the file is empty: it has no JSON object")
	}
	if err != nil {
		return nil, err
	}
	if first.Err != nil && trustmark.ErrorField(first.Err) != rowField && !s.known[trustmark.ErrorField(first.Err)] {
		return nil, fmt.Errorf("header: line %d: %s", first.Row, trustmark.ErrorMessage(first.Err))
	}
	s.pending = &first
	return s, nil
}

func (s *jsonlSource) Format() Format { return FormatJSONL }

func (s *jsonlSource) Progress() (int64, int64) { return s.count.n, s.size }

func (s *jsonlSource) Close() error { return nil }

func (s *jsonlSource) Next() (Item, error) {
	if p := s.pending; p != nil {
		s.pending = nil
		return *p, nil
	}
	for !s.done {
		line, tooLong, err := s.readLine()
		if err == io.EOF {
			s.done = true
			if len(line) == 0 && !tooLong {
				break
			}
		} else if err != nil {
			return Item{}, err
		}
		s.line++
		if tooLong {
			return Item{Row: s.line, Err: rowError(rowField, "line is longer than %d bytes", maxRowBytes)}, nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		row, err := s.parse(line)
		if err != nil {
			return Item{Row: s.line, Err: err}, nil
		}
		return Item{Row: s.line, Cells: row}, nil
	}
	return Item{}, io.EOF
}

// readLine returns the next line without its end; a line over maxRowBytes is
// skipped to its end and reported as too long.
func (s *jsonlSource) readLine() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		frag, err := s.br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(frag) > maxRowBytes+1 {
				tooLong, buf = true, nil
			} else if err == bufio.ErrBufferFull || buf != nil {
				buf = append(buf, frag...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if buf == nil && !tooLong {
			buf = frag
		}
		return bytes.TrimSuffix(buf, []byte{'\n'}), tooLong, err
	}
}

func (s *jsonlSource) parse(line []byte) (trustmark.Row, error) {
	if !utf8.Valid(line) {
		return nil, rowError(rowField, "line is not valid UTF-8 text")
	}
	if line[0] != '{' {
		return nil, rowError(rowField, "line is not a JSON object")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(line, &obj); err != nil {
		if strings.Contains(err.Error(), "after top-level value") {
			return nil, rowError(rowField, "line has more than one JSON value")
		}
		return nil, rowError(rowField, "line is not a JSON object: %s", jsonError(err))
	}
	keys := make([]string, 0, len(obj))
	for key := range obj {
		keys = append(keys, key)
	}
	sort.Strings(keys) // report the same key first every time
	var unknown, quoted []string
	for _, key := range keys {
		if col := trustmark.NormalizeColumn(key); !s.known[col] {
			unknown = append(unknown, col)
			quoted = append(quoted, strconv.Quote(col))
		}
	}
	if len(unknown) > 0 {
		field := unknown[0]
		if field == "" {
			field = rowField
		}
		return nil, rowError(field, "unknown column(s) %s", strings.Join(quoted, ", "))
	}
	row := make(trustmark.Row, len(obj))
	for _, key := range keys {
		col := trustmark.NormalizeColumn(key)
		if _, dup := row[col]; dup {
			return nil, rowError(col, "column %q appears twice", col)
		}
		v, err := rawCellText(obj[key])
		if err != nil {
			return nil, rowError(col, "%v", err)
		}
		if isDateColumn(col) {
			v = normalizeDate(v)
		}
		row[col] = v
	}
	for col, v := range row {
		if v == "" {
			delete(row, col)
		}
	}
	return row, nil
}

// rawCellText turns a JSON value into cell text. Strings without escapes
// (nearly all) are taken as they are: the line was checked to be valid JSON
// and valid UTF-8.
func rawCellText(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	switch raw[0] {
	case '"':
		if bytes.IndexByte(raw, '\\') < 0 {
			return string(raw[1 : len(raw)-1]), nil
		}
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case 'n':
		return "", nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw), nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	return cellText(v)
}

// cellText turns a decoded JSON value into cell text.
func cellText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case bool:
		return "", fmt.Errorf("value is %t, a boolean; want a string, number or null", v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			switch e := e.(type) {
			case string:
				parts[i] = e
			case json.Number:
				parts[i] = e.String()
			default:
				return "", fmt.Errorf("list item %d is not a string or number", i+1)
			}
		}
		return strings.Join(parts, ";"), nil
	case map[string]any:
		return "", fmt.Errorf("value is an object; want a string, number or null")
	}
	return "", fmt.Errorf("value has type %T; want a string, number or null", v)
}

func jsonError(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		if strings.Contains(se.Error(), "unexpected end") {
			return "the object is not closed"
		}
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "the line is a JSON " + te.Value + ", not an object"
	}
	return err.Error()
}
