package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/credit"
	thttp "trustmark/http"
	"trustmark/locale"
)

// A certification body's auditors (/work/auditors): its staff list the
// persons registered with it, register a person and end a registration.
// Who may is access.Decide's (person.manage, scope own_persons; the name is
// shown under personal.view, own_persons); what a registration may be is
// the registry's: the row is read by trustmark.ParseRecord and committed by
// Store.Import as the body's party, the same path as an import file of
// persons, so a person banned for life or listed (credit.Standing, as
// credit.Excluded asks it) is refused with the decision named, a banned
// person stays banned (trustmark.CheckPersonStatusChange), and every change
// is an event in the public log with the name committed by hash only.

func init() { pageTemplates = append(pageTemplates, "auditors") }

func (h *Handler) auditorRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/auditors", h.auditorsPage)
	mux.HandleFunc("POST /work/auditors/register", h.auditorRegister)
	mux.HandleFunc("POST /work/auditors/end", h.auditorEnd)
}

// auditorsPageSize is how many persons one page lists per body.
const auditorsPageSize = 100

// AuditorsPage is /work/auditors.
type AuditorsPage struct {
	WorkPage
	Groups []AuditorGroup
	Types  []Option
	// Done says what was just done; Error is a refusal, shown with the
	// form of body Form, whose values Input keeps.
	Done, Error, Form string
	Input             AuditorInput
}

// AuditorGroup is the auditors of one body the person works for.
type AuditorGroup struct {
	Body, BodyName string
	Persons        []AuditorRow
	More           string // the next page
}

// AuditorRow is one registered person.
type AuditorRow struct {
	RegistrationNo, URL, Name, Qualifications, Grade string
	Status, StatusKey, Since                         string
	Excluded                                         string // the decision that excludes the person, "" when none
	Active                                           bool   // a registration that can be ended
}

// AuditorInput is what was typed into the registration form.
type AuditorInput struct {
	RegistrationNo, Name, Grade string
	Qualifications              map[string]bool
}

// exclusions reads the credit decisions that exclude persons: the rule of
// credit.Excluded, read for many at once (sqlstore.DB is one).
type exclusions interface {
	CreditExclusions(ctx context.Context, kind credit.SubjectKind, ids []string, act credit.Act, on trustmark.Date) (map[string]credit.Entry, error)
}

// bodyRoles are the caller's roles of certification bodies.
func bodyRoles(c *thttp.Caller) []account.Role {
	var out []account.Role
	for _, r := range c.Roles {
		if r.Kind == account.Body {
			out = append(out, r)
		}
	}
	return out
}

func auditorUnit(regNo string) account.Unit { return account.Unit{Kind: account.Auditor, ID: regNo} }

func (h *Handler) auditorsPage(w http.ResponseWriter, r *http.Request) {
	p, err := h.buildAuditorsPage(r, r.URL.Query().Get("body"), r.URL.Query().Get("cursor"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "auditors", p)
}

func (h *Handler) buildAuditorsPage(r *http.Request, pageBody, cursor string) (*AuditorsPage, error) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.Auditors.Title })
	p := &AuditorsPage{WorkPage: wp}
	roles := bodyRoles(c)
	if len(roles) == 0 {
		return nil, trustmark.Reasonf(trustmark.EForbidden, "access.no_rule", "", "no rule lets %s staff %s (%s)", "your", "register, change or deregister the body's auditors", access.PersonManage)
	}
	for _, ct := range trustmark.CertTypes {
		p.Types = append(p.Types, Option{Value: string(ct), Label: p.T.CertTypeName(ct)})
	}
	for _, role := range roles {
		g, err := h.auditorGroup(r, p, role, cursorFor(pageBody, role.ID, cursor))
		if err != nil {
			return nil, err
		}
		p.Groups = append(p.Groups, g)
	}
	return p, nil
}

func cursorFor(pageBody, body, cursor string) string {
	if pageBody == body {
		return cursor
	}
	return ""
}

