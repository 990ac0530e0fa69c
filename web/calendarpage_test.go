package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/calendar"
)

// TestCalendarPage: the national administrator sees the calendar's years
// and loads a later year's notice, which the server's calendar counts on
// at once and the public log records; a refused file names the row and
// the field; nobody else may see or load.
func TestCalendarPage(t *testing.T) {
	s := newMatterFixture(t)
	cal := calendar.Official()
	s.handler = NewHandler(Config{Store: s.store, Search: s.index, Clock: s.fixture.clock, Logger: s.quiet(),
		BaseURL: "https://trustmark.example.cn", Auth: s.auth, Inbox: s.store, Calendar: cal})
	admin := s.matterSignIn(t, "n@example.cn", role(t, account.Regulator, trustmark.NationalRegion, true))
	national := s.matterSignIn(t, "s@example.cn", role(t, account.Regulator, trustmark.NationalRegion, false))
	province := s.matterSignIn(t, "p@example.cn", role(t, account.Regulator, "370000", true))
	body := s.matterSignIn(t, "b@example.cn", role(t, account.Body, bodyA, true))
	s.advance(31 * time.Second)

	w := admin.get("/work/calendar")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `id="year-2027"`) || !strings.Contains(w.Body.String(), "暂定") {
		t.Fatalf("GET /work/calendar = %d, want 2027 listed as provisional\n%s", w.Code, w.Body)
	}
	if home := admin.get("/work/").Body.String(); !strings.Contains(home, `href="/work/calendar"`) {
		t.Errorf("the national administrator's home has no link to the calendar")
	}
	for name, c := range map[string]*client{"a national regulator's staff": national, "a province's administrator": province, "a body's administrator": body} {
		if w := c.get("/work/calendar"); w.Code != 403 {
			t.Errorf("%s: GET /work/calendar = %d, want 403", name, w.Code)
		}
		if w := c.postMultipart("/work/calendar", map[string]string{"title": "t"}, "n.csv", []byte("date,year,type,festival\n2027-01-01,2027,holiday,元旦\n")); w.Code != 403 {
			t.Errorf("%s: POST /work/calendar = %d, want 403", name, w.Code)
		}
	}
	if cal.Notice(2027) != nil {
		t.Fatal("a refused load installed 2027")
	}

	for _, tc := range []struct{ name, file, has string }{
		{"a date in the wrong year", "date,year,type,festival\n2027-01-01,2027,holiday,元旦\n2028-01-01,2027,holiday,元旦\n", "第3行"},
		{"a holiday on an adjusted working day", "date,year,type,festival\n2027-02-20,2027,adjusted_workday,春节\n2027-02-20,2027,holiday,春节\n", "第3行"},
		{"a malformed date", "date,year,type,festival\n2027-02-30,2027,holiday,春节\n", "2027-02-30"},
	} {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			w := admin.postMultipart("/work/calendar", map[string]string{"title": "t"}, "n.csv", []byte(tc.file))
			if w.Code != 400 || !strings.Contains(w.Body.String(), tc.has) {
				t.Errorf("POST /work/calendar = %d, want 400 saying %q\n%s", w.Code, tc.has, w.Body)
			}
		})
	}
	from, _ := trustmark.ParseDate("2026-12-30")
	if d, _ := cal.AddWorkingDays(from, 5); !d.Provisional {
		t.Fatalf("AddWorkingDays(2026-12-30, 5) before the load = %+v, want provisional", d)
	}
	w = admin.postMultipart("/work/calendar?lang=en", map[string]string{"title": "2027 notice (test)"}, "n.csv",
		[]byte("date,year,type,festival,weekday\n2027-01-01,2027,holiday,元旦,周五\n2027-02-20,2027,adjusted_workday,春节,周六\n"))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Loaded: 2027") || !strings.Contains(w.Body.String(), "regulator:000000") {
		t.Fatalf("POST /work/calendar = %d, want 2027 loaded\n%s", w.Code, w.Body)
	}
	if d, _ := cal.AddWorkingDays(from, 5); d.Provisional || d.Date.String() != "2027-01-07" {
		t.Errorf("AddWorkingDays(2026-12-30, 5) after the load = %+v, want 2027-01-07 not provisional", d)
	}
	evs, err := s.store.Events(context.Background(), trustmark.EventFilter{Entity: calendar.EntityNotice, Key: "2027", After: -1})
	if err != nil || len(evs) != 1 || evs[0].Actor != "regulator:000000" || !strings.Contains(string(evs[0].Data), "2027-02-20") {
		t.Errorf("events of the load = %+v, %v; want one by regulator:000000 with the notice", evs, err)
	}
}
