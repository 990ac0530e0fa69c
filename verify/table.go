package verify

import (
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"trustmark"
)

// headerNames are column titles that name the column of items to verify.
var headerNames = map[string]bool{
	"item": true, "items": true, "number": true, "no": true, "certificate": true, "certificate_number": true,
	"certificate no": true, "uscc": true, "code": true, "identifier": true, "report": true,
	"编号": true, "证书编号": true, "证书号": true, "统一社会信用代码": true, "信用代码": true, "有机码": true,
	"报告编号": true, "查询项": true, "号码": true,
}

// ReadItems reads the items of an uploaded table: XLSX (recognised by its
// content), or CSV in UTF-8 (with or without BOM) or GBK/GB18030. The
// column is the one whose header names it (number, uscc, 证书编号,
// 统一社会信用代码, …), else the first; a first row without digits is taken
// for a header. Empty cells are skipped. More than max items is too_large.
func ReadItems(data []byte, max int) ([]string, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return readXLSX(data, max)
	}
	return readCSV(data, max)
}

func readCSV(data []byte, max int) ([]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, trustmark.Errorf(trustmark.EInvalid, "file", "the file is neither UTF-8 nor GBK text, nor an XLSX workbook")
		}
		data = dec
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, trustmark.Errorf(trustmark.EInvalid, "file", "the file is not a CSV or XLSX table (it contains NUL bytes)")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	if !bytes.Contains(firstLine, []byte(",")) && bytes.Contains(firstLine, []byte("\t")) {
		r.Comma = '\t'
	}
	p := picker{max: max}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := r.FieldPos(0)
			return nil, trustmark.Errorf(trustmark.EInvalid, "file", "the CSV file is malformed at line %d", line)
		}
		if err := p.row(rec); err != nil {
			return nil, err
		}
	}
	return p.items, nil
}

func readXLSX(data []byte, max int) ([]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, trustmark.Errorf(trustmark.EInvalid, "file", "the file looks like an XLSX workbook but cannot be read")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, trustmark.Errorf(trustmark.EInvalid, "file", "the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, trustmark.Errorf(trustmark.EInvalid, "file", "the first sheet of the workbook cannot be read")
	}
	defer rows.Close()
	p := picker{max: max}
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return nil, trustmark.Errorf(trustmark.EInvalid, "file", "the first sheet of the workbook cannot be read")
		}
		if err := p.row(cols); err != nil {
			return nil, err
		}
	}
	if rows.Error() != nil {
		return nil, trustmark.Errorf(trustmark.EInvalid, "file", "the first sheet of the workbook cannot be read")
	}
	return p.items, nil
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
		return trustmark.Errorf(trustmark.ETooLarge, "file", "the file has more than %d items; split it", p.max)
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
				return nil, trustmark.Errorf(trustmark.ETooLarge, "items", "more than %d items; split the list", max)
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
