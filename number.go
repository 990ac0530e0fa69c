package trustmark

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Number formats of data/reference/cert_number_formats.json.
var (
	approvalNoRE = regexp.MustCompile(`^CNCA-R-(\d{4})-(\d{3})$`)
	cccNumberRE  = regexp.MustCompile(`^\d{16}$`)
	organicRE    = regexp.MustCompile(`^(\d{3}|F\d{2})OP\d{2}\d{5}(-\d+)?$`)
	cmaRE        = regexp.MustCompile(`^\d{12}$`)
	organicCode  = regexp.MustCompile(`^\d{17}$`)
	cccCategory  = regexp.MustCompile(`^\d{4}$`)
)

// ParseApprovalNo validates a certification-body approval number
// CNCA-R-YYYY-NNN.
func ParseApprovalNo(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	m := approvalNoRE.FindStringSubmatch(s)
	if m == nil {
		return "", Invalidf("approval_no.format", "approval_no", "approval number %q is not of the form CNCA-R-YYYY-NNN", s)
	}
	if y, _ := strconv.Atoi(m[1]); y < 1990 || y > 2099 {
		return "", Invalidf("approval_no.year", "approval_no", "approval number %q has year %s, want 1990-2099", s, m[1])
	}
	return s, nil
}

// ParseCMANo validates a laboratory CMA certificate number: 12 digits, the
// issue year (2), issuing authority 00-31 (2), professional field 00-21 (2),
// industry department 00-34 (2) and a serial from 0001 (4).
func ParseCMANo(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !cmaRE.MatchString(s) {
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
	return s, nil
}

// ParseCCCCategory validates a 4-digit CCC product category code.
func ParseCCCCategory(s, field string) (string, error) {
	s = strings.TrimSpace(s)
	if !cccCategory.MatchString(s) {
		return "", Invalidf("ccc_category.format", field, "CCC product category %q is not 4 digits", s)
	}
	return s, nil
}

// IsOrganicCode reports whether s has the shape of a 17-digit organic label
// code (有机码).
func IsOrganicCode(s string) bool { return organicCode.MatchString(s) }

// ValidateCertNumber checks a certificate number against its type's known
// format. CCC numbers are 16 digits whose positions 7-10 are the product
// category (which must equal category when it is given); organic certificate
// numbers follow the 2019 rule. Other types have body-defined formats: they
// need only be 1-64 printable characters without spaces.
func ValidateCertNumber(t CertType, number, category string) error {
	switch t {
	case TypeCCC:
		if !cccNumberRE.MatchString(number) {
			return Invalidf("ccc.format", "number", "CCC certificate number %q is not 16 digits", number)
		}
		if y, _ := strconv.Atoi(number[:4]); y < 2001 || y > 2099 {
			return Invalidf("ccc.year", "number", "CCC certificate number %s starts with year %s, want 2001 or later", number, number[:4])
		}
		if category != "" && number[6:10] != category {
			return Invalidf("ccc.category", "ccc_category", "CCC certificate number %s has product category %s in positions 7-10, but the row says %s", number, number[6:10], category)
		}
		return nil
	case TypeOrganic:
		if !organicRE.MatchString(number) {
			return Invalidf("organic_cert.format", "number", "organic certificate number %q is not of the form NNNOPYYNNNNN[-N]", number)
		}
		return nil
	}
	if len(number) > 64 {
		return Invalidf("cert.length", "number", "certificate number is %d bytes long, want at most 64", len(number))
	}
	for _, r := range number {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return Invalidf("cert.charset", "number", "certificate number %q contains a space or control character", number)
		}
	}
	return nil
}
