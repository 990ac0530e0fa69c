package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"trustmark"
	"trustmark/credit"
	"trustmark/risk"
)

// TestServeRiskAndListingExpiry runs serve: a penalty recorded in a body's
// archive reaches its stored risk score through the risk follower within
// seconds, and the expiry job removes a listing whose period ended.
func TestServeRiskAndListingExpiry(t *testing.T) {
	ctx := context.Background()
	m := NewMain()
	logs := &syncBuffer{}
	m.Stderr = logs
	if err := m.ParseFlags([]string{"--db", filepath.Join(t.TempDir(), "trustmark.db"), "--addr", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	m.Config.FeedPoll = time.Hour // the commit wakes the follower
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	}()
	const body = "CNCA-R-2002-001"
	recs := []trustmark.Record{&trustmark.Body{ApprovalNo: body, USCC: trustmark.MakeUSCC("9111010500000033"), Name: "中认检测认证集团",
		RegionCode: "110105", Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive}}
	if out, err := m.Store.Import(ctx, trustmark.System, trustmark.KindBodies, recs); err != nil || out[0].Err != nil {
		t.Fatalf("Import: %v %v", err, out)
	}
	now := time.Now().UTC()
	today := trustmark.DateOf(now)
	subject := credit.Subject{Kind: credit.Body, ID: body}
	if err := m.Store.RecordCreditEntry(ctx, credit.Entry{ID: "P-1", Subject: subject, Kind: credit.Penalty, Summary: "超范围认证",
		Decision: "京市监罚〔2026〕1号", Source: "penalty:京市监罚〔2026〕1号", LegalBasis: "第六十一条", RecordedBy: "regulator:110000",
		On: today, ValidFrom: today, RecordedAt: now}); err != nil {
		t.Fatal(err)
	}
	feedWait(t, "the penalty in the body's risk score", func() bool {
		rec, _, _, err := m.Store.RiskSubject(ctx, subject)
		return err == nil && rec.Score.Class == risk.C
	})

	// A listing whose last day was yesterday: the job removes it.
	rules := credit.DefaultRules()
	listedOn := today.AddDate(-3, 0, -1)
	steps := []func(l credit.Listing, at time.Time) (credit.Listing, credit.Event, error){
		func(l credit.Listing, at time.Time) (credit.Listing, credit.Event, error) {
			return rules.Propose(credit.Proposal{ID: "L-1", Subject: subject, Name: "中认检测认证集团", Region: "110105", Grounds: "出具虚假认证结论", LegalBasis: "第六条"},
				credit.Step{On: listedOn.AddDate(0, 0, -40), At: at, Actor: "regulator:110000"})
		},
		func(l credit.Listing, at time.Time) (credit.Listing, credit.Event, error) {
			return rules.Notify(l, credit.Step{On: listedOn.AddDate(0, 0, -39), At: at, Actor: "regulator:110000"})
		},
		func(l credit.Listing, at time.Time) (credit.Listing, credit.Event, error) {
			return rules.Decide(l, credit.Step{On: listedOn, At: at, Actor: "regulator:110000"}, true, "京市监信〔2023〕1号", "")
		},
	}
	for i, st := range steps {
		at := now.Add(time.Duration(i+1) * time.Millisecond)
		if _, err := m.Store.CreditStep(ctx, "L-1", func(l credit.Listing, _ bool) (credit.Listing, credit.Event, error) { return st(l, at) }); err != nil {
			t.Fatal(err)
		}
	}
	if items, _, _ := m.Store.SeriousViolations(ctx, today, "", 10); len(items) != 0 {
		t.Fatalf("a listing past its last day is on the list: %+v", items)
	}
	m.expireOnce(ctx)
	l, err := m.Store.CreditListing(ctx, "L-1")
	if err != nil || l.State != credit.Removed || l.RemovedOn != today {
		t.Fatalf("after the expiry job: %+v, %v; want removed from today", l, err)
	}
}
