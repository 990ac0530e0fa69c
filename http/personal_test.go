package http_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	tmhttp "trustmark/http"
)

// TestPersonalAccessRecorded: showing an audit's check-ins (positions and
// photos) records the view in the access log; the regulators of the
// audit's region read it, others are refused or see nothing, and the
// public answers about the person and the certificate show none of it.
func TestPersonalAccessRecorded(t *testing.T) {
	f := newAuditFixture(t)
	id := f.plan(t, time.Hour)
	list := func(token, query string) (int, []tmhttp.PersonalAccessJSON) {
		t.Helper()
		w := f.do("GET", "/api/v1/personal-data-access"+query, token, "")
		var v struct{ Items []tmhttp.PersonalAccessJSON }
		json.Unmarshal(w.Body.Bytes(), &v)
		return w.Code, v.Items
	}
	// No check-in yet: nothing personal shown, nothing recorded.
	wantStatus(t, "GET audit", f.do("GET", "/api/v1/audits/"+id, f.tokenZ, ""), 200)
	if code, items := list(f.tokenZ, ""); code != 200 || len(items) != 0 {
		t.Fatalf("before any check-in: %d %v, want 200 and no records", code, items)
	}
	w := f.do("POST", "/api/v1/audits/"+id+"/checkins", f.tokenP, checkInBody(0, 10, "r-1"))
	wantStatus(t, "check-in", w, 201)
	var ci struct{ Photos []string }
	json.Unmarshal(w.Body.Bytes(), &ci)

	wantStatus(t, "GET audit by the region's regulator", f.do("GET", "/api/v1/audits/"+id, f.tokenZ, ""), 200)
	wantStatus(t, "GET audit by its body", f.do("GET", "/api/v1/audits/"+id, f.tokenA, ""), 200)
	wantStatus(t, "GET audit by another region's regulator", f.do("GET", "/api/v1/audits/"+id, f.tokenR, ""), 404)

	code, items := list(f.tokenZ, "?subject="+personRegNo)
	if code != 200 || len(items) != 2 {
		t.Fatalf("the region's regulator lists %d %v, want 200 and two records", code, items)
	}
	got := items[1] // oldest last
	if got.Viewer != "regulator:330000" || got.Role != "regulator:330000" || got.Subject != "person:"+personRegNo ||
		strings.Join(got.Fields, ",") != "position,photos" || got.Route != "GET /api/v1/audits/{id}" || got.Context != "audit:"+id {
		t.Errorf("record %+v", got)
	}
	if items[0].Viewer != "body:"+bodyA {
		t.Errorf("newest record's viewer %q, want body:%s", items[0].Viewer, bodyA)
	}
	if code, items := list(f.tokenR, ""); code != 200 || len(items) != 0 {
		t.Errorf("another region's regulator lists %d %v, want 200 and nothing", code, items)
	}
	if code, _ := list(f.tokenA, ""); code != 403 {
		t.Errorf("a body lists the access log: %d, want 403", code)
	}
	if code, _ := list("", ""); code != 401 {
		t.Errorf("no credentials: %d, want 401", code)
	}
	if code, _ := list(f.tokenZ, "?subject=not%20a%20number!"); code != 400 {
		t.Errorf("a malformed subject: %d, want 400", code)
	}
	// The public answers: the person and the certificate without positions
	// or photos.
	for _, path := range []string{"/api/v1/persons/" + personRegNo, "/api/v1/certificates/" + certQMS, "/api/v1/certificates/" + certQMS + "/history"} {
		body := f.do("GET", path, "", "").Body.String()
		if strings.Contains(body, ci.Photos[0]) || strings.Contains(body, "120.15") || strings.Contains(body, "30.25") {
			t.Errorf("GET %s shows check-in data: %s", path, body)
		}
	}
}

func FuzzParsePersonalSubject(f *testing.F) {
	for _, s := range []string{"2026-NQA-0001", "person:2026-NQA-0001", "person:", "", " 2026-nqa-0001 ", "person:person:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sub, err := tmhttp.ParsePersonalSubject(s)
		if err != nil {
			return
		}
		if !strings.HasPrefix(sub, "person:") {
			t.Fatalf("ParsePersonalSubject(%q) = %q", s, sub)
		}
		again, err := tmhttp.ParsePersonalSubject(sub)
		if err != nil || again != sub {
			t.Fatalf("ParsePersonalSubject(%q) = %q, %v; want it unchanged", sub, again, err)
		}
	})
}
