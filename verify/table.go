package verify

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

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
// (docs/SECURITY.md), and the upload gate bounds how many are read at once.
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
	return readItems(bytes.NewReader(data), max)
}

// readItems is ReadItems streaming from r: the file is never read whole.
func readItems(r io.ReadSeeker, max int) ([]string, error) {
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

// reasonUnreadable is the reason of a file that is no table at all.
const reasonUnreadable = "upload.unreadable"

// tableError is the answer to a table that cannot be read: a limit's
// too_large as it is, anything else an invalid file with what was wrong.
func tableError(err error) error {
	var e *trustmark.Error
	if errors.As(err, &e) {
		e.Field = "file"
		return e
	}
	return &trustmark.Error{Code: trustmark.EInvalid, Field: "file", Reason: reasonUnreadable,
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
		e.Reason, e.Args = reasonItems, []any{p.max}
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
				e.Reason, e.Args = reasonItems, []any{max}
				return nil, e
			}
			out = append(out, f)
		}
	}
	return out, nil
}

// columns of the downloaded result, by language.
func resultHeader(l Lang) []string {
	if l == Chinese {
		return []string{"查询项", "是否找到", "类别", "状态", "说明", "证书类型", "名称", "有效期至", "链接"}
	}
	return []string{"item", "found", "kind", "status", "reason", "type", "name", "expires_on", "url"}
}

func resultRow(r Result, l Lang) []string {
	found, status := strconv.FormatBool(r.Found), r.Status
	if l == Chinese {
		found, status = map[bool]string{true: "是", false: "否"}[r.Found], displayStatus(l, r)
	}
	return []string{r.Item, found, kindWord(l, r.Kind), status, r.Reason, string(r.Type), r.Name, r.ExpiresOn, r.URL}
}

// WriteCSV writes results as UTF-8 CSV with a byte-order mark, which Excel
// needs to show Chinese. Cells that a spreadsheet would run as a formula are
// prefixed with a quote.
func WriteCSV(w io.Writer, results []Result, l Lang) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(resultHeader(l)); err != nil {
		return err
	}
	for _, r := range results {
		row := resultRow(r, l)
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

// defuse keeps a cell from being a spreadsheet formula (CSV injection).
func defuse(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return "'" + c
	}
	return c
}

// WriteXLSX writes results as an XLSX workbook with one sheet. Cells are
// written as text, never as formulas.
func WriteXLSX(w io.Writer, results []Result, l Lang) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	row := func(n int, cells []string) error {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, vals)
	}
	if err := row(1, resultHeader(l)); err != nil {
		return err
	}
	for i, r := range results {
		if err := row(i+2, resultRow(r, l)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
