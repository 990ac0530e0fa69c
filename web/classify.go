package web

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"trustmark"
)

// QueryKind is what a search box entry looks like.
type QueryKind int

// Query kinds, from the most specific shape to free text.
const (
	QueryText        QueryKind = iota // a name or words
	QueryUSCC                         // 18 characters of the GB 32100 set
	QueryApprovalNo                   // CNCA-R-YYYY-NNN
	QueryCMANo                        // 12 digits
	QueryCCC                          // 16 digits
	QueryOrganicCode                  // 17 digits (有机码)
	QueryOrganicCert                  // NNNOPYYNNNNN[-N]
	QueryReport                       // CMA_NO/REPORT_NO
	QueryNumber                       // some other certificate or registration number
)

// Classified is the understanding of a search box entry.
type Classified struct {
	Kind   QueryKind
	Value  string // normalised identifier, or the text for QueryText
	Report string // report number, for QueryReport (Value is then the CMA number)
	// Err says what is wrong when the entry has the shape of an identifier
	// but fails its rules (a bad check character, an impossible year).
	Err error
}

var (
	organicCertRE = regexp.MustCompile(`^(\d{3}|F\d{2})OP\d{2}\d{5}(-\d+)?$`)
	usccShapeRE   = regexp.MustCompile(`^[0-9A-Z]{18}$`)
	digitsRE      = regexp.MustCompile(`^\d+$`)
	numberShapeRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z\-_/().:]*$`)
)

// Classify decides what a search box entry is. Full-width characters are
// narrowed and identifiers upper-cased; spaces inside a digit string (as
// people copy numbers from paper) are dropped.
func Classify(q string) Classified {
	s := strings.TrimSpace(width.Narrow.String(q))
	if s == "" {
		return Classified{Kind: QueryText}
	}
	compact := strings.Join(strings.Fields(s), "")
	up := strings.ToUpper(compact)

	if cma, num, ok := strings.Cut(compact, "/"); ok && digitsRE.MatchString(cma) && len(cma) == 12 {
		c := Classified{Kind: QueryReport, Value: cma, Report: num}
		if _, err := trustmark.ParseCMANo(cma); err != nil {
			c.Err = err
		} else if num == "" || strings.Contains(num, "/") || len(num) > 64 {
			c.Err = trustmark.Invalidf("report.format", "number", "report reference %q is not of the form CMA_NO/REPORT_NO", compact)
		}
		return c
	}
	if strings.HasPrefix(up, "CNCA-R") || strings.HasPrefix(up, "CNCA R") {
		v, err := trustmark.ParseApprovalNo(up)
		if err != nil {
			return Classified{Kind: QueryApprovalNo, Value: up, Err: err}
		}
		return Classified{Kind: QueryApprovalNo, Value: v}
	}
	if digitsRE.MatchString(compact) {
		switch len(compact) {
		case 12:
			_, err := trustmark.ParseCMANo(compact)
			return Classified{Kind: QueryCMANo, Value: compact, Err: err}
		case 16:
			return Classified{Kind: QueryCCC, Value: compact, Err: trustmark.ValidateCertNumber(trustmark.TypeCCC, compact, "")}
		case 17:
			return Classified{Kind: QueryOrganicCode, Value: compact}
		}
	}
	if usccShapeRE.MatchString(up) && !containsCJK(s) && (len(strings.Fields(s)) == 1 || digitsRE.MatchString(compact)) {
		u, err := trustmark.ParseUSCC(up)
		if err != nil {
			return Classified{Kind: QueryUSCC, Value: up, Err: err}
		}
		return Classified{Kind: QueryUSCC, Value: string(u)}
	}
	if organicCertRE.MatchString(up) {
		return Classified{Kind: QueryOrganicCert, Value: up}
	}
	if len(strings.Fields(s)) == 1 && len(s) <= 64 && numberShapeRE.MatchString(s) && strings.ContainsFunc(s, unicode.IsDigit) {
		return Classified{Kind: QueryNumber, Value: strings.ToUpper(s)}
	}
	return Classified{Kind: QueryText, Value: s}
}

func containsCJK(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}
