package draw

import (
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestDrawGolden pins the algorithm's bytes: a draw seeded by the recorded
// quicknet round 1000, with one recusal, must stay what it was. A change
// here means published draws of trustmark-draw/1 would no longer verify:
// make it a new Algorithm version instead.
func TestDrawGolden(t *testing.T) {
	// The commitment is kept as published bytes, not regenerated, so that
	// the golden draw does not depend on math/rand's streams.
	const commitmentFile = "testdata/commitment.golden.txt"
	if *update {
		c := world{subjects: 60, inspectors: 12, regions: 2, units: 4, team: 2, conflicts: 10, past: 10, bannedEvery: 5,
			rates: testRates}.build(rand.New(rand.NewPCG(21, 22)))
		b, err := c.Canonical()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(commitmentFile, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(commitmentFile)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	c, err := ParseCommitment(b)
	if err != nil {
		t.Fatal(err)
	}
	beacons, _ := loadBeacons(t)
	var r Random
	for _, rb := range beacons {
		if rb.Round == c.Seed.Round {
			b, err := ParseBeacon(relayJSON(rb))
			if err != nil {
				t.Fatal(err)
			}
			if r, err = FromBeacon(Quicknet(), b); err != nil {
				t.Fatal(err)
			}
		}
	}
	res := mustDraw(t, c, r)
	res, err = Recuse(c, res, res.Picks[0].Subject, res.Picks[0].Team[0], "former employee of the subject")
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	const file = "testdata/draw_round1000.golden.json"
	if *update {
		if err := os.WriteFile(file, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)+"\n"); diff != "" {
		t.Errorf("draw of round 1000 (-golden +got):\n%s", diff)
	}
	var published Result
	if err := json.Unmarshal(want, &published); err != nil {
		t.Fatal(err)
	}
	if err := Verify(c, r, &published); err != nil {
		t.Errorf("Verify(golden) = %v, want nil", err)
	}
}
