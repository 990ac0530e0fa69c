package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	tmhttp "trustmark/http"
	"trustmark/logclient/witnesstest"
	"trustmark/stateaudit"
	"trustmark/storetest"
	"trustmark/translog"
)

// syncBuffer is a bytes.Buffer safe for the server's concurrent log writes.
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

// e2eClient talks to a running server as an outside client would.
type e2eClient struct {
	t    *testing.T
	base string
}

// do sends a request and returns the status and the decoded JSON answer.
func (c e2eClient) do(method, path, token string, body io.Reader) (int, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		c.t.Fatalf("%s %s = %d, answer is not JSON: %q", method, path, res.StatusCode, raw)
	}
	return res.StatusCode, v
}

// errorOf checks the contract's error shape and returns code and field.
func errorOf(t *testing.T, v map[string]any) (code, field string) {
	t.Helper()
	e, ok := v["error"].(map[string]any)
	if !ok || len(v) != 1 {
		t.Fatalf("answer %v is not {\"error\": {...}}", v)
	}
	code, ok1 := e["code"].(string)
	_, ok2 := e["message"].(string)
	field, ok3 := e["field"].(string)
	if !ok1 || !ok2 || !ok3 || len(e) != 3 {
		t.Fatalf("error %v lacks code, message or field", e)
	}
	return code, field
}

func e2eCSV(t *testing.T, dir, name string, rows ...string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeEndToEnd runs the serve command's Main on 127.0.0.1:0 over a
// database filled by the import command, and drives a certificate's life
// over HTTP with tokens made by the token command: on SQLite always, on
// PostgreSQL when TRUSTMARK_TEST_PG holds a DSN.
func TestServeEndToEnd(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		dir := t.TempDir()
		testServeEndToEnd(t, dir, filepath.Join(dir, "trustmark.db"))
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir) // the log's key file and the search index of a PostgreSQL registry are made in the working directory
		testServeEndToEnd(t, dir, e2ePGDSN(t))
	})
}

// e2ePGDSN returns a DSN for a fresh PostgreSQL schema, or skips the test.
func e2ePGDSN(t *testing.T) string {
	t.Helper()
	return storetest.PostgresDSN(t, "e2e")
}

