package sqlstore_test

import (
	"path/filepath"
	"testing"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/stateaudit"
	"trustmark/storetest"
)

// tamper runs statement on s's database behind its back.
func (fs *feedStores) tamper(t *testing.T, s trustmark.Store, statement string) {
	t.Helper()
	raw, err := sqlstore.OpenRaw(fs.dsn(s))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(statement); err != nil {
		t.Fatalf("%s: %v", statement, err)
	}
}

func TestStateSQLite(t *testing.T) {
	var fs feedStores
	storetest.RunState(t, func(t *testing.T) trustmark.Store {
		return fs.open(t, filepath.Join(t.TempDir(), "trustmark.db"))
	}, storetest.StateHooks{Tamper: fs.tamper})
	t.Run("reports imported in lower case before migration 009 agree with their events", func(t *testing.T) {
		testLegacyReportNumbers(t, &fs, fs.open(t, filepath.Join(t.TempDir(), "trustmark.db")))
	})
}

func TestStatePostgres(t *testing.T) {
	pgDSN(t) // skip early
	var fs feedStores
	storetest.RunState(t, func(t *testing.T) trustmark.Store { return fs.open(t, pgDSN(t)) }, storetest.StateHooks{Tamper: fs.tamper})
	t.Run("reports imported in lower case before migration 009 agree with their events", func(t *testing.T) {
		testLegacyReportNumbers(t, &fs, fs.open(t, pgDSN(t)))
	})
}

// testLegacyReportNumbers writes a report's events as a version before
// canonical report numbers wrote them (the number in lower case) beside the
// row migration 009 upper-cased: the audit finds nothing wrong.
func testLegacyReportNumbers(t *testing.T, fs *feedStores, s trustmark.Store) {
	defer s.Close()
	lab := &trustmark.Lab{CMANo: "240012340001", USCC: trustmark.MakeUSCC("1211000040000040"), Name: "国家电子产品质量检验检测中心", RegionCode: "110000"}
	rep := &trustmark.Report{Number: "BJ-2024-001", LabCMANo: lab.CMANo, Product: "电线", Conclusion: trustmark.ConclusionPass, IssuedOn: trustmark.NewDate(2024, 5, 1)}
	for _, b := range []struct {
		kind trustmark.Kind
		rec  trustmark.Record
	}{{trustmark.KindLabs, lab}, {trustmark.KindReports, rep}} {
		if out, err := s.Import(ctx, loader, b.kind, []trustmark.Record{b.rec}); err != nil || out[0].Err != nil {
			t.Fatalf("import %s: %v %v", b.kind, err, out)
		}
	}
	data := `REPLACE(data, 'BJ-2024-001', 'bj-2024-001')`
	if s.(*sqlstore.DB).Dialect() == "postgres" {
		data = `convert_to(REPLACE(convert_from(data, 'UTF8'), 'BJ-2024-001', 'bj-2024-001'), 'UTF8')`
	}
	fs.tamper(t, s, `UPDATE events SET key = '240012340001/bj-2024-001', data = `+data+` WHERE entity = 'report'`)
	r, err := stateaudit.Audit(ctx, s.(trustmark.StateSource), stateaudit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Records != 2 || r.Rows != 2 {
		t.Errorf("audit = %d records, %d rows, differences %v; want 2, 2 and none", r.Records, r.Rows, r.Differences)
	}
}
