package web

import (
	"net/http"
	"strconv"
	"time"

	"trustmark"
	"trustmark/audit"
	thttp "trustmark/http"
)

// The change form of an audit's plan (/work/audits/{id}/plan): the plan
// form of /work/audits/new, filled with the plan as it stands, handed to
// the store's ChangeAudit, the method behind PUT /api/v1/audits/{id}. The
// store decides whether it is an amendment or a change and keeps every
// revision; the same rule as the API's (thttp.MayChangeAudit) says who may
// change it: the audit's body.

// planPath is the address of audit id's change form.
func planPath(id string) string { return auditURL(id) + "/plan" }

// changeableAudit loads the audit of the request's id for a caller who may
// change it, refused as the API refuses.
func (h *Handler) changeableAudit(r *http.Request) (AuditDesk, *audit.Audit, error) {
	desk, err := h.auditDesk()
	if err != nil {
		return nil, nil, err
	}
	a, err := desk.Audit(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	if err := thttp.MayChangeAudit(thttp.CallerOf(r).Roles)(a); err != nil {
		return nil, nil, err
	}
	return desk, a, nil
}

// auditChangePage is the plan form for a change to a: its body only, and
// the form posting back to the change's address.
func (h *Handler) auditChangePage(r *http.Request, a *audit.Audit) *AuditPlanPage {
	p := h.auditPlanPage(r)
	p.Title = p.T.AuditPlan.ChangeTitle
	p.Bodies, p.Action, p.Change = []string{a.Body}, planPath(a.ID), true
	return p
}

func (h *Handler) auditChangeForm(w http.ResponseWriter, r *http.Request) {
	_, a, err := h.changeableAudit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.auditChangePage(r, a)
	p.Values = planValues(a)
	p.setSiteRows(len(a.Plan.AllSites()))
	if len(a.Plan.Team) > auditPlanTeamRows {
		p.Error = p.T.Reason(trustmark.Reasonf(trustmark.EConflict, "audit.form_team_rows", "team",
			"the team has %d members, more than the form's %d rows: change this plan through the API", len(a.Plan.Team), auditPlanTeamRows))
	}
	h.render(w, r, http.StatusOK, "auditplan", p)
}

func (h *Handler) auditChangePost(w http.ResponseWriter, r *http.Request) {
	desk, a, err := h.changeableAudit(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.auditChangePage(r, a)
	// A form too large, or not read to its end, leaves fields missing:
	// each is refused by name below.
	_ = r.ParseForm()
	f, err := readAuditPlanForm(r.PostForm)
	p.Values = f.Values
	p.Values["body"] = a.Body
	if h.anotherSite(w, r, p, f) {
		return
	}
	c := thttp.CallerOf(r)
	if err == nil {
		_, err = desk.ChangeAudit(r.Context(), a.ID, f.Plan, c.Party.String(), thttp.MayChangeAudit(c.Roles))
		err = f.formError(err)
	}
	if err != nil {
		h.auditPlanRefused(w, r, p, err)
		return
	}
	h.cfg.Logger.Info("audit plan changed on the workbench", "audit", a.ID, "body", a.Body, "actor", c.Party.String())
	h.redirect(w, r, &p.Page, auditURL(a.ID))
}

// planValues are the form's fields of a's plan as it stands, so that a
// change sends only what the person changed: times in China to the
// second when they have seconds, coordinates as reported (siteValues).
func planValues(a *audit.Audit) map[string]string {
	pl := a.Plan
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	v := map[string]string{"body": a.Body, "certificate": pl.Certificate, "kind": string(pl.Kind), "complexity": string(pl.Complexity),
		"opening_at": formTime(pl.OpeningAt), "closing_at": formTime(pl.ClosingAt), "closing_ends_at": formTime(pl.ClosingEndsAt),
		"auditor_days": num(pl.AuditorDays)}
	siteValues(v, &pl)
	if pl.Certificate == "" {
		v["holder_uscc"], v["type"] = string(pl.HolderUSCC), string(pl.Type)
	}
	if pl.EffectivePersonnel > 0 {
		v["effective_personnel"] = strconv.Itoa(pl.EffectivePersonnel)
	}
	for i := range auditPlanTeamRows {
		v[teamField(i, "role")] = string(audit.Auditor)
		if i < len(pl.Team) {
			v[teamField(i, "registration_no")], v[teamField(i, "role")] = pl.Team[i].RegistrationNo, string(pl.Team[i].Role)
		}
	}
	return v
}

// formTime is t in China as the form's datetime-local fields take it.
func formTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(chinaTime)
	if t.Second() != 0 || t.Nanosecond() != 0 {
		return t.Format("2006-01-02T15:04:05")
	}
	return t.Format("2006-01-02T15:04")
}
