// Package verify answers bulk verification (联网核查): it tells, for each of
// up to a thousand identifiers at once, whether the registry knows it and in
// what status, and explains precisely why when it does not. It also keeps
// watchlists and delivers signed status-change webhooks.
package verify

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"trustmark"
)

// Kind is what an item was recognised as.
type Kind string

// Item kinds, as they appear in the "kind" field of a result.
const (
	KindCertificate Kind = "certificate"  // a certificate number of any type
	KindOrg         Kind = "org"          // a unified social credit code
	KindOrganicCode Kind = "organic_code" // a 17-digit organic label code (有机码)
	KindReport      Kind = "report"       // CMA_NO/REPORT_NO
	KindBody        Kind = "body"         // a certification-body approval number
	KindLab         Kind = "lab"          // a 12-digit laboratory CMA number
	KindUnknown     Kind = "unknown"      // not any identifier the registry uses
)

// MaxItemBytes bounds one item; nothing the registry holds is longer.
const MaxItemBytes = 200

// Item is one classified identifier. Classification needs no database: it
// decides what an item looks like and whether it is well-formed; the lookup
// decides whether the registry knows it.
type Item struct {
	Raw  string // as the client sent it
	Norm string // full-width folded, blanks removed, upper-cased
	// Folded is Norm before upper-casing: certificate and report numbers
	// are looked up as given and upper-cased, as the store keeps them.
	Folded string
	Kind   Kind
	// Err says why the item is malformed for its kind (a *trustmark.Error);
	// nil when it is well-formed.
	Err error
	// CertNumber is set when the item may also be a certificate number, so
	// certificates are looked up too (numbers of most types are body-defined
	// and may look like any other identifier).
	CertNumber bool
	// CertType is the certificate type the number's format implies (CCC,
	// ORGANIC), or "" when the format is body-defined.
	CertType trustmark.CertType

	USCC        trustmark.USCC // KindOrg, when well-formed
	CMANo       string         // KindLab and KindReport
	ReportNo    string         // KindReport
	ApprovalNo  string         // KindBody
	BodySerial  string         // organic codes and certificate numbers: "123" or "F12"
	CCCCategory string         // CCC certificate numbers: positions 7-10
}

var (
	organicNumberRE = regexp.MustCompile(`^(\d{3}|F\d{2})OP\d{2}\d{5}(-\d+)?$`)
	organicPrefixes = []string{"有机码"} // printed before the digits on every label
)

// Normalize folds what people paste into the form identifiers are stored
// in: full-width characters (２０１６、ＣＮＣＡ) become ASCII, every blank is
// removed (numbers never contain one; people group digits with spaces), and
// letters are upper-cased.
func Normalize(s string) string { return strings.ToUpper(fold(s)) }

