package trustmark

import (
	"regexp"
	"strings"
)

var cccCategory = regexp.MustCompile(`^\d{4}$`)

// ParseCCCCategory validates a 4-digit CCC product category code.
func ParseCCCCategory(s, field string) (string, error) {
	s = strings.TrimSpace(s)
	if !cccCategory.MatchString(s) {
		return "", Invalidf("ccc_category.format", field, "CCC product category %q is not 4 digits", s)
	}
	return s, nil
}

// ValidateCertNumber checks a certificate number, as it is stored, against
// its type's format (CertNumber.CheckFormat).
func ValidateCertNumber(t CertType, number, category string) error {
	return CertNumber(number).CheckFormat(t, category)
}
