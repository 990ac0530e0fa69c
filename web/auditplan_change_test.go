package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"trustmark/account"
	"trustmark/audit"
)

// TestAuditPlanChange: the body's staff open the change form from the
// audit's page, filled with the plan as it stands; a change after the
// opening meeting is stored as a change keeping the previous plan; a
// change of kind is refused next to the kind with nothing stored; the
// team and another body's staff are refused, and see no link.
func TestAuditPlanChange(t *testing.T) {
	p := newAuditPages(t)
	body := p.signIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	ctx := context.Background()
	a, err := p.store.Audit(ctx, p.qd) // opened three hours ago
	if err != nil {
		t.Fatal(err)
	}
	form := func() url.Values {
		v := url.Values{}
		for k, s := range planValues(a) {
			v.Set(k, s)
		}
		return v
	}

	t.Run("the audit's page links the change form for the body's staff", func(t *testing.T) {
		if w := body.get(auditURL(p.qd)); !strings.Contains(w.Body.String(), `href="`+planPath(p.qd)+`"`) {
			t.Errorf("%s has no link to %s\n%s", auditURL(p.qd), planPath(p.qd), w.Body)
		}
	})
	t.Run("the form holds the plan as it stands", func(t *testing.T) {
		w := body.get(planPath(p.qd))
		page := w.Body.String()
		for _, want := range []string{`action="` + planPath(p.qd) + `"`, `value="` + personNo + `"`,
			`name="auditor_days" inputmode="decimal" value="5"`, `value="青岛市崂山区海尔路1号"`} {
			if w.Code != http.StatusOK || !strings.Contains(page, want) {
				t.Errorf("GET %s = %d, want 200 holding %s\n%s", planPath(p.qd), w.Code, want, page)
			}
		}
	})
	t.Run("a change after the opening meeting is stored as a change", func(t *testing.T) {
		v := form()
		v.Set("auditor_days", "6")
		wantRedirect(t, body.post(planPath(p.qd), v), auditURL(p.qd))
		revs, err := p.store.AuditRevisions(ctx, p.qd)
		if err != nil || len(revs) != 2 {
			t.Fatalf("AuditRevisions = %d, %v; want 2", len(revs), err)
		}
		if r := revs[1]; r.Action != audit.Changed || r.Previous == nil || r.Previous.AuditorDays != 5 || r.Plan.AuditorDays != 6 {
			t.Errorf("revision 2 = %s %+v, want changed from 5 to 6 auditor-days", r.Action, r)
		}
	})
	t.Run("another kind is refused next to the kind, storing nothing", func(t *testing.T) {
		v := form()
		v.Set("kind", "recertification")
		v.Set("auditor_days", "9")
		w := body.post(planPath(p.qd), v)
		if w.Code != http.StatusConflict || errorOf(w.Body.String(), "kind") == "" {
			t.Errorf("POST another kind = %d, kind error %q; want 409 next to the kind\n%s", w.Code, errorOf(w.Body.String(), "kind"), w.Body)
		}
		if got, _ := p.store.Audit(ctx, p.qd); got.Revision != 2 {
			t.Errorf("revision after a refused change = %d, want 2", got.Revision)
		}
	})
	t.Run("the team and another body's staff may not change the plan", func(t *testing.T) {
		auditor := p.signIn(t, "auditor@example.cn", role(t, account.Auditor, personNo, false))
		if w := auditor.get(auditURL(p.qd)); strings.Contains(w.Body.String(), planPath(p.qd)) {
			t.Errorf("an auditor on the team is shown the change link")
		}
		other := p.signIn(t, "other@example.cn", role(t, account.Body, bodyB, false))
		for _, c := range []*client{auditor, other} {
			if w := c.get(planPath(p.qd)); w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
				t.Errorf("GET %s by another = %d, want 403 or 404", planPath(p.qd), w.Code)
			}
			v := form()
			v.Set("auditor_days", "7")
			if w := c.post(planPath(p.qd), v); w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
				t.Errorf("POST %s by another = %d, want 403 or 404", planPath(p.qd), w.Code)
			}
		}
		if got, _ := p.store.Audit(ctx, p.qd); got.Revision != 2 {
			t.Errorf("revision after refused changes = %d, want 2", got.Revision)
		}
	})
}
