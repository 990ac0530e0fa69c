package draw

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
)

// shortCommitment draws every subject (rate 100%) in teams of two from a
// pool laid out so that each kind of shortfall happens once:
//
//   - S1 is in R9, where no inspector works;
//   - S2 is in R1, whose only active inspector is I10 (I11 is banned);
//   - S3 is in R2, whose four active inspectors are two of its own unit,
//     one with a declared conflict (who also inspected it lately) and one
//     who inspected it within the repeat period;
//   - S4 is in R2 too, with no unit and nobody excluded: a full team;
//   - S5 is in R2 too, inspected by I23 too long ago to exclude it: a full
//     team again;
//   - S6 is in R2 with one eligible inspector left, I22.
func shortCommitment() *Commitment {
	c := &Commitment{
		Campaign: "2026-SR-009", Seed: SeedSpec{Kind: SeedLottery, Lottery: "双色球2026143", Sources: 1},
		TeamSize: 2, RepeatDays: 365, DrawnOn: trustmark.NewDate(2026, 12, 1), Rates: map[Class]Permyriad{"A": 10000},
		Subjects: []Subject{
			{ID: "S1", Class: "A", Region: "R9", Unit: "U1"},
			{ID: "S2", Class: "A", Region: "R1", Unit: "U1"},
			{ID: "S3", Class: "A", Region: "R2", Unit: "U1"},
			{ID: "S4", Class: "A", Region: "R2", Unit: "-"},
			{ID: "S5", Class: "A", Region: "R2", Unit: "U9"},
			{ID: "S6", Class: "A", Region: "R2", Unit: "U1"},
		},
		Inspectors: []Inspector{
			{ID: "I10", Region: "R1", Unit: "U2"},
			{ID: "I11", Region: "R1", Unit: "U2", Banned: true},
			{ID: "I20", Region: "R2", Unit: "U1"},
			{ID: "I21", Region: "R2", Unit: "U1"},
			{ID: "I22", Region: "R2", Unit: "U2"},
			{ID: "I23", Region: "R2", Unit: "U3"},
		},
		Conflicts: []Pair{{"I22", "S3"}},
		Past: []Past{
			{"I22", "S3", trustmark.NewDate(2026, 6, 1)},
			{"I23", "S3", trustmark.NewDate(2026, 6, 1)},
			{"I23", "S5", trustmark.NewDate(2025, 11, 30)},
			{"I23", "S6", trustmark.NewDate(2026, 6, 1)},
		},
	}
	c.Sort()
	return c
}

func shortDraw(t *testing.T) (*Commitment, Random, *Result) {
	t.Helper()
	c := shortCommitment()
	src, err := ParseSources("09 13 17 21 24 29 06\n")
	if err != nil {
		t.Fatal(err)
	}
	r := FromLottery(src)
	return c, r, mustDraw(t, c, r)
}

// TestShortTeamSaysWhy wants every team smaller than the team size to come
// with the reason and the counts behind it, and no reason on a full team.
func TestShortTeamSaysWhy(t *testing.T) {
	c, r, res := shortDraw(t)
	want := map[string]*Shortfall{
		"S1": {Reason: NoInspectors, Region: "R9"},
		"S2": {Reason: FewInspectors, Region: "R1", Active: 1, Eligible: 1},
		"S3": {Reason: Excluded, Region: "R2", Active: 4, SameUnit: 2, Conflict: 1, Recent: 1},
		"S4": nil,
		"S5": nil,
		"S6": {Reason: Excluded, Region: "R2", Active: 4, SameUnit: 2, Recent: 1, Eligible: 1},
	}
	if len(res.Picks) != len(want) {
		t.Fatalf("drew %d subjects, want all %d", len(res.Picks), len(want))
	}
	for _, p := range res.Picks {
		if diff := cmp.Diff(want[p.Subject], p.Shortfall); diff != "" {
			t.Errorf("shortfall of %s with team %v (-want +got):\n%s", p.Subject, p.Team, diff)
		}
		if wantLen := min(c.TeamSize, shortfallEligible(want[p.Subject], c.TeamSize)); len(p.Team) != wantLen {
			t.Errorf("team of %s = %v, want %d members", p.Subject, p.Team, wantLen)
		}
	}
	if err := Verify(c, r, res); err != nil {
		t.Errorf("Verify(draw with short teams) = %v, want nil", err)
	}
}

// shortfallEligible is how many members a pick with shortfall s has: all
// the eligible, or a full team when nothing is short.
func shortfallEligible(s *Shortfall, team int) int {
	if s == nil {
		return team
	}
	return s.Eligible
}

