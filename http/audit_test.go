package http_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"mime/multipart"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"trustmark"
)

// Audit fixture: an auditor of bodyA on the team, another who is not, and
// the regulator of the holder's province.
const (
	otherRegNo       = "2026-NQA-0002"
	siteLat, siteLng = 30.25, 120.15
)

type auditFixture struct {
	*fixture
	tokenP  string // personRegNo, on the team
	tokenP2 string // otherRegNo, of bodyA, not on the team
	tokenZ  string // Zhejiang's regulator (330000), the holder's region
}

func newAuditFixture(t testing.TB) *auditFixture {
	t.Helper()
	f := &auditFixture{fixture: newFixture(t)}
	ctx := context.Background()
	rec, err := trustmark.ParseRecord(trustmark.KindPersons, trustmark.Row{"registration_no": otherRegNo, "name": "李娜",
		"body_approval_no": bodyA, "qualifications": "QMS"}, trustmark.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Import(ctx, trustmark.Party{Kind: trustmark.PartyImport, ID: "fixture"}, trustmark.KindPersons, []trustmark.Record{rec}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		party trustmark.Party
		dst   *string
	}{
		{trustmark.Party{Kind: trustmark.PartyPerson, ID: personRegNo}, &f.tokenP},
		{trustmark.Party{Kind: trustmark.PartyPerson, ID: otherRegNo}, &f.tokenP2},
		{trustmark.Party{Kind: trustmark.PartyRegulator, ID: "330000"}, &f.tokenZ},
	} {
		if *p.dst, err = f.store.CreateToken(ctx, p.party); err != nil {
			t.Fatalf("CreateToken(%v): %v", p.party, err)
		}
	}
	return f
}

// planBody is a surveillance plan of certQMS whose opening meeting started
// ago before the clock.
func planBody(ago time.Duration, days float64) string {
	open := now.Add(-ago)
	return fmt.Sprintf(`{"certificate": %q, "kind": "surveillance",
		"site": {"address": "杭州市西湖区文三路1号", "lat": %v, "lng": %v, "datum": "wgs84"},
		"opening_at": %q, "closing_at": %q, "team": [{"registration_no": %q, "role": "leader"}],
		"auditor_days": %v, "effective_personnel": 230}`,
		certQMS, siteLat, siteLng, open.Format(time.RFC3339), open.Add(7*time.Hour).Format(time.RFC3339), personRegNo, days)
}

func (f *auditFixture) plan(t testing.TB, ago time.Duration) string {
	t.Helper()
	w := f.do("POST", "/api/v1/audits", f.tokenA, planBody(ago, 5))
	if w.Code != nethttp.StatusCreated {
		t.Fatalf("POST /api/v1/audits = %d %s, want 201", w.Code, w.Body)
	}
	var a struct{ ID string }
	json.Unmarshal(w.Body.Bytes(), &a)
	return a.ID
}

// checkInBody is an opening check-in north metres north of the site.
func checkInBody(north, accuracy float64, requestID string) string {
	lat := siteLat + north/6371008.8*180/math.Pi
	photo := base64.StdEncoding.EncodeToString([]byte("the team at the gate " + requestID))
	return fmt.Sprintf(`{"kind": "open", "lat": %v, "lng": %v, "accuracy_m": %v, "datum": "wgs84", "device_time": %q, "photos": [%q], "request_id": %q}`,
		lat, siteLng, accuracy, now.Format(time.RFC3339), photo, requestID)
}

func wantStatus(t *testing.T, what string, w *httptest.ResponseRecorder, want int) {
	t.Helper()
	if w.Code != want {
		t.Errorf("%s = %d %s, want %d", what, w.Code, w.Body, want)
	}
}

func TestReportAudit(t *testing.T) {
	f := newAuditFixture(t)
	for _, tc := range []struct {
		name, token, body string
		want              int
		field             string
	}{
		{"the certificate's body reports a plan", f.tokenA, planBody(-24*time.Hour, 5), 201, ""},
		{"a plan below the MD 5 minimum is a conflict on auditor_days", f.tokenA, planBody(-24*time.Hour, 0.5), 409, "auditor_days"},
		{"an auditor cannot report a plan", f.tokenP, planBody(-24*time.Hour, 5), 403, ""},
		{"a regulator cannot report a plan", f.tokenZ, planBody(-24*time.Hour, 5), 403, ""},
		{"no token is unauthorized", "", planBody(-24*time.Hour, 5), 401, ""},
		{"malformed JSON is invalid", f.tokenA, `{"kind": 1}`, 400, "kind"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := f.do("POST", "/api/v1/audits", tc.token, tc.body)
			wantStatus(t, "POST /api/v1/audits", w, tc.want)
			if tc.field != "" && !strings.Contains(w.Body.String(), `"field":"`+tc.field+`"`) {
				t.Errorf("refusal %s does not name field %s", w.Body, tc.field)
			}
		})
	}
}

