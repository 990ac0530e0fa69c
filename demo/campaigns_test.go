package demo_test

import (
	"bytes"
	"context"
	"testing"

	"trustmark/campaign"
	"trustmark/demo"
	"trustmark/draw"
	"trustmark/sqlstore"
)

// TestDemoCampaignTeams loads a data set whose bodies, and so inspectors,
// are in fewer provinces than its certificates, and one of whose provinces
// has a single body: both demo campaigns then draw subjects that no team
// can inspect. Each such pick must say why, carry no result, and verify
// against the commitment with its reason; every other pick of the finished
// campaign must have its result.
func TestDemoCampaignTeams(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	sizes := demo.Sizes{Orgs: 2000, Bodies: 30, Labs: 12, Persons: 150, Certificates: 4000}
	if _, err := demo.Generate(ctx, db, demo.Options{Sizes: &sizes, Seed: 1, Today: today}); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	teamless := 0
	for _, id := range []string{demo.DemoCampaignDone, demo.DemoCampaignOpen} {
		c, err := db.Campaign(ctx, id)
		if err != nil || c.Result == nil {
			t.Fatalf("Campaign(%s) = %v; want it drawn", id, err)
		}
		findings, err := db.Findings(ctx, id, false)
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]bool{}
		for _, f := range findings {
			found[f.Subject] = true
		}
		for _, p := range c.Result.Picks {
			switch short := len(p.Team) < c.TeamSize; {
			case short && (p.Shortfall == nil || p.Shortfall.Eligible != len(p.Team)):
				t.Errorf("%s: %s has a team of %d of %d with shortfall %v, want the reason", id, p.Subject, len(p.Team), c.TeamSize, p.Shortfall)
			case !short && p.Shortfall != nil:
				t.Errorf("%s: %s has a full team %v and shortfall %v, want none", id, p.Subject, p.Team, p.Shortfall)
			case len(p.Team) == 0 && found[p.Subject]:
				t.Errorf("%s: %s has no team but a recorded result", id, p.Subject)
			case len(p.Team) > 0 && id == demo.DemoCampaignDone && !found[p.Subject]:
				t.Errorf("%s: %s has team %v but no result", id, p.Subject, p.Team)
			}
			if len(p.Team) == 0 {
				teamless++
			}
		}
		if id == demo.DemoCampaignOpen && len(findings) != 1 {
			t.Errorf("%s: %d findings, want the one on its first subject with a team", id, len(findings))
		}
		verifyStored(t, db, c)
	}
	if teamless == 0 {
		t.Error("no demo pick is without a team: the sizes no longer make the case this test is about")
	}
}

// verifyStored recomputes c's draw from its stored commitment and random
// value and compares the stored draw, teams and shortfalls included.
func verifyStored(t *testing.T, db *sqlstore.DB, c *campaign.Campaign) {
	t.Helper()
	var doc bytes.Buffer
	if _, err := db.WriteCommitment(context.Background(), c.ID, &doc); err != nil {
		t.Fatal(err)
	}
	com, err := draw.ParseCommitment(doc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	r, err := campaign.RandomOf(*c.Random)
	if err != nil {
		t.Fatal(err)
	}
	if err := draw.Verify(com, r, c.Result); err != nil {
		t.Errorf("draw.Verify(stored %s) = %v, want nil", c.ID, err)
	}
}