func testServeEndToEnd(t *testing.T, dir, dsn string) {
	ctx := context.Background()
	const (
		bodyA = "CNCA-R-2002-001"
		bodyB = "CNCA-R-2003-002"
	)
	holder := string(trustmark.MakeUSCC("9133010600000011"))
	other := string(trustmark.MakeUSCC("9111010800000022"))

	// Import with the import command, as an operator would.
	for _, step := range []struct{ kind, file string }{
		{"orgs", e2eCSV(t, dir, "orgs.csv", "uscc,name,region_code",
			holder+",杭州西湖精密机械有限公司,330106",
			other+",北京海淀软件股份有限公司,110108",
			string(trustmark.MakeUSCC("9111010500000033"))+",中认检测认证集团有限公司,110105",
			string(trustmark.MakeUSCC("9131011500000044"))+",上海质量认证中心有限公司,310115")},
		{"bodies", e2eCSV(t, dir, "bodies.csv", "approval_no,uscc,name,region_code,scopes",
			bodyA+","+string(trustmark.MakeUSCC("9111010500000033"))+",中认检测认证集团,110105,QMS;EMS",
			bodyB+","+string(trustmark.MakeUSCC("9131011500000044"))+",上海质量认证中心,310115,QMS")},
		{"certificates", e2eCSV(t, dir, "certs.csv", "number,type,body_approval_no,holder_uscc,scope,issued_on,expires_on",
			"00125Q10001R0M,QMS,"+bodyA+","+holder+",精密机械零部件的设计和生产,2025-01-10,2028-01-09",
			"00123Q10003R0M,QMS,"+bodyA+","+holder+",机械加工,2023-01-02,2026-01-01")},
	} {
		var out, errb bytes.Buffer
		if code := runImport(ctx, []string{"--db", dsn, "--kind", step.kind, step.file}, &out, &errb); code != 0 {
			t.Fatalf("trustmark import --kind %s = %d\n%s%s", step.kind, code, out.String(), errb.String())
		}
	}
	token := func(body string) string {
		var out, errb bytes.Buffer
		if code := runToken(ctx, []string{"create", "--db", dsn, "--body", body}, &out, &errb); code != 0 {
			t.Fatalf("trustmark token create --body %s = %d %s", body, code, errb.String())
		}
		return strings.TrimSpace(out.String())
	}
	tokenA, tokenB := token(bodyA), token(bodyB)
	if tokenA == "" || tokenA == tokenB {
		t.Fatalf("tokens %q, %q: want two different tokens", tokenA, tokenB)
	}

	m := NewMain()
	logs := &syncBuffer{}
	m.Stderr = logs
	if err := m.ParseFlags([]string{"--db", dsn, "--addr", "127.0.0.1:0", "--max-body", "65536"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	}()
	if !strings.HasPrefix(m.URL(), "http://127.0.0.1:") || strings.HasSuffix(m.URL(), ":0") {
		t.Fatalf("URL() = %q, want http://127.0.0.1:PORT", m.URL())
	}
	c := e2eClient{t: t, base: m.URL()}
	cert := "/api/v1/certificates/00125Q10001R0M"

	t.Run("an imported certificate is served", func(t *testing.T) {
		code, v := c.do("GET", cert, "", nil)
		if code != 200 || v["status"] != "valid" || v["holder"].(map[string]any)["name"] != "杭州西湖精密机械有限公司" {
			t.Errorf("GET %s = %d %v", cert, code, v)
		}
	})
	t.Run("a body issues, suspends, restores and revokes a certificate", func(t *testing.T) {
		code, v := c.do("POST", "/api/v1/certificates", tokenA, strings.NewReader(
			`{"number":"00126Q10002R0M","type":"QMS","holder_uscc":"`+other+`","scope":"软件开发","expires_on":"`+trustmark.DateOf(time.Now()).AddDate(3, 0, -1).String()+`"}`))
		if code != 201 || v["status"] != "valid" {
			t.Fatalf("issue = %d %v, want 201 valid", code, v)
		}
		path := "/api/v1/certificates/00126Q10002R0M/transitions"
		for _, step := range []struct{ body, want string }{
			{`{"to":"suspended","reason":"监督审核发现严重不符合"}`, "suspended"},
			{`{"to":"valid"}`, "valid"},
			{`{"to":"revoked","reason":"拒绝监督审核"}`, "revoked"},
		} {
			code, v := c.do("POST", path, tokenA, strings.NewReader(step.body))
			if code != 200 || v["status"] != step.want {
				t.Fatalf("POST %s %s = %d %v, want 200 %s", path, step.body, code, v, step.want)
			}
		}
		code, v = c.do("GET", "/api/v1/certificates/00126Q10002R0M/history", "", nil)
		items, _ := v["items"].([]any)
		if code != 200 || len(items) != 4 {
			t.Errorf("history = %d with %d items, want 200 with 4 (issued, suspended, valid, revoked): %v", code, len(items), v)
		}
	})

	huge := `{"to":"suspended","reason":"` + strings.Repeat("大", 40000) + `"}`
	errorCases := []struct {
		name, method, path, token, body string
		status                          int
		code, field                     string
	}{
		{"another body's token is forbidden", "POST", cert + "/transitions", tokenB, `{"to":"suspended","reason":"x"}`, 403, "forbidden", ""},
		{"malformed JSON is invalid", "POST", cert + "/transitions", tokenA, `{"to":`, 400, "invalid", ""},
		{"an unknown field is invalid and named", "POST", cert + "/transitions", tokenA, `{"to":"suspended","why":"x"}`, 400, "invalid", "why"},
		{"a wrong type is invalid and named", "POST", cert + "/transitions", tokenA, `{"to":"suspended","reason":7}`, 400, "invalid", "reason"},
		{"a missing token is unauthorized", "POST", cert + "/transitions", "", `{"to":"suspended","reason":"x"}`, 401, "unauthorized", ""},
		{"a bad token is unauthorized", "POST", cert + "/transitions", "tm_forged", `{"to":"suspended","reason":"x"}`, 401, "unauthorized", ""},
		{"an unknown certificate is not found", "GET", "/api/v1/certificates/NOSUCH1", "", "", 404, "not_found", "number"},
		{"a forbidden transition is a conflict", "POST", "/api/v1/certificates/00126Q10002R0M/transitions", tokenA, `{"to":"valid"}`, 409, "conflict", "to"},
		{"a huge body is too large", "POST", cert + "/transitions", tokenA, huge, 413, "too_large", ""},
	}
	for _, tt := range errorCases {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			code, v := c.do(tt.method, tt.path, tt.token, body)
			if code != tt.status {
				t.Fatalf("%s %s = %d %v, want %d", tt.method, tt.path, code, v, tt.status)
			}
			if gotCode, gotField := errorOf(t, v); gotCode != tt.code || gotField != tt.field {
				t.Errorf("error = %s on %q, want %s on %q", gotCode, gotField, tt.code, tt.field)
			}
		})
	}

	t.Run("the certificate is untouched by the refused requests", func(t *testing.T) {
		if _, v := c.do("GET", cert, "", nil); v["status"] != "valid" {
			t.Errorf("status = %v, want valid", v["status"])
		}
	})
	t.Run("the expiry job records the expiry of a certificate past its date", func(t *testing.T) {
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, v := c.do("GET", "/api/v1/certificates/00123Q10003R0M/history", "", nil)
			items, _ := v["items"].([]any)
			if n := len(items); n > 0 && items[n-1].(map[string]any)["action"] == "expired" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no expired event 10s after start: %v", v)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if _, v := c.do("GET", "/api/v1/certificates/00123Q10003R0M", "", nil); v["status"] != "expired" || v["status_since"] != "2026-01-02" {
			// Valid through its expiry date 2026-01-01, expired from the day after.
			t.Errorf("status = %v since %v, want expired since 2026-01-02", v["status"], v["status_since"])
		}
	})
	t.Run("health and metrics are served", func(t *testing.T) {
		if code, v := c.do("GET", "/healthz", "", nil); code != 200 || v["status"] != "ok" {
			t.Errorf("GET /healthz = %d %v", code, v)
		}
		res, err := http.Get(m.URL() + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(raw), `trustmark_http_requests_total{code="403",method="POST",route="POST /api/v1/certificates/{number}/transitions"} 1`) {
			t.Errorf("metrics lack the forbidden transition:\n%s", raw)
		}
	})
	t.Run("every API route is in the OpenAPI document and vice versa", func(t *testing.T) {
		served, documented := tmhttp.APIOperations(m.HTTPServer.Patterns()), tmhttp.OpenAPIOperations()
		sort.Strings(served)
		sort.Strings(documented)
		if diff := cmp.Diff(documented, served); diff != "" {
			t.Errorf("OpenAPI operations (-documented +served):\n%s", diff)
		}
	})
	t.Run("requests are logged with their route", func(t *testing.T) {
		if !strings.Contains(logs.String(), `route="GET /api/v1/certificates/{number}"`) {
			t.Errorf("log lacks request lines:\n%s", logs.String())
		}
		// A page is logged by its own pattern, not the "/" pages are mounted on.
		res, err := http.Get(m.URL() + "/search?q=%E6%B5%B7%E5%B0%94")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		// The request line is written once the answer is sent.
		const line = `path=/search route="GET /search"`
		for i := 0; i < 200 && !strings.Contains(logs.String(), line); i++ {
			time.Sleep(10 * time.Millisecond)
		}
		if !strings.Contains(logs.String(), line) {
			t.Errorf("the page's request line lacks its route:\n%s", logs.String())
		}
	})
}

