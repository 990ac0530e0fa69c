package http_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzCheckIn sends arbitrary check-in bodies, as JSON or under a
// multipart content type, from a team member's phone: a client's body is
// never answered with a 5xx, and every refusal has the contract's shape.
func FuzzCheckIn(f *testing.F) {
	fx := newAuditFixture(f)
	id := fx.plan(f, time.Hour)
	f.Add(checkInBody(0, 10, "s1"), false)
	f.Add(`{"kind": "close", "lat": 1e999}`, false)
	f.Add(`{"photos": ["!!"]}`, false)
	f.Add("--B\r\nContent-Disposition: form-data; name=\"lat\"\r\n\r\nx\r\n--B--\r\n", true)
	f.Add("--B\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a\"\r\n\r\nabc\r\n--B--\r\n", true)
	f.Fuzz(func(t *testing.T, body string, multipart bool) {
		r := httptest.NewRequest("POST", "/api/v1/audits/"+id+"/checkins", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+fx.tokenP)
		if multipart {
			r.Header.Set("Content-Type", "multipart/form-data; boundary=B")
		}
		w := httptest.NewRecorder()
		fx.srv.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("check-in with body %q = %d %s; a client's body must never be a 5xx", body, w.Code, w.Body)
		}
		if w.Code >= 400 {
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("check-in with body %q = %d %s: not the contract's error shape", body, w.Code, w.Body)
			}
		}
	})
}
