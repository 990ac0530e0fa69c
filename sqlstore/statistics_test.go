package sqlstore_test

import (
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/statistics"
	"trustmark/storetest"
)

func TestStatisticsSQLite(t *testing.T) {
	storetest.RunStatistics(t, func(t *testing.T) storetest.StatisticsStore { return openSQLite(t) })
}

func TestStatisticsPostgres(t *testing.T) {
	pgDSN(t) // skip early
	storetest.RunStatistics(t, func(t *testing.T) storetest.StatisticsStore { return openPG(t) })
}

var _ storetest.StatisticsStore = (*sqlstore.DB)(nil)

// TestTallyRefreshesInTheBackground: after a write, an answer does not wait
// for a new count; it gets the last one, and a later answer the new count.
func TestTallyRefreshesInTheBackground(t *testing.T) {
	db := openSQLite(t, sqlstore.WithTallyRefresh(0))
	defer db.Close()
	holder := trustmark.MakeUSCC("9111010800000201")
	cert := func(no string) trustmark.Record {
		return &trustmark.Certificate{Number: no, Type: trustmark.TypeQMS, BodyApprovalNo: "CNCA-R-2002-001", HolderUSCC: holder, Scope: "设计",
			IssuedOn: storetest.Today.AddDate(-1, 0, 0), ExpiresOn: storetest.Today.AddDate(1, 0, 0), Status: trustmark.StatusValid}
	}
	for _, b := range []struct {
		kind trustmark.Kind
		rec  trustmark.Record
	}{
		{trustmark.KindOrgs, &trustmark.Org{USCC: holder, Name: "北京甲公司", RegionCode: "110108"}},
		{trustmark.KindBodies, &trustmark.Body{ApprovalNo: "CNCA-R-2002-001", USCC: trustmark.MakeUSCC("9111000000000202"), Name: "认证机构",
			RegionCode: "110000", Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive}},
		{trustmark.KindCertificates, cert("00125Q10201R0M")},
	} {
		if out, err := db.Import(ctx, trustmark.Party{Kind: trustmark.PartyImport, ID: "t"}, b.kind, []trustmark.Record{b.rec}); err != nil || out[0].Result != trustmark.Created {
			t.Fatalf("import %s: %v %v", b.kind, out, err)
		}
	}
	valid := func(tally *statistics.Tally) int64 {
		s := tally.Series(statistics.ValidCertificates, trustmark.NationalRegion)
		return s[len(s)-1]
	}
	first, err := db.Tally(ctx)
	if err != nil || valid(first) != 1 {
		t.Fatalf("first Tally = %v, %v; want 1 valid certificate", first, err)
	}
	if out, err := db.Import(ctx, trustmark.Party{Kind: trustmark.PartyImport, ID: "t"}, trustmark.KindCertificates, []trustmark.Record{cert("00125Q10202R0M")}); err != nil || out[0].Result != trustmark.Created {
		t.Fatalf("import: %v %v", out, err)
	}
	if again, err := db.Tally(ctx); err != nil || again != first {
		t.Errorf("Tally right after a write = %p, %v; want the last count %p at once", again, err, first)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		latest, err := db.Tally(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if valid(latest) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Tally still counts %d valid certificates 10 s after the write, want 2", valid(latest))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
