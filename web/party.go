package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"trustmark"
	"trustmark/locale"
)

// CertRow is one certificate in a list. Since is the day its status began,
// shown when it is not valid; Issuer the issuing body's standing when that
// is not active.
type CertRow struct {
	Number, URL, TypeName, Holder, HolderURL, Product, Expires, Since, Issuer string
	Status                                                                    StatusView
	// On the disclosures: the issuing body and why the status changed.
	Body, BodyURL, Reason string
}

// ReportRow is one test report in a list; Issuer is the laboratory's
// standing when that is not active.
type ReportRow struct {
	Number, URL, Lab, LabURL, Product, Issued, Issuer string
	Conclusion                                        StatusView
}

// OrgPage shows an organisation with every certificate and report it holds.
type OrgPage struct {
	Page
	Org                  *trustmark.Org
	Region               string
	Certificates         []CertRow
	Reports              []ReportRow
	MoreCerts, MoreRepts string
	NameZh               string // the Chinese name, secondary on an English page
}

// orgListLimit bounds the certificates and reports listed on one page.
const orgListLimit = 500

func (h *Handler) org(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	raw := r.PathValue("uscc")
	p := &OrgPage{Page: h.newPage(r, "")}
	u, o, ok := findRecord(h, w, r, raw, "uscc", trustmark.ParseUSCC, orgURL, h.cfg.Store.Org)
	if !ok {
		return
	}
	t := p.T
	p.Org, p.Title = o, o.Name
	if t.Lang == "en" && o.NameEn != "" {
		p.Title, p.NameZh = o.NameEn, o.Name
	}
	p.Region = trustmark.DefaultRegions().FullNameIn(o.RegionCode, p.T.Lang)
	certs, err := h.cfg.Store.Certificates(ctx, trustmark.CertificateFilter{HolderUSCC: u, Limit: orgListLimit})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	today := h.today()
	for _, c := range certs.Items {
		p.Certificates = append(p.Certificates, h.certRow(&p.Page, c, today))
	}
	if certs.NextCursor != "" {
		p.MoreCerts = fmt.Sprintf(t.OrgMore, formatCount(orgListLimit, t))
	}
	reps, err := h.cfg.Store.Reports(ctx, trustmark.ReportFilter{ClientUSCC: u, Limit: orgListLimit})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, rep := range reps.Items {
		p.Reports = append(p.Reports, reportRow(&p.Page, rep))
	}
	if reps.NextCursor != "" {
		p.MoreRepts = fmt.Sprintf(t.OrgMore, formatCount(orgListLimit, t))
	}
	h.render(w, r, http.StatusOK, "org", p)
}

func (h *Handler) certRow(p *Page, c *trustmark.Certificate, today trustmark.Date) CertRow {
	s, since := c.EffectiveStatus(today)
	standing := c.Standing(today)
	row := CertRow{Number: c.Number, URL: p.Link(certURL(c.Number)), TypeName: p.T.CertTypeName(c.Type), Holder: c.HolderName,
		HolderURL: p.Link(orgURL(c.HolderUSCC)), Product: c.Product, Expires: c.ExpiresOn.String(),
		Status: certStatusView(p.T, s), Issuer: issuerNote(p.T, standing, p.T.IssuerBodyNotes)}
	row.Status.Class = certClass(s, standing.Tone)
	if s != trustmark.StatusValid {
		row.Since = since.String()
	}
	return row
}

func reportRow(p *Page, r *trustmark.Report) ReportRow {
	standing := r.Standing()
	row := ReportRow{Number: r.Number, URL: p.Link(reportURL(r.LabCMANo, r.Number)), Lab: r.LabName, LabURL: p.Link(labURL(r.LabCMANo)),
		Product: r.Product, Issued: r.IssuedOn.String(), Conclusion: conclusionView(p.T, r.Conclusion),
		Issuer: issuerNote(p.T, standing, p.T.IssuerLabNotes)}
	row.Conclusion.Class = toneClass(standing.Tone)
	return row
}

func conclusionView(t *Messages, c trustmark.Conclusion) StatusView {
	label := t.ReportFail
	if c == trustmark.ConclusionPass {
		label = t.ReportPass
	}
	return StatusView{Label: label, Class: toneClass(c.Tone())}
}

// certClass is the page colour of a certificate's status: a lapse is
// neutral grey, so that a reader tells it from a sanction (revoked,
// withdrawn: red); otherwise the colour of its tone.
func certClass(s trustmark.CertStatus, t trustmark.Tone) string {
	if s == trustmark.StatusExpired {
		return lapsedClass
	}
	return toneClass(t)
}

// lapsedClass is the neutral colour of what has run out (an expired
// certificate, a laboratory's lapsed accreditation).
const lapsedClass = "lapsed"

