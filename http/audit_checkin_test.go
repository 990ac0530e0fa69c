package http_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"trustmark/audit"
)

// largeCheckInBody is an opening check-in at the site with photos of n
// bytes each, in base64.
func largeCheckInBody(requestID string, n ...int) string {
	var photos []string
	for i, size := range n {
		p := bytes.Repeat([]byte{byte('a' + i)}, size)
		photos = append(photos, strconv.Quote(base64.StdEncoding.EncodeToString(p)))
	}
	return fmt.Sprintf(`{"kind": "open", "lat": %v, "lng": %v, "accuracy_m": 10, "datum": "wgs84", "device_time": %q, "photos": [%s], "request_id": %q}`,
		siteLat, siteLng, now.Format(time.RFC3339), strings.Join(photos, ","), requestID)
}

// TestCheckInBodyLimit: a check-in with full-size photos is taken over the
// server's body limit, up to the check-in's own; beyond it, 413 naming the
// limit.
func TestCheckInBodyLimit(t *testing.T) {
	f := newAuditFixture(t) // the server's limit is 64 KiB
	id := f.plan(t, time.Hour)
	body := largeCheckInBody("big", 780_000, 780_000, 780_000)
	if len(body) < 3_000_000 {
		t.Fatalf("test body is %d bytes, want about 3 MB", len(body))
	}
	w := f.do("POST", "/api/v1/audits/"+id+"/checkins", f.tokenP, body)
	wantStatus(t, fmt.Sprintf("check-in of %d bytes", len(body)), w, 201)
	var c struct{ Photos []string }
	json.Unmarshal(w.Body.Bytes(), &c)
	if len(c.Photos) != 3 {
		t.Errorf("check-in answered photos %v, want 3", c.Photos)
	}

	over := largeCheckInBody("over", audit.MaxPhotoBytes, audit.MaxPhotoBytes, audit.MaxPhotoBytes, audit.MaxPhotoBytes)
	w = f.do("POST", "/api/v1/audits/"+id+"/checkins", f.tokenP, over)
	wantStatus(t, fmt.Sprintf("check-in of %d bytes", len(over)), w, 413)
	limit := strconv.Itoa((audit.MaxPhotos*audit.MaxPhotoBytes+2)/3*4 + 64<<10)
	if !strings.Contains(w.Body.String(), limit) {
		t.Errorf("over-limit check-in answered %s, want the limit %s named", w.Body, limit)
	}
}

// TestAuditCheckInPositions: GET /api/v1/audits/{id} shows a check-in's
// position only to the person, the audit's body and the region's
// regulator; another member of the team sees the distance from the site.
func TestAuditCheckInPositions(t *testing.T) {
	f := newAuditFixture(t)
	plan := strings.Replace(planBody(time.Hour, 5), `"role": "leader"}]`,
		fmt.Sprintf(`"role": "leader"}, {"registration_no": %q, "role": "auditor"}]`, otherRegNo), 1)
	w := f.do("POST", "/api/v1/audits", f.tokenA, plan)
	wantStatus(t, "POST /api/v1/audits", w, 201)
	var a struct{ ID string }
	json.Unmarshal(w.Body.Bytes(), &a)
	wantStatus(t, "check-in", f.do("POST", "/api/v1/audits/"+a.ID+"/checkins", f.tokenP, checkInBody(1234, 10, "pos")), 201)
	for _, tc := range []struct {
		name, token string
		sees        bool
	}{
		{"the person sees their position", f.tokenP, true},
		{"the body sees it", f.tokenA, true},
		{"the region's regulator sees it", f.tokenZ, true},
		{"another member of the team does not", f.tokenP2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := f.do("GET", "/api/v1/audits/"+a.ID, tc.token, "")
			wantStatus(t, "GET audit", w, 200)
			var got struct {
				CheckIns []map[string]any `json:"checkins"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.CheckIns) != 1 {
				t.Fatalf("GET audit = %s (%v), want one check-in", w.Body, err)
			}
			c := got.CheckIns[0]
			if c["distance_m"] != 1200.0 {
				t.Errorf("distance_m = %v, want 1200", c["distance_m"])
			}
			for _, k := range []string{"lat", "lng", "accuracy_m", "device_time"} {
				if _, ok := c[k]; ok != tc.sees {
					t.Errorf("check-in field %s shown = %v, want %v: %v", k, ok, tc.sees, c)
				}
			}
		})
	}
	wantStatus(t, "GET audit without a token", f.do("GET", "/api/v1/audits/"+a.ID, "", ""), 401)
}
