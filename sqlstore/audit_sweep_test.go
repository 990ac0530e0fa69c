package sqlstore_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"trustmark"
	"trustmark/audit"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// movableClock is a store clock a test moves.
type movableClock struct{ at atomic.Int64 }

func (c *movableClock) now() time.Time  { return time.UnixMicro(c.at.Load()).UTC() }
func (c *movableClock) set(t time.Time) { c.at.Store(t.UnixMicro()) }
func chinaMidnight(d string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02", d, time.FixedZone("CST", 8*3600))
	return t.UTC()
}

func bothEngines(t *testing.T, run func(t *testing.T, open func(opts ...sqlstore.Option) *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		run(t, func(opts ...sqlstore.Option) *sqlstore.DB { return openSQLite(t, opts...) })
	})
	t.Run("postgres", func(t *testing.T) {
		pgDSN(t) // skip early
		run(t, func(opts ...sqlstore.Option) *sqlstore.DB { return openPG(t, opts...) })
	})
}

func anomalyEvents(t *testing.T, db *sqlstore.DB) []trustmark.Event {
	t.Helper()
	evs, err := db.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityAnomaly, After: -1, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// The suite's audits open an hour before 2026-03-15 10:00 China time and
// end that day: a missing closing check-in is raised from 2026-03-16 00:00
// China time, once, with its matter due 5 working days later; the
// certificates (issued 2025-06-01) are overdue from 2026-06-02 unless a
// surveillance audit the team checked in to moved their due day.
func TestAuditSweep(t *testing.T) {
	bothEngines(t, func(t *testing.T, open func(opts ...sqlstore.Option) *sqlstore.DB) {
		clock := &movableClock{}
		clock.set(storetest.Now)
		db := open(sqlstore.WithClock(clock.now))
		defer db.Close()
		ids := seedAudits(t, db, 0)
		const opened = 10 // audits 0-9 opened, the others never checked in to
		for i := range opened {
			req := audit.CheckInRequest{Person: benchPerson(i), Kind: "open", Lat: 30.2501, Lng: 120.1502, AccuracyM: 15, Datum: "wgs84", DeviceTime: storetest.Now}
			if _, err := db.CheckIn(ctx, ids[i], "", req, [][]byte{[]byte(fmt.Sprint("photo ", i))}); err != nil {
				t.Fatal(err)
			}
		}
		base := len(anomalyEvents(t, db))
		sweep := func(at time.Time) sqlstore.SweepResult {
			t.Helper()
			clock.set(at)
			res, err := db.SweepAudits(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		if res := sweep(chinaMidnight("2026-03-16").Add(-time.Minute)); res.Raised != 0 || res.Audits != 0 {
			t.Fatalf("on the last day, 23:59 in China: %+v, want nothing", res)
		}
		res := sweep(chinaMidnight("2026-03-16"))
		if res.Audits != benchTeams || res.Raised != benchTeams {
			t.Fatalf("the day after: %+v, want %d audits judged and %d raised", res, benchTeams, benchTeams)
		}
		for i, id := range []string{ids[0], ids[opened]} {
			all, err := db.AuditAnomalies(ctx, id)
			var recs []audit.AnomalyRecord
			for _, r := range all {
				if r.Rule == audit.MissingCheckin { // the plans were also reported late
					recs = append(recs, r)
				}
			}
			if err != nil || len(recs) != 1 {
				t.Fatalf("missing_checkin anomalies of audit %d: %v %v", i, recs, err)
			}
			want := []string{"close", "open,close"}[i]
			if recs[0].Evidence["missing"] != want || recs[0].Matter.Party.ID != benchBody || recs[0].Matter.Due.Date.String() != "2026-03-20" {
				t.Errorf("audit %d: missing %q, matter for %s due %s; want %q, %s, 2026-03-20",
					i, recs[0].Evidence["missing"], recs[0].Matter.Party.ID, recs[0].Matter.Due.Date, want, benchBody)
			}
		}
		if res := sweep(chinaMidnight("2026-03-17")); res.Raised != 0 || res.Audits != 0 {
			t.Errorf("a second sweep: %+v, want nothing new", res)
		}
		if n := len(anomalyEvents(t, db)) - base; n != benchTeams {
			t.Errorf("%d anomaly events in the log, want %d", n, benchTeams)
		}
		// Surveillance: the opened audits ended 2026-03-15 and move the due
		// day of their certificates to 2027-03-15; the others stay due on
		// 2026-06-01.
		if res := sweep(chinaMidnight("2026-06-02").Add(-time.Minute)); res.Raised != 0 || res.Certificates != benchTeams {
			t.Fatalf("on the due day: %+v", res)
		}
		if res := sweep(chinaMidnight("2026-06-02")); res.Raised != benchTeams-opened {
			t.Fatalf("the day after the due day: %+v, want %d raised", res, benchTeams-opened)
		}
		if res := sweep(chinaMidnight("2026-06-03")); res.Raised != 0 {
			t.Errorf("a second sweep: %+v, want nothing new", res)
		}
	})
}
