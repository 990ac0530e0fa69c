package draw

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"time"
)

var testRates = map[Class]Permyriad{"A": 100, "B": 500, "C": 2000, "D": 5000}

func TestQuotaRoundsUp(t *testing.T) {
	for _, tc := range []struct {
		rate Permyriad
		n    int
		want int
	}{
		{0, 1000, 0}, {500, 0, 0}, {500, 1, 1}, {500, 20, 1}, {500, 21, 2}, {10000, 7, 7}, {1, 1_000_000, 100}, {333, 1_000_000, 33300},
	} {
		if got := Quota(tc.rate, tc.n); got != tc.want {
			t.Errorf("Quota(%d‱, %d) = %d, want %d", tc.rate, tc.n, got, tc.want)
		}
	}
}

func TestDrawIsDeterministicAndVerifies(t *testing.T) {
	c := world{subjects: 500, inspectors: 40, regions: 4, units: 10, team: 2, conflicts: 30, past: 30, bannedEvery: 7, rates: testRates}.build(rand.New(rand.NewPCG(3, 4)))
	r := randomFor(c, 1)
	a, b := mustDraw(t, c, r), mustDraw(t, c, r)
	if err := compare(a, b); err != nil {
		t.Fatalf("two draws of the same inputs differ: %v", err)
	}
	if err := Verify(c, r, a); err != nil {
		t.Errorf("Verify(own draw) = %v, want nil", err)
	}
	if other := mustDraw(t, c, randomFor(c, 2)); compare(a, other) == nil {
		t.Error("draws with two random values are equal")
	}
}

// TestDrawHonoursEachClassRate checks that each draw takes exactly its
// quota from each class and, over many seeds, that every subject is drawn
// as often as its class's rate says: a subject of a class with k drawn of n
// is in Binomial(seeds, k/n) draws. 300 subjects are tested at once, so the
// bound is 5 standard deviations (a fair draw fails one of them with
// probability about 300 × 6e-7).
func TestDrawHonoursEachClassRate(t *testing.T) {
	c := world{subjects: 300, inspectors: 20, regions: 2, units: 5, team: 1, rates: testRates}.build(rand.New(rand.NewPCG(5, 6)))
	size := map[Class]int{}
	for _, s := range c.Subjects {
		size[s.Class]++
	}
	const seeds = 3000
	count := map[string]int{}
	for n := range uint64(seeds) {
		res := mustDraw(t, c, randomFor(c, n))
		perClass := map[Class]int{}
		for _, p := range res.Picks {
			count[p.Subject]++
			perClass[p.Class]++
		}
		for cl, k := range perClass {
			if want := Quota(c.Rates[cl], size[cl]); k != want {
				t.Fatalf("seed %d: class %s drew %d of %d, want %d", n, cl, k, size[cl], want)
			}
		}
	}
	for _, s := range c.Subjects {
		p := float64(Quota(c.Rates[s.Class], size[s.Class])) / float64(size[s.Class])
		mean, sd := seeds*p, math.Sqrt(seeds*p*(1-p))
		if got := float64(count[s.ID]); math.Abs(got-mean) > 5*sd {
			t.Errorf("subject %s (class %s) drawn %v times in %d draws, want %.0f ± %.0f", s.ID, s.Class, got, seeds, mean, 5*sd)
		}
	}
}

