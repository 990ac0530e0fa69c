package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/campaign"
	"trustmark/draw"
)

// CampaignStore is a Store that keeps inspection campaigns.
type CampaignStore interface {
	trustmark.Store
	campaign.Store
}

// regulator is the party that runs the suite's campaigns.
var regulator = trustmark.Party{Kind: trustmark.PartyRegulator, ID: "110000"}

// CampaignFixture returns a campaign and its commitment: 60 subjects in
// three classes and 12 inspectors of two regions, with a conflict and a
// past inspection, seeded by two lottery draws.
func CampaignFixture(id string) (*campaign.Campaign, *draw.Commitment) {
	rates := map[draw.Class]draw.Permyriad{"A": 500, "B": 2000, "C": 5000}
	c := &campaign.Campaign{
		ID: id, Name: "2026年认证机构双随机抽查 " + id, Region: "110000", SubjectKind: "body",
		Filters: map[string]string{"scope": "QMS"}, Rates: rates,
		Checklist: []string{"审核时间是否符合要求", "审核员资格"}, Method: "onsite", TeamSize: 2,
		Deadline: trustmark.NewDate(2026, 6, 30),
	}
	com := &draw.Commitment{
		Campaign: id, Seed: draw.SeedSpec{Kind: draw.SeedLottery, Lottery: "双色球2026031+大乐透26031", Sources: 2},
		TeamSize: 2, RepeatDays: 365, DrawnOn: trustmark.NewDate(2026, 3, 20), Rates: rates,
	}
	regions := []string{"110108", "110105"}
	for i := range 60 {
		com.Subjects = append(com.Subjects, draw.Subject{
			ID: fmt.Sprintf("S%03d", i), Class: draw.Class("ABC"[i%3 : i%3+1]),
			Region: regions[i%2], Unit: fmt.Sprintf("U%02d", i%7),
		})
	}
	for i := range 12 {
		com.Inspectors = append(com.Inspectors, draw.Inspector{
			ID: fmt.Sprintf("I%03d", i), Region: regions[i%2], Unit: fmt.Sprintf("U%02d", (i+3)%7), Banned: i == 11,
		})
	}
	com.Conflicts = []draw.Pair{{Inspector: "I000", Subject: "S000"}}
	com.Past = []draw.Past{{Inspector: "I001", Subject: "S001", On: trustmark.NewDate(2025, 9, 1)}}
	com.Sort()
	return c, com
}

// CampaignLottery is the fixture's lottery results.
var CampaignLottery = [][]uint64{{3, 9, 14, 22, 27, 31, 6}, {5, 12, 19, 28, 33, 4, 11}}

// RunCampaigns is the conformance suite of campaign.Store.
func RunCampaigns(t *testing.T, open func(t *testing.T) CampaignStore) {
	fresh := func(t *testing.T) CampaignStore {
		s := open(t)
		t.Cleanup(func() { s.Close() })
		return s
	}
	t.Run("a campaign goes from commitment to draw, each step in the log", func(t *testing.T) { testCampaignSteps(t, fresh(t)) })
	t.Run("refusals change nothing", func(t *testing.T) { testCampaignRefusals(t, fresh(t)) })
	t.Run("campaigns are listed newest first, page by page", func(t *testing.T) { testCampaignList(t, fresh(t)) })
	t.Run("a registry campaign freezes the registry, then findings and publications follow", func(t *testing.T) { testCampaignFromRegistry(t, fresh(t)) })
}

