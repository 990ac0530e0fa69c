package trustmark

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// badParse is an input a parser must refuse, with the field and reason key
// its error must carry.
type badParse struct{ in, field, reason string }

// checkBad runs parse on each input and wants an invalid *Error with the
// field and reason.
func checkBad(t *testing.T, name string, parse func(string) error, tests []badParse) {
	t.Helper()
	for _, tt := range tests {
		err := parse(tt.in)
		e, ok := err.(*Error)
		if !ok || e.Code != EInvalid || e.Field != tt.field || e.Reason != tt.reason {
			t.Errorf("%s(%q) = %v, want invalid %s with reason %s", name, tt.in, err, tt.field, tt.reason)
		}
	}
}

func TestParseCertNumber(t *testing.T) {
	goodParseTests := []struct{ in, want string }{
		{"00124Q31234R0M", "00124Q31234R0M"},
		{" 00124q31234r0m\t", "00124Q31234R0M"},
		{"００１２４Ｑ３１２３４Ｒ０Ｍ", "00124Q31234R0M"},
		{"\ufeffF12OP2500001-2", "F12OP2500001-2"},
		{"15/20Q1234R00", "15/20Q1234R00"},
	}
	for _, tt := range goodParseTests {
		got, err := ParseCertNumber(tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("ParseCertNumber(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
		}
	}
	checkBad(t, "ParseCertNumber", func(s string) error { _, err := ParseCertNumber(s); return err }, []badParse{
		{"", "number", "cert.empty"},
		{"　", "number", "cert.empty"},
		{"AB 123", "number", "cert.charset"},
		{"AB\x01123", "number", "cert.charset"},
		{"AB\xff123", "number", "cert.charset"},
		{strings.Repeat("A", 65), "number", "cert.length"},
	})
}

func TestCertNumberCheckFormat(t *testing.T) {
	tests := []struct {
		number   CertNumber
		typ      CertType
		category string
		reason   string // "" when well formed
	}{
		{"2016010901123456", TypeCCC, "0901", ""},
		{"2016010901123456", TypeQMS, "", ""},
		{"201601090112345", TypeCCC, "", "ccc.format"},
		{"1999010901123456", TypeCCC, "", "ccc.year"},
		{"2016010901123456", TypeCCC, "0701", "ccc.category"},
		{"F01OP2400123-1", TypeOrganic, "", ""},
		{"001OP24001", TypeOrganic, "", "organic_cert.format"},
		{"has space", TypeQMS, "", "cert.charset"},
	}
	for _, tt := range tests {
		err := tt.number.CheckFormat(tt.typ, tt.category)
		var got string
		if e, ok := err.(*Error); ok {
			got = e.Reason
		} else if err != nil {
			got = err.Error()
		}
		if got != tt.reason {
			t.Errorf("CertNumber(%q).CheckFormat(%s, %q) = %v, want reason %q", tt.number, tt.typ, tt.category, err, tt.reason)
		}
	}
}

func TestCertNumberParts(t *testing.T) {
	tests := []struct {
		n                    CertNumber
		implied              CertType
		category, organicJob string
	}{
		{"2016010901123456", TypeCCC, "0901", ""},
		{"123OP2500001", TypeOrganic, "", "123"},
		{"F12OP2500001-2", TypeOrganic, "", "F12"},
		{"00124Q31234R0M", "", "", ""},
	}
	for _, tt := range tests {
		if got := tt.n.ImpliedType(); got != tt.implied {
			t.Errorf("CertNumber(%q).ImpliedType() = %q, want %q", tt.n, got, tt.implied)
		}
		if got := tt.n.CCCCategory(); got != tt.category {
			t.Errorf("CertNumber(%q).CCCCategory() = %q, want %q", tt.n, got, tt.category)
		}
		if got := tt.n.OrganicBodyCode(); got != tt.organicJob {
			t.Errorf("CertNumber(%q).OrganicBodyCode() = %q, want %q", tt.n, got, tt.organicJob)
		}
	}
}

func TestParseCertKey(t *testing.T) {
	goodParseTests := []struct {
		in   string
		want CertKey
	}{
		{"CCC/2016010901123456", CertKey{TypeCCC, "2016010901123456"}},
		{"qms/00124q31234r0m", CertKey{TypeQMS, "00124Q31234R0M"}},
		{"QMS/15/20Q1234R00", CertKey{TypeQMS, "15/20Q1234R00"}},
	}
	for _, tt := range goodParseTests {
		got, err := ParseCertKey(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseCertKey(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
		if again, err := ParseCertKey(got.String()); err != nil || again != got {
			t.Errorf("ParseCertKey(%q) = %v, %v, want the key back", got.String(), again, err)
		}
	}
	c := &Certificate{Type: TypeCCC, Number: "2016010901123456"}
	if got, want := (CertKey{TypeCCC, "2016010901123456"}).String(), c.Key(); got != want {
		t.Errorf("CertKey.String() = %q, want Certificate.Key() %q", got, want)
	}
	checkBad(t, "ParseCertKey", func(s string) error { _, err := ParseCertKey(s); return err }, []badParse{
		{"2016010901123456", "key", "cert_key.format"},
		{"CCC/123", "number", "ccc.format"},
		{"QMS/", "number", "cert.empty"},
	})
	if _, err := ParseCertKey("XYZ/123"); ErrorField(err) != "type" {
		t.Errorf("ParseCertKey(XYZ/123) = %v, want invalid type", err)
	}
}

func TestParseApprovalNo(t *testing.T) {
	goodParseTests := []struct{ in, want, bodyCode string }{
		{"CNCA-R-2002-001", "CNCA-R-2002-001", "001"},
		{"cnca-r-2017-120", "CNCA-R-2017-120", "120"},
		{" CNCA-R-1990-999 ", "CNCA-R-1990-999", "999"},
		{"CNCA-R-2021-1012", "CNCA-R-2021-1012", "012"},
		{"CNCA R 2002 001", "CNCA-R-2002-001", "001"},
		{"CNCA—R—2002—001", "CNCA-R-2002-001", "001"},
		{"CNCA–R–2002–001", "CNCA-R-2002-001", "001"},
		{"ＣＮＣＡ－Ｒ－２００２－００１", "CNCA-R-2002-001", "001"},
		{"CNCAR2002001", "CNCA-R-2002-001", "001"},
		{"CNCA_R_2002_001", "CNCA-R-2002-001", "001"},
		{"CNCA-RF-2002-07", "CNCA-RF-2002-07", "F07"},
		{"CNCA-R-F-2002-07", "CNCA-RF-2002-07", "F07"},
	}
	for _, tt := range goodParseTests {
		got, err := ParseApprovalNo(tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("ParseApprovalNo(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			continue
		}
		if bc := got.BodyCode(); bc != tt.bodyCode {
			t.Errorf("ApprovalNo(%q).BodyCode() = %q, want %q", got, bc, tt.bodyCode)
		}
	}
	checkBad(t, "ParseApprovalNo", func(s string) error { _, err := ParseApprovalNo(s); return err }, []badParse{
		{"CNCA-R-02-001", "approval_no", "approval_no.format"},
		{"CNCA-R-2002-01", "approval_no", "approval_no.format"},
		{"CNCA-R-2002-00111", "approval_no", "approval_no.format"},
		{"CNCA-RF-2002-0001", "approval_no", "approval_no.format"},
		{"CNCA-C-2002-001", "approval_no", "approval_no.format"},
		{"", "approval_no", "approval_no.format"},
		{"CNCA-R-1800-001", "approval_no", "approval_no.year"},
	})
}

func TestParseCMANo(t *testing.T) {
	goodParseTests := []struct{ in, want string }{
		{"240009200001", "240009200001"},
		{" 1611 0000 0123 ", "161100000123"},
		{"００３１２１３４０００１", "003121340001"},
	}
	for _, tt := range goodParseTests {
		got, err := ParseCMANo(tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("ParseCMANo(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
		}
	}
	checkBad(t, "ParseCMANo", func(s string) error { _, err := ParseCMANo(s); return err }, []badParse{
		{"24000920000", "cma_no", "cma_no.format"},
		{"24000920000A", "cma_no", "cma_no.format"},
		{"243209200001", "cma_no", "cma_no.authority"},
		{"240022200001", "cma_no", "cma_no.field"},
		{"240009350001", "cma_no", "cma_no.department"},
		{"240009200000", "cma_no", "cma_no.serial"},
	})
}

func TestParseReportRef(t *testing.T) {
	goodParseTests := []struct {
		in   string
		want ReportRef
	}{
		{"240012340001/R2026-0001", ReportRef{"240012340001", "R2026-0001"}},
		{"240012340001/r2026-0001", ReportRef{"240012340001", "R2026-0001"}},
		{"２４００１２３４０００１／ｒ２０２６－０００１", ReportRef{"240012340001", "R2026-0001"}},
		{" 240012340001 / bg2026-0001 ", ReportRef{"240012340001", "BG2026-0001"}},
	}
	for _, tt := range goodParseTests {
		got, err := ParseReportRef(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseReportRef(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
			continue
		}
		if got.String() != string(tt.want.Lab)+"/"+tt.want.Number {
			t.Errorf("ReportRef.String() = %q", got.String())
		}
	}
	checkBad(t, "ParseReportRef", func(s string) error { _, err := ParseReportRef(s); return err }, []badParse{
		{"240012340001", "report", "report.format"},
		{"240012340001/", "number", "report_no.empty"},
		{"240012340001/A/B", "number", "report_no.slash"},
		{"240012340001/A B", "number", "report_no.charset"},
		{"240012340001/" + strings.Repeat("A", 65), "number", "report_no.length"},
		{"243312340001/R1", "cma_no", "cma_no.authority"},
	})
}

func TestParseOrganicCode(t *testing.T) {
	goodParseTests := []struct{ in, want, bodyCode, year string }{
		{"12325123456789012", "12325123456789012", "123", "25"},
		{"有机码:12325123456789012", "12325123456789012", "123", "25"},
		{"有机码：１２３２５１２３４５６７８９０１２", "12325123456789012", "123", "25"},
		{"有机码 123 25 123456789012", "12325123456789012", "123", "25"},
		{"91225123456789012", "91225123456789012", "F12", "25"},
	}
	for _, tt := range goodParseTests {
		got, err := ParseOrganicCode(tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("ParseOrganicCode(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			continue
		}
		if got.BodyCode() != tt.bodyCode || got.Year() != tt.year {
			t.Errorf("OrganicCode(%q) body code %q year %q, want %q %q", got, got.BodyCode(), got.Year(), tt.bodyCode, tt.year)
		}
	}
	checkBad(t, "ParseOrganicCode", func(s string) error { _, err := ParseOrganicCode(s); return err }, []badParse{
		{"有机码123", "organic_code", "organic_code.format"},
		{"1232512345678901A", "organic_code", "organic_code.format"},
		{"", "organic_code", "organic_code.format"},
	})
}

// FuzzParse checks every identifier parser on any input: it never panics,
// refuses only with an invalid *Error, and its canonical form parses to
// itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"CNCA R 2002 001", "CNCA-RF-2002-07", "240009200001", "240012340001/r1", "有机码:12325123456789012",
		"QMS/00124q31234r0m", "２０１６０１０９０１１２３４５６", "", "\xff", "CNCA-R-2021-1012"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(name string, canon string, err error, again func(string) (string, error)) {
			if err != nil {
				if ErrorCode(err) != EInvalid {
					t.Fatalf("%s(%q) error %v, want invalid", name, s, err)
				}
				return
			}
			if !utf8.ValidString(canon) {
				t.Fatalf("%s(%q) = %q, not UTF-8", name, s, canon)
			}
			if got, err := again(canon); err != nil || got != canon {
				t.Fatalf("%s(%q) = %q, but %s of that = %q, %v", name, s, canon, name, got, err)
			}
		}
		n, err := ParseCertNumber(s)
		check("ParseCertNumber", string(n), err, func(s string) (string, error) { n, err := ParseCertNumber(s); return string(n), err })
		a, err := ParseApprovalNo(s)
		check("ParseApprovalNo", string(a), err, func(s string) (string, error) { a, err := ParseApprovalNo(s); return string(a), err })
		c, err := ParseCMANo(s)
		check("ParseCMANo", string(c), err, func(s string) (string, error) { c, err := ParseCMANo(s); return string(c), err })
		o, err := ParseOrganicCode(s)
		check("ParseOrganicCode", string(o), err, func(s string) (string, error) { o, err := ParseOrganicCode(s); return string(o), err })
		r, err := ParseReportRef(s)
		check("ParseReportRef", r.String(), err, func(s string) (string, error) { r, err := ParseReportRef(s); return r.String(), err })
		k, err := ParseCertKey(s)
		check("ParseCertKey", k.String(), err, func(s string) (string, error) { k, err := ParseCertKey(s); return k.String(), err })
	})
}
