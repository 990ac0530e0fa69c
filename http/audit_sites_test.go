package http_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"trustmark/audit"
)

// factoryLat is the latitude of a second site of the holder, 30 km north
// of the head office (siteLat, siteLng) in WGS-84.
var factoryLat = siteLat + 30000/6371008.8*180/math.Pi

// sitesPlanBody is planBody with sites (JSON of the sites array) in place
// of its site, and site given too when withSite.
func sitesPlanBody(sites string, withSite bool) string {
	body := planBody(time.Hour, 5)
	if withSite {
		return strings.Replace(body, `"opening_at"`, `"sites": `+sites+`, "opening_at"`, 1)
	}
	i, j := strings.Index(body, `"site":`), strings.Index(body, `"opening_at"`)
	return body[:i] + `"sites": ` + sites + `, ` + body[j:]
}

// twoSites are the head office in WGS-84 and the factory as a Chinese map
// gives it, in GCJ-02.
func twoSites() string {
	g := audit.WGSToGCJ(audit.Point{Lat: factoryLat, Lng: siteLng})
	return fmt.Sprintf(`[{"address": "杭州市西湖区文三路1号", "lat": %v, "lng": %v, "datum": "wgs84"},
		{"address": "杭州市余杭区良渚街道1号", "lat": %v, "lng": %v, "datum": "GCJ-02"}]`, siteLat, siteLng, g.Lat, g.Lng)
}

type sitesAnswer struct {
	ID   string
	Plan struct {
		Site  audit.Site   `json:"site"`
		Sites []audit.Site `json:"sites"`
	}
	DistanceM float64         `json:"distance_m"`
	Anomalies []audit.Anomaly `json:"anomalies"`
	Revisions []audit.Event   `json:"revisions"`
}

// TestAPlanOfSeveralSites: a body reports sites alone, or site and sites
// together; the answer gives site as the principal one and sites in full;
// a check-in near the second site is measured from it.
func TestAPlanOfSeveralSites(t *testing.T) {
	f := newAuditFixture(t)
	for _, withSite := range []bool{false, true} {
		w := f.do("POST", "/api/v1/audits", f.tokenA, sitesPlanBody(twoSites(), withSite))
		wantStatus(t, fmt.Sprintf("POST a plan of two sites (site given too: %v)", withSite), w, 201)
		var a sitesAnswer
		json.Unmarshal(w.Body.Bytes(), &a)
		if p := a.Plan; len(p.Sites) != 2 || p.Site != p.Sites[0] || p.Sites[1].Datum != audit.GCJ02 ||
			math.Abs(p.Sites[1].WGS84.Lat-factoryLat) > 1e-7 {
			t.Fatalf("plan of two sites answered site %+v, sites %+v; want the head office first and the factory in WGS-84", p.Site, p.Sites)
		}
		photo := base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("the team at the factory %v", withSite)))
		near := factoryLat + 1234/6371008.8*180/math.Pi
		w = f.do("POST", "/api/v1/audits/"+a.ID+"/checkins", f.tokenP, fmt.Sprintf(
			`{"kind": "open", "lat": %v, "lng": %v, "accuracy_m": 10, "datum": "wgs84", "photos": [%q]}`, near, siteLng, photo))
		wantStatus(t, "check-in at the factory", w, 201)
		var c sitesAnswer
		json.Unmarshal(w.Body.Bytes(), &c)
		if c.DistanceM != 1200 {
			t.Errorf("check-in 1,234 m from the factory, 28.8 km from the head office: distance_m = %v, want 1200", c.DistanceM)
		}
		for _, an := range c.Anomalies {
			if an.Rule == audit.FarFromSite {
				t.Errorf("check-in at the factory raised %v", an)
			}
		}
	}
}

func TestAPlansSitesAreRefusedNamingTheSite(t *testing.T) {
	f := newAuditFixture(t)
	many := make([]string, audit.MaxSites+1)
	for i := range many {
		many[i] = fmt.Sprintf(`{"address": "现场%d", "lat": %v, "lng": %v, "datum": "wgs84"}`, i, siteLat, siteLng)
	}
	for _, tc := range []struct{ name, body, field string }{
		{"a latitude off the Earth at the second site", sitesPlanBody(fmt.Sprintf(`[{"address": "a", "lat": %v, "lng": %v, "datum": "wgs84"},
			{"address": "b", "lat": 91, "lng": %[2]v, "datum": "wgs84"}]`, siteLat, siteLng), false), "sites[1].lat"},
		{"site other than sites[0]", sitesPlanBody(strings.Replace(twoSites(), "文三路1号", "文三路2号", 1), true), "sites[0].address"},
		{"a further site without an address", sitesPlanBody(strings.Replace(twoSites(), "杭州市余杭区良渚街道1号", "", 1), false), "sites[1].address"},
		{"more sites than a plan has", sitesPlanBody("["+strings.Join(many, ",")+"]", false), "sites"},
		{"sites that are not objects", sitesPlanBody(`[1]`, false), "sites"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := f.do("POST", "/api/v1/audits", f.tokenA, tc.body)
			wantStatus(t, "POST /api/v1/audits", w, 400)
			if !strings.Contains(w.Body.String(), `"field":"`+tc.field+`"`) {
				t.Errorf("refusal %s does not name field %s", w.Body, tc.field)
			}
		})
	}
}

// TestAddingASiteIsAChangeOfSites: PUT with a second site records a
// change of sites that keeps the one site before.
func TestAddingASiteIsAChangeOfSites(t *testing.T) {
	f := newAuditFixture(t)
	id := f.plan(t, time.Hour)
	w := f.do("PUT", "/api/v1/audits/"+id, f.tokenA, sitesPlanBody(twoSites(), true))
	wantStatus(t, "PUT a second site", w, 200)
	w = f.do("GET", "/api/v1/audits/"+id, f.tokenA, "")
	var a sitesAnswer
	json.Unmarshal(w.Body.Bytes(), &a)
	if len(a.Revisions) != 2 {
		t.Fatalf("GET after the change: %d revisions, want 2: %s", len(a.Revisions), w.Body)
	}
	r := a.Revisions[1]
	if strings.Join(r.Fields, ",") != "sites" || r.Previous == nil || len(r.Previous.AllSites()) != 1 || len(a.Plan.Sites) != 2 {
		t.Errorf("the change = fields %v, previous sites %v, now %d sites; want sites, one before, two after", r.Fields, r.Previous, len(a.Plan.Sites))
	}
}
