package sqlstore_test

import (
	"testing"
	"time"

	"trustmark"
	"trustmark/credit"
	"trustmark/storetest"
)

// TestCreditExclusions: the draw's exclusion of inspectors from their
// credit standing, read for many at once.
func TestCreditExclusions(t *testing.T) {
	db := openSQLite(t)
	on, _ := trustmark.ParseDate("2026-03-01")
	ban, err := credit.BanEntry(credit.BanDecision{ID: "B-1", Subject: credit.Subject{Kind: credit.Person, ID: "P-1"}, Decision: "京市监罚〔2026〕9号",
		Grounds: "伪造检查记录", LegalBasis: "《认证认可条例》第七十三条", On: on}, storetest.Clock().Add(-time.Hour), "regulator:110000")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RecordCreditEntry(ctx, ban); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		day  string
		want int
	}{{"2026-02-28", 0}, {"2026-03-01", 1}} {
		d, _ := trustmark.ParseDate(tc.day)
		got, err := db.CreditExclusions(ctx, credit.Person, []string{"P-1", "P-2", "P-3"}, credit.DrawnAsInspector, d)
		if err != nil || len(got) != tc.want || (tc.want == 1 && got["P-1"].Decision != "京市监罚〔2026〕9号") {
			t.Errorf("CreditExclusions on %s = %+v, %v; want %d", tc.day, got, err, tc.want)
		}
	}
}
