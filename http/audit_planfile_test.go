package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustmark"
	tmhttp "trustmark/http"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// planFileLine is storetest's plan as a line of a plan file, the body of
// POST /api/v1/audits, with days auditor-days.
func planFileLine(t *testing.T, days float64) string {
	t.Helper()
	p := storetest.AuditPlan(-48 * time.Hour)
	site := tmhttp.SiteJSON{Address: p.Site.Address, Lat: p.Site.Lat, Lng: p.Site.Lng, Datum: string(p.Site.Datum)}
	b, err := json.Marshal(tmhttp.AuditRequest{Certificate: p.Certificate, Kind: p.Kind, Site: site, OpeningAt: p.OpeningAt, ClosingAt: p.ClosingAt,
		Team: p.Team, AuditorDays: days, EffectivePersonnel: p.EffectivePersonnel})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func auditStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "trustmark.db"), sqlstore.WithClock(storetest.Clock), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.SeedAudits(t, db)
	return db
}

// TestReportPlanFile: each line that holds something is handed over in
// order, reported as the body's audit or refused naming its field, and a
// refusal stops nothing after it; the store's own failure and the
// caller's error stop the file.
func TestReportPlanFile(t *testing.T) {
	ctx := context.Background()
	db := auditStore(t)
	file := strings.Join([]string{planFileLine(t, 5), planFileLine(t, 0.5), `{"body": "CNCA-R-2003-002"}`, "", "not json", planFileLine(t, 6)}, "\n")
	var got []tmhttp.PlanLine
	err := tmhttp.ReportPlanFile(ctx, db, storetest.AuditBody, "body:"+storetest.AuditBody, strings.NewReader(file), func(l tmhttp.PlanLine) error {
		got = append(got, l)
		return nil
	})
	if err != nil {
		t.Fatalf("ReportPlanFile = %v, want nil", err)
	}
	want := []struct {
		line  int
		field string // "-" for a plan reported
	}{{1, "-"}, {2, "auditor_days"}, {3, "body"}, {5, ""}, {6, "-"}}
	if len(got) != len(want) {
		t.Fatalf("lines handed over = %+v, want %d", got, len(want))
	}
	for i, w := range want {
		l := got[i]
		switch {
		case l.Line != w.line:
			t.Errorf("line %d handed over as line %d", w.line, l.Line)
		case w.field == "-":
			a, err := db.Audit(ctx, l.Decision.Audit.ID)
			if l.Err != nil || err != nil || a.Body != storetest.AuditBody {
				t.Errorf("line %d = %v, audit %+v (%v); want the body's audit stored", w.line, l.Err, a, err)
			}
		case !trustmark.IsClientError(l.Err) || trustmark.ErrorField(l.Err) != w.field:
			t.Errorf("line %d refused with %v (field %q), want a client's refusal naming %q", w.line, l.Err, trustmark.ErrorField(l.Err), w.field)
		}
	}

	t.Run("the caller's error stops the file", func(t *testing.T) {
		stop := errors.New("stop")
		n := 0
		err := tmhttp.ReportPlanFile(ctx, db, storetest.AuditBody, "test", strings.NewReader(file), func(tmhttp.PlanLine) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("ReportPlanFile = %v after %d lines, want stop after 1", err, n)
		}
	})
	t.Run("the store's failure stops the file naming the line", func(t *testing.T) {
		broken := auditStore(t)
		broken.Close()
		n := 0
		err := tmhttp.ReportPlanFile(ctx, broken, storetest.AuditBody, "test", strings.NewReader("\n"+file), func(tmhttp.PlanLine) error { n++; return nil })
		if err == nil || !strings.HasPrefix(err.Error(), "line 2: ") || trustmark.IsClientError(err) || n != 0 {
			t.Errorf("ReportPlanFile on a closed store = %v after %d lines, want an internal error of line 2 and none handed over", err, n)
		}
	})
}
