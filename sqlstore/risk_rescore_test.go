package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/credit"
	"trustmark/risk"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// TestRescoreMatchesFollower: scores kept up by the daily rescoring, which
// leaves alone the scores that cannot have changed, are on every day what
// risk.Rules.ScoreOn gives from the stored signals on that day; and after
// the follower's output is deleted and derived again from the log's events,
// one rescoring gives the same scores. Signals decay, cross their horizon,
// and a second version of the rules takes effect on the way.
func TestRescoreMatchesFollowerSQLite(t *testing.T) { testRescoreMatchesFollower(t, openSQLite(t)) }

func TestRescoreMatchesFollowerPostgres(t *testing.T) {
	pgDSN(t)
	testRescoreMatchesFollower(t, openPG(t))
}

func testRescoreMatchesFollower(t *testing.T, db *sqlstore.DB) {
	seedParties(t, db)
	today := trustmark.DateOf(storetest.Clock())
	at := storetest.Clock().UTC().Add(-time.Hour)
	var subjects []credit.Subject
	record := func(s credit.Subject, kind credit.EntryKind, daysAgo int) {
		t.Helper()
		on := today.AddDate(0, 0, -daysAgo)
		at = at.Add(time.Second)
		e := credit.Entry{ID: fmt.Sprintf("E-%d", len(subjects)), Subject: s, Kind: kind, Summary: "x", Source: fmt.Sprintf("inspection:%d", len(subjects)),
			LegalBasis: "第二十条", RecordedBy: "regulator:110000", On: on, ValidFrom: on, RecordedAt: at}
		if err := db.RecordCreditEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		subjects = append(subjects, s)
	}
	org := func(i int) credit.Subject { return credit.Subject{Kind: credit.Org, ID: string(holder(i))} }
	record(credit.Subject{Kind: credit.Body, ID: benchBody}, credit.Penalty, 400) // decays every day
	record(credit.Subject{Kind: credit.Body, ID: benchBody}, credit.Finding, 10)  // and another
	record(org(1), credit.SeriousViolation, 1090)                                 // listed: no decay, leaves in 6 days
	record(org(2), credit.SeriousViolation, 30)                                   // listed, stays for years
	record(org(3), credit.SeriousViolation, 1000)                                 // listed, and a finding that decays
	record(org(3), credit.Finding, 1000)                                          //
	record(org(4), credit.Penalty, 1820)                                          // leaves its horizon in 6 days
	if _, err := trustmark.NewFeed(db, trustmark.FeedOptions{}).CatchUp(ctx, db.RiskFollower()); err != nil {
		t.Fatal(err)
	}
	// A second version of the rules, known from the start, takes effect on
	// day 20: listings decay from then on.
	rs := *risk.DefaultRules().InForce(today)
	rs.Weights = map[risk.Kind]risk.Weight{}
	for k, w := range risk.DefaultRules().InForce(today).Weights {
		rs.Weights[k] = w
	}
	rs.Weights[risk.ListingSignal] = risk.Weight{Points: 40, HalfLifeDays: 365, HorizonDays: 1095}
	rs.EffectiveFrom, rs.Reason = today.AddDate(0, 0, 20), "失信名单随时间递减"
	if _, err := db.EditRiskRules(ctx, rs, "account:admin"); err != nil {
		t.Fatal(err)
	}
	rules, err := db.RiskRules(ctx)
	if err != nil {
		t.Fatal(err)
	}

	rescore := func(on trustmark.Date, chunk int) int {
		t.Helper()
		total := 0
		var after credit.Subject
		for {
			n, last, err := db.RescoreRisk(ctx, on, after, chunk)
			if err != nil {
				t.Fatal(err)
			}
			total, after = total+n, last
			if n < chunk {
				return total
			}
		}
	}
	scores := func() map[credit.Subject]risk.Record {
		out := map[credit.Subject]risk.Record{}
		for _, s := range subjects {
			rec, _, _, err := db.RiskSubject(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			out[s] = rec
		}
		return out
	}
	check := func(on trustmark.Date) {
		t.Helper()
		for s, rec := range scores() {
			sigs, err := db.RiskSignals(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			want := rules.ScoreOn(s, sigs, on)
			if rec.Score.Total != want.Total || rec.Score.Class != want.Class || rec.Score.Version != want.Version {
				t.Fatalf("on %s, %s stored (computed %s) %v %s v%d; ScoreOn gives %v %s v%d", on, s, rec.Score.On,
					rec.Score.Total, rec.Score.Class, rec.Score.Version, want.Total, want.Class, want.Version)
			}
			if rec.Score.On != on && rules.Until(s, sigs, rec.Score.On).Before(on) {
				t.Fatalf("on %s, %s was left as computed on %s, which held only until %s", on, s, rec.Score.On, rules.Until(s, sigs, rec.Score.On))
			}
		}
	}
	check(today)
	skipped := 0
	last := today
	for d := 1; d <= 60; d++ {
		last = today.AddDate(0, 0, d)
		n := rescore(last, 2)
		skipped += 5 - n
		check(last)
	}
	if skipped == 0 {
		t.Errorf("the daily runs rescored every subject every day; want the unchanged ones left alone")
	}
	for _, d := range []int{400, 1200} {
		last = today.AddDate(0, 0, d)
		rescore(last, 3)
		check(last)
	}

	kept := scores()
	if err := db.ForgetRiskScores(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := trustmark.NewFeed(db, trustmark.FeedOptions{}).CatchUp(ctx, db.RiskFollower()); err != nil {
		t.Fatal(err)
	}
	rescore(last, sqlstore.RescoreChunk)
	check(last)
	// The explanation of a score left alone keeps the day it was computed
	// on: compare what it says, the parts' signals and contributions.
	type part struct {
		ID           string
		Contribution float64
	}
	explain := func(r risk.Record) (float64, risk.Class, int, []part) {
		var ps []part
		for _, p := range r.Score.Parts {
			ps = append(ps, part{p.Signal.ID, p.Contribution})
		}
		return r.Score.Total, r.Score.Class, r.Score.Version, ps
	}
	for s, again := range scores() {
		t1, c1, v1, p1 := explain(kept[s])
		t2, c2, v2, p2 := explain(again)
		if diff := cmp.Diff([]any{t1, c1, v1, p1}, []any{t2, c2, v2, p2}); diff != "" {
			t.Errorf("%s: kept by the daily runs and derived again from the log differ (-kept +again):\n%s", s, diff)
		}
	}
}
