package risk

import (
	"math/rand/v2"
	"testing"
	"time"

	"trustmark"
	"trustmark/credit"
)

func TestUntil(t *testing.T) {
	rules := DefaultRules()
	on := "2026-06-01"
	v2, err := rules.Edit(DefaultRules().InForce(day(t, on)).withReason("weights reviewed", "2026-09-01"), "admin", time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		rules   *Rules
		signals []Signal
		want    string
	}{
		{"a score without signals holds for ever", rules, nil, "9999-12-31"},
		{"a decaying signal changes it the next day", rules, []Signal{sig(t, PenaltySignal, "2025-01-01", 0)}, on},
		{"a listing holds until its horizon", rules, []Signal{sig(t, ListingSignal, "2024-01-01", 0)}, "2026-12-31"},
		{"a field that never decays holds for ever", rules, []Signal{sig(t, HighRiskField, "2020-01-01", 0.5)}, "9999-12-31"},
		{"a signal past its horizon changes nothing", rules, []Signal{sig(t, Complaint, "2020-01-01", 0), sig(t, HighRiskField, "2020-01-01", 0)}, "9999-12-31"},
		{"a signal dated later counts from its day", rules, []Signal{sig(t, ListingSignal, "2026-06-01", 0), sig(t, Anomaly, "2026-07-01", 0)}, "2026-06-30"},
		{"another subject's signal changes nothing", rules, []Signal{{Subject: credit.Subject{Kind: credit.Org, ID: "91350100M000100Y43"}, Kind: Anomaly, On: day(t, "2026-05-01")}}, "9999-12-31"},
		{"the next version takes effect", v2, []Signal{sig(t, ListingSignal, "2026-01-01", 0)}, "2026-08-31"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rules.Until(body, tc.signals, day(t, on)); got != day(t, tc.want) {
				t.Errorf("Until = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestUntilHolds: through the day Until gives, the score computed on any
// later day has the total, class and version of the one computed on the
// first; random signals of every kind, dated up to five years back and a
// few weeks ahead, under two versions of the rules.
func TestUntilHolds(t *testing.T) {
	rules, err := DefaultRules().Edit(DefaultRules().InForce(day(t, "2026-01-01")).withReason("listing decays", "2027-01-01"),
		"admin", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	start := day(t, "2026-06-01")
	checked := 0
	for range 2000 {
		var signals []Signal
		for range rng.IntN(4) {
			signals = append(signals, Signal{ID: "x", Subject: body, Kind: Kinds[rng.IntN(len(Kinds))], On: start.AddDate(0, 0, 40-rng.IntN(1900)), Value: float64(rng.IntN(3))})
		}
		on := start.AddDate(0, 0, rng.IntN(400))
		first := rules.ScoreOn(body, signals, on)
		until := rules.Until(body, signals, on)
		for d := on; !d.After(until) && d.Before(on.AddDate(0, 0, 800)); d = d.AddDate(0, 0, 1+rng.IntN(20)) {
			if got := rules.ScoreOn(body, signals, d); got.Total != first.Total || got.Class != first.Class || got.Version != first.Version {
				t.Fatalf("signals %+v scored on %s: %v %s v%d; on %s (Until %s): %v %s v%d", signals, on, first.Total, first.Class, first.Version,
					d, until, got.Total, got.Class, got.Version)
			}
			checked++
		}
	}
	if checked < 2000 {
		t.Fatalf("checked %d days, want many", checked)
	}
}

// withReason returns a copy of rs, for a new version effective from the
// day given, in which a listing halves every year.
func (rs *RuleSet) withReason(reason, from string) RuleSet {
	next := *rs
	next.Weights = map[Kind]Weight{}
	for k, w := range rs.Weights {
		next.Weights[k] = w
	}
	w := next.Weights[ListingSignal]
	w.HalfLifeDays = 365
	next.Weights[ListingSignal] = w
	next.Reason = reason
	next.EffectiveFrom, _ = trustmark.ParseDate(from)
	return next
}