func TestAuditVisibility(t *testing.T) {
	f := newAuditFixture(t)
	id := f.plan(t, -24*time.Hour)
	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"its body sees it", f.tokenA, 200},
		{"a member of its team sees it", f.tokenP, 200},
		{"a regulator of its region sees it", f.tokenZ, 200},
		{"another body does not", f.tokenB, 404},
		{"an auditor not on its team does not", f.tokenP2, 404},
		{"a regulator of another region does not", f.tokenR, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantStatus(t, "GET audit", f.do("GET", "/api/v1/audits/"+id, tc.token, ""), tc.want)
			wantStatus(t, "GET anomalies", f.do("GET", "/api/v1/audits/"+id+"/anomalies", tc.token, ""), tc.want)
		})
	}
	wantStatus(t, "GET an unknown audit", f.do("GET", "/api/v1/audits/A-none", f.tokenA, ""), 404)
}

type anomalyItem struct {
	Rule     string            `json:"rule"`
	Severity string            `json:"severity"`
	Evidence map[string]string `json:"evidence"`
	Matter   struct {
		ID    string `json:"id"`
		DueOn string `json:"due_on"`
		State string `json:"state"`
	} `json:"matter"`
}

func TestCheckInEdges(t *testing.T) {
	f := newAuditFixture(t)
	for _, tc := range []struct {
		name       string
		ago        time.Duration
		north, acc float64
		want       string // the check-in's anomaly rules, comma-separated
	}{
		{"exactly two hours after the opening meeting is in time", 2 * time.Hour, 0, 10, ""},
		{"a second later is late_open", 2*time.Hour + time.Second, 0, 10, "late_open"},
		{"4.9 km from the site is on site", time.Hour, 4900, 0, ""},
		{"5.1 km from the site is far_from_site", time.Hour, 5100, 0, "far_from_site"},
		{"5.1 km with a 200 m accuracy is on site", time.Hour, 5100, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := f.plan(t, tc.ago)
			w := f.do("POST", "/api/v1/audits/"+id+"/checkins", f.tokenP, checkInBody(tc.north, tc.acc, "r-"+tc.name))
			wantStatus(t, "check-in", w, 201)
			var c struct {
				Anomalies []anomalyItem `json:"anomalies"`
			}
			json.Unmarshal(w.Body.Bytes(), &c)
			var got []string
			for _, a := range c.Anomalies {
				got = append(got, a.Rule)
				if a.Matter.ID == "" || a.Matter.DueOn == "" || a.Matter.State != "opened" {
					t.Errorf("anomaly %s has matter %+v, want an opened one with a due date", a.Rule, a.Matter)
				}
			}
			if g := strings.Join(got, ","); g != tc.want {
				t.Errorf("check-in raised %q, want %q", g, tc.want)
			}
		})
	}
}

