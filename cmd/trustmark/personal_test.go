package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestPersonalDataViews: on the composed server, the public pages and
// answers never show an audit's check-in positions or photos; a
// regulator's view of them on the workbench is written to the access log
// of personal data, which the regulators of the region read (the API and
// /work/access-log) and others do not.
func TestPersonalDataViews(t *testing.T) {
	f := newWalkFixture(t)
	a := f.audits[0]
	byName := func(name string) principal {
		t.Helper()
		for _, p := range f.principals {
			if p.name == name {
				return p
			}
		}
		t.Fatalf("no principal %q", name)
		return principal{}
	}
	anonymous := principal{name: "no credentials"}
	secret := []string{a.photo, "30.65", "104.08"}
	for _, path := range []string{"/persons/" + wPersonA, "/certificates/" + wCertA, "/bodies/" + wBodyA,
		"/api/v1/persons/" + wPersonA, "/api/v1/certificates/" + wCertA, "/api/v1/certificates/" + wCertA + "/history", "/api/v1/persons?body_approval_no=" + wBodyA} {
		w := f.serve("GET", path, "", anonymous)
		for _, s := range secret {
			if strings.Contains(w.Body.String(), s) {
				t.Errorf("public GET %s (%d) shows %q of a check-in", path, w.Code, s)
			}
		}
	}
	if w := f.serve("GET", "/api/v1/audits/"+a.id, "", anonymous); w.Code != 401 {
		t.Errorf("GET /api/v1/audits/%s without credentials = %d, want 401", a.id, w.Code)
	}

	sichuan, chongqing := byName("regulator:510000 session"), byName("regulator:500000 session")
	if w := f.serve("GET", "/work/audits/"+a.id, "", sichuan); w.Code != 200 || !strings.Contains(w.Body.String(), "30.65") {
		t.Fatalf("Sichuan's regulator opens the audit: %d, want 200 with the check-in's position", w.Code)
	}
	if w := f.serve("GET", "/work/audits/"+a.id+"/photos/"+a.photo, "", sichuan); w.Code != 200 {
		t.Fatalf("Sichuan's regulator opens the photo: %d %s, want 200", w.Code, summary(w))
	}
	w := f.serve("GET", "/api/v1/personal-data-access?subject="+wPersonA, "", byName("regulator:510104 party token"))
	var v struct {
		Items []struct {
			Viewer, Role, Subject, Route, Context string
			Fields                                []string
		}
	}
	json.Unmarshal(w.Body.Bytes(), &v)
	var seen []string
	for _, it := range v.Items {
		if strings.HasPrefix(it.Role, "regulator:510000") && it.Subject == "person:"+wPersonA && it.Context == "audit:"+a.id {
			seen = append(seen, it.Route+" "+strings.Join(it.Fields, ","))
		}
	}
	if want := []string{"GET /work/audits/{id}/photos/{sha} photos", "GET /work/audits/{id} position"}; strings.Join(seen, "; ") != strings.Join(want, "; ") {
		t.Errorf("Jinjiang's regulator reads the views of Sichuan's: %v (%d %s), want %v", seen, w.Code, summary(w), want)
	}
	w = f.serve("GET", "/api/v1/personal-data-access", "", byName("regulator:500000 party token"))
	if w.Code != 200 || strings.Contains(w.Body.String(), wPersonA) {
		t.Errorf("Chongqing's regulator reads the log: %d %s, want 200 without Sichuan's records", w.Code, summary(w))
	}
	if w := f.serve("GET", "/work/access-log?subject="+wPersonA, "", sichuan); w.Code != 200 || !strings.Contains(w.Body.String(), "audit:"+a.id) {
		t.Errorf("/work/access-log for Sichuan's regulator: %d %s, want the records of audit %s", w.Code, summary(w), a.id)
	}
	if w := f.serve("GET", "/work/access-log?subject="+wPersonA, "", chongqing); w.Code != 200 || strings.Contains(w.Body.String(), "audit:"+a.id) || !strings.Contains(w.Body.String(), `id="empty"`) {
		t.Errorf("/work/access-log for Chongqing's regulator: %d, want an empty list", w.Code)
	}
	if w := f.serve("GET", "/work/", "", sichuan); !strings.Contains(w.Body.String(), `href="/work/access-log`) {
		t.Errorf("the workbench's home of a regulator (%d) has no link to the access log", w.Code)
	}
	if w := f.serve("GET", "/work/", "", byName("body:"+wBodyA+" session")); w.Code != 200 || strings.Contains(w.Body.String(), `/work/access-log`) {
		t.Errorf("the workbench's home of a body (%d) links to the access log", w.Code)
	}
	if w := f.serve("GET", "/work/access-log", "", byName("body:"+wBodyA+" session")); w.Code != 403 {
		t.Errorf("/work/access-log for a body: %d, want 403", w.Code)
	}
}
