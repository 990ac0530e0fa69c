package web

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/audit"
	thttp "trustmark/http"
)

// AuditPage is /work/audits/{id}: the plan, the check-ins and anomalies,
// and for a member of the team the check-in form.
type AuditPage struct {
	WorkPage
	ID, Kind, Certificate, Holder, Body, Site, Region string
	OtherSites                                        []string // the addresses of the plan's further sites
	Opening, Closing, ClosingEnds                     string
	Team                                              []TeamRow
	CheckIns                                          []CheckInRow
	Anomalies                                         []AnomalyRow
	// Form is the check-in form, for a member of the team; nil otherwise.
	Form *CheckInFormView
	// PhotosHidden says that photos exist the person may not see.
	PhotosHidden bool
	// PlanLink is the change form of the plan, for the audit's body's
	// staff; "" otherwise.
	PlanLink string
}

// TeamRow is one member of the team: public registry data only.
type TeamRow struct {
	RegNo, Name, Role string
	Self              bool
}

// CheckInRow is one check-in as the audit's page shows it.
type CheckInRow struct {
	Kind, Person, At, DeviceTime, Position, Accuracy, Distance string
	Photos                                                     []PhotoLink
}

// PhotoLink is a check-in photo for someone entitled to see it.
type PhotoLink struct{ URL, Alt string }

// AnomalyRow is one anomaly in a list.
type AnomalyRow struct {
	Rule, Code, Severity, SeverityClass, URL, Due, RaisedAt string
}

// CheckInFormView is the check-in form: its kinds, the values it keeps
// after a refusal, and the request id that makes a retry safe.
type CheckInFormView struct {
	Action, RequestID, Kind, Lat, Lng, Accuracy, Error string
	Script                                             string
	Confirmed                                          bool
}

func (h *Handler) auditPage(w http.ResponseWriter, r *http.Request) {
	p, status, err := h.auditView(r, nil)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderCheckInPage(w, r, status, p)
}

// renderCheckInPage renders an audit's page; with a form, its script may
// run (the one static file, from this site only).
func (h *Handler) renderCheckInPage(w http.ResponseWriter, r *http.Request, status int, p *AuditPage) {
	if p.Form != nil {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data: blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	}
	h.render(w, r, status, "audit", p)
}

// auditView builds the audit's page for the caller; form, when not nil,
// is a refused check-in form to show again.
func (h *Handler) auditView(r *http.Request, form *CheckInFormView) (*AuditPage, int, error) {
	c := thttp.CallerOf(r)
	d, a, err := h.visibleAudit(r, c)
	if err != nil {
		return nil, 0, err
	}
	ctx := r.Context()
	p := h.auditHead(r, c, a)
	m := p.T
	self, err := checkingInAs(c.Roles, a)
	checker := err == nil
	p.Team = h.auditTeam(ctx, m, a, self)
	cs, err := d.AuditCheckIns(ctx, a.ID)
	if err != nil {
		return nil, 0, err
	}
	for _, ci := range cs {
		p.CheckIns = append(p.CheckIns, h.checkInRow(m, c.Roles, a, ci, &p.PhotosHidden))
	}
	// Check-in positions are personal data: recorded first (accesslog.go).
	if err := h.recordPersonal(r, c, checkInViews(a.ID, a.Region, p.CheckIns)...); err != nil {
		return nil, 0, err
	}
	recs, err := d.AuditAnomalies(ctx, a.ID)
	if err != nil {
		return nil, 0, err
	}
	for _, an := range recs {
		p.Anomalies = append(p.Anomalies, anomalyRow(m, an))
	}
	status := http.StatusOK
	if checker {
		p.Form, status = checkInFormFor(a.ID, form, cs, self)
	}
	return p, status, nil
}

