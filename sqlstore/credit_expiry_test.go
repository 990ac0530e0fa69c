package sqlstore_test

import (
	"testing"
	"time"

	"trustmark"
	"trustmark/credit"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

func TestExpireListingsSQLite(t *testing.T) { testExpireListings(t, openSQLite(t)) }

func TestExpireListingsPostgres(t *testing.T) {
	pgDSN(t)
	testExpireListings(t, openPG(t))
}

// testExpireListings: a body listed on 2026-02-02 is on the public list
// through 2029-02-02 and off it from 2029-02-03; the job removes it only from
// then, once, with its event in the log.
func testExpireListings(t *testing.T, db *sqlstore.DB) {
	l := storetest.List(t, db, credit.Proposal{ID: "L-X", Subject: credit.Subject{Kind: credit.Body, ID: "CNCA-R-2002-001"}, Name: "北京认证中心",
		Region: "110000", Grounds: "出具虚假认证结论", LegalBasis: "第六条"}, "2026-02-02")
	until := l.Until
	if until.String() != "2029-02-02" {
		t.Fatalf("Until = %s", until)
	}
	onList := func(d trustmark.Date) int {
		items, _, err := db.SeriousViolations(ctx, d, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(items)
	}
	if onList(until) != 1 || onList(until.AddDate(0, 0, 1)) != 0 {
		t.Fatalf("on %s: %d, the day after: %d; want 1 and 0", until, onList(until), onList(until.AddDate(0, 0, 1)))
	}
	rules := credit.DefaultRules()
	run := func(on trustmark.Date) int {
		n, err := db.ExpireListings(ctx, rules, credit.Step{On: on, At: time.Now().UTC(), Actor: "system:expiry"}, 100)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := run(until); n != 0 {
		t.Fatalf("on the last day the job removed %d", n)
	}
	if n := run(until.AddDate(0, 0, 1)); n != 1 {
		t.Fatalf("on the day after the job removed %d, want 1", n)
	}
	if n := run(until.AddDate(0, 0, 2)); n != 0 {
		t.Fatalf("a second run removed %d", n)
	}
	got, err := db.CreditListing(ctx, "L-X")
	if err != nil || got.State != credit.Removed || got.RemovedOn != until.AddDate(0, 0, 1) {
		t.Fatalf("listing = %+v, %v", got, err)
	}
	evs, err := db.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityCreditListing, Key: "L-X", After: -1})
	if err != nil || len(evs) != 4 || evs[3].Action != string(credit.ActExpire) {
		t.Fatalf("events = %+v, %v; want the expiry last", evs, err)
	}
}