func testCampaignSteps(t *testing.T, s CampaignStore) {
	c, com := CampaignFixture("CAMP-1")
	if err := s.CreateCampaign(ctx, c, com, regulator); err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	canonical, _ := com.Canonical()
	got, err := s.Campaign(ctx, "CAMP-1")
	if err != nil {
		t.Fatalf("Campaign: %v", err)
	}
	if got.Status != campaign.Committed || string(got.Commitment) != string(canonical) {
		t.Errorf("after create: status %s, commitment equal %v; want committed, true", got.Status, string(got.Commitment) == string(canonical))
	}
	if _, err := s.RecordRandom(ctx, "CAMP-1", campaign.RandomData{Kind: draw.SeedLottery, Lottery: CampaignLottery}, regulator); err != nil {
		t.Fatalf("RecordRandom: %v", err)
	}
	first, err := s.DrawCampaign(ctx, "CAMP-1", regulator)
	if err != nil {
		t.Fatalf("DrawCampaign: %v", err)
	}
	again, err := s.DrawCampaign(ctx, "CAMP-1", regulator)
	if err != nil {
		t.Fatalf("second DrawCampaign: %v", err)
	}
	r, _ := campaign.RandomOf(campaign.RandomData{Kind: draw.SeedLottery, Lottery: CampaignLottery})
	want, err := draw.Draw(com, r)
	if err != nil {
		t.Fatal(err)
	}
	got, err = s.Campaign(ctx, "CAMP-1")
	if err != nil {
		t.Fatal(err)
	}
	want.Recusals = []draw.Recusal{}
	if diff := cmp.Diff(want, got.Result); diff != "" {
		t.Errorf("stored draw (-recomputed +stored):\n%s", diff)
	}
	if h := campaign.ResultSHA256(got.Result); h != campaignDrawSHA256 {
		t.Errorf("draw hash = %s, want %s (the same inputs must give the same draw on every database)", h, campaignDrawSHA256)
	}
	if len(again.Attempts) != 2 || again.Attempts[1].ResultSHA256 != first.Attempts[0].ResultSHA256 {
		t.Errorf("attempts after two draws = %+v, want two with the same result hash", again.Attempts)
	}
	victim := got.Result.Picks[0]
	rec, err := s.RecuseCampaign(ctx, "CAMP-1", victim.Subject, victim.Team[0], "亲属关系", regulator)
	if err != nil {
		t.Fatalf("RecuseCampaign: %v", err)
	}
	got, _ = s.Campaign(ctx, "CAMP-1")
	if diff := cmp.Diff(rec.Result.Recusals, got.Result.Recusals); diff != "" || len(got.Result.Recusals) != 1 {
		t.Errorf("stored recusals (-decided +stored):\n%s", diff)
	}
	if err := draw.Verify(com, r, got.Result); err != nil {
		t.Errorf("draw.Verify(stored campaign) = %v, want nil", err)
	}
	evs, err := s.Events(ctx, trustmark.EventFilter{Entity: campaign.EntityCampaign, Key: "CAMP-1", After: -1})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	wantActions := []string{campaign.ActionCommitted, campaign.ActionRandom, campaign.ActionDrawAttempted, campaign.ActionDrawn, campaign.ActionDrawAttempted, campaign.ActionRecused}
	if diff := cmp.Diff(wantActions, actions); diff != "" {
		t.Errorf("campaign events (-want +got):\n%s", diff)
	}
}

// campaignDrawSHA256 is the hash of the fixture's draw: recorded once, held
// on every database.
const campaignDrawSHA256 = "28d315b2d9933a6d989aa5a61cf84e9a94fd7880bfed0cce1dddd9d7ca48f0c5"

