package web

import (
	"net/http"
	"strings"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	thttp "trustmark/http"
)

// Certificate forms of the workbench: a body issues a certificate
// (/work/certificates/new) and a body or regulator changes a certificate's
// status (/work/certificates/{number}). They call the store's
// IssueCertificate and TransitionCertificate, the methods behind
// POST /api/v1/certificates and .../transitions, which decide with
// trustmark.DecideIssue and DecideTransition; a refusal is shown next to
// the field it names, in the page's language.

// certFields are the fields of the issue form, in its order.
var certFields = []string{"number", "type", "holder_uscc", "scope", "standard", "product", "ccc_category", "issued_on", "expires_on"}

// CertFormPage is the page of the issue form or of a certificate's
// transition form.
type CertFormPage struct {
	WorkPage
	Bodies []string // the bodies the person may issue for
	Values map[string]string
	Types  []trustmark.CertType
	// Errors holds a refusal by field; Error one that names no field of
	// the form.
	Errors map[string]string
	Error  string
	Done   string
	// Cert is the certificate of a transition form, and To the statuses
	// it offers.
	Cert *trustmark.Certificate
	To   []trustmark.CertStatus
}

// TextFields are the fields of the issue form typed in, in order.
func (p *CertFormPage) TextFields() []string {
	return []string{"number", "holder_uscc", "scope", "standard", "product", "ccc_category", "issued_on", "expires_on"}
}

// FieldError returns the refusal of field f, "" when none.
func (p *CertFormPage) FieldError(f string) string { return p.Errors[f] }

func (h *Handler) certFormPage(r *http.Request) (*CertFormPage, *thttp.Caller) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.Work.CertIssueTitle })
	p := &CertFormPage{WorkPage: wp, Values: map[string]string{}, Errors: map[string]string{}, Types: trustmark.CertTypes}
	p.Bodies = c.IssuingBodies()
	return p, c
}

func (h *Handler) certNew(w http.ResponseWriter, r *http.Request) {
	p, _ := h.certFormPage(r)
	if len(p.Bodies) == 0 {
		h.fail(w, r, trustmark.Reasonf(trustmark.EForbidden, "access.no_rule", "", "no rule lets %s staff %s (%s)", "your", "issue a certificate", access.CertificateIssue))
		return
	}
	h.render(w, r, http.StatusOK, "certform", p)
}