// auditHead is the audit's page with what its plan says: the kind,
// certificate, parties, sites and times, and the plan's change form for
// those who may change it.
func (h *Handler) auditHead(r *http.Request, c *thttp.Caller, a *audit.Audit) *AuditPage {
	ctx := r.Context()
	wp, _ := h.workPage(r, func(m *Messages) string { return fmt.Sprintf(m.Audit.AuditTitle, a.ID) })
	m := wp.T
	names := map[string]string{}
	p := &AuditPage{WorkPage: wp, ID: a.ID, Kind: cmp.Or(m.Audit.Kinds[a.Plan.Kind], string(a.Plan.Kind)),
		Certificate: a.Plan.Certificate, Holder: h.orgName(ctx, a.Plan.HolderUSCC, names), Body: h.bodyName(ctx, a.Body, names),
		Site: a.Plan.Site.Address, Region: trustmark.DefaultRegions().FullNameIn(a.Region, m.Lang),
		Opening: chinaMinute(a.Start()), Closing: chinaMinute(a.Plan.ClosingAt), ClosingEnds: chinaMinute(a.End())}
	for _, s := range a.Plan.AllSites()[1:] {
		p.OtherSites = append(p.OtherSites, s.Address)
	}
	if thttp.MayChangeAudit(c.Roles)(a) == nil {
		p.PlanLink = planPath(a.ID)
	}
	return p
}

// auditTeam is a's team with the registry's names, marking self (the
// caller's registration number). A member the registry no longer has is
// shown by number only.
func (h *Handler) auditTeam(ctx context.Context, m *Messages, a *audit.Audit, self string) []TeamRow {
	var rows []TeamRow
	for _, mem := range a.Plan.Team {
		row := TeamRow{RegNo: mem.RegistrationNo, Role: cmp.Or(m.Audit.Roles[mem.Role], string(mem.Role)), Self: mem.RegistrationNo == self}
		if pe, err := h.cfg.Store.Person(ctx, mem.RegistrationNo); err == nil {
			row.Name = pe.Name
		}
		rows = append(rows, row)
	}
	return rows
}

// checkInFormFor is the check-in form of audit id for the team member self:
// a fresh one offering the check-in cs suggests next, or form, a refused
// one shown again with 400. Either carries a request id.
func checkInFormFor(id string, form *CheckInFormView, cs []audit.CheckIn, self string) (*CheckInFormView, int) {
	status := http.StatusOK
	if form == nil {
		form = &CheckInFormView{Kind: string(nextKind(cs, self))}
	} else {
		status = http.StatusBadRequest
	}
	if form.RequestID == "" {
		form.RequestID = newRequestID()
	}
	form.Action, form.Script = auditURL(id)+"/checkins", checkinScriptPath
	return form, status
}

// checkingInAs returns the registration number the caller checks in to a
// as: the person of a role access.Decide lets check in (the JSON route's
// rule).
func checkingInAs(roles []account.Role, a *audit.Audit) (string, error) {
	role, _, err := access.DecideAny(roles, access.AuditCheckin, a.Target())
	if err != nil {
		return "", err
	}
	return role.ID, nil
}

// nextKind is the check-in a person most likely makes next: the opening
// one until it is made, then the closing one.
func nextKind(cs []audit.CheckIn, person string) audit.CheckKind {
	if slices.ContainsFunc(cs, func(c audit.CheckIn) bool { return c.Person == person && c.Kind == audit.Open }) {
		return audit.Close
	}
	return audit.Open
}

// newRequestID is the id of one check-in as its form carries it: a retry
// of the form sends it again, and the store answers the check-in already
// made.
func newRequestID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "web-" + hex.EncodeToString(b)
}

