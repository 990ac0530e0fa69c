package storetest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	au "trustmark/audit"
	"trustmark/sqlstore"
)

// runAuditChanges runs the part of the audit suite on changes to a plan.
func runAuditChanges(t *testing.T, fresh func(t *testing.T) AuditStore) {
	t.Run("a change before the opening meeting is an amendment", func(t *testing.T) { testAuditAmended(t, fresh(t)) })
	t.Run("a change after the opening meeting keeps the previous plan", func(t *testing.T) { testAuditChanged(t, fresh(t)) })
	t.Run("a change to another kind or to nothing leaves the audit as it was", func(t *testing.T) { testAuditChangeRefused(t, fresh(t)) })
	t.Run("another body may not change the audit", func(t *testing.T) { testAuditChangeOtherBody(t, fresh(t)) })
	t.Run("a change into or out of a half day links and unlinks both ways", func(t *testing.T) { testAuditChangeLinks(t, fresh(t)) })
}

// mayPlan is the rule the front ends pass to ChangeAudit: staff of body may
// change the audits of their own body (access.AuditPlan on the audit).
func mayPlan(body string) func(*au.Audit) error {
	role := account.Role{Unit: account.Unit{Kind: account.Body, ID: body}}
	return func(a *au.Audit) error { return access.Decide(role, access.AuditPlan, a.Target()) }
}

func changeAudit(t *testing.T, s AuditStore, id string, p au.Plan) au.Decision {
	t.Helper()
	d, err := s.ChangeAudit(ctx, id, p, "body:"+bodyA, mayPlan(bodyA))
	if err != nil {
		t.Fatalf("ChangeAudit(%s): %v", id, err)
	}
	return d
}

// auditEvents returns the public log's events of audit id, by action.
func auditEvents(t *testing.T, s AuditStore, id string) ([]string, []trustmark.Event) {
	t.Helper()
	evs, err := s.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityAudit, Key: id, After: -1})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	return actions, evs
}

func testAuditAmended(t *testing.T, s AuditStore) {
	a := reportAudit(t, s, AuditPlan(-24*time.Hour))
	p := AuditPlan(-24 * time.Hour)
	p.AuditorDays = 6
	d := changeAudit(t, s, a.ID, p)
	if d.Event.Action != au.Amended || d.Audit.Revision != 2 || !slices.Equal(d.Event.Fields, []string{"auditor_days"}) {
		t.Errorf("ChangeAudit before opening = %s revision %d fields %v, want amended 2 [auditor_days]", d.Event.Action, d.Audit.Revision, d.Event.Fields)
	}
	got, err := s.Audit(ctx, a.ID)
	if err != nil || got.Revision != 2 || got.Plan.AuditorDays != 6 || !got.ReportedAt.Equal(a.ReportedAt) {
		t.Errorf("Audit(%s) = %+v, %v; want revision 2, 6 auditor-days, reported at %v", a.ID, got, err, a.ReportedAt)
	}
	if actions, _ := auditEvents(t, s, a.ID); !slices.Equal(actions, []string{au.Planned, au.Amended}) {
		t.Errorf("events of audit %s = %v, want [planned amended]", a.ID, actions)
	}
}

func testAuditChanged(t *testing.T, s AuditStore) {
	a := reportAudit(t, s, AuditPlan(time.Hour)) // opened an hour ago
	p := AuditPlan(time.Hour)
	p.ClosingAt = p.ClosingAt.Add(2 * time.Hour)
	d := changeAudit(t, s, a.ID, p)
	if d.Event.Action != au.Changed || d.Event.Previous == nil || !d.Event.Previous.ClosingAt.Equal(a.Plan.ClosingAt) {
		t.Fatalf("ChangeAudit after opening = %s previous %+v, want changed with the closing meeting at %v", d.Event.Action, d.Event.Previous, a.Plan.ClosingAt)
	}
	revs, err := s.AuditRevisions(ctx, a.ID)
	if err != nil || len(revs) != 2 {
		t.Fatalf("AuditRevisions = %v, %v; want two", revs, err)
	}
	if !revs[0].Plan.ClosingAt.Equal(a.Plan.ClosingAt) || !revs[1].Plan.ClosingAt.Equal(p.ClosingAt) || revs[1].Action != au.Changed {
		t.Errorf("revisions close at %v then %v (%s), want %v then %v (changed)", revs[0].Plan.ClosingAt, revs[1].Plan.ClosingAt, revs[1].Action, a.Plan.ClosingAt, p.ClosingAt)
	}
	actions, evs := auditEvents(t, s, a.ID)
	if !slices.Equal(actions, []string{au.Planned, au.Changed}) {
		t.Fatalf("events of audit %s = %v, want [planned changed]", a.ID, actions)
	}
	var logged au.Event
	if err := json.Unmarshal(evs[1].Data, &logged); err != nil || logged.Previous == nil || !logged.Previous.ClosingAt.Equal(a.Plan.ClosingAt) || logged.Revision != 2 {
		t.Errorf("the log's change = %s (%v), want revision 2 keeping the previous closing meeting %v", evs[1].Data, err, a.Plan.ClosingAt)
	}
	if got, err := s.Audit(ctx, a.ID); err != nil || !got.Plan.ClosingAt.Equal(p.ClosingAt) || !got.End().After(a.End()) {
		t.Errorf("Audit(%s) after the change ends %v, %v; want %v", a.ID, got.End(), err, p.ClosingAt.Add(time.Hour))
	}
}

