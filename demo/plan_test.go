package demo

import (
	"math/rand/v2"
	"testing"

	"trustmark"
)

// TestPlannedStatusChangesSpreadOverTime: a certificate's second status
// change (a suspension followed by a revocation or withdrawal) falls after
// the first and by today, and the demo's status changes do not pile up on
// the day it is loaded: no more of them are dated today than on a busy day
// before it (issue 11, "status dates plausible for the record").
func TestPlannedStatusChangesSpreadOverTime(t *testing.T) {
	today := trustmark.NewDate(2026, 12, 7)
	g := &gen{today: today}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		issued := today.AddDate(0, 0, -60-i%1500)
		c := &trustmark.Certificate{Number: "C", IssuedOn: issued, BodyApprovalNo: "CNCA-R-2002-001"}
		g.plan(c, r, trustmark.StatusSuspended, trustmark.StatusRevoked)
	}
	perDay := map[trustmark.Date]int{}
	for _, p := range g.plans {
		for i, s := range p.steps {
			if s.on.After(today) || !s.on.After(p.cert.IssuedOn) || i > 0 && !s.on.After(p.steps[i-1].on) {
				t.Fatalf("steps %v of a certificate issued %s: out of order or after today", p.steps, p.cert.IssuedOn)
			}
			perDay[s.on]++
		}
	}
	busiest := 0
	for d, n := range perDay {
		if d != today {
			busiest = max(busiest, n)
		}
	}
	if perDay[today] > busiest {
		t.Errorf("%d status changes dated today, the day the demo loads; the busiest day before has %d", perDay[today], busiest)
	}
}
