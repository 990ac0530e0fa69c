package web

import (
	"context"
	"fmt"
	"net/http"
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
	// IssuersTitle and UnknownHint speak of what was looked for: bodies and
	// certificates, or the laboratory and its reports.
	IssuersTitle, UnknownHint string
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
	p.IssuersTitle, p.UnknownHint = p.T.NotFoundIssuers, p.T.NotFoundUnknownHint
	if idKind == "report" {
		p.IssuersTitle, p.UnknownHint = p.T.NotFoundReportLab, p.T.NotFoundReportHint
	}
	if hint := p.T.Portal.NotFoundHints[idKind]; hint != "" { // an organisation, body, laboratory or person
		p.UnknownHint = hint
	}
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

// explain makes the not-found page of an identifier the registry does not
// hold: trustmark.Explain decides what is wrong or what the identifier says
// of its issuer (the same decision bulk verification reports); this says it
// in the page's language.
func (h *Handler) explain(ctx context.Context, r *http.Request, id trustmark.Identity) (*NotFoundPage, error) {
	var (
		bodies []*trustmark.Body
		lab    *trustmark.Lab
		err    error
	)
	if id.Err == nil {
		switch {
		case id.Kind == trustmark.IDReport:
			lab, err = h.cfg.Store.Lab(ctx, string(id.Report.Lab))
			if trustmark.IsNotFound(err) {
				lab, err = nil, nil
			}
		case id.Kind == trustmark.IDOrganicCode || id.CertType == trustmark.TypeCCC || id.CertType == trustmark.TypeOrganic:
			bodies, err = h.allBodies(ctx)
		}
		if err != nil {
			return nil, err
		}
	}
	e := trustmark.Explain(id, bodies, lab)
	input := id.Norm
	if id.Kind == trustmark.IDText {
		input = id.Text
	}
	p := h.newNotFound(r, input, idName(id))
	switch e.Verdict {
	case trustmark.VerdictMalformed, trustmark.VerdictText:
		p.Malformed = p.T.Reason(e.Err)
		return p, nil
	case trustmark.VerdictNoIssuer:
		p.NoIssuer = p.T.IDNames["body"]
		if id.Kind == trustmark.IDReport {
			p.NoIssuer = p.T.IDNames["lab"]
		}
	default:
		p.Unknown = true
	}
	if e.CCCCategory != "" {
		p.Detail = fmt.Sprintf(p.T.NotFoundCCCDetail, e.CCCCategory)
	}
	if e.NotHeld {
		p.Organic = &OrganicCode{BodyCode: string(id.OrganicCode[:3]), Year: id.OrganicCode.Year()}
	}
	for _, b := range e.Bodies {
		p.Issuers = append(p.Issuers, bodyIssuer(b))
	}
	if l := e.Lab; l != nil {
		p.Issuers = []IssuerView{{Name: l.Name, Number: l.CMANo, URL: labURL(l.CMANo), LastSubmission: lastSubmission(l.LastSubmission)}}
	}
	return p, nil
}

// idName is the catalogue's key (IDNames) for what id looks like.
func idName(id trustmark.Identity) string {
	switch id.Kind {
	case trustmark.IDUSCC, trustmark.IDApprovalNo, trustmark.IDCMANo, trustmark.IDReport, trustmark.IDOrganicCode:
		return string(id.Kind)
	}
	switch id.CertType {
	case trustmark.TypeCCC:
		return "ccc"
	case trustmark.TypeOrganic:
		return "organic_cert"
	}
	return "certificate"
}
