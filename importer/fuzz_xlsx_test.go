package importer

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"trustmark"
)

// FuzzXLSXParts fuzzes the parts of a workbook the reader parses besides
// the sheet (the shared strings, the styles and the workbook's sheet list)
// inside an otherwise valid workbook.
func FuzzXLSXParts(f *testing.F) {
	// Cells set one by one are shared strings (xlsxBytes streams inline ones).
	wb := excelize.NewFile()
	wb.SetSheetRow("Sheet1", "A1", &certColumns)
	for i, row := range certRows(5, 2) {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		wb.SetSheetRow("Sheet1", cell, &row)
	}
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		f.Fatal(err)
	}
	base := buf.Bytes()
	parts := []string{"xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"}
	for i, p := range parts {
		f.Add(uint8(i), zipEntry(f, base, p))
	}
	f.Add(uint8(0), []byte(`<sst><si><t>a</t><rPh><t>b</t></rPh><r><t>c</t></r></si><si><t/></si></sst>`))
	f.Add(uint8(1), []byte(`<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0000"/></numFmts><cellXfs><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>`))
	f.Fuzz(func(t *testing.T, which uint8, part []byte) {
		name := parts[int(which)%len(parts)]
		fuzzFile(t, "certs.xlsx", withZipEntry(t, base, name, part), trustmark.KindCertificates)
	})
}

// guardLimits are small limits for fuzzing the guard.
var guardLimits = Limits{TokenBytes: 64, Depth: 4}

// FuzzXMLGuard checks the guard against encoding/xml: every token the
// decoder returns through the guard is within TokenBytes, elements never
// nest deeper than Depth, and a document the guard lets through whole
// decodes to the same tokens as without it.
func FuzzXMLGuard(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0"?><a b='>' c="x/>"><b/><!-- c > d --><![CDATA[<x>]]>text</a>`,
		`<a><b><c><d><e/></d></c></b></a>`,
		`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`,
		`<a>` + strings.Repeat(" ", 100) + `</a>`,
		`<?pi ?>?><a/>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		guarded, gerr := tokens(newXMLGuard(bytes.NewReader(doc), guardLimits))
		depth := 0
		for _, tok := range guarded {
			if n := tokenBytes(tok); n > guardLimits.TokenBytes {
				t.Fatalf("token %q of %d bytes passed a guard of %d", tok, n, guardLimits.TokenBytes)
			}
			switch tok.(type) {
			case xml.StartElement:
				if depth++; depth > guardLimits.Depth {
					t.Fatalf("elements nested %d deep passed a guard of %d", depth, guardLimits.Depth)
				}
			case xml.EndElement:
				depth--
			}
		}
		if gerr != nil {
			return
		}
		plain, perr := tokens(bytes.NewReader(doc))
		if perr != nil {
			t.Fatalf("the guard let through a document encoding/xml refuses: %v", perr)
		}
		if diff := cmp.Diff(plain, guarded); diff != "" {
			t.Fatalf("the guard changed the tokens (-plain +guarded):\n%s", diff)
		}
	})
}

// tokens decodes r to its end or its first error.
func tokens(r io.Reader) ([]xml.Token, error) {
	d := xml.NewDecoder(r)
	var out []xml.Token
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, xml.CopyToken(tok))
	}
}

// tokenBytes is the text a token holds: what the decoder had to gather.
func tokenBytes(tok xml.Token) int {
	switch tok := tok.(type) {
	case xml.CharData:
		return len(tok)
	case xml.Comment:
		return len(tok)
	case xml.ProcInst:
		return len(tok.Target) + len(tok.Inst)
	case xml.Directive:
		return len(tok)
	case xml.StartElement:
		n := len(tok.Name.Local)
		for _, a := range tok.Attr {
			n += len(a.Name.Local) + len(a.Value)
		}
		return n
	}
	return 0
}

// FuzzNumberFormat formats any value by any format code: text passes
// through unchanged, and a date format turns a serial in Excel's range into
// a date the registry reads.
func FuzzNumberFormat(f *testing.F) {
	for _, s := range []struct{ v, code string }{
		{"45356", "yyyy-mm-dd"}, {"901", "0000"}, {"0.5", "#.00"}, {"-12.345", "#,##0.00"}, {"1E+300", "0%"},
		{"26.074500000000001", "General"}, {"3", `"年"yyyy\m[Red];@`}, {"1", "[h]:mm"}, {"x", "0"},
	} {
		f.Add(s.v, s.code)
	}
	f.Fuzz(func(t *testing.T, v, code string) {
		st := &styles{xfs: []int{0, 200}, custom: map[int]string{200: code}}
		out := st.format(v, 1)
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			if out != v {
				t.Fatalf("format(%q, %q) = %q: text must pass through", v, code, out)
			}
			return
		}
		if isDateFormat(200, code) && x >= 1 && x <= 2958465 {
			if _, err := trustmark.ParseDate(out); err != nil {
				t.Fatalf("format(%q, %q) = %q, want a date: %v", v, code, out, err)
			}
		}
	})
}
