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

	"trustmark/sqlstore"
	"trustmark/storetest"
)

// TestPlansImport: a file of plans is reported line by line, a good plan
// stored with its event, a plan below the IAF MD 5 minimum and a line that
// is no plan refused with their line numbers and fields, and neither stops
// the line after it; the command exits 1 because of them.
func TestPlansImport(t *testing.T) {
	ctx := context.Background()
	dir, dsn := auditStore(t)

	line := func(days float64) string { // a plan as POST /api/v1/audits takes it: no WGS-84 of its own
		p := storetest.AuditPlan(-48 * time.Hour)
		p.AuditorDays = days
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		delete(m["site"].(map[string]any), "wgs84")
		if b, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	file := filepath.Join(dir, "plans.jsonl")
	text := line(5) + "\n" + line(0.5) + "\n" + `{"certificate": 7}` + "\n\n" + line(5) + "\n"
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	code := runPlans(ctx, []string{"import", "--db", dsn, "--body", storetest.AuditBody, file}, &out, &errs)
	if code != 1 {
		t.Errorf("exit %d, want 1 (lines refused); stderr %s", code, errs.String())
	}
	got := out.String()
	for _, want := range []string{"line 1: audit A", "line 2: refused: ", "auditor_days", "line 3: refused: certificate is a JSON number", "line 5: audit A",
		"2 plans reported, 2 lines refused"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}

	db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(storetest.Clock))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []string
	for _, l := range strings.Split(got, "\n") {
		if f := strings.Fields(l); len(f) >= 4 && f[2] == "audit" {
			ids = append(ids, f[3])
		}
	}
	if len(ids) != 2 {
		t.Fatalf("audits reported: %v, want 2", ids)
	}
	for _, id := range ids {
		a, err := db.Audit(ctx, id)
		if err != nil || a.Body != storetest.AuditBody || a.Plan.AuditorDays != 5 {
			t.Errorf("audit %s = %+v, %v; want the body's plan of 5 auditor-days", id, a, err)
		}
	}
}

// auditStore returns a fresh directory and, in it, a store holding the
// audit fixture (storetest.SeedAudits), closed for the command to open.
func auditStore(t *testing.T) (dir, dsn string) {
	t.Helper()
	dir = t.TempDir()
	dsn = filepath.Join(dir, "trustmark.db")
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.WithClock(storetest.Clock))
	if err != nil {
		t.Fatal(err)
	}
	storetest.SeedAudits(t, db)
	db.Close()
	return dir, dsn
}
