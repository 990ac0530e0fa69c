package audit

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
)

// factory is a second site 30 km north of site, as a Chinese map gives it
// (GCJ-02), with its WGS-84 position.
func factory() Site {
	g := WGSToGCJ(north(site, 30000))
	return Site{Address: "杭州市余杭区良渚街道1号", Lat: g.Lat, Lng: g.Lng, Datum: GCJ02, WGS84: GCJToWGS(g)}
}

// twoSiteAudit is testAudit at its head office (WGS-84) and the factory
// (GCJ-02).
func twoSiteAudit(t testing.TB) *Audit {
	a := testAudit(t)
	a.Plan.Sites = []Site{a.Plan.Site, factory()}
	return a
}

func TestAPlanGivesItsSitesAsSiteOrSitesOrBoth(t *testing.T) {
	head := planRequest(t).Plan.Site // GCJ-02, spelt "GCJ-02"
	second := factory()
	second.WGS84 = Point{}
	now := cst(t, "2026-02-20 10:00")
	tests := []struct {
		name  string
		edit  func(*Plan)
		sites int
	}{
		{"site alone is the one site", func(p *Plan) {}, 1},
		{"sites alone, the first is the principal site", func(p *Plan) { p.Site, p.Sites = Site{}, []Site{head, second} }, 2},
		{"both, site being sites[0] with the datum spelt otherwise", func(p *Plan) {
			first := head
			first.Datum = "gcj02"
			p.Sites = []Site{first, second}
		}, 2},
		{"exactly the most sites a plan has", func(p *Plan) {
			p.Site, p.Sites = Site{}, make([]Site, MaxSites)
			for i := range p.Sites {
				p.Sites[i] = second
			}
		}, MaxSites},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := planRequest(t)
			tt.edit(&req.Plan)
			d, err := rules.DecidePlan(nil, req, planFacts(), now)
			if err != nil {
				t.Fatalf("DecidePlan: %v", err)
			}
			p := d.Audit.Plan
			if len(p.Sites) != tt.sites || p.Site != p.Sites[0] || p.Site.Datum != GCJ02 && tt.sites < MaxSites {
				t.Fatalf("DecidePlan sites = %d, site %+v, want %d sites, the first the principal one in gcj02", len(p.Sites), p.Site, tt.sites)
			}
			if dist := DistanceM(p.Site.WGS84, site); tt.sites < MaxSites && dist > 0.01 {
				t.Errorf("the principal site's WGS-84 position is %.3f m from the head office, want within 1 cm", dist)
			}
			if dist := DistanceM(p.Sites[len(p.Sites)-1].WGS84, north(site, 30000)); tt.sites > 1 && dist > 0.01 {
				t.Errorf("the last site's WGS-84 position is %.3f m off, want within 1 cm", dist)
			}
		})
	}
}

func TestAPlansSitesAreRefusedNamingTheSite(t *testing.T) {
	head := planRequest(t).Plan.Site
	second := factory()
	tests := []struct {
		name, field, reason string
		edit                func(*Plan)
	}{
		{"site alone without a datum names site", "site.datum", "audit.datum", func(p *Plan) { p.Site.Datum = "" }},
		{"site alone without an address names site", "site.address", "audit.address", func(p *Plan) { p.Site.Address = " " }},
		{"no site at all", "site.datum", "audit.datum", func(p *Plan) { p.Site = Site{} }},
		{"a latitude off the Earth names its index", "sites[2].lat", "audit.lat", func(p *Plan) {
			bad := second
			bad.Lat = 91
			p.Sites = []Site{head, second, bad}
		}},
		{"a longitude off the Earth", "sites[1].lng", "audit.lng", func(p *Plan) {
			bad := second
			bad.Lng = -181
			p.Site, p.Sites = Site{}, []Site{head, bad}
		}},
		{"a further site without an address", "sites[1].address", "audit.address", func(p *Plan) {
			bad := second
			bad.Address = ""
			p.Sites = []Site{head, bad}
		}},
		{"site that is not sites[0]", "sites[0].address", "audit.site_mismatch", func(p *Plan) { p.Sites = []Site{second, head} }},
		{"site with another address than sites[0]", "sites[0].address", "audit.site_mismatch", func(p *Plan) {
			other := head
			other.Address = "杭州市滨江区"
			p.Sites = []Site{other, second}
		}},
		{"site in another datum than sites[0]", "sites[0].datum", "audit.site_mismatch", func(p *Plan) {
			other := head
			other.Datum = WGS84
			p.Sites = []Site{other}
		}},
		{"one site more than the most", "sites", "audit.sites_count", func(p *Plan) {
			p.Site, p.Sites = Site{}, make([]Site, MaxSites+1)
			for i := range p.Sites {
				p.Sites[i] = second
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := planRequest(t)
			tt.edit(&req.Plan)
			_, err := rules.DecidePlan(nil, req, planFacts(), cst(t, "2026-02-20 10:00"))
			if trustmark.ErrorCode(err) != trustmark.EInvalid || errField(err) != tt.field || errReason(err) != tt.reason {
				t.Errorf("DecidePlan error = %v (field %q, reason %q), want invalid %s, reason %q", err, errField(err), errReason(err), tt.field, tt.reason)
			}
		})
	}
}

func TestCheckDistanceMeasuresToTheNearestSite(t *testing.T) {
	a := twoSiteAudit(t)
	fac := a.Plan.Sites[1].WGS84
	south := func(p Point, m float64) Point { return north(p, -m) }
	tests := []struct {
		name     string
		at       Point
		accuracy float64
		want     Severity // "" for not far
		site     int      // the nearest site, when far
		metres   string
	}{
		{"at the head office", site, 0, "", 0, ""},
		{"at the factory, given in GCJ-02, compared in WGS-84", fac, 0, "", 0, ""},
		{"exactly 5 km beyond the factory is not far", north(fac, 5000), 0, "", 0, ""},
		{"a metre more is far from the factory, the nearest", north(fac, 5001), 0, Major, 1, "5001"},
		{"exactly 5 km south of the head office is not far", south(site, 5000), 0, "", 0, ""},
		{"a metre more is far from the head office", south(site, 5001), 0, Major, 0, "5001"},
		{"15 km from both is far, from the first of the two", north(site, 15000), 0, Major, 0, "15000"},
		{"5.3 km beyond the factory with a 300 m circle reaching 5 km is not far", north(fac, 5300), 300, "", 0, ""},
		{"5.3 km beyond the factory with a 299 m circle is far", north(fac, 5300), 299, Major, 1, "5300"},
		{"more than ten times the limit from the nearest is severe", north(fac, 50001), 0, Severe, 1, "50001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := checkIn(t, "C1", Open, "2026-03-02 09:00", tt.at)
			c.AccuracyM = tt.accuracy
			an, ok := rules.CheckDistance(a, c)
			if ok != (tt.want != "") || an.Severity != tt.want {
				t.Fatalf("CheckDistance = %v %q, want %q (evidence %v)", ok, an.Severity, tt.want, an.Evidence)
			}
			if !ok {
				return
			}
			want := Evidence{"site": strconv.Itoa(tt.site), "site_address": a.Plan.Sites[tt.site].Address, "distance_m": tt.metres}
			for k, v := range want {
				if an.Evidence[k] != v {
					t.Errorf("evidence %s = %q, want %q (evidence %v)", k, an.Evidence[k], v, an.Evidence)
				}
			}
		})
	}
}

