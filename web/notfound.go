package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"trustmark"
)

// NotFoundPage explains why nothing was found: the input is malformed (with
// the domain parser's message), belongs to no known body or laboratory, or is
// well-formed but unknown; it lists the likely issuers with when they last
// submitted data, so a reader can tell a fake from "not yet reported".
type NotFoundPage struct {
	Page
	Input     string
	IDName    string // what the input looked like ("CCC certificate number")
	Malformed string // the parser's message when the input breaks its format
	NoIssuer  string // kind of issuer ("certification body") when none is known
	Unknown   bool   // well-formed, issuer plausible, but no record
	Detail    string // how the number names its issuers
	Organic   *OrganicCode
	Issuers   []IssuerView
}

// OrganicCode is what the digits of a 17-digit organic label code say.
type OrganicCode struct{ BodyCode, Year string }

// IssuerView is a body or laboratory that could have issued the record.
type IssuerView struct {
	Name, Number, URL string
	LastSubmission    string // "" when it never submitted
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, p *NotFoundPage) {
	p.Robots = "noindex"
	if p.Title == "" {
		p.Title = p.T.NotFoundTitle
	}
	h.render(w, r, http.StatusNotFound, "notfound", p)
}

// notFoundPage answers any address the portal does not have.
func (h *Handler) notFoundPage(w http.ResponseWriter, r *http.Request) {
	p := &NotFoundPage{Page: h.newPage(r, "")}
	p.Title = p.T.NotFoundPageTitle
	h.notFound(w, r, p)
}

func (h *Handler) newNotFound(r *http.Request, input, idKind string) *NotFoundPage {
	p := &NotFoundPage{Page: h.newPage(r, ""), Input: input}
	p.IDName = p.T.IDNames[idKind]
	return p
}

func lastSubmission(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinaTime).Format("2006-01-02 15:04")
}

var chinaTime = time.FixedZone("CST", 8*3600)

func bodyIssuer(b *trustmark.Body) IssuerView {
	return IssuerView{Name: b.Name, Number: b.ApprovalNo, URL: bodyURL(b.ApprovalNo), LastSubmission: lastSubmission(b.LastSubmission)}
}

// explainCertificate fills p for a certificate number that is not in the
// registry: malformed for its apparent type, or the bodies that could have
// issued it (CCC: those designated for the product category in positions
// 7-10; organic: the body whose approval number ends in the number's
// 3-digit body code), or none known.
func (h *Handler) explainCertificate(ctx context.Context, p *NotFoundPage, number string) error {
	kind := "certificate"
	var match func(b *trustmark.Body) bool
	switch {
	case digitsRE.MatchString(number) && len(number) == 16:
		kind = "ccc"
		if err := trustmark.ValidateCertNumber(trustmark.TypeCCC, number, ""); err != nil {
			p.Malformed = p.T.Reason(err)
			break
		}
		cat := number[6:10]
		p.Detail = fmt.Sprintf(p.T.NotFoundCCCDetail, cat)
		match = func(b *trustmark.Body) bool { return slices.Contains(b.CCCCategories, cat) }
	case digitsRE.MatchString(number) && len(number) == 17:
		kind = "organic_code"
		p.Organic = &OrganicCode{BodyCode: number[:3], Year: number[3:5]}
		match = func(b *trustmark.Body) bool { return strings.HasSuffix(b.ApprovalNo, "-"+number[:3]) }
	case organicCertRE.MatchString(number):
		kind = "organic_cert"
		match = func(b *trustmark.Body) bool {
			return strings.HasSuffix(b.ApprovalNo, "-"+number[:3]) && slices.Contains(b.Scopes, trustmark.TypeOrganic)
		}
	default:
		if err := trustmark.ValidateCertNumber(trustmark.TypeQMS, number, ""); err != nil {
			p.Malformed = p.T.Reason(err)
		}
	}
	p.IDName = p.T.IDNames[kind]
	if p.Malformed != "" {
		return nil
	}
	if match == nil {
		p.Unknown = true
		return nil
	}
	bodies, err := h.allBodies(ctx)
	if err != nil {
		return err
	}
	for _, b := range bodies {
		if match(b) {
			p.Issuers = append(p.Issuers, bodyIssuer(b))
		}
	}
	if len(p.Issuers) == 0 {
		p.NoIssuer = p.T.IDNames["body"]
	} else {
		p.Unknown = true
	}
	return nil
}

// explainReport fills p for a report reference that is not in the registry.
func (h *Handler) explainReport(ctx context.Context, p *NotFoundPage, cma, number string) error {
	if _, err := trustmark.ParseCMANo(cma); err != nil {
		p.Malformed = p.T.Reason(err)
		return nil
	}
	lab, err := h.cfg.Store.Lab(ctx, cma)
	if trustmark.IsNotFound(err) {
		p.NoIssuer = p.T.IDNames["lab"]
		return nil
	}
	if err != nil {
		return err
	}
	p.Unknown = true
	p.Issuers = []IssuerView{{Name: lab.Name, Number: lab.CMANo, URL: labURL(lab.CMANo), LastSubmission: lastSubmission(lab.LastSubmission)}}
	return nil
}