// fold is Normalize without the upper-casing.
func fold(s string) string {
	if len(s) > 4*MaxItemBytes {
		s = s[:4*MaxItemBytes]
	}
	s = width.Fold.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Classify decides what s is and whether it is well-formed.
func Classify(s string) Item {
	folded := fold(s)
	it := Item{Raw: s, Folded: folded, Norm: strings.ToUpper(folded)}
	n := it.Norm
	switch {
	case n == "":
		it.Kind = KindUnknown
		it.Err = trustmark.Errorf(trustmark.EInvalid, "item", "the item is empty")
		return it
	case len(n) > MaxItemBytes:
		it.Kind = KindUnknown
		it.Err = trustmark.Errorf(trustmark.EInvalid, "item", "the item is %d bytes long; no identifier is longer than %d", len(n), MaxItemBytes)
		return it
	case !utf8.ValidString(n):
		it.Kind = KindUnknown
		it.Err = trustmark.Errorf(trustmark.EInvalid, "item", "the item is not valid UTF-8 text")
		return it
	}
	for _, p := range organicPrefixes {
		if rest, ok := strings.CutPrefix(n, p); ok && rest != "" {
			rest = strings.TrimLeft(rest, ":：#")
			it.Norm, it.Folded = rest, rest
			classifyOrganicCode(&it)
			if !isDigits(rest) || len(rest) != 17 {
				it.Err = trustmark.Errorf(trustmark.EInvalid, "item", "organic code %q is not 17 digits", rest)
			}
			return it
		}
	}
	if strings.HasPrefix(n, "CNCA-") {
		it.Kind = KindBody
		it.ApprovalNo, it.Err = trustmark.ParseApprovalNo(n)
		return it
	}
	if cma, rep, ok := strings.Cut(n, "/"); ok && len(cma) == 12 && isDigits(cma) {
		it.Kind = KindReport
		_, it.ReportNo, _ = strings.Cut(it.Folded, "/")
		it.CMANo = cma
		if _, err := trustmark.ParseCMANo(cma); err != nil {
			it.Err = err
		} else if rep == "" {
			it.Err = trustmark.Errorf(trustmark.EInvalid, "item", "report reference %q has no report number after the '/'", n)
		} else if strings.Contains(rep, "/") || trustmark.ValidateCertNumber(trustmark.TypeQMS, rep, "") != nil {
			it.Err = trustmark.Errorf(trustmark.EInvalid, "item", "report number %q must be 1-64 printable characters without spaces or slashes", it.ReportNo)
		}
		it.CertNumber = trustmark.ValidateCertNumber(trustmark.TypeQMS, n, "") == nil
		return it
	}
	if isDigits(n) {
		switch len(n) {
		case 16:
			it.Kind, it.CertType, it.CertNumber = KindCertificate, trustmark.TypeCCC, true
			it.CCCCategory = n[6:10]
			it.Err = trustmark.ValidateCertNumber(trustmark.TypeCCC, n, "")
			return it
		case 17:
			classifyOrganicCode(&it)
			it.CertNumber = true
			return it
		case 12:
			it.Kind, it.CertNumber = KindLab, true
			it.CMANo, it.Err = trustmark.ParseCMANo(n)
			return it
		}
	}
	if len(n) == 18 && isDigits(n[2:8]) && isAlnum(n) {
		it.Kind, it.CertNumber = KindOrg, true
		it.USCC, it.Err = trustmark.ParseUSCC(n)
		return it
	}
	it.Kind, it.CertNumber = KindCertificate, true
	if m := organicNumberRE.FindStringSubmatch(n); m != nil {
		it.CertType, it.BodySerial = trustmark.TypeOrganic, m[1]
	}
	if err := trustmark.ValidateCertNumber(trustmark.TypeQMS, n, ""); err != nil {
		it.Err = err
		it.CertNumber = false
		if !strings.ContainsFunc(n, unicode.IsDigit) {
			it.Kind = KindUnknown
			it.Err = trustmark.Errorf(trustmark.EInvalid, "item", "%q is not a certificate number, unified social credit code, organic code, approval number or CMA_NO/REPORT_NO reference", it.Raw)
		}
	} else if !strings.ContainsFunc(n, unicode.IsDigit) {
		// Every identifier of the regime carries digits; words are names.
		it.Kind, it.CertNumber = KindUnknown, false
		it.Err = trustmark.Errorf(trustmark.EInvalid, "item", "%q has no digits: it is not a certificate number, unified social credit code, organic code, approval number or report reference (search names on the home page)", it.Raw)
	}
	return it
}

// classifyOrganicCode fills an organic label code's body serial: the first
// three digits are the last three of the body's approval number, or 9 and a
// two-digit serial for a foreign-invested body (whose organic certificate
// numbers start F and the same serial).
func classifyOrganicCode(it *Item) {
	it.Kind = KindOrganicCode
	if len(it.Norm) >= 3 && isDigits(it.Norm[:3]) {
		it.BodySerial = it.Norm[:3]
		if it.Norm[0] == '9' {
			it.BodySerial = "F" + it.Norm[1:3]
		}
	}
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

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
