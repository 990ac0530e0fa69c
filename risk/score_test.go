package risk

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/credit"
)

func day(t testing.TB, s string) trustmark.Date {
	t.Helper()
	d, err := trustmark.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var dates = cmp.Comparer(func(a, b trustmark.Date) bool { return a == b })

var body = credit.Subject{Kind: credit.Body, ID: "CNCA-R-2002-001"}

func sig(t testing.TB, kind Kind, on string, value float64) Signal {
	return Signal{ID: string(kind) + on, Subject: body, Region: "110000", Kind: kind, On: day(t, on), Source: "test:" + on, Value: value}
}

func TestComputeExplainsItself(t *testing.T) {
	rs := DefaultRules().InForce(day(t, "2026-06-01"))
	signals := []Signal{
		sig(t, Anomaly, "2026-06-01", 0),           // fresh: 5
		sig(t, Anomaly, "2025-12-03", 0),           // 180 days: half-life, 2.5
		sig(t, Complaint, "2024-06-01", 0),         // 730 days: on its horizon, 3 × 2^-730/180
		sig(t, Complaint, "2024-05-31", 0),         // 731 days: past its horizon
		sig(t, SuspensionShare, "2026-06-01", 2.5), // twice and a half its peers: 25
		sig(t, Anomaly, "2026-06-02", 0),           // after the scoring date
		{Subject: credit.Subject{Kind: credit.Lab, ID: "x"}, Kind: PenaltySignal, On: day(t, "2026-01-01")},
	}
	s := Compute(body, signals, rs, day(t, "2026-06-01"))
	want := []struct {
		kind    Kind
		age     int
		decay   float64
		contrib float64
	}{
		{SuspensionShare, 0, 1, 25},
		{Anomaly, 0, 1, 5},
		{Anomaly, 180, 0.5, 2.5},
		{Complaint, 730, math.Exp2(-730.0 / 180), 3 * math.Exp2(-730.0/180)},
	}
	if len(s.Parts) != len(want) {
		t.Fatalf("Compute gave %d parts, want %d: %+v", len(s.Parts), len(want), s.Parts)
	}
	for i, w := range want {
		p := s.Parts[i]
		if p.Signal.Kind != w.kind || p.AgeDays != w.age || math.Abs(p.Decay-w.decay) > 1e-12 || math.Abs(p.Contribution-w.contrib) > 1e-9 {
			t.Errorf("part %d = %s age %d decay %g contribution %g, want %s age %d decay %g contribution %g",
				i, p.Signal.Kind, p.AgeDays, p.Decay, p.Contribution, w.kind, w.age, w.decay, w.contrib)
		}
	}
	if got, want := s.Total, 32.68; got != want || s.Class != C {
		t.Errorf("Total, Class = %v, %s; want %v, C", got, s.Class, want)
	}
}

func TestClassThresholds(t *testing.T) {
	rs := DefaultRules().InForce(day(t, "2026-06-01"))
	for _, tt := range []struct {
		total float64
		want  Class
	}{{0, A}, {9.999, A}, {10, B}, {24.999, B}, {25, C}, {49.999, C}, {50, D}, {500, D}} {
		if got := rs.Class(tt.total); got != tt.want {
			t.Errorf("Class(%v) = %s, want %s", tt.total, got, tt.want)
		}
	}
}

func TestANewVersionChangesFutureScoresAndLeavesPastOnes(t *testing.T) {
	r := DefaultRules()
	signals := []Signal{sig(t, Complaint, "2026-03-01", 0), sig(t, Complaint, "2026-03-02", 0), sig(t, NewBody, "2026-02-01", 0)}
	before := r.ScoreOn(body, signals, day(t, "2026-04-01"))

	next := *r.InForce(day(t, "2026-04-01"))
	next.Weights = map[Kind]Weight{}
	for k, w := range r.InForce(day(t, "2026-04-01")).Weights {
		next.Weights[k] = w
	}
	next.Weights[Complaint] = Weight{Points: 9, HalfLifeDays: 180, HorizonDays: 730}
	next.EffectiveFrom, next.Reason = day(t, "2026-05-01"), "complaints about bodies doubled in 2026 Q1"
	edited := time.Date(2026, 4, 20, 2, 0, 0, 0, time.UTC)
	r2, err := r.Edit(next, "admin:national", edited)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the past is scored and explained as it was", func(t *testing.T) {
		if diff := cmp.Diff(before, r2.ScoreOn(body, signals, day(t, "2026-04-01")), dates); diff != "" {
			t.Errorf("score on 2026-04-01 under the new history (-before +after):\n%s", diff)
		}
	})
	t.Run("the day before the new version still uses the old one", func(t *testing.T) {
		if got := r2.ScoreOn(body, signals, day(t, "2026-04-30")).Version; got != 1 {
			t.Errorf("version on 2026-04-30 = %d, want 1", got)
		}
	})
	t.Run("from its first day the new weights count", func(t *testing.T) {
		old := r.ScoreOn(body, signals, day(t, "2026-05-01"))
		got := r2.ScoreOn(body, signals, day(t, "2026-05-01"))
		if got.Version != 2 || got.Total <= old.Total {
			t.Errorf("score on 2026-05-01 = v%d %v, want v2 above %v", got.Version, got.Total, old.Total)
		}
	})
	t.Run("every version is kept", func(t *testing.T) {
		vs := r2.Versions()
		if len(vs) != 2 || vs[1].Reason != next.Reason || vs[1].EditedBy != "admin:national" || len(r.Versions()) != 1 {
			t.Errorf("versions = %d (old history %d), want 2 with reason and editor, old history untouched", len(vs), len(r.Versions()))
		}
	})
	for _, tt := range []struct {
		name   string
		change func(*RuleSet)
		by     string
		reason string
	}{
		{"a version effective before the day it is made is refused", func(rs *RuleSet) { rs.EffectiveFrom = day(t, "2026-04-19") }, "admin", "risk.rules_retroactive"},
		{"a version effective the day it is made is accepted", func(rs *RuleSet) { rs.EffectiveFrom = day(t, "2026-04-20") }, "admin", ""},
		{"a version without a reason is refused", func(rs *RuleSet) { rs.Reason = " " }, "admin", "risk.reason"},
		{"a version without its editor is refused", func(*RuleSet) {}, "", "risk.editor"},
		{"thresholds that do not rise are refused", func(rs *RuleSet) { rs.Thresholds.C = rs.Thresholds.D }, "admin", "risk.thresholds"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs := next
			tt.change(&rs)
			_, err := r.Edit(rs, tt.by, edited)
			if got := reasonOf(err); got != tt.reason {
				t.Errorf("Edit: reason %q (%v), want %q", got, err, tt.reason)
			}
		})
	}
}