// toneClass is the page colour of a tone (trustmark.Standing decides the
// tone; the pages only paint it).
func toneClass(t trustmark.Tone) string {
	switch t {
	case trustmark.ToneGood:
		return "ok"
	case trustmark.ToneCaution:
		return "warn"
	}
	return "bad"
}

// issuerNote says, in the page's language, what s says of the issuer when
// it is not in good standing (notes holds the sentence for each status of a
// body or laboratory), and nothing otherwise.
func issuerNote(t *Messages, s trustmark.Standing, notes map[trustmark.PartyStatus]string) string {
	if !s.IssuerWarning {
		return ""
	}
	if f := notes[s.IssuerStatus]; f != "" {
		return fmt.Sprintf(f, s.IssuerSince)
	}
	return fmt.Sprintf(notes[""], t.PartyStatusNames[s.IssuerStatus], s.IssuerSince)
}

// BodyPage shows a certification body: status, approved scopes, when it
// last submitted data, and the certificates it issued (a page at a time).
type BodyPage struct {
	Page
	Body           *trustmark.Body
	Status         StatusView
	Region         string
	Scopes         []string
	LastSubmission string
	CCC            []CCCCategory // designated categories with their names
	CCCLabel       string        // "指定的CCC产品类别（3）"
	Certificates   []CertRow
	NextURL        string
	// Filters over the body's certificates: type (among its approved
	// fields) and effective status.
	Type, StatusFilter         string
	TypeOptions, StatusOptions []Option
	NameZh                     string // the Chinese name, secondary on an English page
	Action                     string // the page's own address, where the filters go
}

func (h *Handler) body(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	raw := r.PathValue("approval_no")
	p := &BodyPage{Page: h.newPage(r, "")}
	no, b, ok := findRecord(h, w, r, raw, "approval_no", parseApprovalNo, bodyURL, h.cfg.Store.Body)
	if !ok {
		return
	}
	p.describe(b, no)
	f := p.certFilter(r.URL.Query(), no)
	certs, next, err := h.certsByStatus(ctx, f) // in force first (bodycerts.go)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	today := h.today()
	for _, c := range certs {
		row := h.certRow(&p.Page, c, today)
		row.Issuer = "" // the page's own status box says it
		p.Certificates = append(p.Certificates, row)
	}
	if next != "" {
		p.NextURL = p.nextCertsURL(no, next)
	}
	h.render(w, r, http.StatusOK, "body", p)
}

// describe fills in what the page says of body b (approval number no):
// its names, status, region, scopes and designated CCC categories.
func (p *BodyPage) describe(b *trustmark.Body, no string) {
	t := p.T
	p.Body, p.Title = b, b.Name
	p.Status = partyStatusView(t, b.Status)
	p.Region = trustmark.DefaultRegions().FullNameIn(b.RegionCode, p.T.Lang)
	for _, s := range b.Scopes {
		p.Scopes = append(p.Scopes, t.CertTypeName(s))
	}
	p.LastSubmission = lastSubmission(b.LastSubmission)
	p.CCC = cccCategories(b.CCCCategories)
	p.Action = bodyURL(no)
	p.CCCLabel = fmt.Sprintf(t.Portal.Counted, t.BodyCCC, formatCount(int64(len(p.CCC)), t))
	if t.Lang == "en" && b.NameEn != "" {
		p.Title, p.NameZh = b.NameEn, b.Name
	}
}

// certFilter reads the page's filters from q into the store's filter of
// the certificates of body no, and offers them again: a type among the
// body's approved fields, and an effective status. A value the page does
// not know filters nothing.
func (p *BodyPage) certFilter(q url.Values, no string) trustmark.CertificateFilter {
	t := p.T
	f := trustmark.CertificateFilter{BodyApprovalNo: no, Limit: 50, Cursor: q.Get("cursor")}
	if ct, err := trustmark.ParseCertType(q.Get("type")); err == nil && q.Get("type") != "" {
		f.Type, p.Type = ct, string(ct)
	}
	if s := trustmark.CertStatus(q.Get("status")); t.CertStatusNames[s] != "" {
		f.Status, p.StatusFilter = s, string(s)
	}
	p.TypeOptions = []Option{{Value: "", Label: t.FilterAny}}
	for _, s := range p.Body.Scopes {
		p.TypeOptions = append(p.TypeOptions, Option{Value: string(s), Label: t.CertTypeName(s), Selected: string(s) == p.Type})
	}
	p.StatusOptions = []Option{{Value: "", Label: t.FilterAny}}
	for _, s := range trustmark.CertStatuses {
		p.StatusOptions = append(p.StatusOptions, Option{Value: string(s), Label: locale.StatusLabel(t.CertStatusNames[s]), Selected: string(s) == p.StatusFilter})
	}
	return f
}