// auditorGroup lists the persons registered with role's body, with the
// name only where the matrix lets the role see it, and the credit decision
// that excludes a person, if any.
func (h *Handler) auditorGroup(r *http.Request, p *AuditorsPage, role account.Role, cursor string) (AuditorGroup, error) {
	t := p.T
	g := AuditorGroup{Body: role.ID, BodyName: h.roleView(r.Context(), t, role).Unit}
	page, err := h.cfg.Store.Persons(r.Context(), trustmark.PartyFilter{BodyApprovalNo: role.ID, Cursor: cursor, Limit: auditorsPageSize})
	if err != nil {
		return g, err
	}
	excluded := map[string]credit.Entry{}
	if ex, ok := h.cfg.Store.(exclusions); ok && len(page.Items) > 0 {
		ids := make([]string, len(page.Items))
		for i, pr := range page.Items {
			ids[i] = pr.RegistrationNo
		}
		if excluded, err = ex.CreditExclusions(r.Context(), credit.Person, ids, credit.DrawnAsInspector, h.today()); err != nil {
			return g, err
		}
	}
	for _, pr := range page.Items {
		row := AuditorRow{RegistrationNo: pr.RegistrationNo, URL: personURL(pr.RegistrationNo), Grade: gradeName(t, pr.Grade),
			Status: t.PartyStatusNames[pr.Status], StatusKey: string(pr.Status), Since: pr.StatusSince.String(),
			Active: pr.Status == trustmark.PartyActive || pr.Status == trustmark.PartySuspended}
		if access.Decide(role, access.PersonalView, access.Target{Owner: auditorUnit(pr.RegistrationNo), Employer: role.Unit}) == nil {
			row.Name = pr.Name
		}
		names := make([]string, len(pr.Qualifications))
		for i, q := range pr.Qualifications {
			names[i] = t.CertTypeName(q)
		}
		row.Qualifications = strings.Join(names, "、")
		if e, ok := excluded[pr.RegistrationNo]; ok {
			row.Excluded = e.Decision
			if row.Excluded == "" {
				row.Excluded = e.ID
			}
		}
		g.Persons = append(g.Persons, row)
	}
	if page.NextCursor != "" {
		g.More = p.Link("/work/auditors?" + url.Values{"body": {role.ID}, "cursor": {page.NextCursor}}.Encode())
	}
	return g, nil
}

// auditorRole returns the caller's role of the body the form names
// (field "as": the approval number, or kind:id as on the staff page).
func auditorRole(r *http.Request, c *thttp.Caller) (account.Role, error) {
	as := r.PostFormValue("as")
	for _, role := range bodyRoles(c) {
		if role.ID == as || role.Unit.String() == as {
			return role, nil
		}
	}
	// Not one of the caller's bodies: the matrix says why, as for a
	// person of another body.
	target := access.Target{Owner: auditorUnit(r.PostFormValue("registration_no")), Employer: account.Unit{Kind: account.Body, ID: as}}
	_, _, err := c.Decide(access.PersonManage, target)
	if err == nil {
		err = trustmark.Errorf(trustmark.EForbidden, "as", "%s is not a body of yours", as)
	}
	return account.Role{}, err
}

