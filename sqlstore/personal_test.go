package sqlstore_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// TestPersonalAccessLog records views of personal data and reads them back
// by subject and by region, on SQLite and on PostgreSQL, and checks that
// the table refuses changes and deletions.
func TestPersonalAccessLog(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		testPersonalAccessLog(t, filepath.Join(t.TempDir(), "trustmark.db"))
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		testPersonalAccessLog(t, storetest.PostgresDSN(t, "personal"))
	})
}

func testPersonalAccessLog(t *testing.T, dsn string) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	at := time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)
	views := []trustmark.PersonalAccess{
		{At: at, Viewer: trustmark.Party{Kind: trustmark.PartyRegulator, ID: "510000"}, Role: "regulator:510000", Subject: "person:2026-NQA-0001",
			Fields: []string{"position", "photos"}, Region: "510104", Route: "GET /api/v1/audits/{id}", Context: "audit:A1"},
		{At: at.Add(time.Minute), Viewer: trustmark.Party{Kind: "account", ID: "acc_x"}, Role: "body:CNCA-R-2003-002", Subject: "person:2026-NQA-0002",
			Fields: []string{"position"}, Region: "500101", Route: "GET /work/audits/{id}", Context: "audit:A2"},
		{At: at.Add(2 * time.Minute), Viewer: trustmark.Party{Kind: trustmark.PartyRegulator, ID: "000000"}, Role: "regulator:000000", Subject: "person:2026-NQA-0001",
			Fields: []string{"photos"}, Region: "510104", Route: "GET /work/audits/{id}/photos/{sha}", Context: "audit:A1"},
		// Hubei's province-administered county-level city: covered by
		// Hubei (420000), by no city.
		{At: at.Add(3 * time.Minute), Viewer: trustmark.Party{Kind: trustmark.PartyRegulator, ID: "420000"}, Subject: "person:2026-NQA-0003",
			Fields: []string{"position"}, Region: "429004", Route: "GET /api/v1/audits/{id}", Context: "audit:A3"},
	}
	if err := db.RecordPersonalAccess(ctx, views); err != nil {
		t.Fatal(err)
	}
	ids := func(f trustmark.PersonalAccessFilter) []string {
		t.Helper()
		rs, err := db.PersonalAccesses(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rs {
			out = append(out, r.Context+"@"+r.Region)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    trustmark.PersonalAccessFilter
		want []string
	}{
		{"the nation reads all, newest first", trustmark.PersonalAccessFilter{Region: trustmark.NationalRegion}, []string{"audit:A3@429004", "audit:A1@510104", "audit:A2@500101", "audit:A1@510104"}},
		{"Sichuan reads Sichuan's", trustmark.PersonalAccessFilter{Region: "510000"}, []string{"audit:A1@510104", "audit:A1@510104"}},
		{"Chengdu reads Jinjiang's", trustmark.PersonalAccessFilter{Region: "510100"}, []string{"audit:A1@510104", "audit:A1@510104"}},
		{"Chongqing reads Wanzhou's", trustmark.PersonalAccessFilter{Region: "500000"}, []string{"audit:A2@500101"}},
		{"Hubei reads Xiantao's", trustmark.PersonalAccessFilter{Region: "420000"}, []string{"audit:A3@429004"}},
		{"Wuhan does not", trustmark.PersonalAccessFilter{Region: "420100"}, nil},
		{"by subject", trustmark.PersonalAccessFilter{Subject: "person:2026-NQA-0001"}, []string{"audit:A1@510104", "audit:A1@510104"}},
		{"by subject outside the region", trustmark.PersonalAccessFilter{Subject: "person:2026-NQA-0001", Region: "500000"}, nil},
		{"a page", trustmark.PersonalAccessFilter{Limit: 1, Region: "510000"}, []string{"audit:A1@510104"}},
	} {
		if got := ids(tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	rs, err := db.PersonalAccesses(ctx, trustmark.PersonalAccessFilter{Subject: "person:2026-NQA-0001"})
	if err != nil {
		t.Fatal(err)
	}
	first := rs[len(rs)-1]
	if first.Viewer != views[0].Viewer || first.Role != views[0].Role || !first.At.Equal(at) || !slices.Equal(first.Fields, views[0].Fields) || first.Route != views[0].Route {
		t.Errorf("read back %+v, want %+v", first, views[0])
	}
	older, err := db.PersonalAccesses(ctx, trustmark.PersonalAccessFilter{Subject: "person:2026-NQA-0001", Before: rs[0].ID})
	if err != nil || len(older) != 1 || older[0].ID != first.ID {
		t.Errorf("before %d: %v, %v; want the first record only", rs[0].ID, older, err)
	}
	for _, q := range []string{`UPDATE personal_access SET viewer = 'regulator:000000'`, `DELETE FROM personal_access`} {
		err := db.Transact(ctx, func(tx *sqlstore.Tx) error {
			_, err := tx.Exec(ctx, q)
			return err
		})
		if err == nil {
			t.Errorf("%s: nil error, want the append-only table to refuse", q)
		}
	}
	if n := len(ids(trustmark.PersonalAccessFilter{})); n != len(views) {
		t.Errorf("%d records after the refused changes, want %d", n, len(views))
	}
}
