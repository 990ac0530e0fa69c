package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"trustmark"
	"trustmark/credit"
	"trustmark/demo"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// today is the fixed day of the tests' data sets; the store's clock is set to
// the same day so that status changes dated up to today are allowed.
var today = trustmark.NewDate(2026, time.March, 16)

func clock() time.Time { return time.Date(2026, time.March, 16, 4, 0, 0, 0, time.UTC) }

func openStore(t testing.TB) *sqlstore.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "trustmark.db"))
}

func open(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// pgDSN returns a DSN for a fresh PostgreSQL schema, or skips the test.
func pgDSN(t testing.TB) string {
	t.Helper()
	return storetest.PostgresDSN(t, "demo")
}

func TestGenerateIntoSQLite(t *testing.T) { testGenerate(t, openStore(t)) }

func TestGenerateIntoPostgreSQL(t *testing.T) { testGenerate(t, open(t, pgDSN(t))) }

// testGenerate loads the tiny data set into a real store: no record may be
// rejected, the store must hold what the summary says, and the examples must
// show the statuses they are named for.
func testGenerate(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	sum, filled, err := demo.FillIfEmpty(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1, Today: today})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if !filled {
		t.Fatalf("FillIfEmpty on an empty store did not fill it")
	}
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		kind trustmark.Kind
		got  int64
	}{{trustmark.KindOrgs, st.Orgs}, {trustmark.KindBodies, st.Bodies}, {trustmark.KindLabs, st.Labs},
		{trustmark.KindPersons, st.Persons}, {trustmark.KindReports, st.Reports}} {
		if want := int64(sum.Counts[c.kind]); c.got != want {
			t.Errorf("store holds %d %s, summary says %d", c.got, c.kind, want)
		}
	}
	for s, want := range sum.Certificates {
		if got := st.Certificates[s]; got != int64(want) {
			t.Errorf("store holds %d %s certificates, summary says %d", got, s, want)
		}
	}

	ex := sum.Examples
	for _, c := range []struct {
		number string
		want   trustmark.CertStatus
	}{
		{ex.ValidCCC, trustmark.StatusValid}, {ex.ValidQMS, trustmark.StatusValid}, {ex.Suspended, trustmark.StatusSuspended},
		{ex.Revoked, trustmark.StatusRevoked}, {ex.Withdrawn, trustmark.StatusWithdrawn}, {ex.Expired, trustmark.StatusExpired},
	} {
		cert, err := db.Certificate(ctx, c.number)
		if err != nil {
			t.Errorf("Certificate(%q): %v", c.number, err)
			continue
		}
		if got, _ := cert.EffectiveStatus(today); got != c.want {
			t.Errorf("certificate %s is %s, want %s", c.number, got, c.want)
		}
	}
	cert, err := db.Certificate(ctx, ex.Revoked)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := db.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: cert.Key(), After: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) < 2 || evs[0].Action != trustmark.ActionCreated || evs[len(evs)-1].To != string(trustmark.StatusRevoked) || evs[len(evs)-1].Reason == "" {
		t.Errorf("history of the revoked certificate %s = %+v, want its creation and then a revocation with a reason", cert.Key(), evs)
	}
	if _, err := db.Org(ctx, ex.OrgUSCC); err != nil {
		t.Errorf("Org(%s): %v", ex.OrgUSCC, err)
	}
	if _, err := db.Report(ctx, ex.LabCMANo, ex.ReportNo); err != nil {
		t.Errorf("Report(%s, %s): %v", ex.LabCMANo, ex.ReportNo, err)
	}

	found, err := demo.FindExamples(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if found.ValidCCC == "" || found.Suspended == "" || found.OrgUSCC == "" || found.ReportNo == "" {
		t.Errorf("FindExamples = %+v, want a valid CCC certificate, a suspended one, an org and a report", found)
	}
	if _, filled, err := demo.FillIfEmpty(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 2, Today: today}); err != nil || filled {
		t.Errorf("FillIfEmpty on a filled store = %v, %v; want it left alone", filled, err)
	}
}

// TestDemoCredit checks that the demo's serious-violation list tells its
// story: listed bodies and a laboratory on the public list today, a
// repaired body off it, and the demo's banned auditors refused registration.
func TestDemoCredit(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	if _, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1, Today: today}); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	items, _, err := db.SeriousViolations(ctx, today, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[credit.SubjectKind]int{}
	for _, it := range items {
		kinds[it.SubjectKind]++
	}
	if kinds[credit.Body] != 2 || kinds[credit.Lab] != 1 {
		t.Errorf("listed today: %v, want 2 bodies and 1 laboratory", kinds)
	}
	repaired, err := db.CreditListing(ctx, "DEMO-L003")
	if err != nil || repaired.State != credit.Removed || len(repaired.Repairs) != 1 || !repaired.Repairs[0].Granted {
		t.Errorf("DEMO-L003 = %+v, %v; want removed by a granted repair", repaired, err)
	}
}
