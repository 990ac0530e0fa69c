package stateaudit_test

import (
	"strings"
	"testing"

	"trustmark"
	"trustmark/campaign"
	"trustmark/draw"
	"trustmark/stateaudit"
	"trustmark/storetest"
)

// withCampaign adds the storetest campaign to r, drawn, with a recusal,
// two findings and a publication.
func withCampaign(t *testing.T, r registry) *campaign.Campaign {
	t.Helper()
	reg := trustmark.Party{Kind: trustmark.PartyRegulator, ID: "110000"}
	c, com := storetest.CampaignFixture("CAMP-A1")
	if err := r.db.CreateCampaign(ctx, c, com, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := r.db.RecordRandom(ctx, c.ID, campaign.RandomData{Kind: draw.SeedLottery, Lottery: storetest.CampaignLottery}, reg); err != nil {
		t.Fatal(err)
	}
	d, err := r.db.DrawCampaign(ctx, c.ID, reg)
	if err != nil {
		t.Fatal(err)
	}
	pk := d.Result.Picks[0]
	if _, err := r.db.RecuseCampaign(ctx, c.ID, pk.Subject, pk.Team[0], "亲属关系", reg); err != nil {
		t.Fatal(err)
	}
	on := trustmark.DateOf(d.Attempts[0].At)
	for i, outcome := range []campaign.Outcome{campaign.NoProblem, campaign.Referred} {
		items := []campaign.ItemResult{{Item: 1, Pass: true}, {Item: 2, Pass: outcome == campaign.NoProblem}}
		if _, err := r.db.RecordFinding(ctx, c.ID, campaign.Finding{Subject: d.Result.Picks[i].Subject, Method: "onsite", Items: items, Outcome: outcome, ConcludedOn: on}, reg); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.db.PublishResults(ctx, c.ID, reg); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestAuditCampaigns edits a campaign's tables behind the store's back and
// expects the audit to name each change.
func TestAuditCampaigns(t *testing.T) {
	r := open(t, false, 3)
	c := withCampaign(t, r)
	rep, err := stateaudit.Audit(ctx, r.db, stateaudit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("a campaign as the store wrote it: %v, want no difference", rep.Differences)
	}
	first, second := c.Result.Picks[0].Subject, c.Result.Picks[1].Subject
	for _, tc := range []struct {
		name, tamper, restore, want string
	}{
		{"a renamed campaign", `UPDATE campaigns SET name = '改过的名称' WHERE id = 'CAMP-A1'`,
			`UPDATE campaigns SET name = '` + c.Name + `' WHERE id = 'CAMP-A1'`, `campaigns CAMP-A1: name is "\"改过的名称\""`},
		{"a status moved back", `UPDATE campaigns SET status = 'seeded' WHERE id = 'CAMP-A1'`,
			`UPDATE campaigns SET status = 'drawn' WHERE id = 'CAMP-A1'`, `campaigns CAMP-A1: status is "\"seeded\""`},
		{"another team drawn", `UPDATE campaign_picks SET team = '["I000","I002"]' WHERE campaign_id = 'CAMP-A1' AND pos = 1`,
			`UPDATE campaign_picks SET team = '` + jsonTeam(c.Result.Picks[1].Team) + `' WHERE campaign_id = 'CAMP-A1' AND pos = 1`, `campaigns CAMP-A1: draw.picks (SHA-256) is`},
		{"a subject taken off the frozen list", `UPDATE campaign_commitment_chunks SET bytes = replace(bytes, 'subject S059 C 110105 U03' || char(10), '') WHERE campaign_id = 'CAMP-A1'`,
			`UPDATE campaign_commitment_chunks SET bytes = replace(bytes, char(10) || 'inspector I000 ', char(10) || 'subject S059 C 110105 U03' || char(10) || 'inspector I000 ') WHERE campaign_id = 'CAMP-A1'`,
			`campaigns CAMP-A1: commitment document is`},
		{"a finding's outcome softened", `UPDATE campaign_findings SET doc = replace(doc, '"outcome":"referred"', '"outcome":"no_problem"') WHERE campaign_id = 'CAMP-A1'`,
			`UPDATE campaign_findings SET doc = replace(doc, '"outcome":"no_problem"', '"outcome":"referred"') WHERE campaign_id = 'CAMP-A1' AND subject = '` + second + `'`,
			`campaigns CAMP-A1: finding ` + second + ` result (SHA-256) is`},
		{"a finding deleted", `DELETE FROM campaign_findings WHERE campaign_id = 'CAMP-A1' AND subject = '` + first + `'`, "",
			`campaigns CAMP-A1: finding ` + first + ` is "none", the events imply "recorded"`},
		{"a campaign no event explains", `INSERT INTO campaigns (id, name, region, subject_kind, filters, rates, checklist, method, team_size, deadline, status, created_at, created_by, commitment_sha256, commitment)
			VALUES ('CAMP-ZZ', 'x', '110000', 'body', '{}', '{}', '[]', 'onsite', 1, '2026-12-31', 'drawn', 0, 'x', '', '')`,
			`DELETE FROM campaigns WHERE id = 'CAMP-ZZ'`, `campaigns CAMP-ZZ: a row no event explains`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r.exec(t, tc.tamper)
			if tc.restore != "" {
				defer r.exec(t, tc.restore)
			}
			rep, err := stateaudit.Audit(ctx, r.db, stateaudit.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, d := range rep.Differences {
				lines = append(lines, d.String())
			}
			if !strings.Contains(strings.Join(lines, "\n"), tc.want) {
				t.Errorf("audit after %s:\n%s\nwant a line with %q", tc.name, strings.Join(lines, "\n"), tc.want)
			}
		})
	}
}

func jsonTeam(team []string) string {
	return `["` + strings.Join(team, `","`) + `"]`
}
