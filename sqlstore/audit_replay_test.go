package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"trustmark"
	"trustmark/audit"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// Another body of the audit fixture with a leader of its own, so that a
// request key can be tried in two bodies' hands.
const (
	otherBody   = "CNCA-R-2003-002" // storetest's Shanghai body, approved for QMS
	otherLeader = "P-B001"
)

// seedOtherBody registers otherLeader with otherBody.
func seedOtherBody(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	p := &trustmark.Person{RegistrationNo: otherLeader, Name: "王芳", BodyApprovalNo: otherBody,
		Qualifications: []trustmark.CertType{trustmark.TypeQMS}, Grade: "senior", Status: trustmark.PartyActive}
	out, err := db.Import(ctx, loader, trustmark.KindPersons, []trustmark.Record{p})
	if err != nil || out[0].Result != trustmark.Created {
		t.Fatalf("Import(%s) = %+v, %v", otherLeader, out, err)
	}
}

// otherBodyPlan is an initial audit of the fixture's Beijing organisation
// by otherBody, two days after the suite's clock.
func otherBodyPlan() audit.Plan {
	p := storetest.AuditPlan(-48 * time.Hour)
	p.Certificate, p.Kind, p.Type = "", audit.Initial, trustmark.TypeQMS
	p.HolderUSCC = trustmark.MakeUSCC("9111010800000001")
	p.Team = []audit.Member{{RegistrationNo: otherLeader, Role: audit.Leader}}
	p.AuditorDays = 7 // the IAF MD 5 minimum of an initial audit of 230 is 6.5
	return p
}

