package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"trustmark"
	"trustmark/campaign"
	"trustmark/data"
	"trustmark/draw"
)

// Demo inspection campaigns ("double random, one public"), both with their
// eligible lists taken from the demo registry:
//
//   - DemoCampaignDone, a national campaign over certification bodies,
//     committed in October 2024 and seeded by the recorded drand quicknet
//     round 12040883 (data/reference/drand_quicknet.json), drawn, every
//     drawn body that has a team inspected and the results published:
//     `trustmark draw verify` recomputes it offline. A recorded beacon is
//     one of the past, and the verifier checks that the commitment was
//     logged before the round was published, so this campaign's steps are
//     written by a handle whose clock reads the days of 2024 they describe
//     (the store's CampaignsAt). A body whose province has no inspector who
//     may inspect it (the province's only body, whose own staff are the
//     province's whole pool) is drawn with no team and the draw's reason,
//     and has no result: the campaign then stays drawn, not published;
//   - DemoCampaignOpen, a national campaign over QMS certificates committed
//     today and seeded by the results of two lottery draws, drawn, with one
//     inspection recorded (a rectification order and the certificate
//     suspended through its lifecycle, on the first subject drawn with a
//     team) and its results not yet published. Certificates of provinces
//     where no body, and so no inspector, is registered are drawn with no
//     team and the draw's reason.
const (
	DemoCampaignDone = "SSYG-2024-001"
	DemoCampaignOpen = "SSYG-2026-001"
)

// demoRound is the recorded quicknet round the finished campaign draws on.
const demoRound = 12040883

// campaignStore is a store that keeps campaigns and can write the finished
// campaign's past steps (sqlstore.DB).
type campaignStore interface {
	campaign.Store
	CampaignsAt(ctx context.Context, clock trustmark.Clock) (campaign.Store, func() error, error)
}

// national is the party that runs the demo campaigns.
var national = trustmark.Party{Kind: trustmark.PartyRegulator, ID: trustmark.NationalRegion}

// addCampaigns loads the two demo campaigns; it returns how many it loaded
// (none when the store keeps no campaigns) and how many valid certificates
// their findings suspended.
func addCampaigns(ctx context.Context, store trustmark.Store) (n, suspended int, err error) {
	cs, ok := store.(campaignStore)
	if !ok {
		return 0, 0, nil
	}
	if err := finishedCampaign(ctx, cs); err != nil {
		return 0, 0, fmt.Errorf("demo: campaign %s: %w", DemoCampaignDone, err)
	}
	suspended, err = openCampaign(ctx, cs)
	if err != nil {
		return 1, 0, fmt.Errorf("demo: campaign %s: %w", DemoCampaignOpen, err)
	}
	return 2, suspended, nil
}

