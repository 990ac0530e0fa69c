package web

import (
	"cmp"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/audit"
	thttp "trustmark/http"
)

// The workbench's audit pages (/work/audits): an auditor's audits and the
// check-in from the phone, regulators' and bodies' lists, each audit, and
// each anomaly. Check-ins go through the store's one path (AuditDesk's
// CheckIn, as POST /api/v1/audits/{id}/checkins does): the store decides
// with package audit, and what a person may see or do is asked of
// access.Decide. Personal data stays inside: no identity number or phone
// is ever shown, and check-in photos only to those access.Decide entitles
// to a person's data (the regulators of the audit's region, the audit's
// body, the person).

// AuditDesk is the store of the audit pages (sqlstore.DB): the JSON
// routes' store, and the reads of the lists and photos.
type AuditDesk interface {
	thttp.AuditStore
	FindAudits(ctx context.Context, q audit.Query) ([]audit.Audit, error)
	AuditAnomalyCounts(ctx context.Context, ids []string) (map[string]int, error)
	CheckInPhoto(ctx context.Context, sha256 string) ([]byte, error)
}

// The audit pages' templates, parsed with the others.
func init() {
	pageTemplates = append(pageTemplates, "audits", "audit", "audit_result", "audit_anomaly")
}

// auditRoutes adds the audit pages to the workbench's mux.
func (h *Handler) auditRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/audits", h.auditList)
	mux.HandleFunc("GET /work/audits/{$}", h.auditList)
	mux.HandleFunc("GET /work/audits/{id}", h.auditPage)
	mux.HandleFunc("POST /work/audits/{id}/checkins", h.auditCheckIn)
	// A check-in carries photos: its body may reach maxCheckInBody, not
	// only the server's limit, from before the session layer reads the
	// form for its CSRF token (the pattern is listed once, above).
	h.mux.ServeMux.Handle("POST /work/audits/{id}/checkins", thttp.WithBodyLimit(maxCheckInBody, h.cfg.Auth.RequireSession(mux, h.fail)))
	mux.HandleFunc("GET /work/audits/{id}/anomalies/{key...}", h.anomalyPage)
	mux.HandleFunc("GET /work/audits/{id}/photos/{sha}", h.auditPhoto)
	mux.HandleFunc("GET /work/static/{file}", h.checkinScript)
}

func (h *Handler) auditDesk() (AuditDesk, error) {
	if d, ok := h.cfg.Store.(AuditDesk); ok {
		return d, nil
	}
	return nil, trustmark.Errorf(trustmark.EUnavailable, "", "this server does not keep audits")
}

func auditURL(id string) string { return "/work/audits/" + url.PathEscape(id) }

// anomalyURL is the page of an anomaly of an audit: its key after the
// audit's prefix ("audit:ID/").
func anomalyURL(a audit.AnomalyRecord) string {
	rest := strings.TrimPrefix(a.Key, "audit:"+a.Audit+"/")
	return auditURL(a.Audit) + "/anomalies/" + pathEscape(rest)
}

// checkinScript is the check-in page's script: the position, the photos
// made smaller, and a retry that never checks in twice (web/static).
//
//go:embed static/checkin.js
var checkinJS []byte

// checkinScriptPath carries a hash of the script, so that a phone keeps it
// until it changes.
var checkinScriptPath = func() string {
	sum := sha256.Sum256(checkinJS)
	return "/work/static/checkin-" + hex.EncodeToString(sum[:4]) + ".js"
}()