func TestServeFlags(t *testing.T) {
	t.Setenv("TRUSTMARK_DB", "/var/lib/trustmark/registry.db")
	bad := [][]string{
		{"--anon-rate", "-1"},
		{"--log-format", "xml"},
		{"--demo-scale", "huge"},
		{"extra"},
		{"--base-url", "trustmark.example.cn"},
		{"--base-url", "https://trustmark.example.cn/portal"},
		{"--trusted-proxy", "not-an-address"},
		{"--witness", "https://witness.example/"},
		{"--witness-threshold", "1"},
		{"--witness-timeout", "0s"},
		{"--max-in-flight", "-1"},
		{"--max-wait", "0s"},
		{"--max-queued", "-1"},
	}
	for _, args := range bad {
		m := NewMain()
		if err := m.ParseFlags(args); err == nil {
			t.Errorf("ParseFlags(%q) = nil, want an error", args)
		}
	}
	m := NewMain()
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	want := ServeConfig{DSN: "/var/lib/trustmark/registry.db", Addr: "127.0.0.1:8080", DemoScale: "small", AnonRate: 20, AnonBurst: 100,
		ExpiryInterval: time.Hour, MaxBodyBytes: tmhttp.DefaultMaxBodyBytes, LogFormat: "text", WitnessTimeout: translog.DefaultWitnessTimeout, WitnessRefresh: translog.DefaultWitnessRefresh,
		StateCheckRate: stateaudit.DefaultRate, MaxInFlight: DefaultMaxInFlight(), MaxWait: tmhttp.DefaultMaxWait}
	if diff := cmp.Diff(want, m.Config); diff != "" {
		t.Errorf("default config (-want +got):\n%s", diff)
	}

	m = NewMain()
	if err := m.ParseFlags([]string{"--base-url", "https://trustmark.example.cn/", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "192.0.2.7"}); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Config.BaseURL, "https://trustmark.example.cn"; got != want {
		t.Errorf("BaseURL = %q, want %q", got, want)
	}
	var proxies []string
	for _, p := range m.Config.TrustedProxies {
		proxies = append(proxies, p.String())
	}
	if got, want := strings.Join(proxies, " "), "10.0.0.0/8 192.0.2.7/32"; got != want {
		t.Errorf("TrustedProxies = %s, want %s", got, want)
	}

	w, err := witnesstest.New("witness.test/w")
	if err != nil {
		t.Fatal(err)
	}
	m = NewMain()
	if err := m.ParseFlags([]string{"--witness", w.VerifierKey() + "=https://witness.example/w", "--witness", w.VerifierKey() + "=https://witness.example/v", "--witness-threshold", "1"}); err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, w := range m.Config.Witnesses {
		urls = append(urls, w.Key.Name()+" "+w.URL)
	}
	if got, want := strings.Join(urls, ", "), "witness.test/w https://witness.example/w/add-checkpoint, witness.test/w https://witness.example/v/add-checkpoint"; got != want || m.Config.WitnessThreshold != 1 {
		t.Errorf("Witnesses = %s, threshold %d; want %s, threshold 1", got, m.Config.WitnessThreshold, want)
	}
	if err := NewMain().ParseFlags([]string{"--witness", w.VerifierKey() + "=https://witness.example/w", "--witness-threshold", "2"}); err == nil {
		t.Errorf("ParseFlags with a threshold of 2 and one witness = nil, want an error")
	}

	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"--webhook-allow-private"}, true},
		{[]string{"--webhook-allow-private=false"}, false},
	} {
		m := NewMain()
		if err := m.ParseFlags(tc.args); err != nil {
			t.Fatalf("ParseFlags(%q): %v", tc.args, err)
		}
		if got := m.Config.WebhookAllowPrivate; got != tc.want {
			t.Errorf("ParseFlags(%q): WebhookAllowPrivate = %t, want %t", tc.args, got, tc.want)
		}
	}
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{nil, 1},
		{[]string{"nonsense"}, 1},
		{[]string{"help"}, 0},
		{[]string{"token"}, 1},
		{[]string{"token", "create"}, 1},
		{[]string{"token", "create", "--body", "CNCA-1"}, 1},
		{[]string{"serve", "--log-format", "xml"}, 1},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		if got := run(context.Background(), tt.args, &out, &errb); got != tt.code {
			t.Errorf("trustmark %q = %d, want %d (%s)", tt.args, got, tt.code, errb.String())
		}
	}
}

