package storetest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"trustmark"
	au "trustmark/audit"
	"trustmark/sqlstore"
)

// factoryNorth is how far north of the site the holder's factory is.
const factoryNorth = 20000

// twoSitePlan is AuditPlan at the site and at the factory, the factory as
// a Chinese map gives it (GCJ-02).
func twoSitePlan(ago time.Duration) au.Plan {
	p := AuditPlan(ago)
	g := au.WGSToGCJ(au.Point{Lat: NorthOf(factoryNorth), Lng: siteLng})
	p.Site, p.Sites = au.Site{}, []au.Site{p.Site, {Address: "北京市昌平区回龙观工厂", Lat: g.Lat, Lng: g.Lng, Datum: au.GCJ02}}
	return p
}

// testAuditSites: a plan of two sites is stored and read back with both;
// a check-in near the second is measured from it, in the rules and in
// the public log; moving a site is a change of sites keeping the ones
// before.
func testAuditSites(t *testing.T, s AuditStore) {
	a := reportAudit(t, s, twoSitePlan(time.Hour))
	got, err := s.Audit(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ss := got.Plan.Sites; len(ss) != 2 || got.Plan.Site != ss[0] || ss[1].Datum != au.GCJ02 || au.DistanceM(ss[1].WGS84, au.Point{Lat: NorthOf(factoryNorth), Lng: siteLng}) > 0.01 {
		t.Fatalf("Audit(%s) sites = %+v, want the site and the factory in WGS-84", a.ID, ss)
	}
	req := CheckInAt(factoryNorth+1234, 10)
	res, err := s.CheckIn(ctx, a.ID, "factory", req, [][]byte{[]byte("the team at the factory")})
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(res.Anomalies, func(an au.Anomaly) bool { return an.Rule == au.FarFromSite }) {
		t.Errorf("a check-in 1,234 m from the factory raised far_from_site: %v", res.Anomalies)
	}
	evs, err := s.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityCheckIn, Key: res.CheckIn.ID, After: -1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("events of check-in = %v, %v; want 1", evs, err)
	}
	var pub au.PublicCheckIn
	if err := json.Unmarshal(evs[0].Data, &pub); err != nil || pub.DistanceM != 1200 {
		t.Errorf("check-in event distance_m = %v (%v), want 1200 from the factory, the nearest site", pub.DistanceM, err)
	}
	far, err := s.CheckIn(ctx, a.ID, "far", CheckInAt(factoryNorth+5100, 0), [][]byte{[]byte("the team elsewhere")})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(far.Anomalies, func(an au.Anomaly) bool { return an.Rule == au.FarFromSite })
	if i < 0 || far.Anomalies[i].Evidence["site"] != "1" || far.Anomalies[i].Evidence["site_address"] != "北京市昌平区回龙观工厂" {
		t.Errorf("a check-in 5.1 km beyond the factory raised %v, want far_from_site naming the factory", far.Anomalies)
	}
	moved := twoSitePlan(time.Hour)
	moved.Sites[1].Lat += 0.001
	d, err := s.ChangeAudit(ctx, a.ID, moved, "body:"+bodyA, func(*au.Audit) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if ev := d.Event; !slices.Equal(ev.Fields, []string{"sites"}) || ev.Previous == nil || ev.Previous.Sites[1].Lat != got.Plan.Sites[1].Lat {
		t.Errorf("moving the factory = fields %v, previous %v; want sites, keeping the factory's position before", ev.Fields, ev.Previous)
	}
	revs, err := s.AuditRevisions(ctx, a.ID)
	if err != nil || len(revs) != 2 || len(revs[1].Previous.Sites) != 2 || revs[1].Plan.Sites[1].Lat != moved.Sites[1].Lat {
		t.Errorf("AuditRevisions = %+v, %v; want the plan and the change, each with its two sites", revs, err)
	}
}