// unchanged checks that audit a is still at revision 1 with one event.
func unchanged(t *testing.T, s AuditStore, a au.Audit, what string) {
	t.Helper()
	got, err := s.Audit(ctx, a.ID)
	if err != nil || got.Revision != 1 || got.Plan.AuditorDays != a.Plan.AuditorDays || got.Plan.Kind != a.Plan.Kind {
		t.Errorf("after %s, Audit(%s) = %+v, %v; want revision 1 as reported", what, a.ID, got, err)
	}
	if revs, err := s.AuditRevisions(ctx, a.ID); err != nil || len(revs) != 1 {
		t.Errorf("after %s, %d revisions (%v), want 1", what, len(revs), err)
	}
	if actions, _ := auditEvents(t, s, a.ID); !slices.Equal(actions, []string{au.Planned}) {
		t.Errorf("after %s, events = %v, want [planned]", what, actions)
	}
}

func testAuditChangeRefused(t *testing.T, s AuditStore) {
	a := reportAudit(t, s, AuditPlan(time.Hour))
	p := AuditPlan(time.Hour)
	p.Kind, p.AuditorDays = au.Recertification, 9
	_, err := s.ChangeAudit(ctx, a.ID, p, "body:"+bodyA, mayPlan(bodyA))
	wantCode(t, "ChangeAudit(another kind)", err, trustmark.EConflict, "kind")
	unchanged(t, s, a, "a change to another kind")

	_, err = s.ChangeAudit(ctx, a.ID, AuditPlan(time.Hour), "body:"+bodyA, mayPlan(bodyA))
	wantCode(t, "ChangeAudit(the same plan)", err, trustmark.EConflict, "")
	unchanged(t, s, a, "a change to nothing")

	p = AuditPlan(time.Hour)
	p.AuditorDays = 0.5
	_, err = s.ChangeAudit(ctx, a.ID, p, "body:"+bodyA, mayPlan(bodyA))
	wantCode(t, "ChangeAudit(0.5 days)", err, trustmark.EConflict, "auditor_days")
	unchanged(t, s, a, "a change below the MD 5 minimum")

	_, err = s.ChangeAudit(ctx, "A-none", p, "body:"+bodyA, mayPlan(bodyA))
	wantCode(t, "ChangeAudit(no audit)", err, trustmark.ENotFound, "")
}

func testAuditChangeOtherBody(t *testing.T, s AuditStore) {
	a := reportAudit(t, s, AuditPlan(-24*time.Hour))
	p := AuditPlan(-24 * time.Hour)
	p.AuditorDays = 6
	_, err := s.ChangeAudit(ctx, a.ID, p, "body:"+bodyB, mayPlan(bodyB))
	wantCode(t, "ChangeAudit(by bodyB)", err, trustmark.EForbidden, "")
	unchanged(t, s, a, "bodyB's change")
}

func testAuditChangeLinks(t *testing.T, s AuditStore) {
	morning := reportAudit(t, s, AuditPlan(-24*time.Hour))               // tomorrow 10:00
	afternoon := reportAudit(t, s, AuditPlan(-24*time.Hour-5*time.Hour)) // tomorrow 15:00
	if len(afternoon.Links) != 0 {
		t.Fatalf("audits in two half days are linked: %v", afternoon.Links)
	}
	links := func(id string) []string {
		a, err := s.Audit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a.Links
	}
	changeAudit(t, s, afternoon.ID, AuditPlan(-23*time.Hour)) // tomorrow 09:00
	if !slices.Equal(links(afternoon.ID), []string{morning.ID}) || !slices.Equal(links(morning.ID), []string{afternoon.ID}) {
		t.Errorf("moved into the morning: links %v and %v, want each the other", links(afternoon.ID), links(morning.ID))
	}
	changeAudit(t, s, afternoon.ID, AuditPlan(-24*time.Hour-5*time.Hour))
	if len(links(afternoon.ID)) != 0 || len(links(morning.ID)) != 0 {
		t.Errorf("moved back to the afternoon: links %v and %v, want none", links(afternoon.ID), links(morning.ID))
	}
}
