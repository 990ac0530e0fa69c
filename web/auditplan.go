package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/audit"
	thttp "trustmark/http"
)

// The audit plan form of the workbench (/work/audits/new): a body's staff
// report an audit before it starts. The form is read into an audit.Plan
// and handed to the store's ReportAudit, the method behind POST
// /api/v1/audits, which decides with audit.Rules.DecidePlan; nothing is
// decided here. A refusal names its field (the plan's JSON names, such as
// team[2].registration_no), and the page shows it next to that field, in
// the page's language, with what was typed kept. It needs no script: the
// team has a fixed number of rows, of which blank ones are left out, and a
// button sends the form back with one more group of site fields
// (auditplan_sites.go).
//
// The form carries a request id made when it is shown (newRequestID, as
// the phone's check-in form does): a form sent twice, by a double click
// or a retry after a timeout, reports one audit and is answered with it
// both times. The same form sent again with another plan (the browser's
// Back, then changes) is refused once and shown with a new id, so that
// sending it once more reports the plan as another audit.

// auditPlanTeamRows is the number of team rows the form offers.
const auditPlanTeamRows = 6

// maxPlanField bounds each field of the form, as the API's JSON cells.
const maxPlanField = trustmark.MaxCellBytes

// auditPlanFields are the plan's fields of the form, but for the team
// rows, in the order of the page.
var auditPlanFields = []string{"body", "certificate", "holder_uscc", "type", "kind", "complexity", "effective_personnel",
	"site.address", "site.lat", "site.lng", "site.datum", "opening_at", "closing_at", "closing_ends_at", "auditor_days"}

// planFieldAliases names the form field of a refusal that the registry's
// lookups name by their own field (a certificate by number, a holder by
// USCC).
var planFieldAliases = map[string]string{"number": "certificate", "uscc": "holder_uscc", "body_approval_no": "body", "approval_no": "body"}

// The form's template, parsed with the others.
func init() { pageTemplates = append(pageTemplates, "auditplan") }

func (h *Handler) auditPlanRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/audits/new", h.auditPlanNew)
	mux.HandleFunc("POST /work/audits/new", h.auditPlanPost)
	mux.HandleFunc("GET /work/audits/{id}/plan", h.auditChangeForm)
	mux.HandleFunc("POST /work/audits/{id}/plan", h.auditChangePost)
	h.auditPlanFileRoutes(mux) // auditplanfile.go
}

// AuditPlanPage is the audit plan form.
type AuditPlanPage struct {
	WorkPage
	Bodies       []string // the bodies the person reports plans for
	Values       map[string]string
	Types        []trustmark.CertType
	Kinds        []audit.Kind
	Roles        []audit.Role
	Complexities []audit.Complexity
	Datums       []audit.Datum
	TeamRows     []int
	// SiteRows are the groups of site fields shown, the principal site
	// first; FocusSite the group the add_site button just added (-1: none).
	SiteRows  []int
	FocusSite int
	// Errors holds a refusal by field; Error one that names no field of
	// the form.
	Errors map[string]string
	Error  string
	// Action is where the form posts; Change, that it changes a plan that
	// stands (auditplan_change.go) rather than reporting a new one.
	Action string
	Change bool
}

// FieldError returns the refusal of field f, "" when none.
func (p *AuditPlanPage) FieldError(f string) string { return p.Errors[f] }

// Member returns the name of field name ("registration_no", "role") of
// team row i.
func (p *AuditPlanPage) Member(i int, name string) string { return teamField(i, name) }

func teamField(i int, name string) string { return "team[" + strconv.Itoa(i) + "]." + name }

// planningBodies are the bodies the caller may report audit plans for:
// the units of its roles that access.Decide lets plan for their own body.
func planningBodies(c *thttp.Caller) []string {
	var out []string
	for _, role := range c.Roles {
		if role.Kind == account.Body && access.Decide(role, access.AuditPlan, access.Target{Owner: role.Unit}) == nil {
			out = append(out, role.ID)
		}
	}
	return out
}

