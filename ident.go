package trustmark

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The registry's identifiers are types that own their canonical form. Each
// Parse function reads what people type, paste or import (surrounding
// blanks, full-width characters from Chinese input methods, lower case) and
// returns the one spelling the registry stores, looks up and prints, or an
// *Error naming the field and the rule broken. Identifiers are compared
// only in canonical form, so every reader and writer that parses agrees.

// MaxCertNumberBytes bounds a certificate number (and a report number):
// formats set by the bodies and laboratories are free, but not unbounded.
const MaxCertNumberBytes = 64

// clean trims blanks and folds full-width forms (ＣＮＣＡ, ２０１６, －) to
// their ASCII twins: Chinese input methods type them, and no identifier of
// the registry uses them. The domain needs only this block of the Unicode
// width mappings (U+FF01-U+FF5E and the ideographic space), so it keeps to
// the standard library.
func clean(s string) string {
	s = strings.TrimFunc(s, isBlank)
	if !strings.ContainsFunc(s, isWide) {
		return s
	}
	return strings.TrimFunc(strings.Map(narrow, s), isBlank)
}

func isWide(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 }

func narrow(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

// isBlank reports whether r separates words: a space, or one of the
// invisible marks that pasting from documents leaves (byte order mark,
// zero-width space).
func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' }

// compact removes every blank: identifiers never contain one, and people
// group digits with spaces as they are printed on paper.
func compact(s string) string {
	if !strings.ContainsFunc(s, isBlank) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBlank(r) {
			return -1
		}
		return r
	}, s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// numberFault is what breaks the rule every certificate and report number
// meets, whoever sets its format: 1 to 64 bytes of printable text without
// blanks. Each parser says it with its own reason keys.
type numberFault int

const (
	numberFine numberFault = iota
	numberEmpty
	numberLong
	numberChars
)

func checkNumber(n string) numberFault {
	switch {
	case n == "":
		return numberEmpty
	case len(n) > MaxCertNumberBytes:
		return numberLong
	// Upper-casing turned any invalid byte into U+FFFD: refuse that too.
	case !utf8.ValidString(n) || strings.ContainsFunc(n, func(r rune) bool { return isBlank(r) || !unicode.IsPrint(r) || r == utf8.RuneError }):
		return numberChars
	}
	return numberFine
}

// CertNumber is a certificate number in canonical form: no surrounding
// blanks, full-width characters folded, letters upper-cased. Numbers are
// unique per certificate type (see CertKey).
type CertNumber string

// ParseCertNumber returns the canonical form of a certificate number. It
// checks the rule every type shares (1-64 printable characters without
// blanks); CheckFormat checks the format of a given type.
func ParseCertNumber(s string) (CertNumber, error) {
	n := strings.ToUpper(clean(s))
	if err := certNumberErr(n); err != nil {
		return "", err
	}
	return CertNumber(n), nil
}

func certNumberErr(n string) error {
	switch checkNumber(n) {
	case numberEmpty:
		return Invalidf("cert.empty", "number", "certificate number is empty")
	case numberLong:
		return Invalidf("cert.length", "number", "certificate number is %d bytes long, want at most 64", len(n))
	case numberChars:
		return Invalidf("cert.charset", "number", "certificate number %q contains a space or control character", n)
	}
	return nil
}

// Number formats of data/reference/cert_number_formats.json.
var (
	cccNumberRE   = regexp.MustCompile(`^\d{16}$`)
	organicCertRE = regexp.MustCompile(`^(\d{3}|F\d{2})OP\d{2}\d{5}(-\d+)?$`)
)

// CheckFormat checks n against the number format of certificates of type
// t. CCC numbers are 16 digits whose positions 7-10 are the product
// category (which must equal category when it is given); organic
// certificate numbers follow the 2019 rule. Other types have body-defined
// formats and need only meet ParseCertNumber's rule.
func (n CertNumber) CheckFormat(t CertType, category string) error {
	s := string(n)
	switch t {
	case TypeCCC:
		if !cccNumberRE.MatchString(s) {
			return Invalidf("ccc.format", "number", "CCC certificate number %q is not 16 digits", s)
		}
		if y, _ := strconv.Atoi(s[:4]); y < 2001 || y > 2099 {
			return Invalidf("ccc.year", "number", "CCC certificate number %s starts with year %s, want 2001 or later", s, s[:4])
		}
		if category != "" && s[6:10] != category {
			return Invalidf("ccc.category", "ccc_category", "CCC certificate number %s has product category %s in positions 7-10, but the row says %s", s, s[6:10], category)
		}
		return nil
	case TypeOrganic:
		if !organicCertRE.MatchString(s) {
			return Invalidf("organic_cert.format", "number", "organic certificate number %q is not of the form NNNOPYYNNNNN[-N]", s)
		}
		return nil
	}
	return certNumberErr(s)
}

// ImpliedType is the certificate type n's format names: CCC for 16
// digits, ORGANIC for the organic format (NNNOPYYNNNNN), or "" for a
// number whose format its body sets, which any other type may have.
func (n CertNumber) ImpliedType() CertType {
	switch {
	case len(n) == 16 && isDigits(string(n)):
		return TypeCCC
	case organicCertRE.MatchString(string(n)):
		return TypeOrganic
	}
	return ""
}

// CCCCategory returns the product category in positions 7-10 of a
// 16-digit number, or "".
func (n CertNumber) CCCCategory() string {
	if len(n) != 16 || !isDigits(string(n)) {
		return ""
	}
	return string(n[6:10])
}

// OrganicBodyCode returns the code of the issuing body an organic
// certificate number starts with ("123", or "F12" for a foreign-invested
// body), or "" when n is not of the organic format.
func (n CertNumber) OrganicBodyCode() string {
	if m := organicCertRE.FindStringSubmatch(string(n)); m != nil {
		return m[1]
	}
	return ""
}

// CertKey is a certificate's natural key: numbers are unique per type.
type CertKey struct {
	Type   CertType
	Number CertNumber
}

// String returns the key as "TYPE/NUMBER", as Certificate.Key writes it
// and events carry it.
func (k CertKey) String() string { return string(k.Type) + "/" + string(k.Number) }

// ParseCertKey reads "TYPE/NUMBER" (the type in any case) and checks the
// number against the type's format.
func ParseCertKey(s string) (CertKey, error) {
	typ, num, ok := strings.Cut(clean(s), "/")
	if !ok {
		return CertKey{}, Invalidf("cert_key.format", "key", "certificate key %q is not of the form TYPE/NUMBER", s)
	}
	t, err := ParseCertType(typ)
	if err != nil {
		return CertKey{}, err
	}
	n, err := ParseCertNumber(num)
	if err != nil {
		return CertKey{}, err
	}
	if err := n.CheckFormat(t, ""); err != nil {
		return CertKey{}, err
	}
	return CertKey{Type: t, Number: n}, nil
}

// OrganicCode is an organic label code (有机码): 17 digits printed on every
// organic product, after the words 有机码.
type OrganicCode string

// organicCodePrefix is printed before the digits on every label; people
// paste it with them.
const organicCodePrefix = "有机码"

// ParseOrganicCode reads an organic label code: 17 digits, grouped by
// blanks or not, with or without the label's 有机码 and a colon before them.
func ParseOrganicCode(s string) (OrganicCode, error) {
	c := compact(clean(s))
	if rest, ok := strings.CutPrefix(c, organicCodePrefix); ok {
		c = strings.TrimLeft(rest, ":#")
	}
	if len(c) != 17 || !isDigits(c) {
		return "", Invalidf("organic_code.format", "organic_code", "organic code %q is not 17 digits", c)
	}
	return OrganicCode(c), nil
}

// BodyCode returns the issuing body's code in positions 1-3: the last
// three digits of a domestic body's approval number, or, for a code that
// starts with 9, F and the serial of a foreign-invested body (as its
// organic certificate numbers write it).
func (c OrganicCode) BodyCode() string {
	if c[0] == '9' {
		return "F" + string(c[1:3])
	}
	return string(c[:3])
}

// Year returns the two digits of the year the label was issued, positions
// 4-5.
func (c OrganicCode) Year() string { return string(c[3:5]) }
