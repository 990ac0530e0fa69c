package bulk

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"trustmark"
	"trustmark/importer"
)

// headerNames are column titles that name the column of items to verify.
var headerNames = map[string]bool{
	"item": true, "items": true, "number": true, "no": true, "certificate": true, "certificate_number": true,
	"certificate no": true, "uscc": true, "code": true, "identifier": true, "report": true,
	"编号": true, "证书编号": true, "证书号": true, "统一社会信用代码": true, "信用代码": true, "有机码": true,
	"报告编号": true, "查询项": true, "号码": true,
}

// uploadLimits bound what reading one uploaded table may cost, whatever
// it says about itself: a workbook of a few hundred kilobytes may claim
// gigabytes once decompressed. Reading stays within about 40 MB
// (docs/SECURITY.md), and the /verify page's upload gate bounds how many
// are read at once.
var uploadLimits = importer.Limits{
	CellBytes:         4096,
	RowBytes:          256 << 10,
	Columns:           16384,
	Rows:              100_000,
	TokenBytes:        64 << 10,
	Depth:             64,
	SharedStrings:     200_000,
	SharedStringBytes: 16 << 20,
	UnzipBytes:        64 << 20,
	ZipEntries:        1000,
}

// ReadItems reads the items of an uploaded table: XLSX (recognised by its
// content), or CSV in UTF-8 (with or without BOM), UTF-16 or GBK/GB18030.
// The column is the one whose header names it (number, uscc, 证书编号,
// 统一社会信用代码, …), else the first; a first row without digits is taken
// for a header. Empty cells are skipped. More than max items, or a file past
// one of uploadLimits, is too_large.
func ReadItems(data []byte, max int) ([]string, error) {
	return ReadItemsFrom(bytes.NewReader(data), max)
}

// ReadItemsFrom is ReadItems streaming from r: the file is never read
// whole (an uploaded file larger than a form's memory is read from disk).
func ReadItemsFrom(r io.ReadSeeker, max int) ([]string, error) {
	t, err := importer.OpenTable(r, uploadLimits)
	if err != nil {
		return nil, tableError(err)
	}
	defer t.Close()
	p := picker{max: max}
	for {
		rec, err := t.Next()
		if err == io.EOF {
			return p.items, nil
		}
		if err != nil {
			return nil, tableError(err)
		}
		if err := p.row(rec); err != nil {
			return nil, err
		}
	}
}

// Reasons of a file that is no table at all, and of more items than one
// upload may hold (the error's Args hold the limit).
const (
	ReasonUnreadable = "upload.unreadable"
	ReasonItems      = "upload.items"
)

// tableError is the answer to a table that cannot be read: a limit's
// too_large as it is, anything else an invalid file with what was wrong.
func tableError(err error) error {
	var e *trustmark.Error
	if errors.As(err, &e) {
		e.Field = "file"
		return e
	}
	return &trustmark.Error{Code: trustmark.EInvalid, Field: "file", Reason: ReasonUnreadable,
		Message: "the file cannot be read as a CSV or XLSX table: " + err.Error()}
}

// picker takes the item column out of rows.
type picker struct {
	max   int
	n     int // rows seen
	col   int
	items []string
}

func (p *picker) row(rec []string) error {
	p.n++
	if p.n == 1 {
		for i, c := range rec {
			if headerNames[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))] {
				p.col = i
				return nil
			}
		}
		if len(rec) > 0 && !strings.ContainsFunc(rec[0], func(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }) {
			return nil // a header we do not know
		}
	}
	if p.col >= len(rec) {
		return nil
	}
	v := strings.TrimSpace(rec[p.col])
	if v == "" {
		return nil
	}
	if len(p.items) >= p.max {
		e := trustmark.Errorf(trustmark.ETooLarge, "file", "the file has more than %d items; split it", p.max)
		e.Reason, e.Args = ReasonItems, []any{p.max}
		return e
	}
	p.items = append(p.items, v)
	return nil
}

// SplitItems splits pasted text into items: one per line, or separated by
// commas, semicolons or tabs (never by spaces, which people put inside
// long numbers).
func SplitItems(s string, max int) ([]string, error) {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == ';' || r == '\t' || r == '，' || r == '；' || r == '、'
	}) {
		if f = strings.TrimSpace(f); f != "" {
			if len(out) >= max {
				e := trustmark.Errorf(trustmark.ETooLarge, "items", "more than %d items; split the list", max)
				e.Reason, e.Args = ReasonItems, []any{max}
				return nil, e
			}
			out = append(out, f)
		}
	}
	return out, nil
}