func TestThePublicDistanceIsToTheNearestSite(t *testing.T) {
	a := twoSiteAudit(t)
	c := checkIn(t, "C1", Open, "2026-03-02 09:00", north(a.Plan.Sites[1].WGS84, 1234))
	i, s, _ := a.Plan.Nearest(c.Position)
	if got := c.Public(a.SiteOf(c)).DistanceM; i != 1 || s != a.Plan.Sites[1] || got != 1200 {
		t.Errorf("Nearest = site %d, public distance %v, want site 1 at 1200 m", i, got)
	}
	// A plan decided before plans had several sites has Site alone.
	old := testAudit(t)
	if i, s, d := old.Plan.Nearest(site); i != 0 || s != old.Plan.Site || d != 0 {
		t.Errorf("Nearest on a plan of site alone = %d %v %v, want its site at 0 m", i, s, d)
	}
}

func TestAChangeOfAnySiteIsAChangeOfSitesKeepingThePrevious(t *testing.T) {
	first, err := rules.DecidePlan(nil, planRequest(t), planFacts(), cst(t, "2026-02-20 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	// The plan as first stored, before plans had several sites, and the
	// same plan reported again: no change.
	old := first.Audit
	old.Plan.Sites = nil
	if _, err := rules.DecidePlan(&old, planRequest(t), planFacts(), cst(t, "2026-03-02 10:00")); trustmark.ErrorCode(err) != trustmark.EConflict || errReason(err) != "audit.change_none" {
		t.Errorf("the same one site again: error %v, want change_none", err)
	}
	req := planRequest(t)
	second := factory()
	second.WGS84 = Point{}
	req.Plan.Sites = []Site{req.Plan.Site, second}
	d, err := rules.DecidePlan(&first.Audit, req, planFacts(), cst(t, "2026-03-02 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	if ev := d.Event; ev.Action != Changed || !cmp.Equal(ev.Fields, []string{"sites"}) || ev.Previous == nil || len(ev.Previous.Sites) != 1 || len(ev.Plan.Sites) != 2 {
		t.Fatalf("adding a site = %s fields %v, previous %v, want changed of sites keeping the one site", ev.Action, ev.Fields, ev.Previous)
	}
	// Moving the second site alone is a change of sites too.
	req.Plan.Sites[1].Lat += 0.01
	d2, err := rules.DecidePlan(&d.Audit, req, planFacts(), cst(t, "2026-03-02 11:00"))
	if err != nil {
		t.Fatal(err)
	}
	if ev := d2.Event; !cmp.Equal(ev.Fields, []string{"sites"}) || ev.Revision != 3 || ev.Previous.Sites[1].Lat != second.Lat {
		t.Errorf("moving the second site = fields %v rev %d, previous second site %v, want sites, rev 3, keeping %v", ev.Fields, ev.Revision, ev.Previous.Sites[1], second)
	}
}
