package stateaudit_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/stateaudit"
	"trustmark/storetest"
)

var ctx = context.Background()

const (
	body    = "CNCA-R-2002-001"
	revoked = "00125Q10001R0M"
)

var holder = trustmark.MakeUSCC("9111010800000001")

// registry is a registry of n certificates, the first of them revoked,
// with the DSN of its database.
type registry struct {
	db  *sqlstore.DB
	dsn string
}

// open returns a registry of n certificates on SQLite, or on PostgreSQL
// when pg is set.
func open(t *testing.T, pg bool, n int) registry {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "trustmark.db")
	if pg {
		dsn = storetest.PostgresDSN(t, "stateaudit")
	}
	db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(storetest.Clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	imp := trustmark.Party{Kind: trustmark.PartyImport, ID: "t.csv"}
	certs := make([]trustmark.Record, n)
	for i := range certs {
		certs[i] = &trustmark.Certificate{Number: fmt.Sprintf("00125Q1%04dR0M", i+1), Type: trustmark.TypeQMS, BodyApprovalNo: body, HolderUSCC: holder,
			Scope: "精密仪器的设计和生产", IssuedOn: trustmark.NewDate(2025, 1, 10), ExpiresOn: trustmark.NewDate(2028, 1, 9)}
	}
	for _, step := range []struct {
		kind trustmark.Kind
		recs []trustmark.Record
	}{
		{trustmark.KindOrgs, []trustmark.Record{&trustmark.Org{USCC: holder, Name: "北京海淀精密仪器有限公司", RegionCode: "110108"}}},
		{trustmark.KindBodies, []trustmark.Record{&trustmark.Body{ApprovalNo: body, USCC: trustmark.MakeUSCC("1211000040000010"), Name: "中国质量认证中心",
			RegionCode: "110000", Scopes: []trustmark.CertType{trustmark.TypeQMS}}}},
		{trustmark.KindCertificates, certs},
	} {
		out, err := db.Import(ctx, imp, step.kind, step.recs)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out {
			if o.Err != nil {
				t.Fatalf("import %s: %v", step.kind, o.Err)
			}
		}
	}
	if _, err := db.TransitionCertificate(ctx, trustmark.System, revoked, trustmark.Transition{To: trustmark.StatusRevoked, Reason: "监督抽查不合格"}); err != nil {
		t.Fatal(err)
	}
	return registry{db, dsn}
}