// checkTeams reports every broken exclusion rule in res, and every team
// left short while an eligible inspector was free. It reads the rules from
// the commitment itself, not through the code under test.
func checkTeams(t *testing.T, c *Commitment, res *Result) {
	t.Helper()
	inspector := map[string]Inspector{}
	for _, in := range c.Inspectors {
		inspector[in.ID] = in
	}
	forbidden := map[Pair]string{}
	for _, p := range c.Conflicts {
		forbidden[p] = "a declared conflict"
	}
	for _, p := range c.Past {
		if days := int(c.DrawnOn.Time().Sub(p.On.Time()).Hours() / 24); days <= c.RepeatDays {
			forbidden[Pair{p.Inspector, p.Subject}] = fmt.Sprintf("an inspection %d days before", days)
		}
	}
	allowed := func(in Inspector, s Subject) string {
		switch {
		case in.Banned:
			return "banned"
		case in.Region != s.Region:
			return "from region " + in.Region
		case s.Unit != "-" && in.Unit == s.Unit:
			return "from the subject's unit " + s.Unit
		}
		return forbidden[Pair{in.ID, s.ID}]
	}
	subj := map[string]Subject{}
	for _, s := range c.Subjects {
		subj[s.ID] = s
	}
	for _, p := range res.Picks {
		s := subj[p.Subject]
		team := res.Team(p.Subject)
		for _, id := range team {
			if why := allowed(inspector[id], s); why != "" {
				t.Errorf("%s: inspector %s drawn though %s", s.ID, id, why)
			}
		}
		if len(slices.Compact(slices.Sorted(slices.Values(team)))) != len(team) {
			t.Errorf("%s: team %v names someone twice", s.ID, team)
		}
		for _, rc := range res.Recusals {
			if rc.Subject == s.ID && slices.Contains(team, rc.Inspector) {
				t.Errorf("%s: %s recused but is back on the team", s.ID, rc.Inspector)
			}
		}
		eligible := 0
		for _, in := range c.Inspectors {
			if allowed(in, s) == "" {
				eligible++
			}
		}
		if len(p.Team) < c.TeamSize && len(p.Team) != eligible {
			t.Errorf("%s: team of %d while %d inspectors were eligible", s.ID, len(p.Team), eligible)
		}
		if short := len(p.Team) < c.TeamSize; short != (p.Shortfall != nil) {
			t.Errorf("%s: team of %d of %d with shortfall %v, want one exactly when the team is short", s.ID, len(p.Team), c.TeamSize, p.Shortfall)
		}
		if sf := p.Shortfall; sf != nil && (sf.Eligible != eligible || sf.SameUnit+sf.Conflict+sf.Recent+sf.Eligible != sf.Active) {
			t.Errorf("%s: shortfall %v, want %d eligible and the counts adding up to the active inspectors", s.ID, sf, eligible)
		}
	}
}

func TestTeamRulesAreNeverBroken(t *testing.T) {
	for seed := range uint64(150) {
		rng := rand.New(rand.NewPCG(seed, 99))
		w := world{
			subjects: 20 + rng.IntN(200), inspectors: 3 + rng.IntN(40), regions: 1 + rng.IntN(4), units: 2 + rng.IntN(8),
			team: 1 + rng.IntN(3), bannedEvery: 2 + rng.IntN(6), rates: testRates,
		}
		w.conflicts, w.past = rng.IntN(3*w.subjects), rng.IntN(3*w.subjects)
		c := w.build(rng)
		r := randomFor(c, seed)
		res := mustDraw(t, c, r)
		// Recuse a few drawn inspectors, some twice from the same subject.
		for k := 0; k < 10 && len(res.Picks) > 0; k++ {
			p := res.Picks[rng.IntN(len(res.Picks))]
			team := res.Team(p.Subject)
			if len(team) == 0 {
				continue
			}
			next, err := Recuse(c, res, p.Subject, team[rng.IntN(len(team))], "declared a former employment")
			if err != nil {
				t.Fatalf("seed %d: Recuse: %v", seed, err)
			}
			res = next
		}
		t.Run(fmt.Sprintf("seed %d: no rule is broken", seed), func(t *testing.T) { checkTeams(t, c, res) })
		if err := Verify(c, r, res); err != nil {
			t.Errorf("seed %d: Verify(draw with recusals) = %v, want nil", seed, err)
		}
	}
}

