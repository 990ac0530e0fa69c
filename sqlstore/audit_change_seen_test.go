package sqlstore_test

import (
	"slices"
	"testing"
	"time"

	"trustmark/audit"
	"trustmark/storetest"
)

// TestCheckInSeesPlanChange: an audit decoded for one group of check-ins
// and then changed (its site moved 10 km) is decided on as changed by the
// next group: the closing check-in where the site was is far from it.
func TestCheckInSeesPlanChange(t *testing.T) {
	db := openSQLite(t)
	defer db.Close()
	storetest.SeedAudits(t, db)
	plan := storetest.AuditPlan(time.Hour)
	d, err := db.ReportAudit(ctx, storetest.AuditBody, "body:"+storetest.AuditBody, plan)
	if err != nil {
		t.Fatal(err)
	}
	farFrom := func(res audit.CheckInResult) bool {
		return slices.ContainsFunc(res.Anomalies, func(a audit.Anomaly) bool { return a.Rule == audit.FarFromSite })
	}
	photo := [][]byte{[]byte("\xff\xd8 the team")}
	res, err := db.CheckIn(ctx, d.Audit.ID, "k1", storetest.CheckInAt(0, 10), photo)
	if err != nil || farFrom(res) {
		t.Fatalf("the opening check-in at the site: %+v, %v", res.Anomalies, err)
	}
	plan.Site.Lat = storetest.NorthOf(10_000)
	plan.Sites = nil
	if _, err := db.ChangeAudit(ctx, d.Audit.ID, plan, "body:"+storetest.AuditBody, func(*audit.Audit) error { return nil }); err != nil {
		t.Fatal(err)
	}
	closing := storetest.CheckInAt(0, 10)
	closing.Kind = "close"
	if res, err = db.CheckIn(ctx, d.Audit.ID, "k2", closing, photo); err != nil || !farFrom(res) {
		t.Errorf("the closing check-in 10 km from the moved site: %+v, %v; want far_from_site", res.Anomalies, err)
	}
}
