package web

import (
	"context"
	"strings"
	"testing"

	"trustmark"
	"trustmark/campaign"
	"trustmark/draw"
	"trustmark/storetest"
)

// TestCampaignPageShortTeam draws the storetest fixture with one more
// subject in a region without inspectors: its row says that it has no
// team and why, in both languages, and a subject with a full team says
// nothing of the kind.
func TestCampaignPageShortTeam(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	reg := trustmark.Party{Kind: trustmark.PartyRegulator, ID: "110000"}
	c, com := storetest.CampaignFixture("CAMP-W4")
	com.Subjects = append(com.Subjects, draw.Subject{ID: "S999", Class: "A", Region: "650100", Unit: "U99"})
	rates := map[draw.Class]draw.Permyriad{"A": 10000, "B": 100, "C": 100}
	c.Rates, com.Rates = rates, rates
	com.Sort()
	if err := f.store.CreateCampaign(ctx, c, com, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.RecordRandom(ctx, c.ID, campaign.RandomData{Kind: draw.SeedLottery, Lottery: storetest.CampaignLottery}, reg); err != nil {
		t.Fatal(err)
	}
	d, err := f.store.DrawCampaign(ctx, c.ID, reg)
	if err != nil {
		t.Fatal(err)
	}
	full := ""
	for _, p := range d.Result.Picks {
		if len(p.Team) == c.TeamSize {
			full = p.Subject
		}
	}
	zh, en := f.get("/campaigns/CAMP-W4").Body.String(), f.get("/campaigns/CAMP-W4?lang=en").Body.String()
	row := func(body, subject string) string {
		_, after, ok := strings.Cut(body, "<tr><td>"+subject+"</td>")
		if !ok {
			t.Fatalf("the page has no row for %s", subject)
		}
		r, _, _ := strings.Cut(after, "</tr>")
		return r
	}
	for _, tc := range []struct{ name, row, want string }{
		{"the subject without a team says so", row(zh, "S999"), `<strong class="noteam">未组成检查组，不能登记检查结果</strong>`},
		{"and why, with the counts", row(zh, "S999"), `data-reason="no_inspectors">检查组人数不足：该地区没有在册检查人员。地区650100在册检查人员0名，可抽取0名`},
		{"English says why too", row(en, "S999"), "Team short: the region has no active inspector. Region 650100 has 0 active inspectors, 0 of them eligible"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(tc.row, tc.want) {
				t.Errorf("row %q lacks %q", tc.row, tc.want)
			}
		})
	}
	t.Run("a full team has no shortfall", func(t *testing.T) {
		if full == "" {
			t.Fatal("no pick has a full team")
		}
		if r := row(zh, full); strings.Contains(r, "shortfall") || strings.Contains(r, "noteam") {
			t.Errorf("row of %s, with a full team, = %q; want no shortfall", full, r)
		}
	})
}
