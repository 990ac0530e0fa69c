package http_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCalendarWorkingDays(t *testing.T) {
	s := newBareServer(t, nil)
	for _, tt := range []struct {
		name   string
		target string
		status int
		want   map[string]any
	}{
		{"five working days across Spring Festival 2026", "/api/v1/calendar/working-days?from=2026-02-12&add=5", 200,
			map[string]any{"date": "2026-02-26", "provisional": false}},
		{"an adjusted Saturday is a working day", "/api/v1/calendar/working-days?from=2026-02-13&add=1", 200,
			map[string]any{"date": "2026-02-14", "provisional": false}},
		{"a year without a notice is provisional", "/api/v1/calendar/working-days?from=2026-12-30&add=5", 200,
			map[string]any{"date": "2027-01-06", "provisional": true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(s, "GET", tt.target, "")
			if w.Code != tt.status {
				t.Fatalf("GET %s = %d %s, want %d", tt.target, w.Code, w.Body, tt.status)
			}
			if diff := cmp.Diff(tt.want, decodeAnswer(t, w.Body.String())); diff != "" {
				t.Errorf("GET %s mismatch (-want +got):\n%s", tt.target, diff)
			}
		})
	}
	for _, tt := range []struct{ name, target, field string }{
		{"a missing start date", "/api/v1/calendar/working-days?add=5", "from"},
		{"a malformed start date", "/api/v1/calendar/working-days?from=2026-02-30&add=5", "from"},
		{"a count that is not a number", "/api/v1/calendar/working-days?from=2026-02-12&add=five", "add"},
		{"a negative count", "/api/v1/calendar/working-days?from=2026-02-12&add=-1", "add"},
		{"an unknown parameter", "/api/v1/calendar/working-days?from=2026-02-12&add=1&days=2", "days"},
	} {
		t.Run(tt.name+" is refused naming the field", func(t *testing.T) {
			w := serve(s, "GET", tt.target, "")
			e := decodeErrorBody(t, w.Body.String())
			if w.Code != 400 || e.Code != "invalid" || e.Field != tt.field {
				t.Errorf("GET %s = %d %s, want 400 invalid field %s", tt.target, w.Code, w.Body, tt.field)
			}
		})
	}
}
