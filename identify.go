package trustmark

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IDKind is what a text is, as Identify reads it.
type IDKind string

// Identifier kinds, from the most specific shape to free text.
const (
	IDText        IDKind = "text"         // words to search: a name, or no identifier's shape
	IDCertificate IDKind = "certificate"  // a certificate number
	IDCertKey     IDKind = "cert_key"     // TYPE/NUMBER
	IDUSCC        IDKind = "uscc"         // a unified social credit code
	IDApprovalNo  IDKind = "approval_no"  // a certification body's approval number
	IDCMANo       IDKind = "cma_no"       // a laboratory's CMA number
	IDReport      IDKind = "report"       // CMA_NO/REPORT_NO
	IDOrganicCode IDKind = "organic_code" // a 17-digit organic label code
)

// MaxIdentifyBytes bounds the text Identify reads as an identifier:
// nothing the registry holds is longer.
const MaxIdentifyBytes = 200

// Identity is what a text is: which identifier it has the shape of, its
// canonical value, and why it breaks that identifier's rules when it does.
// Deciding this needs no registry; whether the registry holds the record
// is the lookup's answer, and why it does not is Explain's.
type Identity struct {
	Input string // as given
	Text  string // trimmed and full-width folded: what a text search looks for
	// Norm is the text with blanks removed and letters upper-cased: the
	// canonical value of a well-formed identifier, and how a malformed one
	// is quoted back.
	Norm string
	Kind IDKind
	// Err is an *Error: for an identifier's shape, the rule it breaks (nil
	// when well formed); for IDText, why it cannot be an identifier at all
	// (empty, too long, not UTF-8), else nil.
	Err error

	// CertNumber is set when the text may be a certificate number: of kind
	// IDCertificate, and also of the shape of a CMA number, an organic code,
	// a USCC or a report reference, since bodies format their numbers as
	// they like and a number may look like any other identifier.
	CertNumber CertNumber
	// CertType is the type a certificate number's format implies (CCC,
	// ORGANIC), or "" when its body sets the format.
	CertType CertType

	Key         CertKey     // IDCertKey
	USCC        USCC        // IDUSCC, when well formed
	ApprovalNo  ApprovalNo  // IDApprovalNo, when well formed
	CMANo       CMANo       // IDCMANo, and IDReport's laboratory, when well formed
	Report      ReportRef   // IDReport, when well formed
	OrganicCode OrganicCode // IDOrganicCode, when well formed
}

// CertTypes returns the certificate types id may be the number of: the
// type its format implies, else every type whose numbers bodies format;
// nil when it cannot be a certificate number.
func (id Identity) CertTypes() []CertType {
	switch {
	case id.Kind == IDCertKey:
		return []CertType{id.Key.Type}
	case id.CertNumber == "":
		return nil
	case id.CertType != "":
		return []CertType{id.CertType}
	}
	var out []CertType
	for _, t := range CertTypes {
		if t != TypeCCC && t != TypeOrganic {
			out = append(out, t)
		}
	}
	return out
}

// approvalShapeRE is the start that makes a text an approval number, well
// formed or not; ParseApprovalNo decides the rest.
var approvalShapeRE = regexp.MustCompile(`^CNCA[-_\x{2010}-\x{2015}\x{2212}]*R`)

// Identify decides what text is. It reads text as people type and paste
// it: surrounding blanks and full-width characters do not matter, letters
// may be lower case, digits may be grouped by blanks ("2025 0109 0100
// 0001", "CNCA R 2002 001"), and an organic code may keep the 有机码 printed
// before it. Words without digits, and anything with Chinese characters
// but the 有机码 label, are text to search.
func Identify(text string) Identity {
	id := Identity{Input: text, Kind: IDText}
	if len(text) > 4*MaxIdentifyBytes {
		text = text[:4*MaxIdentifyBytes] // bounds the work; the check below refuses it
	}
	s := clean(text)
	id.Text = s
	words := strings.FieldsFunc(s, isBlank)
	c := strings.Join(words, "")
	id.Norm = strings.ToUpper(c)
	// The first case whose shape the text has decides, from the most
	// telling shape to the least; each read method reports whether it took
	// the text.
	switch {
	case id.refuse(c):
	case id.readLabelledOrganicCode(c):
	case strings.ContainsFunc(c, isHan) || !strings.ContainsFunc(c, isASCIIDigit):
		// words to search
	case id.readApprovalNo(s):
	case id.readSlashed():
	case id.readDigits(c):
	case id.readUSCC(len(words)):
	case len(words) > 1 && !isDigits(c):
		// several words: a name with a number in it
	default:
		id.Kind = IDCertificate
		id.CertNumber, id.Err = ParseCertNumber(c)
		if id.Err == nil {
			id.CertType = id.CertNumber.ImpliedType()
		}
	}
	return id
}

