package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	au "trustmark/audit"
	tmhttp "trustmark/http"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// TestPlansImportTwice: a file whose lines carry request ids, imported
// twice, reports each plan once; the second run prints each line as
// already reported with the audit the first run printed, and the summary
// counts them.
func TestPlansImportTwice(t *testing.T) {
	ctx := context.Background()
	dir, dsn := auditStore(t)
	line := func(id string, days float64) string {
		p := storetest.AuditPlan(-48 * time.Hour)
		site := tmhttp.SiteJSON{Address: p.Site.Address, Lat: p.Site.Lat, Lng: p.Site.Lng, Datum: string(p.Site.Datum)}
		b, err := json.Marshal(tmhttp.AuditRequest{RequestID: id, Certificate: p.Certificate, Kind: p.Kind, Site: site,
			OpeningAt: p.OpeningAt, ClosingAt: p.ClosingAt, Team: p.Team, AuditorDays: days, EffectivePersonnel: p.EffectivePersonnel})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	file := filepath.Join(dir, "plans.jsonl")
	if err := os.WriteFile(file, []byte(line("q2-1", 5)+"\n"+line("q2-2", 6)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func() string {
		var out, errs bytes.Buffer
		if code := runPlans(ctx, []string{"import", "--db", dsn, "--body", storetest.AuditBody, file}, &out, &errs); code != 0 {
			t.Fatalf("exit %d, want 0; stderr %s\n%s", code, errs.String(), out.String())
		}
		return out.String()
	}
	first, second := run(), run()
	ids := func(out string) []string {
		var ids []string
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) >= 4 && f[2] == "audit" {
				ids = append(ids, f[3])
			}
		}
		return ids
	}
	a, b := ids(first), ids(second)
	if len(a) != 2 || len(b) != 2 || a[0] != b[0] || a[1] != b[1] {
		t.Fatalf("audits printed = %v then %v, want the same two", a, b)
	}
	for _, want := range []string{"line 1: audit " + a[0] + " already reported", "line 2: audit " + a[1] + " already reported",
		"2 plans reported (2 of them reported before), 0 lines refused"} {
		if !strings.Contains(second, want) {
			t.Errorf("the second run's output lacks %q:\n%s", want, second)
		}
	}
	if !strings.Contains(first, "2 plans reported, 0 lines refused") || strings.Contains(first, "already") {
		t.Errorf("the first run's output:\n%s\nwant two plans planned", first)
	}
	db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(storetest.Clock))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	as, err := db.FindAudits(ctx, au.Query{Body: storetest.AuditBody, Limit: 100})
	if err != nil || len(as) != 2 {
		t.Errorf("audits stored = %d, %v; want 2", len(as), err)
	}
}
