package demo_test

import (
	"context"
	"testing"

	"trustmark/audit"
	"trustmark/demo"
)

// The demo's season of audits: plans on each working day, check-ins, and
// anomalies of each kind the check-ins raise, with explanation matters in
// every state.
func TestDemoAudits(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	if _, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1, Today: today}); err != nil {
		t.Fatal(err)
	}
	as, err := db.FindAudits(ctx, audit.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) < 60 {
		t.Fatalf("%d demo audits, want a season (at least 60)", len(as))
	}
	rules, states, matches := map[audit.Rule]int{}, map[string]int{}, map[string]int{}
	checkedIn, twoSites, atFactory, amended := 0, 0, 0, 0
	for _, a := range as {
		if len(a.Plan.Sites) == 2 {
			twoSites++
		}
		if a.Revision > 1 {
			amended++
			if !a.Plan.OpeningAt.After(clock()) {
				t.Errorf("audit %s amended though its opening meeting (%v) is not to come", a.ID, a.Plan.OpeningAt)
			}
		}
		cs, err := db.AuditCheckIns(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) > 0 {
			checkedIn++
		}
		for _, c := range cs {
			if i, _, d := a.Plan.Nearest(c.Position); i == 1 && d < 100 {
				atFactory++
			}
		}
		recs, err := db.AuditAnomalies(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			rules[r.Rule]++
			states[string(r.Matter.State)]++
			if r.Rule == audit.PhotoReuse {
				matches[r.Evidence["match"]]++
			}
		}
	}
	if twoSites == 0 || twoSites > len(as)/5 || atFactory == 0 {
		t.Errorf("%d audits of two sites, %d check-ins at a second site, among %d audits; want a few", twoSites, atFactory, len(as))
	}
	if amended == 0 || amended > 5 {
		t.Errorf("%d audits with amended plans, want a few of the coming ones", amended)
	}
	if checkedIn < len(as)*3/4 {
		t.Errorf("%d of %d audits checked in to", checkedIn, len(as))
	}
	for _, r := range []audit.Rule{audit.LateOpen, audit.EarlyClose, audit.FarFromSite, audit.PhotoReuse, audit.DeviceShared, audit.ClockSkew, audit.LateReport} {
		if rules[r] == 0 || rules[r] > len(as)/5 {
			t.Errorf("%d anomalies of rule %s among %d audits, want a few", rules[r], r, len(as))
		}
	}
	if matches["exact"] == 0 || matches["perceptual"] == 0 {
		t.Errorf("photo re-use by match: %v, want exact and perceptual copies", matches)
	}
	for _, st := range []string{"opened", "answered", "accepted", "escalated"} {
		if states[st] == 0 {
			t.Errorf("no explanation matter %s (states %v)", st, states)
		}
	}
	t.Logf("%d audits, anomalies %v, photo matches %v, matters %v", len(as), rules, matches, states)
}
