package demo_test

import (
	"context"
	"testing"

	"trustmark"
	"trustmark/credit"
	"trustmark/demo"
	"trustmark/risk"
	"trustmark/sqlstore"
)

// TestDemoRiskReports: the demo records complaints, failed samplings and
// failed proficiency tests, and once the risk follower has read them the
// subjects' scores explain themselves by those signals.
func TestDemoRiskReports(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	if _, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1, Today: today}); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	evs, err := db.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityRiskReport, After: -1, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, e := range evs {
		kinds[e.Action]++
	}
	for _, k := range risk.ReportKinds {
		if kinds[string(k)] == 0 {
			t.Errorf("the demo records no %s report (it records %v)", k, kinds)
		}
	}
	if _, err := trustmark.NewFeed(db, trustmark.FeedOptions{}).CatchUp(ctx, db.RiskFollower()); err != nil {
		t.Fatal(err)
	}
	signals := map[risk.Kind]int{}
	for _, kind := range []credit.SubjectKind{credit.Org, credit.Body, credit.Lab} {
		recs, _, err := db.RiskSubjects(ctx, risk.Filter{Region: trustmark.NationalRegion, Kind: kind, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			for _, p := range r.Score.Parts {
				signals[p.Signal.Kind]++
			}
		}
	}
	for _, k := range risk.ReportKinds {
		if signals[k] == 0 {
			t.Errorf("no score shows a %s signal (signals: %v)", k, signals)
		}
	}
}
