package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	thttp "trustmark/http"
	"trustmark/matter"
)

// The workbench (/work/): pages for people signed in. Every route under
// /work/ is served through thttp.Auth.RequireSession, so no page here runs
// without a full session, and a post without the session's CSRF token
// never reaches a handler. Pages of the workbench register on workMux and
// start from workPage; what a person may do on them is asked of the
// caller (thttp.Caller.Decide, that is access.Decide), never decided here.

// Inbox lists the matters waiting for the holder of roles: for each role,
// those its unit must act on, and for a regulator those of its region.
// The workbench shows only those access.Decide lets the person see.
type Inbox interface {
	Inbox(ctx context.Context, roles []account.Role) ([]matter.Matter, error)
}

// workMux returns the routes of the workbench.
func (h *Handler) workMux() http.Handler {
	mux := h.mux.sub()
	mux.HandleFunc("GET /work/{$}", h.workHome)
	h.accessLogRoutes(mux)
	mux.HandleFunc("GET /work/matters/{id}", h.matterPage)
	mux.HandleFunc("POST /work/matters/{id}", h.matterPost)
	mux.HandleFunc("GET /work/matters/{id}/files/{step}", h.matterFile)
	mux.HandleFunc("GET /work/staff", h.staffPage)
	mux.HandleFunc("POST /work/staff/invite", h.staffInvite)
	mux.HandleFunc("POST /work/staff/remove", h.staffRemove)
	mux.HandleFunc("POST /work/staff/reset", h.staffReset)
	mux.HandleFunc("POST /work/staff/find", h.staffFind)
	mux.HandleFunc("GET /work/certificates/new", h.certNew)
	mux.HandleFunc("POST /work/certificates/new", h.certIssue)
	mux.HandleFunc("GET /work/certificates/{number...}", h.certTransitionForm)
	mux.HandleFunc("POST /work/certificates/{number...}", h.certTransition)
	mux.HandleFunc("GET /work/import", h.importForm)
	mux.HandleFunc("POST /work/import", h.importUpload)
	mux.HandleFunc("GET /work/import/refused/{id}", h.importRefusedFile)
	h.auditRoutes(mux)
	h.auditPlanRoutes(mux)
	h.riskRoutes(mux)
	h.riskReportRoutes(mux)
	h.regionRoutes(mux)
	h.calendarRoutes(mux)
	h.auditorRoutes(mux)
	h.creditRoutes(mux)
	h.creditArchiveRoutes(mux)
	h.unitListRoutes(mux) // unitlists.go
	mux.HandleFunc("/work/", h.notFoundPage)
	return mux
}

// WorkPage is what every workbench page gets: the page, who is signed in
// and the token its forms carry.
type WorkPage struct {
	Page
	Name, Email string
	CSRF        string
}

// workPage starts a workbench page for the caller RequireSession found.
func (h *Handler) workPage(r *http.Request, title func(*Messages) string) (WorkPage, *thttp.Caller) {
	c := thttp.CallerOf(r)
	p := WorkPage{Page: h.newPage(r, ""), CSRF: c.CSRFToken()}
	p.Title, p.Robots = title(p.T), "noindex"
	if c.Account != nil {
		p.Name, p.Email = c.Account.Name, string(c.Account.Email)
	}
	return p, c
}

// WorkHome is the workbench's home: the person's roles, what each covers
// and may do, and the inbox.
type WorkHome struct {
	WorkPage
	Roles []RoleView
	// InboxReady is set when a matter store lists the inbox; Inbox holds
	// its matters, overdue first.
	InboxReady bool
	Inbox      []InboxItem
	// Tools are the workbench's pages the person's roles may use (staff,
	// certificates, upload, audits, ...); see workTools and the *Tools of
	// each page.
	Tools []WorkTool
}

// RoleView is one role as the home shows it.
type RoleView struct {
	Kind, Unit, UnitID string
	URL                string // the unit's public page, "" for a regulator
	Admin              bool
	Scope              string // what a regulator's region covers
	May                []string
}

// InboxItem is one matter of the inbox.
type InboxItem struct {
	Kind, Subject, Due string
	URL                string // the matter's page
	Left               string // working days left, or overdue by
	Overdue            bool
	Provisional        bool
}

