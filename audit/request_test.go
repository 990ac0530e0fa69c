package audit

import (
	"math"
	"strings"
	"testing"

	"trustmark"
)

// A plan's digest is what a repeated request id is compared by: the same
// plan however its instants are written, or its empty lists given, has
// one digest; any field changed is another.
func TestPlanDigest(t *testing.T) {
	base := testAudit(t).Plan
	base.Site.WGS84 = Point{} // as a client reports it
	want, err := PlanDigest(base)
	if err != nil {
		t.Fatal(err)
	}
	same := []struct {
		name string
		edit func(p *Plan)
	}{
		{"its instants written in China time", func(p *Plan) {
			p.OpeningAt, p.ClosingAt = p.OpeningAt.In(chinaTime), p.ClosingAt.In(chinaTime)
		}},
		{"an empty list of sites given", func(p *Plan) { p.Sites = []Site{} }},
	}
	for _, tt := range same {
		t.Run("the same plan with "+tt.name+" has the same digest", func(t *testing.T) {
			p := base
			tt.edit(&p)
			if got, err := PlanDigest(p); got != want || err != nil {
				t.Errorf("PlanDigest = %s, %v; want %s", got, err, want)
			}
		})
	}
	other := []struct {
		name string
		edit func(p *Plan)
	}{
		{"auditor-days", func(p *Plan) { p.AuditorDays = 3.5 }},
		{"the opening meeting a second later", func(p *Plan) { p.OpeningAt = p.OpeningAt.Add(1e9) }},
		{"the site's address", func(p *Plan) { p.Site.Address += "1号" }},
		{"a member's role", func(p *Plan) { p.Team = append([]Member{{"P1", Auditor}}, p.Team[1:]...) }},
		{"the kind", func(p *Plan) { p.Kind = Special }},
	}
	for _, tt := range other {
		t.Run("another "+tt.name+" is another digest", func(t *testing.T) {
			p := base
			tt.edit(&p)
			if got, err := PlanDigest(p); got == want || err != nil {
				t.Errorf("PlanDigest = %s, %v; want other than %s", got, err, want)
			}
		})
	}
	t.Run("a number that is not finite is refused, not hashed", func(t *testing.T) {
		p := base
		p.AuditorDays = math.NaN()
		if _, err := PlanDigest(p); trustmark.ErrorCode(err) != trustmark.EInvalid {
			t.Errorf("PlanDigest(NaN) = %v, want invalid", err)
		}
	})
}

// A repeated request id is answered the audit it reported when the plan
// is the same, with the late_report its report raised and no event, and
// refused naming request_id when it is another.
func TestReplayPlan(t *testing.T) {
	a := *testAudit(t)
	digest, err := PlanDigest(a.Plan)
	if err != nil {
		t.Fatal(err)
	}
	anomalies := []Anomaly{{Key: "audit:A1/late_report", Rule: LateReport}, {Key: "audit:A1/missing_checkin", Rule: MissingCheckin}}
	d, err := ReplayPlan(a, digest, "k1", a.Plan, anomalies)
	if err != nil || !d.Replayed || d.Audit.ID != "A1" || d.Event.Action != "" || len(d.Anomalies) != 1 || d.Anomalies[0].Rule != LateReport {
		t.Errorf("ReplayPlan(the same plan) = %+v, %v; want A1 replayed with late_report alone and no event", d, err)
	}
	p := a.Plan
	p.AuditorDays++
	_, err = ReplayPlan(a, digest, "k1", p, anomalies)
	if errField(err) != "request_id" || errReason(err) != "audit.request_key_reused" || trustmark.ErrorCode(err) != trustmark.EConflict ||
		!strings.Contains(err.Error(), "A1") {
		t.Errorf("ReplayPlan(another plan) = %v, want conflict audit.request_key_reused on request_id naming A1", err)
	}
}

func TestCheckRequestKey(t *testing.T) {
	for _, tt := range []struct {
		key  string
		want string // error field, "" for none
	}{{"", ""}, {strings.Repeat("k", MaxRequestKey), ""}, {strings.Repeat("k", MaxRequestKey+1), "request_id"}} {
		if err := CheckRequestKey(tt.key); (err == nil) != (tt.want == "") || (err != nil && errField(err) != tt.want) {
			t.Errorf("CheckRequestKey(%d characters) = %v, want refusal on %q", len(tt.key), err, tt.want)
		}
	}
}