func (h *Handler) auditPlanPage(r *http.Request) *AuditPlanPage {
	wp, c := h.workPage(r, func(m *Messages) string { return m.AuditPlan.Title })
	p := &AuditPlanPage{WorkPage: wp, Bodies: planningBodies(c), Values: map[string]string{}, Errors: map[string]string{},
		Types: trustmark.CertTypes, Kinds: audit.Kinds, Roles: audit.Roles, Datums: []audit.Datum{audit.WGS84, audit.GCJ02},
		Complexities: []audit.Complexity{audit.High, audit.Medium, audit.Low, audit.Limited}, Action: "/work/audits/new", FocusSite: -1}
	p.setSiteRows(1)
	for i := range auditPlanTeamRows {
		p.TeamRows = append(p.TeamRows, i)
	}
	return p
}

// noPlanRight is the refusal of a person none of whose roles reports
// audit plans, as access.Decide words it.
func noPlanRight() error {
	return trustmark.Reasonf(trustmark.EForbidden, "access.no_rule", "", "no rule lets %s staff %s (%s)", "your", "report an audit plan", access.AuditPlan)
}

func (h *Handler) auditPlanNew(w http.ResponseWriter, r *http.Request) {
	p := h.auditPlanPage(r)
	if len(p.Bodies) == 0 {
		h.fail(w, r, noPlanRight())
		return
	}
	p.Values["kind"], p.Values["site.datum"] = string(audit.Surveillance), string(audit.WGS84)
	for i := range auditPlanTeamRows {
		p.Values[teamField(i, "role")] = string(audit.Auditor)
	}
	p.Values[teamField(0, "role")] = string(audit.Leader)
	p.Values["request_id"] = newRequestID()
	h.render(w, r, http.StatusOK, "auditplan", p)
}

func (h *Handler) auditPlanPost(w http.ResponseWriter, r *http.Request) {
	p := h.auditPlanPage(r)
	if len(p.Bodies) == 0 {
		h.fail(w, r, noPlanRight())
		return
	}
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.fail(w, r, thttp.FormTooLarge(tooLarge.Limit))
			return
		}
		// Otherwise what could be read is read, and a field missing is
		// refused by name below.
	}
	f, err := readAuditPlanForm(r.PostForm)
	p.Values = f.Values
	if h.anotherSite(w, r, p, f) {
		return
	}
	if err == nil && f.Body == "" && len(p.Bodies) == 1 {
		f.Body = p.Bodies[0]
	}
	if err == nil {
		err = mayPlanFor(thttp.CallerOf(r), f.Body)
	}
	var d audit.Decision
	if err == nil {
		var desk AuditDesk
		if desk, err = h.auditDesk(); err == nil {
			d, err = desk.ReportAuditOnce(r.Context(), f.Body, thttp.CallerOf(r).Party.String(), f.RequestID, f.Plan)
			err = f.formError(err)
		}
	}
	if err != nil {
		h.auditPlanRefused(w, r, p, err)
		return
	}
	h.cfg.Logger.Info("audit plan reported on the workbench", "audit", d.Audit.ID, "body", f.Body, "actor", thttp.CallerOf(r).Party.String(),
		"replayed", d.Replayed)
	h.redirect(w, r, &p.Page, auditURL(d.Audit.ID))
}

// anotherSite answers a form sent with its add_site button: the form
// again with what was typed and one more group of site fields, focused.
// It reports whether it answered; otherwise the page shows the groups
// that were sent.
func (h *Handler) anotherSite(w http.ResponseWriter, r *http.Request, p *AuditPlanPage, f auditPlanForm) bool {
	p.setSiteRows(f.SiteRows)
	if !wantsAnotherSite(r.PostForm) {
		return false
	}
	if f.SiteRows < audit.MaxSites {
		p.setSiteRows(f.SiteRows + 1)
		p.FocusSite = f.SiteRows
	}
	h.render(w, r, http.StatusOK, "auditplan", p)
	return true
}