// TestServeRateLimit checks that anonymous callers are limited per address
// with the contract's error shape, and that health checks are not.
func TestServeRateLimit(t *testing.T) {
	m := NewMain()
	m.Stderr = &syncBuffer{}
	if err := m.ParseFlags([]string{"--db", filepath.Join(t.TempDir(), "t.db"), "--addr", "127.0.0.1:0", "--anon-rate", "0.01", "--anon-burst", "2"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	c := e2eClient{t: t, base: m.URL()}
	for i := 0; i < 2; i++ {
		if code, v := c.do("GET", "/api/v1/certificates/NOSUCH", "", nil); code != 404 {
			t.Fatalf("request %d = %d %v, want 404 within the burst", i+1, code, v)
		}
	}
	code, v := c.do("GET", "/api/v1/certificates/NOSUCH", "", nil)
	if code != 429 {
		t.Fatalf("request over the burst = %d %v, want 429", code, v)
	}
	if got, _ := errorOf(t, v); got != "rate_limited" {
		t.Errorf("code = %q, want rate_limited", got)
	}
	for i := 0; i < 5; i++ {
		if code, _ := c.do("GET", "/healthz", "", nil); code != 200 {
			t.Errorf("GET /healthz over the limit = %d, want 200 (health checks are not limited)", code)
		}
	}
}

// TestServeCommand runs the serve command itself: it prints the URL it
// listens on, serves, and exits 0 when its context ends (SIGINT/SIGTERM).
func TestServeCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	errb := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- runServe(ctx, []string{"--db", filepath.Join(t.TempDir(), "t.db"), "--addr", "127.0.0.1:0"}, pw, errb)
		pw.Close()
	}()
	line := make([]byte, 0, 128)
	buf := make([]byte, 1)
	for len(line) == 0 || line[len(line)-1] != '\n' {
		if _, err := pr.Read(buf); err != nil {
			t.Fatalf("serve printed no line: %v\n%s", err, errb.String())
		}
		line = append(line, buf[0])
	}
	go io.Copy(io.Discard, pr)
	fields := strings.Fields(string(line))
	url := strings.TrimSuffix(fields[len(fields)-1], "/")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("serve printed %q, want the URL it listens on", line)
	}
	res, err := http.Get(url + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET %s/healthz = %v, %v", url, res, err)
	}
	res.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown, want 0\n%s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15s of its context ending")
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}
