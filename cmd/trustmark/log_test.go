package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/logclient/witnesstest"
	"trustmark/sqlstore"
	"trustmark/translog"
)

// startWithLog runs serve on 127.0.0.1:0 over dsn; (*Main).mount mounts the
// log.
func startWithLog(t *testing.T, dsn string) (*Main, func()) {
	m, _, stop := startWithLogL(t, dsn)
	return m, stop
}

func startWithLogL(t *testing.T, dsn string) (*Main, *translog.Log, func()) {
	t.Helper()
	m := NewMain()
	m.Config.DSN, m.Config.Addr = dsn, "127.0.0.1:0"
	var logs bytes.Buffer
	m.Stderr = &logs
	if err := m.Run(context.Background()); err != nil { // mounts the log (mountLog)
		t.Fatal(err)
	}
	return m, m.Log, func() { m.Close() }
}

func fill(t *testing.T, dsn string) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	org := trustmark.MakeUSCC("9111010800000001")
	imp := trustmark.Party{Kind: trustmark.PartyImport, ID: "t.csv"}
	steps := []struct {
		kind  trustmark.Kind
		items []trustmark.Record
	}{
		{trustmark.KindOrgs, []trustmark.Record{&trustmark.Org{USCC: org, Name: "北京海淀精密仪器有限公司", RegionCode: "110108"}}},
		{trustmark.KindBodies, []trustmark.Record{&trustmark.Body{ApprovalNo: "CNCA-R-2002-001", USCC: trustmark.MakeUSCC("1211000040000010"), Name: "中国质量认证中心",
			RegionCode: "110000", Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive}}},
		{trustmark.KindCertificates, []trustmark.Record{&trustmark.Certificate{Number: "00125Q10001R0M", Type: trustmark.TypeQMS, BodyApprovalNo: "CNCA-R-2002-001",
			HolderUSCC: org, Scope: "精密仪器的设计和生产", IssuedOn: trustmark.NewDate(2025, 1, 10), ExpiresOn: trustmark.NewDate(2028, 1, 9), Status: trustmark.StatusValid}}},
	}
	for _, s := range steps {
		outs, err := db.Import(ctx, imp, s.kind, s.items)
		if err != nil || outs[0].Err != nil {
			t.Fatalf("import %s: %v %v", s.kind, err, outs[0].Err)
		}
	}
}