func (h *Handler) workHome(w http.ResponseWriter, r *http.Request) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.Accounts.WorkTitle })
	p := WorkHome{WorkPage: wp, Tools: slices.Concat(workTools(wp.T, c), auditTools(wp.T, c), creditTools(wp.T, c), riskReportTools(wp.T, c), regionTools(wp.T, c))}
	p.Tools = append(append(p.Tools, auditorTools(wp.T, c)...), calendarTools(wp.T, c)...)
	p.Tools = append(p.Tools, unitListTools(wp.T, c)...)
	for _, role := range c.Roles {
		p.Roles = append(p.Roles, h.roleView(r.Context(), p.T, role))
	}
	if h.cfg.Inbox != nil {
		items, err := h.inbox(r.Context(), p.T, c)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.InboxReady, p.Inbox = true, items
	}
	h.render(w, r, http.StatusOK, "work", &p)
}

// roleView describes role: the unit by its name in the registry (a
// regulator's by its region), and the actions the authorization matrix
// gives its kind, with their scopes.
func (h *Handler) roleView(ctx context.Context, m *Messages, role account.Role) RoleView {
	v := RoleView{Kind: m.Accounts.Kinds[role.Kind], Unit: role.ID, UnitID: role.ID, Admin: role.Admin}
	switch role.Kind {
	case account.Regulator:
		name := m.Accounts.National
		if role.ID != trustmark.NationalRegion {
			name = trustmark.DefaultRegions().FullNameIn(role.ID, m.Lang)
		}
		v.Unit, v.Scope = name, fmt.Sprintf(m.Accounts.RegionScope, name)
	case account.Body:
		v.URL = bodyURL(role.ID)
		if b, err := h.cfg.Store.Body(ctx, role.ID); err == nil {
			v.Unit = b.Name
		}
	case account.Lab:
		v.URL = labURL(role.ID)
		if l, err := h.cfg.Store.Lab(ctx, role.ID); err == nil {
			v.Unit = l.Name
		}
	case account.Auditor:
		v.URL = personURL(role.ID)
	case account.Org:
		if u, err := trustmark.ParseUSCC(role.ID); err == nil {
			v.URL = orgURL(u)
			if o, err := h.cfg.Store.Org(ctx, u); err == nil {
				v.Unit = o.Name
			}
		}
	}
	for _, rule := range access.Matrix {
		if rule.Kind == role.Kind && (!rule.Admin || role.Admin) {
			v.May = append(v.May, fmt.Sprintf(m.Accounts.MayItem, m.Accounts.Actions[rule.Action], m.Accounts.Scopes[rule.Scope]))
		}
	}
	return v
}

// inbox lists the matters waiting for the caller that the caller may see,
// overdue first, with their working days left on the official calendar.
func (h *Handler) inbox(ctx context.Context, m *Messages, c *thttp.Caller) ([]InboxItem, error) {
	ms, err := h.cfg.Inbox.Inbox(ctx, c.Roles)
	if err != nil {
		return nil, err
	}
	rules := h.matterRules()
	today := h.today()
	visible := ms[:0]
	for _, mt := range ms {
		if _, _, err := c.Decide(access.MatterView, mt.Target()); err == nil {
			visible = append(visible, mt)
		}
	}
	matter.SortInbox(visible, today)
	var out []InboxItem
	for _, mt := range visible {
		it := InboxItem{Kind: mt.Kind, Subject: mt.Subject, Due: mt.Due.Date.String(), Overdue: matter.Overdue(mt, today), URL: matterURL(mt.ID)}
		if k, ok := rules.Kind(mt.Kind); ok {
			it.Kind = k.Name
			if m.Lang == "en" && k.NameEN != "" {
				it.Kind = k.NameEN
			}
		}
		n, prov := rules.WorkingDaysLeft(mt, today)
		it.Provisional = prov
		switch {
		case mt.State != matter.Opened && mt.State != matter.Paused:
			// Waiting for the regulator's decision, not for a deadline.
		case n < 0:
			it.Left = fmt.Sprintf(m.Accounts.InboxOverdue, -n)
		case n == 0:
			it.Left = m.Accounts.InboxDueToday
		default:
			it.Left = fmt.Sprintf(m.Accounts.InboxLeft, n)
		}
		out = append(out, it)
	}
	return out, nil
}