func TestCheckInAuthorization(t *testing.T) {
	f := newAuditFixture(t)
	id := f.plan(t, time.Hour)
	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"an auditor not on the team is forbidden", f.tokenP2, 403},
		{"the body's token cannot check in", f.tokenA, 403},
		{"a regulator cannot check in", f.tokenZ, 403},
		{"no token is unauthorized", "", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantStatus(t, "check-in", f.do("POST", "/api/v1/audits/"+id+"/checkins", tc.token, checkInBody(0, 10, "x")), tc.want)
		})
	}
	wantStatus(t, "check-in to no audit", f.do("POST", "/api/v1/audits/A-none/checkins", f.tokenP, checkInBody(0, 10, "y")), 404)
	wantStatus(t, "check-in without photos", f.do("POST", "/api/v1/audits/"+id+"/checkins", f.tokenP,
		`{"kind": "open", "lat": 30.25, "lng": 120.15, "datum": "wgs84", "photos": []}`), 400)
	wantStatus(t, "check-in without a position", f.do("POST", "/api/v1/audits/"+id+"/checkins", f.tokenP,
		`{"kind": "open", "datum": "wgs84", "photos": ["cA=="]}`), 400)
}

func TestCheckInRetryChecksInOnce(t *testing.T) {
	f := newAuditFixture(t)
	id := f.plan(t, time.Hour)
	var ids []string
	for range 2 {
		w := f.do("POST", "/api/v1/audits/"+id+"/checkins", f.tokenP, checkInBody(0, 10, "phone-42"))
		wantStatus(t, "check-in", w, 201)
		var c struct{ ID string }
		json.Unmarshal(w.Body.Bytes(), &c)
		ids = append(ids, c.ID)
	}
	if ids[0] == "" || ids[0] != ids[1] {
		t.Errorf("a retried check-in answered ids %v, want the same one twice", ids)
	}
	w := f.do("GET", "/api/v1/audits/"+id, f.tokenA, "")
	var a struct {
		CheckIns []struct {
			Photos []string `json:"photos"`
		} `json:"checkins"`
	}
	json.Unmarshal(w.Body.Bytes(), &a)
	if len(a.CheckIns) != 1 || len(a.CheckIns[0].Photos) != 1 || len(a.CheckIns[0].Photos[0]) != 64 {
		t.Errorf("GET audit check-ins = %+v, want one with one photo hash", a.CheckIns)
	}
}

func multipartCheckIn(t *testing.T, photo []byte, requestID string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"kind": "open", "lat": "30.25", "lng": "120.15", "accuracy_m": "15", "datum": "wgs84",
		"device_time": now.Format(time.RFC3339), "request_id": requestID} {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("photos", "team.jpg")
	fw.Write(photo)
	mw.Close()
	return mw.FormDataContentType(), &buf
}

func TestCheckInMultipart(t *testing.T) {
	f := newAuditFixture(t)
	id := f.plan(t, time.Hour)
	for _, tc := range []struct {
		name  string
		photo []byte
		want  int
	}{
		{"a photo as a file checks in", []byte("jpeg bytes"), 201},
		{"a photo over the server's limit but within the check-in's is taken", bytes.Repeat([]byte("x"), 80<<10), 201},
		{"a photo over the photo limit is too large", bytes.Repeat([]byte("x"), 3<<20), 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct, body := multipartCheckIn(t, tc.photo, "mp-"+tc.name)
			r := httptest.NewRequest("POST", "/api/v1/audits/"+id+"/checkins", body)
			r.Header.Set("Content-Type", ct)
			r.Header.Set("Authorization", "Bearer "+f.tokenP)
			w := httptest.NewRecorder()
			f.srv.ServeHTTP(w, r)
			wantStatus(t, "multipart check-in", w, tc.want)
		})
	}
}

func TestAuditAnomaliesShape(t *testing.T) {
	f := newAuditFixture(t)
	id := f.plan(t, 3*time.Hour) // reported after its opening meeting: late_report
	w := f.do("GET", "/api/v1/audits/"+id+"/anomalies", f.tokenA, "")
	wantStatus(t, "GET anomalies", w, 200)
	var got struct {
		Items []anomalyItem `json:"items"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 1 || got.Items[0].Rule != "late_report" || got.Items[0].Severity == "" ||
		got.Items[0].Evidence["opening_at"] == "" || got.Items[0].Matter.DueOn == "" {
		t.Errorf("anomalies = %s, want one late_report with evidence and a matter", w.Body)
	}
}