// TestShortfallJSON pins how a pick publishes its shortfall, and that a
// full team's pick is published as it always was.
func TestShortfallJSON(t *testing.T) {
	_, _, res := shortDraw(t)
	for _, tc := range []struct{ subject, want string }{
		{"S1", `{"subject":"S1","class":"A","team":[],"shortfall":{"reason":"no_inspectors","region":"R9","active":0,"same_unit":0,"conflict":0,"recent":0,"eligible":0}}`},
		{"S4", `{"subject":"S4","class":"A","team":[` + `"` + strings.Join(res.Team("S4"), `","`) + `"]}`},
	} {
		i := slices.IndexFunc(res.Picks, func(p Pick) bool { return p.Subject == tc.subject })
		got, err := json.Marshal(res.Picks[i])
		if err != nil || string(got) != tc.want {
			t.Errorf("json.Marshal(pick %s) = %s, %v; want %s", tc.subject, got, err, tc.want)
		}
	}
}

// TestVerifyFailsOnShortTeams wants a published draw whose short teams or
// their reasons differ from the recomputed ones refused, naming the pick.
func TestVerifyFailsOnShortTeams(t *testing.T) {
	c, r, published := shortDraw(t)
	at := func(res *Result, subject string) *Pick {
		i := slices.IndexFunc(res.Picks, func(p Pick) bool { return p.Subject == subject })
		return &res.Picks[i]
	}
	for _, tc := range []struct {
		name, what string
		change     func(res *Result)
	}{
		// A result drawn before picks said why their team is short.
		{"but not when no reason was recorded (an older result)", "", func(res *Result) {
			for i := range res.Picks {
				res.Picks[i].Shortfall = nil
			}
		}},
		{"when a short team's counts are changed", "shortfall", func(res *Result) { at(res, "S3").Shortfall.SameUnit-- }},
		{"when a full team is said to be short", "shortfall", func(res *Result) { at(res, "S4").Shortfall = &Shortfall{Reason: NoInspectors, Region: "R2"} }},
		{"when a team is emptied", "team", func(res *Result) { at(res, "S4").Team = []string{} }},
		{"when an ineligible inspector fills a short team", "team", func(res *Result) { p := at(res, "S6"); p.Team = append(p.Team, "I20") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := *published
			res.Picks = slices.Clone(published.Picks)
			for i, p := range res.Picks {
				res.Picks[i].Team = slices.Clone(p.Team)
				if p.Shortfall != nil {
					sf := *p.Shortfall
					res.Picks[i].Shortfall = &sf
				}
			}
			tc.change(&res)
			if tc.what == "" {
				if err := Verify(c, r, &res); err != nil {
					t.Fatalf("Verify = %v, want nil", err)
				}
				return
			}
			var m *MismatchError
			if err := Verify(c, r, &res); !errors.As(err, &m) || !strings.HasSuffix(m.What, tc.what) {
				t.Fatalf("Verify = %v, want a mismatch of a pick's %s", err, tc.what)
			}
			t.Logf("first difference: %v", m)
		})
	}
}

// TestCheckTeam wants a result refused for a subject without a team, drawn
// so or left so by recusals, and accepted for one with a team.
func TestCheckTeam(t *testing.T) {
	c, _, res := shortDraw(t)
	if err := res.CheckTeam("S4"); err != nil {
		t.Errorf("CheckTeam(S4, team %v) = %v, want nil", res.Team("S4"), err)
	}
	if err := res.CheckTeam("S2"); err != nil {
		t.Errorf("CheckTeam(S2, team %v) = %v, want nil: a short team still inspects", res.Team("S2"), err)
	}
	recused, err := Recuse(c, res, "S2", "I10", "former employee of the subject")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, subject, says string
		res                 *Result
	}{
		{"a subject whose region has no inspector", "S1", "no_inspectors", res},
		{"a subject whose inspectors are all excluded", "S3", "0 of them eligible", res},
		{"a subject whose only inspector recused", "S2", "recused", recused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.res.CheckTeam(tc.subject)
			var e *trustmark.Error
			if !errors.As(err, &e) || e.Code != trustmark.EConflict || e.Field != "subject" || e.Reason != "campaign.no_team" || !strings.Contains(e.Message, tc.says) {
				t.Errorf("CheckTeam(%s) = %v, want a conflict on field subject saying %q", tc.subject, err, tc.says)
			}
		})
	}
}