func testCampaignRefusals(t *testing.T, s CampaignStore) {
	c, com := CampaignFixture("CAMP-2")
	if err := s.CreateCampaign(ctx, c, com, regulator); err != nil {
		t.Fatal(err)
	}
	dup, dupCom := CampaignFixture("CAMP-2")
	bad, badCom := CampaignFixture("CAMP-3")
	badCom.Rates = map[draw.Class]draw.Permyriad{"A": 1, "B": 1, "C": 1}
	tests := []struct {
		name string
		do   func() error
		code string
	}{
		{"a second campaign with the same id is a conflict", func() error { return s.CreateCampaign(ctx, dup, dupCom, regulator) }, trustmark.EConflict},
		{"a commitment whose rates are not the campaign's is invalid", func() error { return s.CreateCampaign(ctx, bad, badCom, regulator) }, trustmark.EInvalid},
		{"a draw before the random value is a conflict", func() error { _, err := s.DrawCampaign(ctx, "CAMP-2", regulator); return err }, trustmark.EConflict},
		{"lottery results of another number of sources are invalid", func() error {
			_, err := s.RecordRandom(ctx, "CAMP-2", campaign.RandomData{Kind: draw.SeedLottery, Lottery: CampaignLottery[:1]}, regulator)
			return err
		}, trustmark.EInvalid},
		{"a drand beacon for a lottery campaign is invalid", func() error {
			_, err := s.RecordRandom(ctx, "CAMP-2", campaign.RandomData{Kind: draw.SeedDrand, Beacon: []byte(`{}`)}, regulator)
			return err
		}, trustmark.EInvalid},
		{"a recusal before the draw is a conflict", func() error {
			_, err := s.RecuseCampaign(ctx, "CAMP-2", "S000", "I002", "x", regulator)
			return err
		}, trustmark.EConflict},
		{"an unknown campaign is not found", func() error { _, err := s.DrawCampaign(ctx, "NOPE", regulator); return err }, trustmark.ENotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *trustmark.Error
			if err := tt.do(); !errors.As(err, &e) || e.Code != tt.code {
				t.Errorf("error = %v, want code %s", err, tt.code)
			}
		})
	}
	evs, _ := s.Events(ctx, trustmark.EventFilter{Entity: campaign.EntityCampaign, After: -1})
	if len(evs) != 1 {
		t.Errorf("campaign events after refusals = %d, want 1 (the commitment)", len(evs))
	}
}

func testCampaignList(t *testing.T, s CampaignStore) {
	for _, id := range []string{"CAMP-A", "CAMP-B", "CAMP-C"} {
		c, com := CampaignFixture(id)
		if err := s.CreateCampaign(ctx, c, com, regulator); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RecordRandom(ctx, "CAMP-B", campaign.RandomData{Kind: draw.SeedLottery, Lottery: CampaignLottery}, regulator); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for cursor := ""; ; {
		page, next, err := s.Campaigns(ctx, campaign.Filter{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			ids = append(ids, c.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if diff := cmp.Diff([]string{"CAMP-C", "CAMP-B", "CAMP-A"}, ids); diff != "" {
		t.Errorf("campaigns page by page (-want +got):\n%s", diff)
	}
	seeded, _, err := s.Campaigns(ctx, campaign.Filter{Status: campaign.Seeded})
	if err != nil || len(seeded) != 1 || seeded[0].ID != "CAMP-B" {
		t.Errorf("Campaigns(status seeded) = %v, %v; want CAMP-B", seeded, err)
	}
}

// CampaignRequestJSON is CampaignFixture(id) as a regulator posts it to
// POST /api/v1/campaigns.
func CampaignRequestJSON(id string) []byte {
	c, com := CampaignFixture(id)
	type obj = map[string]any
	var subjects, inspectors, conflicts, past []obj
	for _, s := range com.Subjects {
		subjects = append(subjects, obj{"id": s.ID, "class": s.Class, "region": s.Region, "unit": s.Unit})
	}
	for _, i := range com.Inspectors {
		inspectors = append(inspectors, obj{"id": i.ID, "region": i.Region, "unit": i.Unit, "banned": i.Banned})
	}
	for _, p := range com.Conflicts {
		conflicts = append(conflicts, obj{"inspector": p.Inspector, "subject": p.Subject})
	}
	for _, p := range com.Past {
		past = append(past, obj{"inspector": p.Inspector, "subject": p.Subject, "on": p.On})
	}
	b, err := json.Marshal(obj{
		"id": id, "name": c.Name, "region": c.Region, "subject_kind": c.SubjectKind, "filters": c.Filters,
		"rates": c.Rates, "checklist": c.Checklist, "method": c.Method, "team_size": c.TeamSize, "deadline": c.Deadline,
		"repeat_days": com.RepeatDays, "drawn_on": com.DrawnOn,
		"seed":     obj{"kind": com.Seed.Kind, "lottery": com.Seed.Lottery, "sources": com.Seed.Sources},
		"subjects": subjects, "inspectors": inspectors, "conflicts": conflicts, "past": past,
	})
	if err != nil {
		panic(err) // the fixture always encodes
	}
	return b
}