func (h *Handler) checkinScript(w http.ResponseWriter, r *http.Request) {
	if "/work/static/"+r.PathValue("file") != checkinScriptPath {
		h.notFoundPage(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	w.Write(checkinJS)
}

// seesAudit reports whether a role may see audit a: its body's staff (the
// rule of planning it), a member of its team (the rule of checking in)
// and the regulators of its region (the rule of seeing its matters).
func seesAudit(role account.Role, t access.Target) bool {
	for _, act := range []access.Action{access.AuditPlan, access.AuditCheckin, access.MatterView} {
		if access.Decide(role, act, t) == nil {
			return true
		}
	}
	return false
}

// visibleAudit loads the audit of the request's id when the caller may see
// it; anyone else is told it does not exist, so that ids are not probed.
func (h *Handler) visibleAudit(r *http.Request, c *thttp.Caller) (AuditDesk, *audit.Audit, error) {
	d, err := h.auditDesk()
	if err != nil {
		return nil, nil, err
	}
	a, err := d.Audit(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	t := a.Target()
	for _, role := range c.Roles {
		if seesAudit(role, t) {
			return d, a, nil
		}
	}
	return nil, nil, trustmark.Errorf(trustmark.ENotFound, "id", "no audit %s", a.ID)
}

// AuditsPage is /work/audits: a section for each role of the person.
type AuditsPage struct {
	WorkPage
	Sections []AuditSection
	// Filters is set when a list of the person's takes filters (a
	// regulator's, a body's): the form shows From, To, Body and
	// Anomalous as given.
	Filters        bool
	From, To, Body string
	Anomalous      bool
	Limit          int
	// CanPlan is set for a body's staff, who report plans (auditplan.go).
	CanPlan bool
}

// AuditSection lists the audits of one role.
type AuditSection struct {
	Title, Hint string
	Mine        bool // an auditor's own audits, grouped by day
	Rows        []AuditRow
	Shown       string
}

// AuditRow is one audit of a list.
type AuditRow struct {
	ID, URL, Kind, Site, Opening, Closing, Holder, Body string
	Group                                               string // today, coming, ended (an auditor's list)
	Anomalies                                           int
	AnomalyLabel                                        string
}

// auditListLimit bounds each section of the list.
const auditListLimit = 200

func (h *Handler) auditList(w http.ResponseWriter, r *http.Request) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.Audit.ListTitle })
	p := AuditsPage{WorkPage: wp, Limit: auditListLimit, CanPlan: len(planningBodies(c)) > 0}
	d, err := h.auditDesk()
	var f audit.Query
	if err == nil {
		f, err = p.filters(r.URL.Query())
	}
	lists := auditScopes(p.T, c.Roles, f, h.today())
	p.Filters = slices.ContainsFunc(lists, func(l auditScope) bool { return !l.section.Mine })
	if err == nil {
		err = p.filtersTaken()
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	names := map[string]string{}
	for _, l := range lists {
		s, err := h.auditSection(r.Context(), d, p.T, l, names)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Sections = append(p.Sections, s)
	}
	h.render(w, r, http.StatusOK, "audits", &p)
}

// auditParams are the parameters /work/audits takes: its filters and the
// language.
var auditParams = []string{"from", "to", "body", "anomalous", "lang"}

// auditFilterValues are the values of the list's closed filters: the
// form's check box sends anomalous=1.
var auditFilterValues = map[string][]string{"anomalous": {"1"}}

// filters reads the list's filters from the query. A parameter the page
// does not take, one given twice, a date that is not one, a body that is
// not an approval number and another value of anomalous are refused by
// name, as on the region pages (checkRegionFilters): each would otherwise
// be dropped and the list shown as if it were filtered.
func (p *AuditsPage) filters(v url.Values) (audit.Query, error) {
	var q audit.Query
	if err := checkPageQuery(v, auditParams, auditFilterValues); err != nil {
		return q, err
	}
	p.From, p.To, p.Body = strings.TrimSpace(v.Get("from")), strings.TrimSpace(v.Get("to")), strings.TrimSpace(v.Get("body"))
	p.Anomalous = v.Get("anomalous") != ""
	for _, f := range []struct {
		name, s string
		dst     *trustmark.Date
	}{{"from", p.From, &q.From}, {"to", p.To, &q.To}} {
		if f.s == "" {
			continue
		}
		d, err := trustmark.ParseDate(f.s)
		if err != nil {
			return q, trustmark.Invalidf("query.date", f.name, "%s %q is not a date of the form YYYY-MM-DD", f.name, f.s)
		}
		*f.dst = d
	}
	if p.Body != "" {
		no, err := trustmark.ParseApprovalNo(p.Body)
		if err != nil {
			return q, regionFilterError("body", p.Body, []string{"CNCA-R-YYYY-NNN"})
		}
		p.Body = string(no)
	}
	q.Body, q.Anomalous = p.Body, p.Anomalous
	return q, nil
}

// filtersTaken refuses a filter when none of the person's lists takes one
// (an auditor's own list is the phone's, unfiltered; a laboratory has no
// list): it would be dropped. Call it once p.Filters is known.
func (p *AuditsPage) filtersTaken() error {
	if p.Filters {
		return nil
	}
	for _, f := range []struct {
		name  string
		given bool
	}{{"from", p.From != ""}, {"to", p.To != ""}, {"body", p.Body != ""}, {"anomalous", p.Anomalous}} {
		if f.given {
			return trustmark.Invalidf("audit.no_filter", f.name, "filter %s narrows the audit lists of regulators and bodies; yours take no filter", f.name)
		}
	}
	return nil
}

// auditScope is one section of /work/audits before it is read: the role
// whose audits it lists, its title and what it asks of the store.
type auditScope struct {
	role    account.Role
	section AuditSection
	q       audit.Query
}

// auditScopes are the sections of /work/audits for roles: an auditor's
// own audits (from a month back to two months ahead, today's first; not
// filtered), a regulator's region's and a body's own, each filtered by f.
// Any other role (a laboratory, an organisation) has no audits to see and
// no section; the workbench's home links here only when there is one
// (auditTools). What each section shows is then allowed audit by audit by
// seesAudit.
func auditScopes(m *Messages, roles []account.Role, f audit.Query, today trustmark.Date) []auditScope {
	var out []auditScope
	for _, role := range roles {
		l := auditScope{role: role, q: f}
		switch role.Kind {
		case account.Auditor:
			l.q = audit.Query{Person: role.ID, From: today.AddDate(0, -1, 0), To: today.AddDate(0, 2, 0)}
			l.section.Title, l.section.Hint, l.section.Mine = m.Audit.Mine, m.Audit.MineHint, true
		case account.Regulator:
			l.q.Region = role.ID
			name := m.Accounts.National
			if role.ID != trustmark.NationalRegion {
				name = trustmark.DefaultRegions().FullNameIn(role.ID, m.Lang)
			}
			l.section.Title = fmt.Sprintf(m.Audit.RegionList, name)
		case account.Body:
			// The body filter narrows a body's own list, never widens it:
			// another body's number reads that body's audits, and
			// seesAudit keeps none of them.
			l.q.Body = cmp.Or(f.Body, role.ID)
			l.section.Title = m.Audit.BodyList
		default:
			continue
		}
		l.q.Limit = auditListLimit
		out = append(out, l)
	}
	return out
}

// auditTools links the workbench's home to the audit list for a person
// with audits to see: a body's staff, an auditor, a regulator (the roles
// auditScopes gives a section; the home needs no dates of them).
func auditTools(t *Messages, c *thttp.Caller) []WorkTool {
	if len(auditScopes(t, c.Roles, audit.Query{}, trustmark.Date{})) == 0 {
		return nil
	}
	return []WorkTool{{"/work/audits", t.Audit.ListTitle}}
}

// auditSection reads the audits of l, each allowed by access.Decide
// (seesAudit), with their anomalies.
func (h *Handler) auditSection(ctx context.Context, d AuditDesk, m *Messages, l auditScope, names map[string]string) (AuditSection, error) {
	s := l.section
	as, err := d.FindAudits(ctx, l.q)
	if err != nil {
		return s, err
	}
	as = slices.DeleteFunc(as, func(a audit.Audit) bool { return !seesAudit(l.role, a.Target()) })
	ids := make([]string, len(as))
	for i := range as {
		ids[i] = as[i].ID
	}
	counts, err := d.AuditAnomalyCounts(ctx, ids)
	if err != nil {
		return s, err
	}
	for i := range as {
		s.Rows = append(s.Rows, h.auditRow(ctx, m, &as[i], counts[as[i].ID], names))
	}
	if s.Mine {
		sortMine(s.Rows, as, h.cfg.Clock())
	}
	s.Shown = fmt.Sprintf(m.Audit.Shown, len(s.Rows), auditListLimit)
	return s, nil
}

// sortMine puts an auditor's audits in the order the phone shows them:
// those of today first, then those to come (soonest first), then those
// that ended (latest first), and names each group.
func sortMine(rows []AuditRow, as []audit.Audit, now time.Time) {
	today := trustmark.DateOf(now)
	rank := func(a *audit.Audit) int {
		switch start, end := trustmark.DateOf(a.Start()), a.LastDay(); {
		case !today.Before(start) && !today.After(end):
			return 0
		case start.After(today):
			return 1
		}
		return 2
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		ri, rj := rank(&as[i]), rank(&as[j])
		if ri != rj {
			return ri - rj
		}
		if ri == 1 {
			return as[i].Start().Compare(as[j].Start())
		}
		return as[j].Start().Compare(as[i].Start())
	})
	sorted := make([]AuditRow, len(rows))
	for k, i := range idx {
		sorted[k] = rows[i]
		sorted[k].Group = [...]string{"today", "upcoming", "past"}[rank(&as[i])]
	}
	copy(rows, sorted)
}

