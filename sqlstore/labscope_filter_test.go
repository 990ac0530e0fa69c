package sqlstore_test

import (
	"path/filepath"
	"slices"
	"testing"

	"trustmark"
)

func TestLabScopeFilterSQLite(t *testing.T) {
	var fs feedStores
	dsn := filepath.Join(t.TempDir(), "trustmark.db")
	testLabScopeFilter(t, &fs, dsn)
}

func TestLabScopeFilterPostgres(t *testing.T) {
	dsn := pgDSN(t) // skips without a database
	var fs feedStores
	testLabScopeFilter(t, &fs, dsn)
}

// testLabScopeFilter: laboratories are listed by the items of their scope,
// in the structured and the old labelled form; a changed scope lists by
// its new items; and items lost (a registry from before lab_scope_items)
// are written again when the store opens.
func testLabScopeFilter(t *testing.T, fs *feedStores, dsn string) {
	s := fs.open(t, dsn)
	lab := func(no, scope string) trustmark.Record {
		return &trustmark.Lab{CMANo: no, USCC: trustmark.MakeUSCC("12110000400000" + no[len(no)-2:]), Name: "实验室" + no, RegionCode: "110000", Scope: scope}
	}
	imp := func(recs ...trustmark.Record) {
		t.Helper()
		out, err := s.Import(ctx, loader, trustmark.KindLabs, recs)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out {
			if o.Err != nil {
				t.Fatal(o.Err)
			}
		}
	}
	imp(lab("240012340001", "电线电缆 / 阻燃性能、绝缘电阻\n家用电器 / 能效"),
		lab("240012340002", "产品/类别：家用电冰箱、电线电缆\n依据标准：GB 4706.1-2005"),
		lab("240012340003", ""))
	check := func(q string, want ...string) {
		t.Helper()
		page, err := s.Labs(ctx, trustmark.PartyFilter{Scope: q})
		if err != nil {
			t.Fatalf("Labs(scope %q): %v", q, err)
		}
		var got []string
		for _, l := range page.Items {
			got = append(got, l.CMANo)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Labs(scope %q) = %v, want %v", q, got, want)
		}
	}
	check("电线", "240012340001", "240012340002")
	check("阻燃", "240012340001")
	check("产品/类别", "240012340002")
	check("冰箱、电线") // the text across two items matches no item
	check("", "240012340001", "240012340002", "240012340003")
	imp(lab("240012340001", "家用电器 / 能效"))
	check("电线", "240012340002")
	check("能效", "240012340001")

	s.Close()
	fs.tamper(t, s, `DELETE FROM lab_scope_items`)
	s = fs.open(t, dsn)
	defer s.Close()
	check("电线", "240012340002")
	check("GB 4706", "240012340002")
}
