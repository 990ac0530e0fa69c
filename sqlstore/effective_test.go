package sqlstore_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// TestCertificateCountsAgreeWithTheDomain holds bulk verification's counts
// by holder (effective status in SQL) to trustmark.Certificate.
// EffectiveStatus, for each stored status and an expiry date of yesterday,
// today and tomorrow, on SQLite and on PostgreSQL when it is set.
func TestCertificateCountsAgreeWithTheDomain(t *testing.T) {
	for name, open := range map[string]func(testing.TB, ...sqlstore.Option) *sqlstore.DB{"SQLite": openSQLite, "PostgreSQL": openPG} {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			defer db.Close()
			seedParties(t, db)
			today := storetest.Today
			var recs []trustmark.Record
			want := map[trustmark.USCC]map[trustmark.CertStatus]int{}
			for i, st := range trustmark.CertStatuses {
				for j, expires := range []trustmark.Date{today.AddDate(0, 0, -1), today, today.AddDate(0, 0, 1)} {
					c := &trustmark.Certificate{Number: fmt.Sprintf("E-%d-%d", i, j), Type: trustmark.TypeQMS, BodyApprovalNo: benchBody,
						HolderUSCC: holder(j), Scope: "家用电器的生产", IssuedOn: expires.AddDate(-3, 0, 1), ExpiresOn: expires, Status: st}
					recs = append(recs, c)
					eff, _ := c.EffectiveStatus(today)
					if want[c.HolderUSCC] == nil {
						want[c.HolderUSCC] = map[trustmark.CertStatus]int{}
					}
					want[c.HolderUSCC][eff]++
				}
			}
			out, err := db.Import(ctx, loader, trustmark.KindCertificates, recs)
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range out {
				if o.Result != trustmark.Created {
					t.Fatalf("import %s: %v", recs[i].RecordKey(), o.Err)
				}
			}
			got, err := db.CertificateCounts(ctx, []trustmark.USCC{holder(0), holder(1), holder(2)}, today)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("CertificateCounts disagrees with EffectiveStatus (-domain +SQL):\n%s", diff)
			}
		})
	}
}