func TestWorkloadIsBalanced(t *testing.T) {
	// No unit, conflict or past rule applies, so nothing forces imbalance:
	// within a region, loads differ by at most one.
	c := world{subjects: 3000, inspectors: 60, regions: 3, units: 1, team: 2, rates: testRates}.build(rand.New(rand.NewPCG(7, 8)))
	for i := range c.Subjects {
		c.Subjects[i].Unit = "-"
	}
	res := mustDraw(t, c, randomFor(c, 1))
	load := map[string]int{}
	for _, p := range res.Picks {
		for _, id := range p.Team {
			load[id]++
		}
	}
	lo, hi := map[string]int{}, map[string]int{}
	for _, in := range c.Inspectors {
		l := load[in.ID]
		if v, ok := lo[in.Region]; !ok || l < v {
			lo[in.Region] = l
		}
		hi[in.Region] = max(hi[in.Region], l)
	}
	for region := range lo {
		if hi[region]-lo[region] > 1 {
			t.Errorf("region %s: loads from %d to %d, want a spread of at most 1", region, lo[region], hi[region])
		}
	}
}

func TestRecuseRefuses(t *testing.T) {
	c := world{subjects: 100, inspectors: 10, regions: 1, units: 3, team: 2, rates: testRates}.build(rand.New(rand.NewPCG(9, 9)))
	res := mustDraw(t, c, randomFor(c, 1))
	p := res.Picks[0]
	notOnTeam := ""
	for _, in := range c.Inspectors {
		if !slices.Contains(p.Team, in.ID) {
			notOnTeam = in.ID
		}
	}
	for _, tc := range []struct{ name, subject, inspector, reason string }{
		{"a recusal without a reason", p.Subject, p.Team[0], " "},
		{"an inspector not on the team", p.Subject, notOnTeam, "conflict"},
		{"a subject not in the commitment", "S9999999", p.Team[0], "conflict"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Recuse(c, res, tc.subject, tc.inspector, tc.reason); err == nil {
				t.Error("Recuse = nil error, want one")
			}
		})
	}
}

