package trustmark

import (
	"slices"
	"strings"
)

// Verdict is what Explain concludes about a text that matched no record.
type Verdict string

// Verdicts.
const (
	// VerdictText: the text is no identifier (Err says why, when there is
	// more to say than that).
	VerdictText Verdict = "text"
	// VerdictMalformed: the text has an identifier's shape but breaks its
	// rules; Err says which.
	VerdictMalformed Verdict = "malformed"
	// VerdictNoIssuer: the identifier names its issuer (a CCC product
	// category, an organic body code, a laboratory), and the registry
	// holds no body or laboratory that could have issued it.
	VerdictNoIssuer Verdict = "no_issuer"
	// VerdictUnknown: well formed, from an issuer the registry holds
	// (Bodies, Lab) or one the identifier does not name, and not in the
	// registry: not yet reported, or not genuine.
	VerdictUnknown Verdict = "unknown"
)

// Explanation is why a text matched no record, for a person to act on.
type Explanation struct {
	Verdict Verdict
	Err     error // an *Error, for VerdictMalformed and VerdictText
	// What the identifier says of its issuer, when it names one.
	CCCCategory string // a CCC number's product category, positions 7-10
	BodyCode    string // an organic code's or organic certificate number's body code
	// Bodies are the registry's bodies that could have issued it; Lab the
	// laboratory of a report reference, when the registry holds it.
	Bodies []*Body
	Lab    *Lab
	// NotHeld is set for organic label codes: the registry keeps the
	// certificates, not each label's code, so no record is expected.
	NotHeld bool
}

// Explain says why id matched no record: the rule it breaks, or, for a
// well-formed identifier, what it says of its issuer and which of the
// registry's bodies could have issued it. bodies are the registry's
// certification bodies (needed for CCC and organic numbers and organic
// codes); lab is the laboratory a report reference names, nil when the
// registry does not hold it.
func Explain(id Identity, bodies []*Body, lab *Lab) Explanation {
	if id.Kind == IDText {
		e := Explanation{Verdict: VerdictText, Err: id.Err}
		if e.Err == nil {
			e.Err = Invalidf("text.not_identifier", "item", "%q is not a certificate number, unified social credit code, organic code, approval number or report reference (CMA_NO/REPORT_NO)", id.Text)
		}
		return e
	}
	if id.Err != nil {
		return Explanation{Verdict: VerdictMalformed, Err: id.Err}
	}
	var e Explanation
	switch id.Kind {
	case IDReport:
		e.Lab = lab
		if lab == nil {
			e.Verdict = VerdictNoIssuer
		}
	case IDOrganicCode:
		e.NotHeld = true
		e.BodyCode = id.OrganicCode.BodyCode()
		e.Bodies = organicIssuers(e.BodyCode, bodies)
		if len(e.Bodies) == 0 {
			e.Verdict = VerdictNoIssuer
		}
	case IDCertificate, IDCertKey:
		e.explainCertificate(id, bodies)
	}
	if e.Verdict == "" {
		e.Verdict = VerdictUnknown
	}
	return e
}

// explainCertificate names the bodies that could have issued a CCC or
// organic certificate number: only they may issue it, so when there is
// none the number cannot be genuine as it stands.
func (e *Explanation) explainCertificate(id Identity, bodies []*Body) {
	n, t := id.CertNumber, id.CertType
	if id.Kind == IDCertKey {
		n, t = id.Key.Number, id.Key.Type
	}
	switch t {
	case TypeCCC:
		e.CCCCategory = n.CCCCategory()
		for _, b := range bodies {
			if CouldIssueCCC(b, n) {
				e.Bodies = append(e.Bodies, b)
			}
		}
	case TypeOrganic:
		e.BodyCode = n.OrganicBodyCode()
		e.Bodies = organicIssuers(e.BodyCode, bodies)
	default:
		return
	}
	if len(e.Bodies) == 0 {
		e.Verdict = VerdictNoIssuer
	}
}

// CouldIssueCCC reports whether body b could have issued the CCC
// certificate number n: it is designated for the product category in
// positions 7-10, and its CCC code, when recorded, is the one in positions
// 5-6.
func CouldIssueCCC(b *Body, n CertNumber) bool {
	cat := n.CCCCategory()
	if cat == "" || !slices.Contains(b.CCCCategories, cat) {
		return false
	}
	return b.CCCCode == "" || b.CCCCode == string(n[4:6])
}

// organicIssuers returns the bodies whose approval number gives the body
// code: those approved for organic certification when there are any
// (three-digit codes repeat across approval years), else all, so that a
// reader sees the body a code points at even when its approval lapsed.
func organicIssuers(code string, bodies []*Body) []*Body {
	if code == "" {
		return nil
	}
	var all, organic []*Body
	for _, b := range bodies {
		if ApprovalNo(b.ApprovalNo).BodyCode() != code { // stored in canonical form
			continue
		}
		all = append(all, b)
		if slices.Contains(b.Scopes, TypeOrganic) {
			organic = append(organic, b)
		}
	}
	if len(organic) > 0 {
		return organic
	}
	return all
}

// Foreign reports whether an organic body code names a foreign-invested
// body (F and its serial).
func (e Explanation) Foreign() bool { return strings.HasPrefix(e.BodyCode, "F") }
