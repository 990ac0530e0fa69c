package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skip2/go-qrcode"

	"trustmark"
)

// TestServeLinksIgnoreTheHostHeader serves a registry without --base-url
// and asks for a certificate page with Host: evil.example, as a client
// poisoning a proxy's cache would: the page's printed address and the QR
// code it draws are on the address the server listens on (or on a --host
// the request is for), and evil.example appears nowhere.
func TestServeLinksIgnoreTheHostHeader(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "trustmark.db")
	body, holder := "CNCA-R-2002-001", string(trustmark.MakeUSCC("9133010600000011"))
	for _, step := range []struct{ kind, file string }{
		{"orgs", e2eCSV(t, dir, "orgs.csv", "uscc,name,region_code", holder+",杭州西湖精密机械有限公司,330106",
			string(trustmark.MakeUSCC("9111010500000033"))+",中认检测认证集团有限公司,110105")},
		{"bodies", e2eCSV(t, dir, "bodies.csv", "approval_no,uscc,name,region_code,scopes",
			body+","+string(trustmark.MakeUSCC("9111010500000033"))+",中认检测认证集团,110105,QMS")},
		{"certificates", e2eCSV(t, dir, "certs.csv", "number,type,body_approval_no,holder_uscc,scope,issued_on,expires_on",
			"00125Q10001R0M,QMS,"+body+","+holder+",精密机械零部件的设计和生产,2025-01-10,2028-01-09")},
	} {
		var out, errb bytes.Buffer
		if code := runImport(ctx, []string{"--db", dsn, "--kind", step.kind, step.file}, &out, &errb); code != 0 {
			t.Fatalf("trustmark import --kind %s = %d\n%s", step.kind, code, errb.String())
		}
	}
	const page = "/certificates/00125Q10001R0M"
	for _, tc := range []struct {
		name  string
		flags []string
		host  string // the request's Host ("" is the server's own address)
		want  string // the base the page must link to ("" is m.URL())
	}{
		{"without --base-url an unknown host gets the address listened on", nil, "evil.example", ""},
		{"with --host an unknown host gets the first host", []string{"--host", "registry.example.cn", "--host", "10.0.0.5:8080"}, "evil.example", "http://registry.example.cn"},
		{"with --host a configured host gets links to itself", []string{"--host", "registry.example.cn", "--host", "10.0.0.5:8080"}, "10.0.0.5:8080", "http://10.0.0.5:8080"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMain()
			m.Stderr = &syncBuffer{}
			if err := m.ParseFlags(append([]string{"--db", dsn, "--addr", "127.0.0.1:0"}, tc.flags...)); err != nil {
				t.Fatal(err)
			}
			if err := m.Run(ctx); err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			req, _ := http.NewRequest("GET", m.URL()+page, nil)
			req.Host = tc.host
			req.Header.Set("X-Forwarded-Host", "evil.example")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			got := html.UnescapeString(string(b))
			if res.StatusCode != 200 {
				t.Fatalf("GET %s = %d", page, res.StatusCode)
			}
			if strings.Contains(got, "evil.example") {
				t.Errorf("the page names evil.example")
			}
			want := tc.want
			if want == "" {
				want = m.URL()
			}
			want += page
			qr, err := qrcode.New(want, qrcode.Medium)
			if err != nil {
				t.Fatal(err)
			}
			png, _ := qr.PNG(-1)
			if !strings.Contains(got, ">"+want+"<") || !strings.Contains(got, base64.StdEncoding.EncodeToString(png)) {
				t.Errorf("the page's printed address and QR code are not those of %s", want)
			}
		})
	}
}

// TestServeHostFlag accepts host names and HOST:PORT, and refuses URLs and
// paths.
func TestServeHostFlag(t *testing.T) {
	for _, tc := range []struct {
		value string
		ok    bool
	}{
		{"registry.example.cn", true},
		{"Registry.Example.cn:8443", true},
		{"10.0.0.5:8080", true},
		{"https://registry.example.cn", false},
		{"registry.example.cn/portal", false},
		{"user@registry.example.cn", false},
		{"", false},
	} {
		m := NewMain()
		err := m.ParseFlags([]string{"--host", tc.value})
		if (err == nil) != tc.ok {
			t.Errorf("ParseFlags(--host %q) = %v, want ok %t", tc.value, err, tc.ok)
		}
	}
}
