package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"trustmark"
	"trustmark/calendar"
)

// notice2027 is a notice of 2027 in the CSV form, made up for the test
// (New Year's Day off), not the State Council's text.
const notice2027 = `date,year,type,festival,weekday
2027-01-01,2027,holiday,元旦 New Year,周五
2027-02-06,2027,holiday,春节 Spring Festival,周六
2027-02-20,2027,adjusted_workday,春节,周六
`

// TestCalendarLoadEndToEnd: a deadline in 2027 is provisional until the
// national administrator loads 2027's notice with trustmark calendar load;
// a server started afterwards counts on it, and the calendar a load on the
// workbench installs on is the one the API counts on.
func TestCalendarLoadEndToEnd(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		dir := t.TempDir()
		testCalendarLoad(t, dir, filepath.Join(dir, "trustmark.db"))
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		testCalendarLoad(t, dir, e2ePGDSN(t))
	})
}

func testCalendarLoad(t *testing.T, dir, dsn string) {
	ctx := context.Background()
	const ask = "/api/v1/calendar/working-days?from=2026-12-30&add=5"
	serve := func() (*Main, e2eClient) {
		m := NewMain()
		m.Stderr = &syncBuffer{}
		if err := m.ParseFlags([]string{"--db", dsn, "--addr", "127.0.0.1:0"}); err != nil {
			t.Fatal(err)
		}
		if err := m.Run(ctx); err != nil {
			t.Fatal(err)
		}
		return m, e2eClient{t: t, base: m.URL()}
	}
	m, c := serve()
	code, v := c.do("GET", ask, "", nil)
	if code != 200 || v["date"] != "2027-01-06" || v["provisional"] != true {
		t.Fatalf("GET %s before the load = %d %v, want 2027-01-06 provisional", ask, code, v)
	}
	m.Close()

	file := filepath.Join(dir, "notice_2027.csv")
	if err := os.WriteFile(file, []byte(notice2027), 0o600); err != nil {
		t.Fatal(err)
	}
	load := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := runCalendar(ctx, append([]string{"load", "--db", dsn}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, _, stderr := load(file); code != 1 || !strings.Contains(stderr, "title") {
		t.Errorf("calendar load of a CSV without --title = %d %q, want 1 asking for the title", code, stderr)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("date,year,type,festival,weekday\n2027-01-01,2027,holiday,元旦,周五\n2028-01-03,2027,holiday,x,\n"), 0o600)
	if code, _, stderr := load("--title", "t", bad); code != 1 || !strings.Contains(stderr, "row 3") || !strings.Contains(stderr, "year") {
		t.Errorf("calendar load of a date in the wrong year = %d %q, want 1 naming row 3 and the year", code, stderr)
	}
	shipped := filepath.Join(dir, "2026.csv")
	os.WriteFile(shipped, []byte("date,year,type,festival\n2026-01-01,2026,holiday,元旦\n"), 0o600)
	if code, _, stderr := load("--title", "t", shipped); code != 1 || !strings.Contains(stderr, "2026") {
		t.Errorf("calendar load of a shipped year = %d %q, want 1", code, stderr)
	}
	if code, stdout, stderr := load("--title", "国务院办公厅关于2027年部分节假日安排的通知（测试）", file); code != 0 || !strings.Contains(stdout, "loaded 2027") {
		t.Fatalf("calendar load = %d %q %q, want 0", code, stdout, stderr)
	}
	var out bytes.Buffer
	if code := runCalendar(ctx, []string{"list", "--db", dsn}, &out, &out); code != 0 || !strings.Contains(out.String(), "2027  loaded") || !strings.Contains(out.String(), "2026  shipped") {
		t.Errorf("calendar list = %d\n%s", code, out.String())
	}

	m, c = serve()
	defer m.Close()
	code, v = c.do("GET", ask, "", nil)
	if code != 200 || v["date"] != "2027-01-07" || v["provisional"] != false {
		t.Errorf("GET %s after the load = %d %v, want 2027-01-07 not provisional", ask, code, v)
	}
	store, err := openRegistry(ctx, dsn, &out)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	evs, err := store.Events(ctx, trustmark.EventFilter{Entity: calendar.EntityNotice, Key: "2027", After: -1})
	if err != nil || len(evs) != 1 || !strings.HasPrefix(evs[0].Actor, "import:notice_2027.csv") {
		t.Errorf("events of the load = %+v, %v; want one by the import of the file", evs, err)
	}

	// The workbench installs a load on the server's calendar: the API
	// counts on the same one.
	ns, err := calendar.ReadNoticeFile(strings.NewReader("date,year,type,festival\n2028-01-03,2028,holiday,元旦\n"), "t")
	if err != nil {
		t.Fatal(err)
	}
	const ask2028 = "/api/v1/calendar/working-days?from=2027-12-30&add=2"
	if _, v := c.do("GET", ask2028, "", nil); v["provisional"] != true {
		t.Errorf("GET %s before 2028 is installed = %v, want provisional", ask2028, v)
	}
	m.calendar.Install(ns...)
	if _, v := c.do("GET", ask2028, "", nil); v["provisional"] != false || v["date"] != "2028-01-04" {
		t.Errorf("GET %s after 2028 is installed = %v, want 2028-01-04 not provisional", ask2028, v)
	}
}