func (h *Handler) checkInRow(m *Messages, roles []account.Role, a *audit.Audit, c audit.CheckIn, hidden *bool) CheckInRow {
	row := CheckInRow{Kind: cmp.Or(m.Audit.CheckKinds[c.Kind], string(c.Kind)), Person: c.Person, At: chinaMinute(c.At),
		DeviceTime: chinaMinute(c.DeviceTime),
		Position:   strconv.FormatFloat(c.Lat, 'f', 5, 64) + ", " + strconv.FormatFloat(c.Lng, 'f', 5, 64) + " (" + string(c.Datum) + ")",
		Accuracy:   fmt.Sprintf(m.Audit.Metres, strconv.FormatFloat(c.AccuracyM, 'f', 0, 64)),
		Distance:   siteDistanceWords(m, a, c.Position)}
	if _, ok := photoViewer(roles, a, c.Person); !ok {
		*hidden = *hidden || len(c.Photos) > 0
		return row
	}
	for i, ph := range c.Photos {
		row.Photos = append(row.Photos, PhotoLink{URL: auditURL(a.ID) + "/photos/" + ph.SHA256, Alt: fmt.Sprintf(m.Audit.PhotoAlt, i+1)})
	}
	return row
}

// siteDistanceWords says how far pos is from the nearest of a's sites,
// and, when a has several, which.
func siteDistanceWords(m *Messages, a *audit.Audit, pos audit.Point) string {
	_, s, d := a.Plan.Nearest(pos)
	words := distanceWords(m, d)
	if len(a.Plan.AllSites()) > 1 {
		return fmt.Sprintf(m.Audit.FromSite, words, s.Address)
	}
	return words
}

func distanceWords(m *Messages, metres float64) string {
	if metres >= 1000 {
		return fmt.Sprintf(m.Audit.Kilometres, strconv.FormatFloat(metres/1000, 'f', 1, 64))
	}
	return fmt.Sprintf(m.Audit.Metres, strconv.FormatFloat(metres, 'f', 0, 64))
}

// photoViewer returns the rule by which one of roles may see the photos of
// person's check-in to a: a photo is personal data (access.PersonalView),
// so the regulators of the audit's region (logged), the audit's body and
// the person see it, and nobody else.
func photoViewer(roles []account.Role, a *audit.Audit, person string) (access.Rule, bool) {
	_, rule, err := access.DecideAny(roles, access.PersonalView, a.PersonalTarget(person))
	return rule, err == nil
}

// auditPhoto serves a check-in photo of the audit to those photoViewer
// lets see it; to anyone else it does not exist.
func (h *Handler) auditPhoto(w http.ResponseWriter, r *http.Request) {
	c := thttp.CallerOf(r)
	d, a, err := h.visibleAudit(r, c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data, err := h.photoOf(r.Context(), d, a, c, r.PathValue("sha"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ct := http.DetectContentType(data)
	if ct != "image/jpeg" && ct != "image/png" && ct != "image/webp" && ct != "image/gif" {
		ct = "application/octet-stream"
		w.Header().Set("Content-Disposition", "attachment")
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

func (h *Handler) photoOf(ctx context.Context, d AuditDesk, a *audit.Audit, c *thttp.Caller, sha string) ([]byte, error) {
	notFound := trustmark.Errorf(trustmark.ENotFound, "photo", "no photo %s of audit %s", sha, a.ID)
	cs, err := d.AuditCheckIns(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	for _, ci := range cs {
		if !slices.ContainsFunc(ci.Photos, func(p audit.Photo) bool { return p.SHA256 == sha }) {
			continue
		}
		if _, ok := photoViewer(c.Roles, a, ci.Person); !ok {
			continue
		}
		// A photo is personal data: the view is recorded first (accesslog.go).
		if err := thttp.RecordPersonalAccessOn(ctx, h.personalLog(), "GET /work/audits/{id}/photos/{sha}", c, h.cfg.Clock(),
			thttp.PersonalView{Subject: thttp.PersonSubject(ci.Person), Fields: []string{"photos"}, Region: a.Region, Context: "audit:" + a.ID}); err != nil {
			return nil, err
		}
		return d.CheckInPhoto(ctx, sha)
	}
	return nil, notFound
}
