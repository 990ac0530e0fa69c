package campaign_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"trustmark"
	"trustmark/campaign"
	"trustmark/data"
	"trustmark/draw"
	"trustmark/storetest"
)

// recordedBeacon returns the first recorded quicknet round of the reference
// data, as a relay serves it.
func recordedBeacon(t testing.TB) (uint64, []byte) {
	t.Helper()
	b, err := data.Reference.ReadFile("reference/drand_quicknet.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Beacons []struct {
			Round      uint64 `json:"round"`
			Signature  string `json:"signature"`
			Randomness string `json:"randomness"`
		} `json:"beacons"`
	}
	if err := json.Unmarshal(b, &f); err != nil || len(f.Beacons) == 0 {
		t.Fatalf("reference beacons: %v", err)
	}
	x := f.Beacons[0]
	return x.Round, fmt.Appendf(nil, `{"round":%d,"randomness":"%s","signature":"%s"}`, x.Round, x.Randomness, x.Signature)
}

func TestDrandCampaign(t *testing.T) {
	round, beacon := recordedBeacon(t)
	c, com := storetest.CampaignFixture("CAMP-D")
	com.Seed = draw.SeedSpec{Kind: draw.SeedDrand, Chain: draw.Quicknet().Hash, Round: round}
	if err := campaign.CheckNew(c, com); err != nil {
		t.Fatalf("CheckNew: %v", err)
	}
	t.Run("the committed round's beacon is recorded and drawn", func(t *testing.T) {
		rd, err := campaign.DecideRandom(c, com, campaign.RandomData{Kind: draw.SeedDrand, Beacon: beacon})
		if err != nil {
			t.Fatalf("DecideRandom: %v", err)
		}
		seeded := *c
		seeded.Status, seeded.Random = campaign.Seeded, &rd
		res, first, err := campaign.DecideDraw(&seeded, com)
		if err != nil || !first || len(res.Picks) == 0 {
			t.Fatalf("DecideDraw = %d picks, first %v, %v; want picks, true, nil", len(res.Picks), first, err)
		}
	})
	t.Run("a beacon with a forged signature is refused", func(t *testing.T) {
		forged := []byte(fmt.Sprintf(`{"round":%d,"signature":"%0192x"}`, round, 1))
		if _, err := campaign.DecideRandom(c, com, campaign.RandomData{Kind: draw.SeedDrand, Beacon: forged}); trustmark.ErrorCode(err) != trustmark.EInvalid {
			t.Errorf("DecideRandom(forged beacon) = %v, want invalid", err)
		}
	})
	t.Run("lottery results for a drand campaign are refused", func(t *testing.T) {
		if _, err := campaign.DecideRandom(c, com, campaign.RandomData{Kind: draw.SeedLottery, Lottery: storetest.CampaignLottery}); trustmark.ErrorCode(err) != trustmark.EInvalid {
			t.Errorf("DecideRandom(lottery) = %v, want invalid", err)
		}
	})
}

func TestCheckNewRefuses(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*campaign.Campaign, *draw.Commitment)
		field string
	}{
		{"a campaign without a name", func(c *campaign.Campaign, _ *draw.Commitment) { c.Name = " " }, "name"},
		{"an unknown kind of subject", func(c *campaign.Campaign, _ *draw.Commitment) { c.SubjectKind = "shop" }, "subject_kind"},
		{"an unknown method", func(c *campaign.Campaign, _ *draw.Commitment) { c.Method = "phone" }, "method"},
		{"a team of none", func(c *campaign.Campaign, com *draw.Commitment) { c.TeamSize, com.TeamSize = 0, 0 }, "team_size"},
		{"no deadline", func(c *campaign.Campaign, _ *draw.Commitment) { c.Deadline = trustmark.Date{} }, "deadline"},
		{"an empty checklist", func(c *campaign.Campaign, _ *draw.Commitment) { c.Checklist = nil }, "checklist"},
		{"a region that is no code", func(c *campaign.Campaign, _ *draw.Commitment) { c.Region = "beijing" }, "region"},
		{"a commitment for another campaign", func(_ *campaign.Campaign, com *draw.Commitment) { com.Campaign = "OTHER" }, "commitment.campaign"},
		{"a commitment with another team size", func(_ *campaign.Campaign, com *draw.Commitment) { com.TeamSize = 3 }, "commitment.team_size"},
		{"a commitment with other rates", func(_ *campaign.Campaign, com *draw.Commitment) {
			com.Rates = map[draw.Class]draw.Permyriad{"A": 500, "B": 2000, "C": 5001}
		}, "commitment.rates"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is invalid", func(t *testing.T) {
			c, com := storetest.CampaignFixture("CAMP-X")
			tt.edit(c, com)
			err := campaign.CheckNew(c, com)
			var e *trustmark.Error
			if !errors.As(err, &e) || e.Code != trustmark.EInvalid || e.Field != tt.field {
				t.Errorf("CheckNew = %v, want invalid on field %s", err, tt.field)
			}
		})
	}
}

// FuzzRandomOf feeds random values from outside (a regulator's request, a
// log entry read by a verifier) to RandomOf: it refuses or recomputes, never
// panics, and a lottery value is always the SHA-256 of its key string.
func FuzzRandomOf(f *testing.F) {
	_, beacon := recordedBeacon(f)
	f.Add([]byte(`{"kind":"drand","beacon":` + string(beacon) + `}`))
	f.Add([]byte(`{"kind":"lottery","lottery":[[1,2,3],[4,5]]}`))
	f.Add([]byte(`{"kind":"lottery","lottery":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var rd campaign.RandomData
		if json.Unmarshal(b, &rd) != nil {
			return
		}
		r, err := campaign.RandomOf(rd)
		if err != nil {
			if trustmark.ErrorCode(err) != trustmark.EInvalid {
				t.Errorf("RandomOf(%s) = %v, want an invalid refusal", b, err)
			}
			return
		}
		if r.Kind != rd.Kind {
			t.Errorf("RandomOf(%s) kind = %s, want %s", b, r.Kind, rd.Kind)
		}
	})
}
