package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"trustmark"
	"trustmark/account"
	"trustmark/sqlstore"
)

// smallRegistry imports two organisations and a body into a new SQLite
// registry with the import command, and returns its path.
func smallRegistry(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "trustmark.db")
	cqc := string(trustmark.MakeUSCC("9111010500000033"))
	for _, step := range []struct{ kind, file string }{
		{"orgs", e2eCSV(t, dir, "orgs.csv", "uscc,name,region_code",
			string(trustmark.MakeUSCC("9133010600000011"))+",杭州西湖精密机械有限公司,330106", cqc+",中认检测认证集团有限公司,110105")},
		{"bodies", e2eCSV(t, dir, "bodies.csv", "approval_no,uscc,name,region_code,scopes", "CNCA-R-2002-001,"+cqc+",中认检测认证集团,110105,QMS")},
	} {
		var out, errb bytes.Buffer
		if code := runImport(context.Background(), []string{"--db", db, "--kind", step.kind, step.file}, &out, &errb); code != 0 {
			t.Fatalf("import %s = %d: %s", step.kind, code, errb.String())
		}
	}
	return db
}

func TestUserCreate(t *testing.T) {
	ctx := context.Background()
	db := smallRegistry(t)
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := runUser(ctx, append([]string{"create", "--db", db}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	link := regexp.MustCompile(`^(https://trustmark\.example\.cn|http://127\.0\.0\.1:8080)/signin/link/(tml_[A-Za-z0-9_-]{43})\n$`)

	t.Run("prints a one-time link on the base URL, whose account holds the role", func(t *testing.T) {
		code, out, errb := run("--email", "Admin@CQC.example.cn", "--role", "body", "--body", "cnca-r-2002-001", "--admin", "--base-url", "https://trustmark.example.cn/")
		m := link.FindStringSubmatch(out)
		if code != 0 || m == nil || m[1] != "https://trustmark.example.cn" {
			t.Fatalf("user create = %d, stdout %q, stderr %q; want the link on the base URL", code, out, errb)
		}
		store, err := sqlstore.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		a, err := store.AccountByEmail(ctx, "admin@cqc.example.cn")
		if err != nil || len(a.Roles) != 1 || a.Roles[0].String() != "body:CNCA-R-2002-001 (admin)" {
			t.Fatalf("account = %+v, %v; want body:CNCA-R-2002-001 (admin)", a, err)
		}
		hash, _ := account.ParseLinkToken(m[2])
		if l, err := store.Link(ctx, hash); err != nil || l.Account != a.ID || l.Purpose != account.FirstSignIn {
			t.Errorf("Link = %+v, %v; want the account's first sign-in link", l, err)
		}
	})
	t.Run("without --base-url the link is on the address serve listens on", func(t *testing.T) {
		code, out, errb := run("--email", "wang@example.cn", "--role", "regulator", "--region", "330000")
		if m := link.FindStringSubmatch(out); code != 0 || m == nil || m[1] != "http://127.0.0.1:8080" {
			t.Errorf("user create = %d, stdout %q, stderr %q", code, out, errb)
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"an e-mail address taken is refused", []string{"--email", "admin@cqc.example.cn", "--role", "org", "--org", string(trustmark.MakeUSCC("9133010600000011"))}, "exists already"},
		{"a unit the registry does not hold is refused", []string{"--email", "x@example.cn", "--role", "body", "--body", "CNCA-R-2099-999"}, "CNCA-R-2099-999"},
		{"a unit flag of another role is refused", []string{"--email", "y@example.cn", "--role", "body", "--region", "110000"}, "--region is not for --role body"},
		{"a role without its unit is refused", []string{"--email", "z@example.cn", "--role", "lab"}, "--role lab needs --lab"},
		{"an unknown role is refused", []string{"--email", "z@example.cn", "--role", "admin"}, "--role"},
		{"a malformed address is refused", []string{"--email", "not an address", "--role", "regulator", "--region", "000000"}, "--email"},
		{"an auditor cannot be an administrator", []string{"--email", "p@example.cn", "--role", "auditor", "--person", "2026-NQA-0001", "--admin"}, "administrator"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errb := run(tt.args...)
			if code != 1 || out != "" || !strings.Contains(errb, tt.want) {
				t.Errorf("user create %q = %d, stdout %q, stderr %q; want exit 1 saying %q", tt.args, code, out, errb, tt.want)
			}
		})
	}
}

func TestTokenListAndRevoke(t *testing.T) {
	ctx := context.Background()
	db := smallRegistry(t)
	tokenCmd := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := runToken(ctx, args, &out, &errb)
		return code, out.String(), errb.String()
	}
	code, token, errb := tokenCmd("create", "--db", db, "--body", "CNCA-R-2002-001", "--expires", "90d", "--label", "ERP")
	token = strings.TrimSpace(token)
	if code != 0 || !strings.HasPrefix(token, "tm_") {
		t.Fatalf("token create = %d %q %q", code, token, errb)
	}
	code, list, errb := tokenCmd("list", "--db", db)
	row := regexp.MustCompile(`(?m)^([0-9a-f]{16})\s+body:CNCA-R-2002-001\s+ERP\s`).FindStringSubmatch(list)
	if code != 0 || row == nil {
		t.Fatalf("token list = %d:\n%s%s", code, list, errb)
	}
	if code, out, errb := tokenCmd("revoke", "--db", db, row[1]); code != 0 || !strings.Contains(out, "revoked token "+row[1]) {
		t.Fatalf("token revoke = %d %q %q", code, out, errb)
	}
	if _, list, _ := tokenCmd("list", "--db", db); strings.Contains(list, row[1]) {
		t.Errorf("token list after revocation still lists it:\n%s", list)
	}
	if _, list, _ := tokenCmd("list", "--db", db, "--all"); !strings.Contains(list, row[1]) {
		t.Errorf("token list --all does not list the revoked token:\n%s", list)
	}
	if code, _, errb := tokenCmd("revoke", "--db", db, row[1]); code != 1 || !strings.Contains(errb, "revoked already") {
		t.Errorf("revoking again = %d %q, want exit 1", code, errb)
	}
	store, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.Authenticate(ctx, token); trustmark.ErrorCode(err) != trustmark.EUnauthorized {
		t.Errorf("Authenticate(revoked) = %v, want unauthorized", err)
	}
	if code, _, errb := tokenCmd("create", "--db", db, "--body", "CNCA-R-2002-001", "--expires", "yesterday"); code != 1 || !strings.Contains(errb, "--expires") {
		t.Errorf("token create --expires yesterday = %d %q, want exit 1", code, errb)
	}
}

func TestCookiesSecure(t *testing.T) {
	for _, tt := range []struct {
		base, addr string
		want       bool
	}{
		{"", "127.0.0.1:8080", false},
		{"", "localhost:8080", false},
		{"", "[::1]:8080", false},
		{"http://127.0.0.1:8080", "127.0.0.1:8080", false},
		{"", "0.0.0.0:8080", true},
		{"", ":8080", true},
		{"", "192.0.2.7:80", true},
		{"https://trustmark.example.cn", "127.0.0.1:8080", true},
		{"http://trustmark.example.cn", "127.0.0.1:8080", true},
	} {
		if got := cookiesSecure(tt.base, tt.addr); got != tt.want {
			t.Errorf("cookiesSecure(%q, %q) = %v, want %v", tt.base, tt.addr, got, tt.want)
		}
	}
}

// TestServeDemoPrintsAccounts runs serve --demo: it prints a one-time link
// for an account of each role, the links open their pages, and a second
// start prints fresh links that replace the unused ones.
func TestServeDemoPrintsAccounts(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "trustmark.db")
	start := func() (map[string]string, *Main) {
		t.Helper()
		m := NewMain()
		var out bytes.Buffer
		m.Stdout, m.Stderr = &out, io.Discard
		if err := m.ParseFlags([]string{"--db", db, "--addr", "127.0.0.1:0", "--demo", "--demo-scale", "tiny"}); err != nil {
			t.Fatal(err)
		}
		if err := m.Run(ctx); err != nil {
			t.Fatal(err)
		}
		links := map[string]string{}
		for _, m := range regexp.MustCompile(`(\S+@trustmark\.example)\s+(http://\S+/signin/link/tml_\S+)`).FindAllStringSubmatch(out.String(), -1) {
			links[m[1]] = m[2]
		}
		return links, m
	}
	// One server at a time: the search index takes a lock on its files.
	first, m := start()
	url := m.URL()
	for _, who := range []string{"national", "province", "county", "body", "lab", "auditor", "org"} {
		if first[who+"@trustmark.example"] == "" {
			t.Errorf("serve --demo printed no link for %s@trustmark.example (got %v)", who, first)
		}
	}
	l := first["body@trustmark.example"]
	if !strings.HasPrefix(l, url+"/signin/link/") {
		t.Fatalf("link %q is not on the server's address %s", l, url)
	}
	res, err := http.Get(l)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %v, %v", l, res, err)
	}
	res.Body.Close()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	second, m := start()
	defer m.Close()
	url2 := m.URL()
	if len(second) != len(first) {
		t.Errorf("second start printed %d links, want %d", len(second), len(first))
	}
	old := strings.Replace(first["body@trustmark.example"], url, url2, 1)
	if res, err := http.Get(old); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET the first start's link after the second = %v, %v; want 401 (replaced)", res, err)
	} else {
		res.Body.Close()
	}
}

func TestOIDCFlags(t *testing.T) {
	t.Setenv("TRUSTMARK_OIDC_CLIENT_SECRET", "s3cret")
	for _, args := range [][]string{
		{"--oidc-issuer", "https://idp.example.cn"},
		{"--oidc-issuer", "https://idp.example.cn", "--oidc-client-id", "trustmark"},
		{"--oidc-issuer", "ftp://idp.example.cn", "--oidc-client-id", "trustmark", "--base-url", "https://trustmark.example.cn"},
	} {
		if err := NewMain().ParseFlags(args); err == nil {
			t.Errorf("ParseFlags(%q) = nil, want an error", args)
		}
	}
	m := NewMain()
	if err := m.ParseFlags([]string{"--oidc-issuer", "https://idp.example.cn", "--oidc-client-id", "trustmark", "--base-url", "https://trustmark.example.cn"}); err != nil {
		t.Fatal(err)
	}
	if c := m.Config.OIDC; c.RedirectURL != "https://trustmark.example.cn/signin/oidc/callback" || c.ClientSecret != "s3cret" || c.Name == "" {
		t.Errorf("OIDC config = %+v, want the callback on the base URL and the secret of the environment", c)
	}
}