func reasonOf(err error) string {
	if e, ok := err.(*trustmark.Error); ok {
		return e.Reason
	}
	return ""
}

// TestScoreIsAPureFunction checks, over random signal sets, that a score
// depends only on (signals, rule version, date): not on the order of the
// signals, not on earlier calls, and not on signals of other subjects.
func TestScoreIsAPureFunction(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	rs := DefaultRules().InForce(day(t, "2026-06-01"))
	other := credit.Subject{Kind: credit.Org, ID: "91350100M000100Y43"}
	for i := range 500 {
		on := day(t, "2026-01-01").AddDate(0, 0, rng.IntN(900))
		var signals, noisy []Signal
		for j := range rng.IntN(12) {
			s := Signal{ID: string(rune('a' + j)), Subject: body, Kind: Kinds[rng.IntN(len(Kinds))],
				On: on.AddDate(0, 0, -rng.IntN(1500)+30), Source: "s", Value: float64(rng.IntN(4))}
			signals = append(signals, s)
			noisy = append(noisy, s)
			if rng.IntN(2) == 0 {
				s.Subject = other
				noisy = append(noisy, s)
			}
		}
		want := Compute(body, signals, rs, on)
		shuffled := append([]Signal(nil), noisy...)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		got := Compute(body, shuffled, rs, on)
		if diff := cmp.Diff(want, got, dates); diff != "" {
			t.Fatalf("case %d: shuffled with other subjects' signals (-want +got):\n%s", i, diff)
		}
		if again := Compute(body, signals, rs, on); !cmp.Equal(again, want, dates) {
			t.Fatalf("case %d: a second call gave a different score", i)
		}
	}
}