func (h *Handler) auditRow(ctx context.Context, m *Messages, a *audit.Audit, anomalies int, names map[string]string) AuditRow {
	row := AuditRow{ID: a.ID, URL: auditURL(a.ID), Kind: cmp.Or(m.Audit.Kinds[a.Plan.Kind], string(a.Plan.Kind)),
		Site: a.Plan.Site.Address, Opening: chinaMinute(a.Start()), Closing: chinaMinute(a.Plan.ClosingAt),
		Holder: h.orgName(ctx, a.Plan.HolderUSCC, names), Body: h.bodyName(ctx, a.Body, names), Anomalies: anomalies}
	if n := len(a.Plan.AllSites()); n > 1 {
		row.Site += fmt.Sprintf(m.Audit.MoreSites, n-1)
	}
	row.AnomalyLabel = m.Audit.NoAnomaly
	if anomalies > 0 {
		row.AnomalyLabel = fmt.Sprintf(m.Audit.AnomalyCount, anomalies)
	}
	return row
}

// orgName and bodyName name a holder and a body from the registry, once
// per page.
func (h *Handler) orgName(ctx context.Context, u trustmark.USCC, names map[string]string) string {
	k := "org:" + string(u)
	if n, ok := names[k]; ok {
		return n
	}
	n := string(u)
	if o, err := h.cfg.Store.Org(ctx, u); err == nil {
		n = o.Name
	}
	names[k] = n
	return n
}

func (h *Handler) bodyName(ctx context.Context, no string, names map[string]string) string {
	k := "body:" + no
	if n, ok := names[k]; ok {
		return n
	}
	n := no
	if b, err := h.cfg.Store.Body(ctx, no); err == nil {
		n = b.Name
	}
	names[k] = n
	return n
}

// chinaMinute is an instant in China time to the minute.
func chinaMinute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinaTime).Format("2006-01-02 15:04")
}