// auditEvents counts the public log's events of audits.
func auditEvents(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	evs, err := db.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityAudit, After: -1, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

// bodyAudits counts the audits of a body.
func bodyAudits(t *testing.T, db *sqlstore.DB, body string) int {
	t.Helper()
	as, err := db.FindAudits(ctx, audit.Query{Body: body, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(as)
}

// A plan reported with a request key is reported once per body and key:
// a repeat of the same plan answers the same audit and writes nothing; a
// repeat with another plan is refused naming request_id; another body's
// same key is its own; a plan without a key is reported every time.
func TestReportAuditOnce(t *testing.T) {
	bothEngines(t, func(t *testing.T, open func(opts ...sqlstore.Option) *sqlstore.DB) {
		db := open()
		defer db.Close()
		storetest.SeedAudits(t, db)
		seedOtherBody(t, db)
		body, actor := storetest.AuditBody, "body:"+storetest.AuditBody
		plan := storetest.AuditPlan(-48 * time.Hour)

		first, err := db.ReportAuditOnce(ctx, body, actor, "plan-0001", plan)
		if err != nil || first.Replayed || first.Event.Action != audit.Planned {
			t.Fatalf("ReportAuditOnce(plan-0001) = %+v, %v; want a new audit, planned", first, err)
		}

		t.Run("the same plan again answers the same audit and writes nothing", func(t *testing.T) {
			again := plan
			loc := time.FixedZone("CST", 8*3600) // the same instants, written in China time
			again.OpeningAt, again.ClosingAt = plan.OpeningAt.In(loc), plan.ClosingAt.In(loc)
			d, err := db.ReportAuditOnce(ctx, body, actor, "plan-0001", again)
			if err != nil || !d.Replayed || d.Audit.ID != first.Audit.ID || d.Event.Action != "" {
				t.Errorf("ReportAuditOnce(plan-0001) again = %+v, %v; want audit %s replayed, no event", d, err, first.Audit.ID)
			}
			if n := auditEvents(t, db); n != 1 {
				t.Errorf("audit events = %d, want 1", n)
			}
			revs, err := db.AuditRevisions(ctx, first.Audit.ID)
			if err != nil || len(revs) != 1 {
				t.Errorf("AuditRevisions = %d, %v; want 1", len(revs), err)
			}
		})
		t.Run("another plan under the same key is a conflict naming request_id", func(t *testing.T) {
			other := plan
			other.AuditorDays = 6
			_, err := db.ReportAuditOnce(ctx, body, actor, "plan-0001", other)
			var e *trustmark.Error
			if !errors.As(err, &e) || e.Code != trustmark.EConflict || e.Field != "request_id" || e.Reason != "audit.request_key_reused" ||
				!strings.Contains(e.Message, first.Audit.ID) {
				t.Errorf("ReportAuditOnce(plan-0001, another plan) = %v, want conflict audit.request_key_reused on request_id naming %s", err, first.Audit.ID)
			}
			if n := bodyAudits(t, db, body); n != 1 {
				t.Errorf("audits of %s = %d, want 1", body, n)
			}
		})
		t.Run("another body's same key is its own", func(t *testing.T) {
			d, err := db.ReportAuditOnce(ctx, otherBody, "body:"+otherBody, "plan-0001", otherBodyPlan())
			if err != nil || d.Replayed || d.Audit.ID == first.Audit.ID || d.Audit.Body != otherBody {
				t.Errorf("ReportAuditOnce(%s, plan-0001) = audit %s of %q (replayed %v), %v; want a new audit of %s", otherBody, d.Audit.ID, d.Audit.Body, d.Replayed, err, otherBody)
			}
		})
		t.Run("a plan without a key is reported every time", func(t *testing.T) {
			a, errA := db.ReportAudit(ctx, body, actor, plan)
			b, errB := db.ReportAuditOnce(ctx, body, actor, "", plan)
			if errA != nil || errB != nil || a.Audit.ID == b.Audit.ID || a.Replayed || b.Replayed {
				t.Errorf("two plans without a key = %s (%v), %s (%v); want two audits", a.Audit.ID, errA, b.Audit.ID, errB)
			}
		})
		t.Run("a key longer than 128 characters is refused", func(t *testing.T) {
			_, err := db.ReportAuditOnce(ctx, body, actor, strings.Repeat("k", 129), plan)
			if trustmark.ErrorCode(err) != trustmark.EInvalid || trustmark.ErrorField(err) != "request_id" {
				t.Errorf("ReportAuditOnce(129 characters) = %v, want invalid request_id", err)
			}
		})
		t.Run("a refused plan keeps no key", func(t *testing.T) {
			low := plan
			low.AuditorDays = 0.5
			if _, err := db.ReportAuditOnce(ctx, body, actor, "plan-0002", low); trustmark.ErrorCode(err) != trustmark.EConflict {
				t.Fatalf("a plan below the MD 5 minimum = %v, want conflict", err)
			}
			d, err := db.ReportAuditOnce(ctx, body, actor, "plan-0002", plan)
			if err != nil || d.Replayed {
				t.Errorf("the fixed plan under the refused one's key = %+v, %v; want a new audit", d, err)
			}
		})
		t.Run("a late plan's replay answers its late_report again", func(t *testing.T) {
			late := storetest.AuditPlan(2 * time.Hour)
			d, err := db.ReportAuditOnce(ctx, body, actor, "plan-late", late)
			if err != nil || len(d.Anomalies) != 1 {
				t.Fatalf("a late plan = %+v, %v; want one anomaly", d, err)
			}
			r, err := db.ReportAuditOnce(ctx, body, actor, "plan-late", late)
			if err != nil || !r.Replayed || len(r.Anomalies) != 1 || r.Anomalies[0].Rule != audit.LateReport {
				t.Errorf("its replay = %+v, %v; want late_report again", r.Anomalies, err)
			}
		})
	})
}

// Reports racing with one key store one audit: the other answers it (on
// PostgreSQL through the unique index and the transaction run again).
// Two at a time, in a few rounds with a key each, to give the race its
// chances (raceOneKey). Then more plans at once than the pool has
// connections, each with a key of its own (reportAtOnce).
func TestReportAuditOnceConcurrent(t *testing.T) {
	bothEngines(t, func(t *testing.T, open func(opts ...sqlstore.Option) *sqlstore.DB) {
		db := open()
		defer db.Close()
		storetest.SeedAudits(t, db)
		const rounds, reports = 5, 24
		raceOneKey(t, db, rounds)
		if got := bodyAudits(t, db, storetest.AuditBody); got != rounds {
			t.Errorf("audits stored = %d, want %d", got, rounds)
		}
		if got := auditEvents(t, db); got != rounds {
			t.Errorf("audit events = %d, want %d", got, rounds)
		}
		reportAtOnce(t, db, reports)
		if got := bodyAudits(t, db, storetest.AuditBody); got != rounds+reports {
			t.Errorf("audits stored = %d, want %d", got, rounds+reports)
		}
	})
}

// raceOneKey reports the same plan under one key from two goroutines at
// once, rounds times with a key each round: one audit and one replay each.
func raceOneKey(t *testing.T, db *sqlstore.DB, rounds int) {
	t.Helper()
	body, plan := storetest.AuditBody, storetest.AuditPlan(-48*time.Hour)
	for round := range rounds {
		var ds [2]audit.Decision
		var errs [2]error
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range ds {
			wg.Go(func() {
				<-start
				ds[i], errs[i] = db.ReportAuditOnce(ctx, body, "body:"+body, fmt.Sprint("race-", round), plan)
			})
		}
		close(start)
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("round %d: %v, %v", round, errs[0], errs[1])
		}
		if ds[0].Audit.ID != ds[1].Audit.ID || ds[0].Replayed == ds[1].Replayed {
			t.Errorf("round %d: audits %s (replayed %v) and %s (replayed %v), want one audit and one replay",
				round, ds[0].Audit.ID, ds[0].Replayed, ds[1].Audit.ID, ds[1].Replayed)
		}
	}
}

// reportAtOnce reports n plans at once, more than the pool has
// connections. Each report's transaction holds a connection; its reads of
// the registry (the body, certificate, organisation and team) once went
// through the pool, so that on PostgreSQL that many reports each waited
// for a connection another held, until their deadline.
func reportAtOnce(t *testing.T, db *sqlstore.DB, n int) {
	t.Helper()
	body, plan := storetest.AuditBody, storetest.AuditPlan(-48*time.Hour)
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = db.ReportAuditOnce(ctx, body, "body:"+body, fmt.Sprint("many-", i), plan) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("report %d of %d at once: %v", i, n, err)
		}
	}
}
