package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/campaign"
	"trustmark/draw"
	"trustmark/sqlstore"
	"trustmark/stateaudit"
	"trustmark/storetest"
)

func TestCampaignWithoutTeamSQLite(t *testing.T) {
	db := openSQLite(t)
	defer db.Close()
	testCampaignWithoutTeam(t, db)
}

func TestCampaignWithoutTeamPostgres(t *testing.T) {
	db := openPG(t)
	defer db.Close()
	testCampaignWithoutTeam(t, db)
}

// testCampaignWithoutTeam draws the storetest fixture with every subject
// drawn and one more subject in a region without inspectors: the store
// keeps that pick's shortfall with its empty team, so that the stored draw
// verifies, and refuses a result for it, naming the subject, while a
// subject with a team takes one.
func testCampaignWithoutTeam(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	reg := trustmark.Party{Kind: trustmark.PartyRegulator, ID: "110000"}
	c, com := storetest.CampaignFixture("CAMP-T1")
	rates := map[draw.Class]draw.Permyriad{"A": 10000, "B": 10000, "C": 10000}
	c.Rates, com.Rates = rates, rates
	const lonely = "S999"
	com.Subjects = append(com.Subjects, draw.Subject{ID: lonely, Class: "A", Region: "650100", Unit: "U99"})
	com.Sort()
	if err := db.CreateCampaign(ctx, c, com, reg); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	rd := campaign.RandomData{Kind: draw.SeedLottery, Lottery: storetest.CampaignLottery}
	if _, err := db.RecordRandom(ctx, c.ID, rd, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DrawCampaign(ctx, c.ID, reg); err != nil {
		t.Fatal(err)
	}
	got, err := db.Campaign(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := campaign.RandomOf(rd)
	want, err := draw.Draw(com, r)
	if err != nil {
		t.Fatal(err)
	}
	want.Recusals = []draw.Recusal{}
	if diff := cmp.Diff(want, got.Result); diff != "" {
		t.Errorf("stored draw (-recomputed +stored):\n%s", diff)
	}
	pick := campaign.PickOf(got.Result, lonely)
	wantShort := &draw.Shortfall{Reason: draw.NoInspectors, Region: "650100"}
	if pick == nil || len(pick.Team) != 0 || !cmp.Equal(pick.Shortfall, wantShort) {
		t.Fatalf("stored pick of %s = %+v, want no team and shortfall %+v", lonely, pick, wantShort)
	}
	if err := draw.Verify(com, r, got.Result); err != nil {
		t.Errorf("draw.Verify(stored campaign) = %v, want nil", err)
	}

	on := trustmark.DateOf(got.Attempts[0].At)
	finding := func(subject string) campaign.Finding {
		return campaign.Finding{Subject: subject, Method: "onsite", Outcome: campaign.NoProblem, ConcludedOn: on,
			Items: []campaign.ItemResult{{Item: 1, Pass: true}, {Item: 2, Pass: true}}}
	}
	before, err := db.Events(ctx, trustmark.EventFilter{Entity: campaign.EntityCampaign, Key: c.ID, After: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.RecordFinding(ctx, c.ID, finding(lonely), reg)
	var e *trustmark.Error
	if !errors.As(err, &e) || e.Code != trustmark.EConflict || e.Field != "subject" || e.Reason != "campaign.no_team" {
		t.Errorf("RecordFinding(%s, no team) = %v, want a conflict on field subject (campaign.no_team)", lonely, err)
	}
	after, _ := db.Events(ctx, trustmark.EventFilter{Entity: campaign.EntityCampaign, Key: c.ID, After: -1})
	if fs, _ := db.Findings(ctx, c.ID, false); len(fs) != 0 || len(after) != len(before) {
		t.Errorf("after the refusal: %d findings, %d events (were %d); want none recorded", len(fs), len(after), len(before))
	}
	staffed := got.Result.Picks[0].Subject
	if staffed == lonely {
		staffed = got.Result.Picks[1].Subject
	}
	if _, err := db.RecordFinding(ctx, c.ID, finding(staffed), reg); err != nil {
		t.Errorf("RecordFinding(%s, team %v) = %v, want it recorded", staffed, got.Result.Team(staffed), err)
	}

	// Every subject with a team has its result: once published, the
	// campaign is, and its stored state is what its events imply.
	for _, p := range got.Result.Picks {
		if p.Subject != lonely && p.Subject != staffed {
			if _, err := db.RecordFinding(ctx, c.ID, finding(p.Subject), reg); err != nil {
				t.Fatalf("RecordFinding(%s): %v", p.Subject, err)
			}
		}
	}
	if _, err := db.PublishResults(ctx, c.ID, reg); err != nil {
		t.Fatalf("PublishResults: %v", err)
	}
	if pub, err := db.Campaign(ctx, c.ID); err != nil || pub.Status != campaign.Published {
		t.Errorf("after every subject with a team is published: status %v, %v; want published", pub.Status, err)
	}
	if rep, err := stateaudit.Audit(ctx, db, stateaudit.Options{}); err != nil || !rep.OK() {
		t.Errorf("state audit = %+v, %v; want no difference", rep, err)
	}
}
