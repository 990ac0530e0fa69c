package importer

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"trustmark"
)

// Format is the format of an import file.
type Format string

// Import file formats.
const (
	FormatCSV   Format = "csv"
	FormatJSONL Format = "jsonl"
	FormatXLSX  Format = "xlsx"
)

// maxRowBytes bounds a row of CSV or a line of JSON Lines: a longer one is
// rejected without being kept. Workbooks are bounded by Limits.
const maxRowBytes = 1 << 20

// rowField is the pseudo-field named by rejections that concern a whole row
// (wrong number of fields, unreadable line) rather than one column.
const rowField = "row"

// A Source is an import file opened for reading: its header has been checked
// against the kind, and Next yields its data rows in order.
type Source interface {
	// Format returns the file's format.
	Format() Format
	// Next returns the next data row, or io.EOF after the last one. Any other
	// error means the rest of the file cannot be read.
	Next() (Item, error)
	// Progress reports how far reading has got, in the source's own units
	// (bytes for CSV and JSON Lines, rows for XLSX); total is -1 when unknown.
	Progress() (done, total int64)
	Close() error
}

// Item is one data row of a file. Row counts data rows from 1: the header
// is not a row (in JSON Lines, Row is the line number).
type Item struct {
	Row   int
	Cells trustmark.Row // column → cell text; nil when Err is set
	Err   error         // why the row cannot be read: a *trustmark.Error naming the field
}

// OpenOptions configures Open.
type OpenOptions struct {
	Format Format       // "" detects it from the content and the name
	Sheet  string       // XLSX sheet; "" is the first
	Log    *slog.Logger // where the detected encoding is reported; nil is slog.Default()
	Limits Limits       // bounds on what the file may cost; zero fields are DefaultLimits'
}

// Open opens the import file name, read from r, for rows of kind k. It
// detects the format (XLSX by its zip signature or extension, JSON Lines by a
// leading '{' or a .jsonl/.ndjson extension, CSV otherwise) and, for CSV, the
// encoding; it reads and checks the header. An error here means no row of
// the file can be imported.
func Open(name string, r io.ReadSeeker, k trustmark.Kind, opt OpenOptions) (Source, error) {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	f := opt.Format
	if f == "" {
		var err error
		if f, err = detectFormat(name, r); err != nil {
			return nil, err
		}
	}
	var (
		src Source
		err error
	)
	// Each case checks err itself, so that a failed open is a nil Source,
	// not a Source holding a nil pointer.
	switch f {
	case FormatCSV:
		var s *csvSource
		if s, err = openCSV(name, r, k, opt.Log); err == nil {
			src = s
		}
	case FormatJSONL:
		var s *jsonlSource
		if s, err = openJSONL(r, k); err == nil {
			src = s
		}
	case FormatXLSX:
		var s *xlsxSource
		if s, err = openXLSX(r, k, opt.Sheet, opt.Limits.orDefault()); err == nil {
			src = s
		}
	default:
		err = fmt.Errorf("unknown format %q (want csv, jsonl or xlsx)", f)
	}
	return src, err
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") // Excel 97-2003 .xls
)

func detectFormat(name string, r io.ReadSeeker) (Format, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", err
	}
	head = head[:n]
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(head, zipMagic):
		return FormatXLSX, nil
	case bytes.HasPrefix(head, oleMagic) || ext == ".xls":
		return "", fmt.Errorf("this is an Excel 97-2003 (.xls) workbook, which cannot be read: save it as .xlsx or as CSV")
	case ext == ".xlsx" || ext == ".xlsm":
		return "", fmt.Errorf("the file is named %s but is not an XLSX workbook (no zip signature)", ext)
	case ext == ".jsonl" || ext == ".ndjson":
		return FormatJSONL, nil
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	if len(t) > 0 && t[0] == '{' {
		return FormatJSONL, nil
	}
	if len(t) > 0 && t[0] == '[' && ext != ".csv" {
		return "", fmt.Errorf("the file is a JSON array: write one JSON object per line (JSON Lines)")
	}
	return FormatCSV, nil
}

var bom = []byte("\uFEFF")

// headerError is the error for a header that does not fit the kind.
func headerError(err error) error {
	return fmt.Errorf("header: %s", trustmark.ErrorMessage(err))
}

// rowError returns a row-level rejection.
func rowError(field, format string, args ...any) error {
	return trustmark.Errorf(trustmark.EInvalid, field, format, args...)
}

// isDateColumn reports whether a column holds a date.
func isDateColumn(col string) bool {
	return strings.HasSuffix(col, "_on") || col == "valid_until"
}

var ymdRE = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00)?)?$`)

// normalizeDate rewrites the year-first forms spreadsheets write in China
// (2024/3/5, 2024.03.05, 2024年3月5日, and a date cell shown with a midnight
// time, 2024-03-05 00:00) as YYYY-MM-DD; the domain then checks the date.
// Anything else is left for the domain to refuse.
func normalizeDate(s string) string {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		return s
	}
	m := ymdRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return s
	}
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	return fmt.Sprintf("%s-%02d-%02d", m[1], mo, d)
}

// rowOf builds a row from header-ordered cells, rejecting a row with more
// non-empty cells than the header has columns. Missing trailing cells are
// empty. It returns nil, nil for a row with no text at all, which is skipped.
func rowOf(cols []string, cells []string, fewerIsError bool) (trustmark.Row, error) {
	blank := true
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			blank = false
			break
		}
	}
	if blank {
		return nil, nil
	}
	if len(cells) > len(cols) {
		for _, c := range cells[len(cols):] {
			if strings.TrimSpace(c) != "" {
				return nil, rowError(rowField, "row has %d fields, the header has %d", len(cells), len(cols))
			}
		}
	} else if len(cells) < len(cols) && fewerIsError {
		return nil, rowError(rowField, "row has %d fields, the header has %d", len(cells), len(cols))
	}
	row := make(trustmark.Row, len(cols))
	for i, col := range cols {
		if i >= len(cells) {
			break
		}
		v := cells[i]
		if v == "" {
			continue
		}
		if isDateColumn(col) {
			v = normalizeDate(v)
		}
		row[col] = v
	}
	return row, nil
}

// checkHeader normalizes a header and checks it against the kind.
func checkHeader(k trustmark.Kind, header []string) ([]string, error) {
	cols := make([]string, len(header))
	for i, h := range header {
		cols[i] = trustmark.NormalizeColumn(h)
	}
	// Trailing empty header cells (a spreadsheet's formatted but unused
	// columns) are not columns.
	for len(cols) > 0 && cols[len(cols)-1] == "" {
		cols = cols[:len(cols)-1]
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("header: the file has no header row")
	}
	for i, c := range cols {
		if c == "" {
			return nil, fmt.Errorf("header: column %d has no name", i+1)
		}
	}
	if err := k.CheckHeader(cols); err != nil {
		return nil, headerError(err)
	}
	return cols, nil
}