// recordedBeacon returns the recorded quicknet beacon of round, as a relay
// serves it.
func recordedBeacon(round uint64) (json.RawMessage, error) {
	b, err := data.Reference.ReadFile("reference/drand_quicknet.json")
	if err != nil {
		return nil, err
	}
	var f struct {
		Beacons []struct {
			Round      uint64 `json:"round"`
			Randomness string `json:"randomness"`
			Signature  string `json:"signature"`
		} `json:"beacons"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	for _, x := range f.Beacons {
		if x.Round == round {
			return fmt.Appendf(nil, `{"round":%d,"randomness":"%s","signature":"%s"}`, x.Round, x.Randomness, x.Signature), nil
		}
	}
	return nil, fmt.Errorf("no recorded quicknet round %d", round)
}

var demoChecklist = []string{"认证活动是否按认证规则实施", "审核时间和审核组是否符合要求", "认证证书和标志的使用是否规范"}

func finishedCampaign(ctx context.Context, cs campaignStore) error {
	beacon, err := recordedBeacon(demoRound)
	if err != nil {
		return err
	}
	published := draw.Quicknet().TimeOf(demoRound)
	var now time.Time
	past, closePast, err := cs.CampaignsAt(ctx, func() time.Time { return now })
	if err != nil {
		return err
	}
	defer closePast()
	c := &campaign.Campaign{ID: DemoCampaignDone, Name: "2024年度认证机构“双随机、一公开”监督检查", Region: trustmark.NationalRegion,
		SubjectKind: "body", Rates: map[draw.Class]draw.Permyriad{"A": 1000, "B": 2000, "C": 5000, "D": 10000}, Checklist: demoChecklist,
		Method: "onsite", TeamSize: 2, Deadline: trustmark.NewDate(2024, 12, 31)}
	now = published.Add(-26 * time.Hour) // committed the day before the round
	spec := campaign.RegistrySpec{Seed: draw.SeedSpec{Kind: draw.SeedDrand, Chain: draw.Quicknet().Hash, Round: demoRound},
		RepeatDays: 365, DrawnOn: trustmark.DateOf(published)}
	if err := past.CreateFromRegistry(ctx, c, spec, national); err != nil {
		return err
	}
	now = published.Add(10 * time.Minute)
	if _, err := past.RecordRandom(ctx, c.ID, campaign.RandomData{Kind: draw.SeedDrand, Beacon: beacon}, national); err != nil {
		return err
	}
	now = published.Add(15 * time.Minute)
	d, err := past.DrawCampaign(ctx, c.ID, national)
	if err != nil {
		return err
	}
	now = published.Add(14 * 24 * time.Hour)
	recorded, err := inspectDrawn(ctx, cs, past, d, trustmark.DateOf(now))
	if err != nil {
		return err
	}
	now = published.Add(21 * 24 * time.Hour)
	if recorded > 0 {
		if _, err := past.PublishResults(ctx, c.ID, national); err != nil {
			return err
		}
	}
	return nil
}

// inspectDrawn records, through past, the on-site inspection of every
// subject drawn in d that has a team, concluded on concluded by its
// region's regulators, now and then a case referred for penalty. A subject
// without a team is left without a result (the store would refuse one):
// its page shows the draw's reason. It returns how many it recorded.
func inspectDrawn(ctx context.Context, cs campaignStore, past campaign.Store, d *campaign.Campaign, concluded trustmark.Date) (int, error) {
	recorded := 0
	for i, pk := range d.Result.Picks {
		if d.Result.CheckTeam(pk.Subject) != nil {
			continue
		}
		outcome, items := campaign.NoProblem, passAll(len(demoChecklist))
		if i%4 == 3 {
			outcome = campaign.Referred
			items[1].Pass = false
		}
		region, err := cs.PickRegion(ctx, d.ID, pk.Subject)
		if err != nil {
			return recorded, err
		}
		f := campaign.Finding{Subject: pk.Subject, Method: "onsite", Items: items, Outcome: outcome, ConcludedOn: concluded}
		if _, err := past.RecordFinding(ctx, d.ID, f, trustmark.Party{Kind: trustmark.PartyRegulator, ID: region}); err != nil {
			return recorded, err
		}
		recorded++
	}
	return recorded, nil
}

func passAll(n int) []campaign.ItemResult {
	items := make([]campaign.ItemResult, n)
	for i := range items {
		items[i] = campaign.ItemResult{Item: i + 1, Pass: true}
	}
	return items
}

// demoLottery is the in-progress campaign's lottery results: two draws,
// their numbers as published.
var demoLottery = [][]uint64{{4, 11, 17, 23, 28, 32, 9}, {3, 15, 21, 27, 34, 2, 8}}

func openCampaign(ctx context.Context, cs campaignStore) (int, error) {
	c := &campaign.Campaign{ID: DemoCampaignOpen, Name: "2026年度管理体系认证证书“双随机、一公开”抽查", Region: trustmark.NationalRegion,
		SubjectKind: "certificate", Filters: map[string]string{campaign.FilterCertType: string(trustmark.TypeQMS)},
		Rates: map[draw.Class]draw.Permyriad{"A": 50, "B": 100, "C": 1000, "D": 10000}, Checklist: demoChecklist, Method: "certified_org", TeamSize: 2,
		Deadline: trustmark.NewDate(2026, 12, 31)}
	spec := campaign.RegistrySpec{Seed: draw.SeedSpec{Kind: draw.SeedLottery, Lottery: "双色球2026031+大乐透26031", Sources: 2}, RepeatDays: 365}
	if err := cs.CreateFromRegistry(ctx, c, spec, national); err != nil {
		return 0, err
	}
	if _, err := cs.RecordRandom(ctx, c.ID, campaign.RandomData{Kind: draw.SeedLottery, Lottery: demoLottery}, national); err != nil {
		return 0, err
	}
	d, err := cs.DrawCampaign(ctx, c.ID, national)
	if err != nil {
		return 0, err
	}
	i := slices.IndexFunc(d.Result.Picks, func(p draw.Pick) bool { return d.Result.CheckTeam(p.Subject) == nil })
	if i < 0 {
		return 0, nil // nothing drawn, or no drawn subject has a team
	}
	pk := d.Result.Picks[i]
	items := passAll(len(demoChecklist))
	items[2].Pass = false
	f := campaign.Finding{Subject: pk.Subject, Method: "certified_org", Items: items, Outcome: campaign.Rectification,
		ConcludedOn: trustmark.DateOf(d.Attempts[0].At), RectifyDays: 30,
		Certificates: []campaign.CertificateAction{{Certificate: pk.Subject, To: trustmark.StatusSuspended, Reason: "认证标志使用不规范，责令整改期间暂停"}}}
	if _, err = cs.RecordFinding(ctx, c.ID, f, national); err != nil {
		return 0, err
	}
	return 1, nil
}
