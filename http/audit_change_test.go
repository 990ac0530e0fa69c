package http_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestChangeAudit(t *testing.T) {
	f := newAuditFixture(t)
	id := f.plan(t, -24*time.Hour) // opens tomorrow
	for _, tc := range []struct {
		name, id, token, body string
		want                  int
		field                 string
	}{
		{"an auditor on the team cannot change the plan", id, f.tokenP, planBody(-24*time.Hour, 6), 403, ""},
		{"the region's regulator cannot change the plan", id, f.tokenZ, planBody(-24*time.Hour, 6), 403, ""},
		{"another body is told there is no such audit", id, f.tokenB, planBody(-24*time.Hour, 6), 404, ""},
		{"no token is unauthorized", id, "", planBody(-24*time.Hour, 6), 401, ""},
		{"malformed JSON is invalid", id, f.tokenA, `{"kind": 1}`, 400, "kind"},
		{"another kind is a new audit, not a change", id, f.tokenA, strings.Replace(planBody(-24*time.Hour, 9), "surveillance", "recertification", 1), 409, "kind"},
		{"the same plan is no change", id, f.tokenA, planBody(-24*time.Hour, 5), 409, ""},
		{"an unknown audit is not found", "A-none", f.tokenA, planBody(-24*time.Hour, 6), 404, ""},
		{"the body amends its plan", id, f.tokenA, planBody(-24*time.Hour, 6), 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := f.do("PUT", "/api/v1/audits/"+tc.id, tc.token, tc.body)
			wantStatus(t, "PUT /api/v1/audits/{id}", w, tc.want)
			if tc.field != "" && !strings.Contains(w.Body.String(), `"field":"`+tc.field+`"`) {
				t.Errorf("refusal %s does not name field %s", w.Body, tc.field)
			}
			if tc.want != 200 {
				return
			}
			var a struct {
				Revision int
				Plan     struct {
					AuditorDays float64 `json:"auditor_days"`
				}
			}
			if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || a.Revision != 2 || a.Plan.AuditorDays != 6 {
				t.Errorf("PUT answered %s (%v), want revision 2 with 6 auditor-days", w.Body, err)
			}
		})
	}

	w := f.do("GET", "/api/v1/audits/"+id, f.tokenA, "")
	var got struct {
		Revision  int
		Revisions []struct {
			Action   string
			Revision int
			Fields   []string
			Previous *struct {
				AuditorDays float64 `json:"auditor_days"`
			}
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("GET /api/v1/audits/%s = %d %s: %v", id, w.Code, w.Body, err)
	}
	if got.Revision != 2 || len(got.Revisions) != 2 {
		t.Fatalf("GET after the amendment: revision %d with %d revisions, want 2 and 2: %s", got.Revision, len(got.Revisions), w.Body)
	}
	r0, r1 := got.Revisions[0], got.Revisions[1]
	if r0.Action != "planned" || r1.Action != "amended" || r1.Revision != 2 || r1.Previous == nil || r1.Previous.AuditorDays != 5 ||
		strings.Join(r1.Fields, ",") != "auditor_days" {
		t.Errorf("revisions = %+v then %+v, want planned, then amended auditor_days keeping 5 days before", r0, r1)
	}
}

// FuzzChangeAudit sends arbitrary plans as a change by the audit's body:
// a client's body is never answered with a 5xx, and every refusal has the
// contract's shape.
func FuzzChangeAudit(f *testing.F) {
	fx := newAuditFixture(f)
	id := fx.plan(f, time.Hour)
	f.Add(planBody(time.Hour, 6))
	f.Add(planBody(time.Hour, 5))
	f.Add(strings.Replace(planBody(time.Hour, 6), `"leader"`, `"observer"`, 1))
	f.Add(`{"kind": "surveillance", "site": {"lat": 1e999}}`)
	f.Add(`{"kind": "surveillance", "sites": [{"lat": 91}, {"datum": "gcj02"}]}`)
	f.Add(`{"kind": "surveillance", "site": {"address": "a"}, "sites": [{"address": "b"}]}`)
	f.Add(`{"sites": [null, [], {}]}`)
	f.Add(`{"opening_at": "2026-13-01T00:00:00Z"}`)
	f.Fuzz(func(t *testing.T, body string) {
		w := fx.do("PUT", "/api/v1/audits/"+id, fx.tokenA, body)
		if w.Code >= 500 {
			t.Fatalf("change with body %q = %d %s; a client's body must never be a 5xx", body, w.Code, w.Body)
		}
		if w.Code >= 400 {
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("change with body %q = %d %s: not the contract's error shape", body, w.Code, w.Body)
			}
		}
	})
}