// exec runs statement behind the store's back.
func (r registry) exec(t *testing.T, statement string) {
	t.Helper()
	raw, err := sqlstore.OpenRaw(r.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(statement); err != nil {
		t.Fatalf("%s: %v", statement, err)
	}
}

// syncBuffer is a log destination safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cycle steps c through every pass of every table once.
func cycle(t *testing.T, c *stateaudit.Checker) {
	t.Helper()
	// Chunks of 500 and fewer than 500 rows a table: one step a pass.
	for range 2 * len(stateaudit.Tables()) {
		if _, err := c.Step(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func TestChecker(t *testing.T) {
	for _, pg := range []bool{false, true} {
		name := "SQLite"
		if pg {
			name = "PostgreSQL"
		}
		t.Run(name, func(t *testing.T) { testChecker(t, pg) }) // PostgreSQL is skipped without TRUSTMARK_TEST_PG
	}
}

func testChecker(t *testing.T, pg bool) {
	r := open(t, pg, 20)
	var logs syncBuffer
	c := stateaudit.NewChecker(r.db, stateaudit.CheckerConfig{Rate: 1000, Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	t.Run("a registry that agrees with its events is healthy", func(t *testing.T) {
		cycle(t, c)
		if err := c.Health(); err != nil {
			t.Errorf("Health() = %v, want nil", err)
		}
		// 1 org, 1 body, 20 certificates, each read twice.
		if got := c.Checked(); got != 44 {
			t.Errorf("Checked() = %d after a cycle, want 44", got)
		}
	})
	t.Run("a revoked certificate made valid degrades it", func(t *testing.T) {
		r.exec(t, `UPDATE certificates SET status = 'valid' WHERE number = '`+revoked+`'`)
		cycle(t, c)
		err := c.Health()
		if trustmark.ErrorCode(err) != trustmark.EUnavailable || !strings.Contains(err.Error(), `certificates QMS/`+revoked+`: status is "valid", the events imply "revoked"`) {
			t.Errorf("Health() = %v, want unavailable naming the certificate's status", err)
		}
		if got := c.Differences(); len(got) != 1 {
			t.Errorf("Differences() = %v, want 1", got)
		}
		line := `level=ERROR msg="state check: the registry's stored state differs from its events; run trustmark audit" table=certificates key=QMS/` + revoked +
			` kind=changed field=status stored=valid implied=revoked`
		if got := logs.String(); strings.Count(got, line) != 1 {
			t.Errorf("logs:\n%s\nwant once: %s", got, line)
		}
	})
	t.Run("found again, it is not logged again", func(t *testing.T) {
		cycle(t, c)
		cycle(t, c)
		if n := strings.Count(logs.String(), "level=ERROR"); n != 1 {
			t.Errorf("%d error lines after three cycles, want 1:\n%s", n, logs.String())
		}
	})
	t.Run("once set right, it is healthy again", func(t *testing.T) {
		r.exec(t, `UPDATE certificates SET status = 'revoked' WHERE number = '`+revoked+`'`)
		cycle(t, c)
		if err := c.Health(); err != nil {
			t.Errorf("Health() = %v, want nil", err)
		}
		if !strings.Contains(logs.String(), "agrees with its events again") {
			t.Errorf("logs:\n%s\nwant a line saying the state agrees again", logs.String())
		}
	})
	t.Run("a row inserted and then deleted clears within a cycle", func(t *testing.T) {
		r.exec(t, `INSERT INTO orgs (uscc, name, region_code, updated_at) VALUES ('`+string(trustmark.MakeUSCC("9111010800000009"))+`', '北京某公司', '110108', 0)`)
		cycle(t, c)
		if err := c.Health(); err == nil || !strings.Contains(err.Error(), "a row no event explains") {
			t.Errorf("Health() = %v, want the row no event explains", err)
		}
		r.exec(t, `DELETE FROM orgs WHERE uscc = '`+string(trustmark.MakeUSCC("9111010800000009"))+`'`)
		cycle(t, c)
		if err := c.Health(); err != nil {
			t.Errorf("Health() = %v, want nil", err)
		}
	})
}

func TestCheckerRate(t *testing.T) {
	r := open(t, false, 300)
	c := stateaudit.NewChecker(r.db, stateaudit.CheckerConfig{Rate: 400, Chunk: 100, Logger: slog.New(slog.DiscardHandler)})
	run, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { c.Run(run); close(done) }()
	time.Sleep(500 * time.Millisecond)
	stop()
	<-done
	// At 400 a second, half a second allows 200 and the first step's chunk
	// of 100, which is read before the first pause.
	if got := c.Checked(); got == 0 || got > 300 {
		t.Errorf("Checked() = %d after 0.5 s at 400 a second, want 1 to 300", got)
	}
}

func TestAuditProgress(t *testing.T) {
	r := open(t, false, 30)
	var calls []stateaudit.Progress
	rep, err := stateaudit.Audit(ctx, r.db, stateaudit.Options{Chunk: 10, Progress: func(p stateaudit.Progress) { calls = append(calls, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Records != 32 || rep.Rows != 32 {
		t.Fatalf("Audit = %d records, %d rows, %v; want 32, 32, no difference", rep.Records, rep.Rows, rep.Differences)
	}
	if len(calls) == 0 || calls[len(calls)-1].Checked != 64 {
		t.Fatalf("Progress called %d times, last %+v; want a last call with 64 checked", len(calls), calls[len(calls)-1:])
	}
	for i := 1; i < len(calls); i++ {
		if calls[i].Checked < calls[i-1].Checked {
			t.Errorf("Progress went back from %d to %d", calls[i-1].Checked, calls[i].Checked)
		}
	}
}
