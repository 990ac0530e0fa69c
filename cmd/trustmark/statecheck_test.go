package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/stateaudit"
)

// The certificate fill registers (valid, issued 2025-01-10).
const filledCert = "00125Q10001R0M"

// tamper runs statement on the database dsn behind the application's back.
func tamper(t *testing.T, dsn, statement string) {
	t.Helper()
	raw, err := sqlstore.OpenRaw(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(statement); err != nil {
		t.Fatalf("%s: %v", statement, err)
	}
}

// TestAuditNamesStateDifferences is the fault of issue 16: a revoked
// certificate set to valid in the database passed the audit, whose log
// part only checks the events. The state part replays them.
func TestAuditNamesStateDifferences(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		testAuditNamesStateDifferences(t, filepath.Join(t.TempDir(), "trustmark.db"))
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		t.Chdir(t.TempDir()) // the log's key file of a PostgreSQL registry is made in the working directory
		testAuditNamesStateDifferences(t, e2ePGDSN(t))
	})
}

func testAuditNamesStateDifferences(t *testing.T, dsn string) {
	fill(t, dsn)
	m, stop := startWithLog(t, dsn)
	if _, err := m.Store.TransitionCertificate(context.Background(), trustmark.System, filledCert,
		trustmark.Transition{To: trustmark.StatusRevoked, Reason: "监督抽查不合格"}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); m.Log.Latest().Size < 4; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the log holds %d entries after 10 s, want 4", m.Log.Latest().Size)
		}
	}
	stop()

	code, stdout, stderr := logCmd(runAudit, "--db", dsn)
	probed := fmt.Sprintf("replayed the events of 3 records and probed 3 rows of %d tables", len(stateaudit.Tables()))
	if code != 0 || !strings.Contains(stdout, probed) ||
		!strings.Contains(stdout, ": 0 differences from the state the events imply") {
		t.Fatalf("audit of an untouched registry = %d\n%s%s", code, stdout, stderr)
	}

	tamper(t, dsn, `UPDATE certificates SET status = 'valid' WHERE number = '`+filledCert+`'`)
	code, stdout, stderr = logCmd(runAudit, "--db", dsn)
	for _, want := range []string{
		// the events are as the log signed them; what the followers
		// recorded after the revocation (the body's risk warning and its
		// matter) may or may not be in the log yet
		" 0 discrepancies",
		`certificates QMS/` + filledCert + `: status is "valid", the events imply "revoked" (last event 3)`,
		": 1 differences from the state the events imply",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("audit after the update printed:\n%s\nwant %q", stdout, want)
		}
	}
	if m := regexp.MustCompile(`(\d+) match, \d+ not yet in the log`).FindStringSubmatch(stdout); m == nil || atoi(m[1]) < 4 {
		t.Errorf("audit after the update printed:\n%s\nwant the 4 logged events of the registry to match", stdout)
	}
	if code != 2 {
		t.Errorf("audit after the update = %d, want 2\n%s", code, stderr)
	}
}

// TestServeStateCheckMarksDegraded: serve's background check finds the
// same update and says so in /healthz, /metrics and its log, until the row
// is set right.
func TestServeStateCheckMarksDegraded(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "trustmark.db")
	fill(t, dsn)
	m, logs := serveWithWitnesses(t, dsn, "--state-check-rate", "50000")
	health := func() (int, string) {
		t.Helper()
		resp, err := http.Get(m.URL() + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	waitHealth := func(want int) string {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			code, body := health()
			if code == want {
				return body
			}
			if time.Now().After(deadline) {
				t.Fatalf("GET /healthz = %d %s after 10 s, want %d", code, body, want)
			}
		}
	}
	waitHealth(200)

	tamper(t, dsn, `UPDATE certificates SET scope = '全部产品' WHERE number = '`+filledCert+`'`)
	body := waitHealth(503)
	if !strings.Contains(body, "degraded") || !strings.Contains(body, "certificates QMS/"+filledCert+": scope is") {
		t.Errorf("GET /healthz = 503 %s, want it to say degraded and name the certificate's scope", body)
	}
	if got := metric(t, m, "trustmark_state_differences"); got != "1" {
		t.Errorf("trustmark_state_differences = %q, want 1", got)
	}
	line := "kind=changed field=scope stored=全部产品 implied=精密仪器的设计和生产"
	if !strings.Contains(logs.String(), line) {
		t.Errorf("logs:\n%s\nwant a line with %s", logs.String(), line)
	}

	tamper(t, dsn, `UPDATE certificates SET scope = '精密仪器的设计和生产' WHERE number = '`+filledCert+`'`)
	waitHealth(200)
	if got := metric(t, m, "trustmark_state_differences"); got != "0" {
		t.Errorf("trustmark_state_differences = %q once set right, want 0", got)
	}
}

func TestServeStateCheckRateFlag(t *testing.T) {
	m := NewMain()
	if err := m.ParseFlags([]string{"--state-check-rate", "-1"}); err == nil || !strings.Contains(err.Error(), "--state-check-rate") {
		t.Errorf("ParseFlags(--state-check-rate -1) = %v, want a refusal naming the flag", err)
	}
	if m := NewMain(); m.Config.StateCheckRate <= 0 {
		t.Errorf("the state check is off by default (rate %v), want it on", m.Config.StateCheckRate)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