func (h *Handler) auditorRegister(w http.ResponseWriter, r *http.Request) {
	c := thttp.CallerOf(r)
	in := AuditorInput{RegistrationNo: strings.TrimSpace(r.PostFormValue("registration_no")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Grade: strings.TrimSpace(r.PostFormValue("grade")), Qualifications: map[string]bool{}}
	for _, q := range r.PostForm["qualifications"] {
		in.Qualifications[q] = true
	}
	role, err := auditorRole(r, c)
	if err == nil {
		err = h.registerAuditor(r, role, in)
	}
	if err != nil {
		h.auditorsRefused(w, r, err, in)
		return
	}
	h.cfg.Logger.Info("auditor registered", "actor", c.Account.ID, "body", role.ID, "registration_no", in.RegistrationNo)
	h.auditorsDone(w, r, func(m *Messages) string { return fmt.Sprintf(m.Auditors.Registered, in.RegistrationNo) })
}

// registerAuditor registers the person with role's body. A person whose
// registration with another body is in force belongs to that body and is
// refused by the matrix (own_persons); one never registered, whose
// registration ended, or who is banned is the registry's to decide.
func (h *Handler) registerAuditor(r *http.Request, role account.Role, in AuditorInput) error {
	employer := role.Unit
	old, err := h.cfg.Store.Person(r.Context(), in.RegistrationNo)
	switch {
	case err == nil && old.BodyApprovalNo != role.ID && (old.Status == trustmark.PartyActive || old.Status == trustmark.PartySuspended):
		employer = account.Unit{Kind: account.Body, ID: old.BodyApprovalNo}
	case err != nil && trustmark.ErrorCode(err) != trustmark.ENotFound:
		return err
	}
	if err := access.Decide(role, access.PersonManage, access.Target{Owner: auditorUnit(in.RegistrationNo), Employer: employer}); err != nil {
		return err
	}
	quals := make([]string, 0, len(in.Qualifications))
	for _, ct := range trustmark.CertTypes {
		if in.Qualifications[string(ct)] {
			quals = append(quals, string(ct))
		}
	}
	return h.importPerson(r, role, trustmark.Row{"registration_no": in.RegistrationNo, "name": in.Name, "body_approval_no": role.ID,
		"qualifications": strings.Join(quals, ";"), "grade": in.Grade, "status": string(trustmark.PartyActive)})
}

// importPerson reads row as an import row of persons and commits it as
// the body's party; a refused row is the refusal.
func (h *Handler) importPerson(r *http.Request, role account.Role, row trustmark.Row) error {
	if row["registration_no"] == "" {
		return trustmark.Invalidf("auditors.registration_no_required", "registration_no", "a registration number is required")
	}
	if row["qualifications"] == "" {
		return trustmark.Invalidf("auditors.qualifications_required", "qualifications", "choose at least one qualification")
	}
	rec, err := trustmark.ParseRecord(trustmark.KindPersons, row, trustmark.DefaultPolicy())
	if err != nil {
		return err
	}
	out, err := h.cfg.Store.Import(r.Context(), thttp.RoleParty(role), trustmark.KindPersons, []trustmark.Record{rec})
	if err != nil {
		return err
	}
	if len(out) == 1 && out[0].Result == trustmark.Rejected {
		return out[0].Err
	}
	return nil
}

func (h *Handler) auditorEnd(w http.ResponseWriter, r *http.Request) {
	c := thttp.CallerOf(r)
	regNo := strings.TrimSpace(r.PostFormValue("registration_no"))
	role, err := auditorRole(r, c)
	var p *trustmark.Person
	if err == nil {
		p, err = h.cfg.Store.Person(r.Context(), regNo)
	}
	if err == nil {
		err = access.Decide(role, access.PersonManage, access.Target{Owner: auditorUnit(regNo), Employer: account.Unit{Kind: account.Body, ID: p.BodyApprovalNo}})
	}
	if err == nil && p.Status != trustmark.PartyActive && p.Status != trustmark.PartySuspended {
		err = trustmark.Reasonf(trustmark.EConflict, "auditors.not_registered", "registration_no", "person %s is %s: there is no registration in force to end", regNo, p.Status)
	}
	if err == nil {
		quals := make([]string, len(p.Qualifications))
		for i, q := range p.Qualifications {
			quals[i] = string(q)
		}
		err = h.importPerson(r, role, trustmark.Row{"registration_no": p.RegistrationNo, "name": p.Name, "body_approval_no": p.BodyApprovalNo,
			"qualifications": strings.Join(quals, ";"), "grade": p.Grade, "status": string(trustmark.PartyRevoked)})
	}
	if err != nil {
		h.auditorsRefused(w, r, err, AuditorInput{})
		return
	}
	h.cfg.Logger.Info("auditor registration ended", "actor", c.Account.ID, "body", role.ID, "registration_no", regNo)
	h.auditorsDone(w, r, func(m *Messages) string { return fmt.Sprintf(m.Auditors.Ended, regNo) })
}

func (h *Handler) auditorsDone(w http.ResponseWriter, r *http.Request, done func(*Messages) string) {
	p, err := h.buildAuditorsPage(r, "", "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Done = done(p.T)
	h.render(w, r, http.StatusOK, "auditors", p)
}

// auditorsRefused shows the page again with the refusal next to the form
// of the body posted, and what was typed.
func (h *Handler) auditorsRefused(w http.ResponseWriter, r *http.Request, err error, in AuditorInput) {
	build := func(r *http.Request) (*AuditorsPage, error) { return h.buildAuditorsPage(r, "", "") }
	refuseRebuilt(h, w, r, err, "auditors", build, func(p *AuditorsPage) {
		p.Error, p.Form, p.Input = p.T.Reason(err), r.PostFormValue("as"), in
		if label := auditorFieldLabel(&p.T.Auditors, trustmark.ErrorField(err)); label != "" {
			p.Error = label + ": " + p.Error
		}
		h.cfg.Logger.Info("auditor change refused", "code", trustmark.ErrorCode(err))
	})
}

// auditorFieldLabel is the label of the form's field that a refusal
// names, "" for a field the form does not have (the body, the status: the
// page fills them in, and the refusal says what they were).
func auditorFieldLabel(t *locale.AuditorMessages, field string) string {
	switch field {
	case "registration_no":
		return t.RegistrationNo
	case "name":
		return t.Name
	case "qualifications":
		return t.Qualifications
	case "grade":
		return t.Grade
	}
	return ""
}

// auditorTools links a body's staff to the page.
func auditorTools(t *Messages, c *thttp.Caller) []WorkTool {
	if len(bodyRoles(c)) == 0 {
		return nil
	}
	return []WorkTool{{"/work/auditors", t.Auditors.Title}}
}
