package draw

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"trustmark"
)

// world describes a synthetic campaign for tests and the benchmark.
type world struct {
	subjects, inspectors, regions, units int
	team                                 int
	conflicts, past                      int // how many of each to declare
	bannedEvery                          int // every n-th inspector banned (0: none)
	rates                                map[Class]Permyriad
}

var classes = []Class{"A", "B", "C", "D"}

// build makes the commitment of w from rng, with a drand seed.
func (w world) build(rng *rand.Rand) *Commitment {
	c := &Commitment{
		Campaign:   "2026-SR-001",
		Seed:       SeedSpec{Kind: SeedDrand, Chain: Quicknet().Hash, Round: 1000},
		TeamSize:   w.team,
		RepeatDays: 365,
		DrawnOn:    trustmark.NewDate(2026, 12, 1),
		Rates:      w.rates,
	}
	region := func(i int) string { return fmt.Sprintf("R%02d", i%w.regions) }
	for i := range w.subjects {
		c.Subjects = append(c.Subjects, Subject{
			ID:     fmt.Sprintf("S%07d", i),
			Class:  classes[rng.IntN(len(classes))],
			Region: region(rng.IntN(w.regions)),
			Unit:   fmt.Sprintf("U%03d", rng.IntN(w.units)),
		})
	}
	for i := range w.inspectors {
		c.Inspectors = append(c.Inspectors, Inspector{
			ID:     fmt.Sprintf("I%05d", i),
			Region: region(i),
			Unit:   fmt.Sprintf("U%03d", rng.IntN(w.units)),
			Banned: w.bannedEvery > 0 && i%w.bannedEvery == 0,
		})
	}
	seenC, seenP := map[Pair]bool{}, map[Pair]bool{}
	for range w.conflicts {
		p := Pair{c.Inspectors[rng.IntN(w.inspectors)].ID, c.Subjects[rng.IntN(w.subjects)].ID}
		if !seenC[p] {
			seenC[p] = true
			c.Conflicts = append(c.Conflicts, p)
		}
	}
	for range w.past {
		p := Pair{c.Inspectors[rng.IntN(w.inspectors)].ID, c.Subjects[rng.IntN(w.subjects)].ID}
		if !seenP[p] {
			seenP[p] = true
			c.Past = append(c.Past, Past{p.Inspector, p.Subject, c.DrawnOn.AddDate(0, 0, -rng.IntN(2*c.RepeatDays))})
		}
	}
	c.Sort()
	return c
}

// randomFor returns a drand-kind random value for c from n, as if round
// c.Seed.Round had produced it (the signature is checked elsewhere).
func randomFor(c *Commitment, n uint64) Random {
	var v [32]byte
	for i := range 8 {
		v[i] = byte(n >> (8 * i))
	}
	return Random{Kind: SeedDrand, Chain: c.Seed.Chain, Round: c.Seed.Round, Value: v}
}

func mustDraw(t testing.TB, c *Commitment, r Random) *Result {
	t.Helper()
	res, err := Draw(c, r)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