func logCmd(f command, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := f(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestLogCommands(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "trustmark.db")
	fill(t, dsn)
	m, stop := startWithLog(t, dsn)
	defer stop()

	code, vkey, stderr := logCmd(runLog, "key", "--db", dsn)
	vkey = strings.TrimSpace(vkey)
	if code != 0 || !strings.HasPrefix(vkey, "trustmark.example/log+") {
		t.Fatalf("trustmark log key = %d %q %s", code, vkey, stderr)
	}
	if fi, err := os.Stat(dsn + ".logkey"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}

	state := filepath.Join(dir, "state")
	verifyUntilOK(t, "OK log trustmark.example/log: 3 entries, 1 events of 00125Q10001R0M included",
		"--log", m.URL()+"/log", "--key", vkey, "--cert", "00125Q10001R0M", "--state", state)

	t.Run("audit passes on an untouched database", func(t *testing.T) {
		code, stdout, stderr := logCmd(runAudit, "--db", dsn)
		if code != 0 || !strings.Contains(stdout, "3 match, 0 not yet in the log, 0 discrepancies") {
			t.Errorf("trustmark audit = %d\n%s%s", code, stdout, stderr)
		}
	})

	t.Run("a downloaded proof bundle verifies offline", func(t *testing.T) {
		resp, err := http.Get(m.URL() + "/api/v1/certificates/00125Q10001R0M/history?bundle=1")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		f := filepath.Join(dir, "bundle.json")
		os.WriteFile(f, b.Bytes(), 0o644)
		code, stdout, stderr := logCmd(runVerify, "--bundle", f, "--key", vkey)
		if code != 0 {
			t.Errorf("trustmark verify --bundle = %d\n%s%s", code, stdout, stderr)
		}
	})

	t.Run("verify --full reads every entry", func(t *testing.T) {
		code, stdout, stderr := logCmd(runVerify, "--log", m.URL()+"/log", "--key", vkey, "--cert", "00125Q10001R0M", "--full")
		if code != 0 || !strings.Contains(stdout, "1 events of 00125Q10001R0M included, all 3 entries checked") {
			t.Errorf("trustmark verify --full = %d\n%s%s", code, stdout, stderr)
		}
	})

	t.Run("verify with the wrong key fails with status 2", func(t *testing.T) {
		skey, _ := translog.GenerateKey(nil, "trustmark.example/log")
		k, _ := translog.ParseKey(skey)
		other := k.VerifierKey
		code, _, stderr := logCmd(runVerify, "--log", m.URL()+"/log", "--key", other)
		if code != 2 || !strings.Contains(stderr, "FAIL checkpoint") {
			t.Errorf("verify with another key = %d %s", code, stderr)
		}
	})
}

// TestLogOnDatabase serves the database named by TRUSTMARK_LOG_E2E_DB (e.g.
// one filled by `trustmark demo`) with the log, waits for the log to hold
// every event, then verifies certificates and audits: the issue's
// "serve --demo, then verify any demo certificate", measured.
func TestLogOnDatabase(t *testing.T) {
	dsn := os.Getenv("TRUSTMARK_LOG_E2E_DB")
	if dsn == "" {
		t.Skip("set TRUSTMARK_LOG_E2E_DB to a filled database")
	}
	start := time.Now()
	m, l, stop := startWithLogL(t, dsn)
	defer stop()
	st, err := m.Store.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var gap time.Duration // the longest wait between two checkpoints
	last, lastAt := l.Latest().Size, time.Now()
	for l.Latest().Size < uint64(st.Events) {
		time.Sleep(20 * time.Millisecond)
		if n := l.Latest().Size; n != last {
			gap = max(gap, time.Since(lastAt))
			last, lastAt = n, time.Now()
		}
	}
	t.Logf("longest wait between checkpoints while catching up: %v", gap)
	t.Logf("log holds all %d events %v after start", st.Events, time.Since(start))
	_, vkey, _ := logCmd(runLog, "key", "--db", dsn)
	vkey = strings.TrimSpace(vkey)
	page, err := m.Store.Certificates(context.Background(), trustmark.CertificateFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(t.TempDir(), "state")
	t0 := time.Now()
	for i, c := range page.Items {
		if i%97 != 0 {
			continue
		}
		code, stdout, stderr := logCmd(runVerify, "--log", m.URL()+"/log", "--key", vkey, "--cert", c.Number, "--state", state)
		if code != 0 {
			t.Fatalf("verify %s = %d\n%s%s", c.Number, code, stdout, stderr)
		}
	}
	t.Logf("verified 11 certificates in %v", time.Since(t0))
	t0 = time.Now()
	code, stdout, stderr := logCmd(runAudit, "--db", dsn)
	if code != 0 {
		t.Fatalf("audit = %d\n%s%s", code, stdout, stderr)
	}
	t.Logf("audit in %v: %s", time.Since(t0), stdout)
}

// verifyUntilOK runs trustmark verify with args until it exits 0 (the log
// publishes a checkpoint within about a second), and wants want in what it
// prints.
func verifyUntilOK(t *testing.T, want string, args ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, stdout, stderr := logCmd(runVerify, args...)
		if code == 0 {
			if !strings.Contains(stdout, want) {
				t.Errorf("trustmark verify %s said:\n%s\nwant %q", strings.Join(args, " "), stdout, want)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("trustmark verify %s = %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// filledWithKey returns a filled database and its log's verifier key
// (trustmark log key creates the key).
func filledWithKey(t *testing.T) (dsn, vkey string) {
	t.Helper()
	dsn = filepath.Join(t.TempDir(), "trustmark.db")
	fill(t, dsn)
	_, vkey, _ = logCmd(runLog, "key", "--db", dsn)
	return dsn, strings.TrimSpace(vkey)
}

// serveWithWitnesses runs serve over dsn with args (--witness ...) added.
func serveWithWitnesses(t *testing.T, dsn string, args ...string) (*Main, *syncBuffer) {
	t.Helper()
	m := NewMain()
	logs := &syncBuffer{}
	m.Stderr = logs
	if err := m.ParseFlags(append([]string{"--db", dsn, "--addr", "127.0.0.1:0"}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m, logs
}

// newWitness serves an honest test witness of the log with verifier key vkey.
func newWitness(t *testing.T, name, vkey string) (*witnesstest.Witness, *httptest.Server) {
	t.Helper()
	w, err := witnesstest.New(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddLog(vkey); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	t.Cleanup(srv.Close)
	return w, srv
}

func metric(t *testing.T, m *Main, name string) string {
	t.Helper()
	resp, err := http.Get(m.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func TestLogWitnesses(t *testing.T) {
	t.Run("serve --witness publishes cosigned checkpoints that verify --witness checks", func(t *testing.T) {
		dsn, vkey := filledWithKey(t)
		w, wsrv := newWitness(t, "witness.test/w", vkey)
		other, _ := newWitness(t, "witness.test/other", vkey) // one the log does not ask
		m, _ := serveWithWitnesses(t, dsn, "--witness", w.VerifierKey()+"="+wsrv.URL)

		verify := func(args ...string) (int, string, string) {
			return logCmd(runVerify, append([]string{"--log", m.URL() + "/log", "--key", vkey, "--cert", "00125Q10001R0M"}, args...)...)
		}
		verifyUntilOK(t, "OK log trustmark.example/log: 3 entries, 1 events of 00125Q10001R0M included, cosigned by witness.test/w",
			"--log", m.URL()+"/log", "--key", vkey, "--cert", "00125Q10001R0M", "--witness", w.VerifierKey())
		if got := w.State("trustmark.example/log").Size; got != 3 {
			t.Errorf("the witness holds size %d, want 3", got)
		}

		code, _, stderr := verify("--witness", other.VerifierKey())
		if code != 2 || !strings.HasPrefix(stderr, "FAIL witness: ") || !strings.Contains(stderr, "not by: witness.test/other") {
			t.Errorf("verify --witness (a witness that never cosigned) = %d %s", code, stderr)
		}
		code, stdout, stderr := verify("--witness", w.VerifierKey(), "--witness", other.VerifierKey(), "--witness-threshold", "1")
		if code != 0 {
			t.Errorf("verify with a threshold of 1 of 2 = %d\n%s%s", code, stdout, stderr)
		}
		code, _, stderr = verify("--witness", w.VerifierKey(), "--witness-threshold", "2")
		if code != 1 || !strings.Contains(stderr, "--witness-threshold 2, but 1 witnesses") {
			t.Errorf("verify with a threshold above the witnesses = %d %s", code, stderr)
		}
		code, _, stderr = verify("--witness", "not-a-key")
		if code != 1 || !strings.Contains(stderr, "not a cosignature verifier key") {
			t.Errorf("verify --witness not-a-key = %d %s", code, stderr)
		}
		code, stdout, stderr = verify("--witness", w.VerifierKey(), "--witness-max-age", "1m")
		if code != 0 {
			t.Errorf("verify --witness-max-age 1m of a fresh cosignature = %d\n%s%s", code, stdout, stderr)
		}
		code, _, stderr = verify("--witness-max-age", "1m")
		if code != 1 || !strings.Contains(stderr, "--witness-max-age wants") {
			t.Errorf("verify --witness-max-age without --witness = %d %s", code, stderr)
		}
		if got := metric(t, m, "trustmark_log_witness_failures_total"); got != "0" {
			t.Errorf("trustmark_log_witness_failures_total = %q, want 0", got)
		}
	})

	t.Run("serve --witness-policy asks the policy's witnesses and verify --witness-policy checks it", func(t *testing.T) {
		dsn, vkey := filledWithKey(t)
		a, asrv := newWitness(t, "witness.test/a", vkey)
		b, bsrv := newWitness(t, "witness.test/b", vkey)
		bsrv.Close() // b is down: "any of a, b" is met, "a and b" is not
		dir := t.TempDir()
		writePolicy := func(name string, lines ...string) string {
			t.Helper()
			file := filepath.Join(dir, name)
			text := "witness a " + a.VerifierKey() + " " + asrv.URL + "\nwitness b " + b.VerifierKey() + " " + bsrv.URL + "\n" + strings.Join(lines, "\n") + "\n"
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			return file
		}
		anyOf := writePolicy("any.policy", "group g any a b", "quorum g")
		both := writePolicy("both.policy", "group g all a b", "quorum g")
		m, logs := serveWithWitnesses(t, dsn, "--witness-policy", anyOf, "--witness-timeout", "1s")
		verify := func(args ...string) (int, string, string) {
			return logCmd(runVerify, append([]string{"--log", m.URL() + "/log", "--key", vkey}, args...)...)
		}
		verifyUntilOK(t, "OK log trustmark.example/log: 3 entries, cosigned by witness.test/a",
			"--log", m.URL()+"/log", "--key", vkey, "--witness-policy", anyOf, "--witness-max-age", "1m")
		if !strings.Contains(logs.String(), `msg="traceability log witness" name=witness.test/b url=`+bsrv.URL+"/add-checkpoint") {
			t.Errorf("serve did not log the policy's witnesses:\n%s", logs.String())
		}
		code, _, stderr := verify("--witness-policy", both)
		if code != 2 || !strings.Contains(stderr, "not enough for the witness policy") || !strings.Contains(stderr, "not by: witness.test/b") {
			t.Errorf("verify --witness-policy (a and b) = %d %s", code, stderr)
		}
		code, _, stderr = verify("--witness-policy", anyOf, "--witness", a.VerifierKey())
		if code != 1 || !strings.Contains(stderr, "without --witness") {
			t.Errorf("verify --witness-policy --witness = %d %s", code, stderr)
		}
		bad := writePolicy("bad.policy", "group g any a c", "quorum g")
		code, _, stderr = verify("--witness-policy", bad)
		if code != 1 || !strings.Contains(stderr, "bad.policy: witness policy: unknown component \"c\"") {
			t.Errorf("verify --witness-policy with an unknown member = %d %s", code, stderr)
		}
		if err := NewMain().ParseFlags([]string{"--db", dsn, "--witness-policy", anyOf, "--witness-threshold", "1"}); err == nil || !strings.Contains(err.Error(), "without --witness and --witness-threshold") {
			t.Errorf("serve --witness-policy --witness-threshold = %v", err)
		}
		if err := NewMain().ParseFlags([]string{"--db", dsn, "--witness-policy", bad}); err == nil || !strings.Contains(err.Error(), "unknown component") {
			t.Errorf("serve --witness-policy with an unknown member = %v", err)
		}
	})

	t.Run("a witness that is down does not stop publication", func(t *testing.T) {
		dsn, vkey := filledWithKey(t)
		w, wsrv := newWitness(t, "witness.test/w", vkey)
		wsrv.Close()
		m, logs := serveWithWitnesses(t, dsn, "--witness", w.VerifierKey()+"="+wsrv.URL, "--witness-timeout", "1s")
		deadline := time.Now().Add(5 * time.Second)
		for {
			code, stdout, stderr := logCmd(runVerify, "--log", m.URL()+"/log", "--key", vkey, "--cert", "00125Q10001R0M")
			if code == 0 && metric(t, m, "trustmark_log_witness_failures_total") != "0" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("trustmark verify = %d\n%s%s\nwitness failures: %s", code, stdout, stderr, metric(t, m, "trustmark_log_witness_failures_total"))
			}
			time.Sleep(100 * time.Millisecond)
		}
		code, _, stderr := logCmd(runVerify, "--log", m.URL()+"/log", "--key", vkey, "--witness", w.VerifierKey())
		if code != 2 || !strings.Contains(stderr, "FAIL witness") {
			t.Errorf("verify --witness with the witness down = %d %s", code, stderr)
		}
		if !strings.Contains(logs.String(), "the witness policy is not satisfied") {
			t.Errorf("no warning logged:\n%s", logs.String())
		}
	})
}

func TestServeDemoOnAFilledDatabasePrintsExamples(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "trustmark.db")
	fill(t, dsn)
	m := NewMain()
	out := &syncBuffer{}
	m.Stdout, m.Stderr = out, &syncBuffer{}
	if err := m.ParseFlags([]string{"--db", dsn, "--addr", "127.0.0.1:0", "--demo"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, want := range []string{"try:\n", "00125Q10001R0M"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve --demo over a filled database printed %q, want %q in it", out.String(), want)
		}
	}
}
