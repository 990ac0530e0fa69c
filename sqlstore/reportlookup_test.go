package sqlstore_test

import (
	"path/filepath"
	"slices"
	"testing"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// TestLegacyReportNumbersTakeTheCanonicalForm writes reports in lower case,
// as imports did before report numbers had one case rule, runs migration
// 009 again, and wants them found by their canonical number; a report whose
// number differs from another's only in case keeps its spelling.
func TestLegacyReportNumbersTakeTheCanonicalForm(t *testing.T) {
	for _, tc := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"on SQLite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "m.db") }},
		{"on PostgreSQL", func(t *testing.T) string { return pgDSN(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := tc.dsn(t)
			open := func() *sqlstore.DB {
				db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(storetest.Clock))
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				return db
			}
			const lab = "240012340001"
			db := open()
			mustImport(t, db, trustmark.KindLabs, &trustmark.Lab{CMANo: lab, USCC: trustmark.MakeUSCC("1211000040000040"), Name: "国家电子产品质量检验检测中心",
				RegionCode: "110000", Status: trustmark.PartyActive})
			var reps []trustmark.Record
			for _, n := range []string{"bg-low", "ab1", "AB1"} {
				reps = append(reps, &trustmark.Report{Number: n, LabCMANo: lab, Product: "电冰箱", Conclusion: trustmark.ConclusionPass})
			}
			mustImport(t, db, trustmark.KindReports, reps...)
			db.Close()

			raw, err := sqlstore.OpenRaw(dsn)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version = 9`); err != nil {
				t.Fatal(err)
			}
			raw.Close()

			db = open()
			defer db.Close()
			for _, tt := range []struct{ ask, want string }{{"bg-low", "BG-LOW"}, {"BG-LOW", "BG-LOW"}, {"AB1", "AB1"}} {
				r, err := db.Report(ctx, lab, tt.ask)
				if err != nil || r.Number != tt.want {
					t.Errorf("Report(%s, %q) = %v, %v, want number %s", lab, tt.ask, r, err, tt.want)
				}
			}
			page, err := db.Reports(ctx, trustmark.ReportFilter{LabCMANo: lab})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range page.Items {
				got = append(got, r.Number)
			}
			slices.Sort(got) // the databases' collations order case differently
			if want := []string{"AB1", "BG-LOW", "ab1"}; !slices.Equal(got, want) {
				t.Errorf("reports after the migration = %q, want %q (twins keep their spelling)", got, want)
			}
		})
	}
}

func mustImport(t *testing.T, db *sqlstore.DB, kind trustmark.Kind, recs ...trustmark.Record) {
	t.Helper()
	out, err := db.Import(ctx, loader, kind, recs)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range out {
		if o.Result != trustmark.Created {
			t.Fatalf("import %s %d: %v", kind, i, o.Err)
		}
	}
}
