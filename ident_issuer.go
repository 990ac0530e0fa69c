package trustmark

import (
	"regexp"
	"strconv"
	"strings"
)

// ApprovalNo is a certification body's approval number in canonical form:
// CNCA-R-YYYY-NNN for a domestic body, CNCA-RF-YYYY-NN for a
// foreign-invested one. Serials have three digits, or four since more than
// a thousand bodies were approved (CNCA-R-2021-1012).
type ApprovalNo string

// approvalNoRE reads an approval number after clean and upper-casing. The
// separators may be any dash people type (hyphen, en or em dash, minus
// sign, underscore), blanks, or nothing, as numbers are copied from
// certificates, web pages and spreadsheets.
var approvalNoRE = regexp.MustCompile(`^CNCA[-_\s\x{2010}-\x{2015}\x{2212}]*R([-_\s\x{2010}-\x{2015}\x{2212}]*F)?[-_\s\x{2010}-\x{2015}\x{2212}]*(\d{4})[-_\s\x{2010}-\x{2015}\x{2212}]*(\d{2,4})$`)

// ParseApprovalNo reads a certification-body approval number.
func ParseApprovalNo(s string) (ApprovalNo, error) {
	s = strings.ToUpper(clean(s))
	m := approvalNoRE.FindStringSubmatch(s)
	foreign := m != nil && m[1] != ""
	if m == nil || !foreign && len(m[3]) < 3 || foreign && len(m[3]) > 3 {
		return "", Invalidf("approval_no.format", "approval_no", "approval number %q is not of the form CNCA-R-YYYY-NNN (or CNCA-RF-YYYY-NN for a foreign-invested body)", s)
	}
	if y, _ := strconv.Atoi(m[2]); y < 1990 || y > 2099 {
		return "", Invalidf("approval_no.year", "approval_no", "approval number %q has year %s, want 1990-2099", s, m[2])
	}
	prefix := "CNCA-R-"
	if foreign {
		prefix = "CNCA-RF-"
	}
	return ApprovalNo(prefix + m[2] + "-" + m[3]), nil
}

// BodyCode returns the code organic certificate numbers and organic label
// codes give the body: the last three digits of its serial, or F and the
// serial for a foreign-invested body.
func (a ApprovalNo) BodyCode() string {
	i := strings.LastIndexByte(string(a), '-')
	if i < 0 {
		return ""
	}
	serial := string(a[i+1:])
	if strings.HasPrefix(string(a), "CNCA-RF-") {
		return "F" + serial
	}
	return serial[max(0, len(serial)-3):]
}

// CMANo is a laboratory's CMA (资质认定) certificate number: 12 digits.
type CMANo string

// ParseCMANo reads a laboratory CMA certificate number: 12 digits, the
// issue year (2), issuing authority 00-31 (2), professional field 00-21 (2),
// industry department 00-34 (2) and a serial from 0001 (4). Blanks between
// digit groups are dropped.
func ParseCMANo(s string) (CMANo, error) {
	s = compact(clean(s))
	if len(s) != 12 || !isDigits(s) {
		return "", Invalidf("cma_no.format", "cma_no", "CMA number %q is not 12 digits", s)
	}
	part := func(i int) int { n, _ := strconv.Atoi(s[i : i+2]); return n }
	switch {
	case part(2) > 31:
		return "", Invalidf("cma_no.authority", "cma_no", "CMA number %s has issuing-authority code %s (positions 3-4), want 00-31", s, s[2:4])
	case part(4) > 21:
		return "", Invalidf("cma_no.field", "cma_no", "CMA number %s has professional-field code %s (positions 5-6), want 00-21", s, s[4:6])
	case part(6) > 34:
		return "", Invalidf("cma_no.department", "cma_no", "CMA number %s has department code %s (positions 7-8), want 00-34", s, s[6:8])
	case s[8:] == "0000":
		return "", Invalidf("cma_no.serial", "cma_no", "CMA number %s has serial 0000 (positions 9-12), serials start at 0001", s)
	}
	return CMANo(s), nil
}

// ReportRef names a test report: the laboratory's CMA number and the
// report's number, unique per laboratory. Report numbers are compared
// without regard to case: their canonical form is upper-cased, as
// certificate numbers are, so a report is found however its number is
// typed.
type ReportRef struct {
	Lab    CMANo
	Number string
}

// String returns the reference as "CMA_NO/REPORT_NO".
func (r ReportRef) String() string { return string(r.Lab) + "/" + r.Number }

// ParseReportRef reads "CMA_NO/REPORT_NO".
func ParseReportRef(s string) (ReportRef, error) {
	cma, num, ok := strings.Cut(clean(s), "/")
	if !ok {
		return ReportRef{}, Invalidf("report.format", "report", "report reference %q is not of the form CMA_NO/REPORT_NO", clean(s))
	}
	return NewReportRef(cma, num)
}

// NewReportRef returns the reference of report number of the laboratory
// cmaNo, both read as their Parse functions do.
func NewReportRef(cmaNo, number string) (ReportRef, error) {
	lab, err := ParseCMANo(cmaNo)
	if err != nil {
		return ReportRef{}, err
	}
	n, err := ParseReportNumber(number)
	if err != nil {
		return ReportRef{}, err
	}
	return ReportRef{Lab: lab, Number: n}, nil
}

// ParseReportNumber returns the canonical form of a report number:
// trimmed, full-width characters folded, upper-cased; 1-64 printable
// characters without blanks or slashes (a slash separates it from the
// laboratory's number in a ReportRef).
func ParseReportNumber(s string) (string, error) {
	n := strings.ToUpper(clean(s))
	switch checkNumber(n) {
	case numberEmpty:
		return "", Invalidf("report_no.empty", "number", "report number is empty")
	case numberLong:
		return "", Invalidf("report_no.length", "number", "report number is %d bytes long, want at most 64", len(n))
	case numberChars:
		return "", Invalidf("report_no.charset", "number", "report number %q contains a space or control character", n)
	}
	if strings.Contains(n, "/") {
		return "", Invalidf("report_no.slash", "number", "report number %q contains a slash (slashes separate a laboratory's CMA number from its report numbers)", n)
	}
	return n, nil
}