// refuse reports whether c, the text without blanks, cannot be an
// identifier at all, and sets Err to say why.
func (id *Identity) refuse(c string) bool {
	switch {
	case c == "":
		id.Err = Invalidf("text.empty", "item", "the text is empty")
	case len(c) > MaxIdentifyBytes:
		id.Err = Invalidf("text.length", "item", "the text is %d bytes long; no identifier is longer than %d", len(c), MaxIdentifyBytes)
	case !utf8.ValidString(c):
		id.Err = Invalidf("text.utf8", "item", "the text is not valid UTF-8")
	default:
		return false
	}
	return true
}

// readLabelledOrganicCode reads c as an organic code when it keeps the
// 有机码 printed before it. It comes before the test for Chinese
// characters, which the label would otherwise fail.
func (id *Identity) readLabelledOrganicCode(c string) bool {
	if !strings.HasPrefix(c, organicCodePrefix) || c == organicCodePrefix {
		return false
	}
	id.Kind = IDOrganicCode
	id.OrganicCode, id.Err = ParseOrganicCode(c)
	id.Norm = strings.TrimLeft(strings.TrimPrefix(c, organicCodePrefix), ":#")
	return true
}

// readApprovalNo reads s as an approval number when it starts as one;
// ParseApprovalNo is given the text with its blanks, which it reads
// itself.
func (id *Identity) readApprovalNo(s string) bool {
	if !approvalShapeRE.MatchString(id.Norm) {
		return false
	}
	id.Kind = IDApprovalNo
	id.ApprovalNo, id.Err = ParseApprovalNo(s)
	if id.Err == nil {
		id.Norm = string(id.ApprovalNo)
	}
	return true
}

// readSlashed reads a text with a slash as a certificate key when what
// comes before the slash is a certificate type, or as a report reference
// when it is twelve digits (a CMA number).
func (id *Identity) readSlashed() bool {
	head, _, ok := strings.Cut(id.Norm, "/")
	if !ok {
		return false
	}
	if _, err := ParseCertType(head); err == nil {
		id.Kind = IDCertKey
		id.Key, id.Err = ParseCertKey(id.Norm)
		id.CertType = id.Key.Type
		return true
	}
	if len(head) == 12 && isDigits(head) {
		id.Kind = IDReport
		id.Report, id.Err = ParseReportRef(id.Norm)
		id.CMANo = id.Report.Lab
		id.certNumber()
		return true
	}
	return false
}

// readDigits reads digits alone by their number: twelve are a CMA number,
// sixteen a CCC certificate number, seventeen an organic code.
func (id *Identity) readDigits(c string) bool {
	if !isDigits(c) {
		return false
	}
	switch len(c) {
	case 12:
		id.Kind = IDCMANo
		id.CMANo, id.Err = ParseCMANo(c)
		id.certNumber()
	case 16:
		id.Kind, id.CertType, id.CertNumber = IDCertificate, TypeCCC, CertNumber(c)
		id.Err = id.CertNumber.CheckFormat(TypeCCC, "")
	case 17:
		id.Kind = IDOrganicCode
		id.OrganicCode, id.Err = ParseOrganicCode(c)
		id.certNumber()
	default:
		return false
	}
	return true
}

// readUSCC reads eighteen letters and digits as a USCC when they were one
// word, or when grouped by blanks their region code is digits, as a USCC's
// is: "91350100 M000100Y43" is a USCC, "ABC 123456789012345" a name.
func (id *Identity) readUSCC(words int) bool {
	if len(id.Norm) != 18 || !isAlnum(id.Norm) || words != 1 && !isDigits(id.Norm[2:8]) {
		return false
	}
	id.Kind = IDUSCC
	id.USCC, id.Err = ParseUSCC(id.Norm)
	id.certNumber()
	return true
}

// certNumber sets CertNumber when Norm is also a well-formed certificate
// number.
func (id *Identity) certNumber() {
	if n, err := ParseCertNumber(id.Norm); err == nil {
		id.CertNumber = n
	}
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// IdentifyReport is Identify for a report reference given in its two parts,
// as a page address or a form gives it: a report reference, whatever the
// parts look like.
func IdentifyReport(cmaNo, number string) Identity {
	id := Identity{Input: cmaNo + "/" + number, Kind: IDReport}
	id.Text = clean(id.Input)
	id.Norm = strings.ToUpper(compact(id.Text))
	id.Report, id.Err = NewReportRef(cmaNo, number)
	if id.Err == nil {
		id.CMANo, id.Norm = id.Report.Lab, id.Report.String()
	}
	return id
}

// IdentifyCertificate is Identify for text given as a certificate number (a
// certificate page's address). What Identify reads as an identifier stays
// so, since the search box reads it the same way; what it reads as words is
// a certificate number here, held to the rule every number meets.
func IdentifyCertificate(number string) Identity {
	id := Identify(number)
	if id.Kind != IDText || id.Text == "" || len(id.Norm) > MaxIdentifyBytes {
		return id
	}
	id.Kind = IDCertificate
	id.CertNumber, id.Err = ParseCertNumber(number)
	id.CertType = id.CertNumber.ImpliedType()
	if id.Err == nil {
		id.Norm = string(id.CertNumber)
	}
	return id
}