// nextCertsURL is the next page of body no's certificates, from cursor
// next, keeping the filters.
func (p *BodyPage) nextCertsURL(no, next string) string {
	v := url.Values{"cursor": {next}}
	if p.Type != "" {
		v.Set("type", p.Type)
	}
	if p.StatusFilter != "" {
		v.Set("status", p.StatusFilter)
	}
	return p.Link(bodyURL(no) + "?" + v.Encode())
}

// LabPage shows a laboratory and a form to verify its reports.
type LabPage struct {
	Page
	Lab            *trustmark.Lab
	Status         StatusView
	Region         string
	Expired        bool
	LastSubmission string
	Scope          []ScopeGroup // the accredited scope by field (labs.go)
}

func (h *Handler) lab(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("cma_no")
	p := &LabPage{Page: h.newPage(r, "")}
	_, l, ok := findRecord(h, w, r, raw, "cma_no", parseCMANo, labURL, h.cfg.Store.Lab)
	if !ok {
		return
	}
	p.Lab, p.Title = l, l.Name
	p.Status = labStatusView(p.T, l, h.today())
	p.Expired = p.Status.Class == lapsedClass
	p.Scope = scopeGroups(p.T, l.ScopeItems())
	p.Region = trustmark.DefaultRegions().FullNameIn(l.RegionCode, p.T.Lang)
	p.LastSubmission = lastSubmission(l.LastSubmission)
	h.render(w, r, http.StatusOK, "lab", p)
}

// PersonPage shows an auditor's public record and nothing more: name,
// registration number, body, qualifications, grade and status.
type PersonPage struct {
	Page
	RegistrationNo, Name, Grade string
	BodyApprovalNo, BodyName    string
	BodyURL                     string
	Qualifications              []string
	Status                      StatusView
	StatusSince                 string
}

func (h *Handler) person(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	reg := r.PathValue("registration_no")
	p := &PersonPage{Page: h.newPage(r, "")}
	per, err := h.cfg.Store.Person(ctx, reg)
	if code := trustmark.ErrorCode(err); code == trustmark.ENotFound || code == trustmark.EInvalid {
		nf := h.newNotFound(r, reg, "person")
		nf.Unknown = true
		h.notFound(w, r, nf)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Copy field by field: whatever the store adds to Person later, the page
	// shows only these.
	p.Title = per.Name
	p.RegistrationNo, p.Name, p.Grade = per.RegistrationNo, per.Name, gradeName(p.T, per.Grade)
	p.BodyApprovalNo, p.BodyURL = per.BodyApprovalNo, p.Link(bodyURL(per.BodyApprovalNo))
	if b, err := h.cfg.Store.Body(ctx, per.BodyApprovalNo); err == nil {
		p.BodyName = b.Name
	}
	for _, q := range per.Qualifications {
		p.Qualifications = append(p.Qualifications, p.T.CertTypeName(q))
	}
	p.Status = partyStatusView(p.T, per.Status)
	p.StatusSince = per.StatusSince.String()
	h.render(w, r, http.StatusOK, "person", p)
}

// trimLab folds a laboratory entry of the report form.
func trimLab(s string) string { return strings.TrimSpace(s) }

// findRecord answers the identifier part of an entity page: raw is parsed
// (a malformed identifier gets a not-found page saying why), redirected to
// its canonical form, and loaded (an unknown one gets a not-found page). It
// returns ok=false when it has answered the request itself.
func findRecord[K ~string, T any](h *Handler, w http.ResponseWriter, r *http.Request, raw, idKind string,
	parse func(string) (K, error), pageURL func(K) string, load func(context.Context, K) (*T, error)) (key K, rec *T, ok bool) {
	key, err := parse(raw)
	if err != nil {
		nf := h.newNotFound(r, raw, idKind)
		nf.Malformed = nf.T.Reason(err)
		h.notFound(w, r, nf)
		return key, nil, false
	}
	if string(key) != raw {
		p := h.newPage(r, "")
		h.redirect(w, r, &p, pageURL(key))
		return key, nil, false
	}
	rec, err = load(r.Context(), key)
	if trustmark.IsNotFound(err) {
		nf := h.newNotFound(r, raw, idKind)
		nf.Unknown = true
		h.notFound(w, r, nf)
		return key, nil, false
	}
	if err != nil {
		h.fail(w, r, err)
		return key, nil, false
	}
	return key, rec, true
}

// gradeName is an auditor's grade g, as the registry records it, in the
// page's language.
func gradeName(t *Messages, g string) string { return cmp.Or(t.Grades[g], g) }