// mayPlanFor refuses, naming the body field, a body the caller may not
// report plans for (access.Decide, as the API asks it).
func mayPlanFor(c *thttp.Caller, body string) error {
	if body == "" {
		return trustmark.Invalidf("form.required", "body", "this field is required")
	}
	if _, _, err := c.Decide(access.AuditPlan, access.Target{Owner: account.Unit{Kind: account.Body, ID: body}}); err != nil {
		return trustmark.WithField(err, "body")
	}
	return nil
}

// auditPlanRefused shows the form again with the refusal next to its
// field and what was typed kept. A refusal of the form's request id (one
// that reported another plan) gives the form a new one: sent again, it
// reports its plan as another audit.
func (h *Handler) auditPlanRefused(w http.ResponseWriter, r *http.Request, p *AuditPlanPage, err error) {
	h.refuse(w, r, err, "auditplan", p, func() {
		msg := p.T.Reason(err)
		switch f := trustmark.ErrorField(err); {
		case f == "request_id" && trustmark.ErrorCode(err) == trustmark.EConflict:
			p.Values["request_id"], p.Error = newRequestID(), p.T.AuditPlan.Resent
		case f != "" && planFormField(f):
			p.Errors[f] = msg
		default:
			p.Error = msg
		}
	})
}

// planFormField reports whether f is a field the page can show a refusal
// next to: a plan field, a team row's field, or the team as a whole.
func planFormField(f string) bool {
	if f == "team" || siteFormField(f) {
		return true
	}
	for _, g := range auditPlanFields {
		if f == g {
			return true
		}
	}
	for i := range auditPlanTeamRows {
		if f == teamField(i, "registration_no") || f == teamField(i, "role") {
			return true
		}
	}
	return false
}

// auditPlanForm is the form as read: what was typed (to show it again),
// the body it is reported for, the plan, and for each member of the plan's
// team the form row it came from.
type auditPlanForm struct {
	Values    map[string]string
	Body      string
	RequestID string // the form's, made when it was shown
	Plan      audit.Plan
	SiteRows  int // the groups of site fields the form showed
	rows      []int
	sites     []int // the group of each of the plan's sites
}

// formError names the form's field of a refusal of the plan: a team
// member by the row it was typed in and a site by its group (blank ones
// are left out of the plan), a registry lookup by the field it looked up.
func (f auditPlanForm) formError(err error) error {
	if err == nil {
		return nil
	}
	field := trustmark.ErrorField(err)
	if a, ok := planFieldAliases[field]; ok {
		return trustmark.WithField(err, a)
	}
	if s, ok := f.siteFieldOf(field); ok {
		return trustmark.WithField(err, s)
	}
	idx, rest, ok := strings.Cut(strings.TrimPrefix(field, "team["), "].")
	if !ok || !strings.HasPrefix(field, "team[") {
		return err
	}
	if i, e := strconv.Atoi(idx); e == nil && i >= 0 && i < len(f.rows) {
		return trustmark.WithField(err, teamField(f.rows[i], rest))
	}
	return err
}

// readAuditPlanForm reads the form's fields into a plan, as the API reads
// its JSON: a number that is not one, a time that is not a time in China,
// an over-long field or a control character is refused naming its field;
// everything else is for audit.Rules.DecidePlan to decide.
func readAuditPlanForm(v url.Values) (auditPlanForm, error) {
	f := auditPlanForm{Values: map[string]string{}, SiteRows: formSiteRows(v)}
	if err := f.readValues(v, planFormNames(f.SiteRows)); err != nil {
		return f, err
	}
	val := f.Values
	f.Body, f.RequestID = val["body"], val["request_id"]
	p := audit.Plan{Certificate: val["certificate"], HolderUSCC: trustmark.USCC(val["holder_uscc"]), Type: trustmark.CertType(val["type"]),
		Kind: audit.Kind(val["kind"]), Complexity: audit.Complexity(val["complexity"])}
	if err := f.readSites(&p); err != nil {
		return f, err
	}
	if err := readPlanCounts(val, &p); err != nil {
		return f, err
	}
	if err := readPlanTimes(val, &p); err != nil {
		return f, err
	}
	f.readTeam(&p)
	f.Plan = p
	return f, nil
}