func TestVerifyFails(t *testing.T) {
	build := func() *Commitment {
		return world{subjects: 400, inspectors: 30, regions: 3, units: 6, team: 2, conflicts: 20, past: 20, rates: testRates}.build(rand.New(rand.NewPCG(11, 12)))
	}
	c := build()
	r := randomFor(c, 42)
	published := mustDraw(t, c, r)
	published, err := Recuse(c, published, published.Picks[0].Subject, published.Picks[0].Team[0], "is the subject's former auditor")
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(c, r, published); err != nil {
		t.Fatalf("Verify(published) = %v, want nil", err)
	}
	for _, tc := range []struct {
		name   string
		change func(c *Commitment, r *Random, res *Result)
	}{
		{"when a subject is added to the frozen list", func(c *Commitment, _ *Random, _ *Result) {
			c.Subjects = append(c.Subjects, Subject{ID: "S9999999", Class: "D", Region: "R00", Unit: "U000"})
		}},
		{"when a subject is removed from the frozen list", func(c *Commitment, _ *Random, _ *Result) {
			c.Subjects = slices.Delete(c.Subjects, 10, 11)
		}},
		{"when a rate is changed", func(c *Commitment, _ *Random, _ *Result) {
			c.Rates = map[Class]Permyriad{"A": 100, "B": 500, "C": 2001, "D": 5000}
		}},
		{"when an inspector is added", func(c *Commitment, _ *Random, _ *Result) {
			c.Inspectors = append(c.Inspectors, Inspector{ID: "I99999", Region: "R00", Unit: "U000"})
		}},
		{"when another random value is used", func(_ *Commitment, r *Random, _ *Result) { r.Value[31] ^= 1 }},
		{"when another drand round is used", func(_ *Commitment, r *Random, _ *Result) { r.Round++ }},
		{"when a lottery replaces the committed drand round", func(_ *Commitment, r *Random, _ *Result) {
			*r = FromLottery([]Source{{1, 2, 3}})
		}},
		{"when a drawn subject is swapped for another", func(_ *Commitment, _ *Random, res *Result) { res.Picks[3].Subject = "S0000000" }},
		{"when a drawn subject is left out", func(_ *Commitment, _ *Random, res *Result) { res.Picks = res.Picks[:len(res.Picks)-1] }},
		{"when a team member is swapped", func(_ *Commitment, _ *Random, res *Result) { res.Picks[5].Team[1] = "I00000" }},
		{"when a recusal's replacement is chosen by hand", func(_ *Commitment, _ *Random, res *Result) { res.Recusals[0].Replacement = "I00001" }},
		{"when a recusal names someone not on the team", func(_ *Commitment, _ *Random, res *Result) {
			res.Recusals = append(res.Recusals, Recusal{Subject: res.Picks[0].Subject, Inspector: "I99999", Reason: "x"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c2, r2 := build(), r
			res := *published
			res.Picks = slices.Clone(published.Picks)
			for i := range res.Picks {
				res.Picks[i].Team = slices.Clone(res.Picks[i].Team)
			}
			res.Recusals = slices.Clone(published.Recusals)
			tc.change(c2, &r2, &res)
			c2.Sort()
			err := Verify(c2, r2, &res)
			if err == nil {
				t.Fatal("Verify = nil, want a failure")
			}
			var m *MismatchError
			if errors.As(err, &m) {
				t.Logf("first difference: %v", m)
			}
		})
	}
}

func TestLotterySeededDraw(t *testing.T) {
	c := smallCommitment()
	c.Sort()
	src, err := ParseSources("09 13 17 21 24 29 06\n")
	if err != nil {
		t.Fatal(err)
	}
	r := FromLottery(src)
	res := mustDraw(t, c, r)
	if err := Verify(c, r, res); err != nil {
		t.Errorf("Verify = %v, want nil", err)
	}
	if _, err := Draw(c, FromLottery(append(src, Source{1}))); err == nil {
		t.Error("Draw with two sources where one was committed = nil error, want one")
	}
	// Both subjects are drawn (rates round up); P001 is the only active
	// inspector of 350100 but has a conflict with its subject, and 110000's
	// only inspector is banned, so every team is empty, and says why.
	for _, p := range res.Picks {
		if len(p.Team) != 0 || p.Shortfall == nil || p.Shortfall.Eligible != 0 {
			t.Errorf("%s: team %v with shortfall %v, want none, with its reason", p.Subject, p.Team, p.Shortfall)
		}
	}
	if len(res.Picks) != 2 {
		t.Errorf("drew %d subjects, want 2", len(res.Picks))
	}
}

// BenchmarkDrawNational draws a national campaign: 1,000,000 subjects in 4
// classes (1%, 5%, 20%, 50% rates: about 190,000 drawn), 5,000 inspectors in
// 31 regions, teams of 2, with 10,000 conflicts and 50,000 past inspections.
// Building the commitment is not timed; hashing it is. On a shared machine
// wall time says more about the neighbours than about the draw, so the
// process's CPU time per draw (GC included) is reported beside it.
func BenchmarkDrawNational(b *testing.B) {
	c := world{subjects: 1_000_000, inspectors: 5000, regions: 31, units: 500, team: 2, conflicts: 10_000, past: 50_000, bannedEvery: 50,
		rates: testRates}.build(rand.New(rand.NewPCG(1, 1)))
	r := randomFor(c, 7)
	var res *Result
	start := cpuTime()
	for b.Loop() {
		res = mustDraw(b, c, r)
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(res.Picks)), "drawn")
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestSmallestEqualsSortingTheWholeClass(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{0, 1, 10, 1000, 20000} {
		for _, k := range []int{0, 1, n / 100, n / 10, n / 3, n} {
			if k > n {
				continue
			}
			t.Run(fmt.Sprintf("%d of %d", k, n), func(t *testing.T) {
				members := make([]ranked, n)
				for i := range members {
					// Few distinct ranks in the small cases, so ties are broken too.
					members[i] = ranked{rng.Uint64() >> (rng.IntN(2) * 62), int32(i)}
				}
				less := func(a, b ranked) int {
					if a.rank != b.rank {
						return cmp.Compare(a.rank, b.rank)
					}
					return cmp.Compare(a.i, b.i)
				}
				want := slices.Clone(members)
				slices.SortFunc(want, less)
				got := smallest(slices.Clone(members), k, less)
				if !slices.Equal(got, want[:k]) {
					t.Errorf("smallest(%d of %d) differs from the first %d of the sorted class", k, n, k)
				}
			})
		}
	}
}