func (h *Handler) certIssue(w http.ResponseWriter, r *http.Request) {
	p, c := h.certFormPage(r)
	for _, f := range append(certFields, "body") {
		p.Values[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	req, err := issueForm(p.Values)
	var role account.Role
	if err == nil {
		role, err = issuingRole(c, p.Bodies, &req)
	}
	var cert *trustmark.Certificate
	if err == nil {
		cert, err = h.cfg.Store.IssueCertificate(r.Context(), thttp.RoleParty(role), req)
	}
	if err != nil {
		h.certRefused(w, r, p, err)
		return
	}
	h.cfg.Logger.Info("certificate issued on the workbench", "number", cert.Number, "body", role.ID, "actor", c.Party.String())
	h.redirect(w, r, &p.Page, "/work"+certURL(cert.Number)+"?done=issued")
}

// issuingRole is the role in which c issues req: the body the form names,
// or, when it names none, the one the registry's rule picks among the
// bodies c may issue for (trustmark.IssueRequest.IssuerFor, as the API
// asks it), if the matrix lets c issue in that body's name.
func issuingRole(c *thttp.Caller, bodies []string, req *trustmark.IssueRequest) (account.Role, error) {
	id, err := req.IssuerFor(c.Party, bodies)
	if err != nil {
		return account.Role{}, err
	}
	role, _, err := c.Decide(access.CertificateIssue, access.Target{Owner: account.Unit{Kind: account.Body, ID: id}})
	if err != nil {
		return account.Role{}, err
	}
	req.BodyApprovalNo = role.ID
	return role, nil
}

// issueForm reads the issue form's fields as the API reads its JSON.
func issueForm(v map[string]string) (trustmark.IssueRequest, error) {
	var out trustmark.IssueRequest
	var err error
	for _, f := range certFields {
		if len(v[f]) > trustmark.MaxCellBytes {
			return out, trustmark.Invalidf("field.length", f, "%s is %d bytes long, want at most %d", f, len(v[f]), trustmark.MaxCellBytes)
		}
	}
	if v["body"] != "" {
		no, err := trustmark.ParseApprovalNo(v["body"])
		if err != nil {
			return out, trustmark.WithField(err, "body")
		}
		out.BodyApprovalNo = string(no)
	}
	if v["number"] != "" {
		if out.Number, err = trustmark.ParseCertNumber(v["number"]); err != nil {
			return out, trustmark.WithField(err, "number")
		}
	}
	if out.Type, err = trustmark.ParseCertType(v["type"]); err != nil {
		return out, trustmark.WithField(err, "type")
	}
	if v["holder_uscc"] != "" {
		if out.HolderUSCC, err = trustmark.ParseUSCC(v["holder_uscc"]); err != nil {
			return out, trustmark.WithField(err, "holder_uscc")
		}
	}
	if v["ccc_category"] != "" {
		if out.CCCCategory, err = trustmark.ParseCCCCategory(v["ccc_category"], "ccc_category"); err != nil {
			return out, err
		}
	}
	for _, d := range []struct {
		name string
		to   *trustmark.Date
	}{{"issued_on", &out.IssuedOn}, {"expires_on", &out.ExpiresOn}} {
		if s := v[d.name]; s != "" {
			if *d.to, err = trustmark.ParseDate(s); err != nil {
				return out, trustmark.Invalidf("field.date", d.name, "%s %q is not a real date of the form YYYY-MM-DD", d.name, s)
			}
		}
	}
	out.Scope, out.Standard, out.Product = v["scope"], v["standard"], v["product"]
	return out, nil
}

// certRefused shows the form again with the refusal next to its field.
func (h *Handler) certRefused(w http.ResponseWriter, r *http.Request, p *CertFormPage, err error) {
	name := "certform"
	if p.Cert != nil {
		name = "certtransition"
	}
	h.refuse(w, r, err, name, p, func() {
		msg := p.T.Reason(err)
		f := trustmark.ErrorField(err)
		if f == "body_approval_no" {
			f = "body"
		}
		if _, ok := p.Values[f]; ok && f != "" {
			p.Errors[f] = msg
		} else {
			p.Error = msg
		}
	})
}

// certTransitionTarget is what authorization knows of certificate c: its
// body, and the body's region.
func (h *Handler) certTarget(r *http.Request, c *trustmark.Certificate) access.Target {
	region := ""
	if b, err := h.cfg.Store.Body(r.Context(), c.BodyApprovalNo); err == nil {
		region = b.RegionCode
	}
	return thttp.CertificateTarget(c, region)
}

// certTransitionPage loads the certificate of the path for a transition
// form, or answers.
func (h *Handler) certTransitionPage(w http.ResponseWriter, r *http.Request) (*CertFormPage, account.Role, bool) {
	p, c := h.certFormPage(r)
	cert, err := h.cfg.Store.Certificate(r.Context(), r.PathValue("number"))
	if trustmark.IsNotFound(err) {
		h.notFoundPage(w, r)
		return nil, account.Role{}, false
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, account.Role{}, false
	}
	role, _, err := c.Decide(access.CertificateTransition, h.certTarget(r, cert))
	if err != nil {
		h.fail(w, r, err)
		return nil, account.Role{}, false
	}
	p.Cert, p.Title = cert, p.T.Work.TransitionTitle+" "+cert.Number
	p.To = []trustmark.CertStatus{trustmark.StatusSuspended, trustmark.StatusValid, trustmark.StatusRevoked, trustmark.StatusWithdrawn}
	return p, role, true
}

func (h *Handler) certTransitionForm(w http.ResponseWriter, r *http.Request) {
	p, _, ok := h.certTransitionPage(w, r)
	if !ok {
		return
	}
	switch r.URL.Query().Get("done") {
	case "issued":
		p.Done = p.T.Work.CertIssued
	case "1":
		p.Done = p.T.Work.Done
	}
	h.render(w, r, http.StatusOK, "certtransition", p)
}

func (h *Handler) certTransition(w http.ResponseWriter, r *http.Request) {
	p, role, ok := h.certTransitionPage(w, r)
	if !ok {
		return
	}
	for _, f := range []string{"to", "reason", "effective_on"} {
		p.Values[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	t := trustmark.Transition{Reason: p.Values["reason"]}
	var err error
	if t.To, err = trustmark.ParseCertStatus(p.Values["to"]); err != nil {
		err = trustmark.WithField(err, "to")
	} else if len(t.Reason) > trustmark.MaxCellBytes {
		err = trustmark.Invalidf("field.length", "reason", "%s is %d bytes long, want at most %d", "reason", len(t.Reason), trustmark.MaxCellBytes)
	} else if e := p.Values["effective_on"]; e != "" {
		if t.EffectiveOn, err = trustmark.ParseDate(e); err != nil {
			err = trustmark.Invalidf("field.date", "effective_on", "%s %q is not a real date of the form YYYY-MM-DD", "effective_on", e)
		}
	}
	if err == nil {
		_, err = h.cfg.Store.TransitionCertificate(r.Context(), thttp.RoleParty(role), p.Cert.Number, t)
	}
	if err != nil {
		h.certRefused(w, r, p, err)
		return
	}
	h.cfg.Logger.Info("certificate transition on the workbench", "number", p.Cert.Number, "to", string(t.To), "as", role.Unit.String(), "actor", thttp.CallerOf(r).Party.String())
	h.redirect(w, r, &p.Page, "/work"+certURL(p.Cert.Number)+"?done=1")
}