// planFormNames are the names of the form's fields when it shows
// siteRows groups of site fields, in the order of the page.
func planFormNames(siteRows int) []string {
	names := append([]string(nil), auditPlanFields...)
	names = append(names, siteFieldNamesOf(siteRows)[len(siteFieldNames):]...) // the principal site's are plan fields
	for i := range auditPlanTeamRows {
		names = append(names, teamField(i, "registration_no"), teamField(i, "role"))
	}
	return append(names, "request_id")
}

// readValues keeps the fields names of v, trimmed, in f.Values. The first
// over-long field is refused (kept cut to the bound); then the first with a
// control character.
func (f *auditPlanForm) readValues(v url.Values, names []string) error {
	for _, name := range names {
		s := strings.TrimSpace(v.Get(name))
		if len(s) > maxPlanField {
			f.Values[name] = s[:maxPlanField]
			return trustmark.Invalidf("field.length", name, "%s is %d bytes long, want at most %d", name, len(s), maxPlanField)
		}
		f.Values[name] = s
	}
	for _, name := range names {
		if i := strings.IndexFunc(f.Values[name], unicode.IsControl); i >= 0 {
			r := []rune(f.Values[name][i:])[0]
			return trustmark.Invalidf("field.control", name, "%s contains the control character %U", name, r)
		}
	}
	return nil
}

// readPlanCounts reads the auditor days (required, decimal) and the
// effective personnel (a whole number when given) into p.
func readPlanCounts(val map[string]string, p *audit.Plan) error {
	var err error
	if p.AuditorDays, err = planNumber(val, "auditor_days", true); err != nil {
		return err
	}
	if s := val["effective_personnel"]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return trustmark.Invalidf("audit.number", "effective_personnel", "%s %q is not a number", "effective_personnel", s)
		}
		p.EffectivePersonnel = n
	}
	return nil
}

// readPlanTimes reads the meetings' times into p: the opening and the
// closing meeting are required, the closing meeting's end is not.
func readPlanTimes(val map[string]string, p *audit.Plan) error {
	var err error
	for _, t := range []struct {
		name     string
		to       *time.Time
		required bool
	}{{"opening_at", &p.OpeningAt, true}, {"closing_at", &p.ClosingAt, true}, {"closing_ends_at", &p.ClosingEndsAt, false}} {
		if *t.to, err = planTime(val, t.name, t.required); err != nil {
			return err
		}
	}
	return nil
}

// readTeam puts the team rows that name a person into p, remembering each
// member's row; blank rows are left out.
func (f *auditPlanForm) readTeam(p *audit.Plan) {
	for i := range auditPlanTeamRows {
		no := f.Values[teamField(i, "registration_no")]
		if no == "" {
			continue // a blank row
		}
		p.Team = append(p.Team, audit.Member{RegistrationNo: no, Role: audit.Role(f.Values[teamField(i, "role")])})
		f.rows = append(f.rows, i)
	}
}

// planNumber reads a decimal field of the form.
func planNumber(val map[string]string, name string, required bool) (float64, error) {
	s := val[name]
	if s == "" {
		if required {
			return 0, trustmark.Invalidf("form.required", name, "this field is required")
		}
		return 0, nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, trustmark.Invalidf("audit.number", name, "%s %q is not a number", name, s)
	}
	return x, nil
}

// planTimeLayouts are the forms a browser's datetime-local field sends,
// and the one a person types without it.
var planTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"}

// planTime reads a date and time in China, as the form's fields give
// meetings.
func planTime(val map[string]string, name string, required bool) (time.Time, error) {
	s := val[name]
	if s == "" {
		if required {
			return time.Time{}, trustmark.Invalidf("form.required", name, "this field is required")
		}
		return time.Time{}, nil
	}
	for _, layout := range planTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, chinaTime); err == nil {
			return t, nil
		}
	}
	return time.Time{}, trustmark.Invalidf("form.datetime", name, "%[2]q is not a date and time in China of the form YYYY-MM-DDThh:mm (%[1]s)", name, s)
}
