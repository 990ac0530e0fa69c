package http_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"trustmark"
	"trustmark/account"
	tmhttp "trustmark/http"
	"trustmark/internal/testfix"
)

// TestIssueChoosesTheIssuer: through the API, a request that names no body
// issues in the name of the body's token, or of an account's only body;
// an account of two bodies is told to name one (the rule is
// trustmark.IssueRequest.IssuerFor, which the workbench's form asks too).
func TestIssueChoosesTheIssuer(t *testing.T) {
	a := newAccounts(t, true)
	srv := tmhttp.NewServer(tmhttp.Config{Store: a.store, Auth: a.auth, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock})
	token := func(roles ...account.Role) string {
		acct, _ := testfix.Invite(t, a.store, a.rnd, fmt.Sprintf("staff%d@example.cn", len(roles)), "测试用户", now, roles...)
		tok, _, err := a.store.IssueToken(context.Background(), account.APIToken{Owner: trustmark.Party{Kind: account.PartyKind, ID: acct.ID}})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	one := token(mustRole(t, account.Body, bodyA, false))
	two := token(mustRole(t, account.Body, bodyA, false), mustRole(t, account.Body, bodyB, true))
	issue := func(number, body string) string {
		named := ""
		if body != "" {
			named = fmt.Sprintf(`"body_approval_no":%q,`, body)
		}
		return fmt.Sprintf(`{%s"number":%q,"type":"QMS","holder_uscc":%q,"scope":"软件开发","issued_on":"2026-03-14","expires_on":"2029-03-13"}`, named, number, holderB)
	}
	for _, tt := range []struct {
		name, token, number, body string
		status                    int
		issuer, field             string
	}{
		{"a body's token issues in its own name", a.tokenA, "00126Q30901R0M", "", 201, bodyA, ""},
		{"an account of one body issues in its name", one, "00126Q30902R0M", "", 201, bodyA, ""},
		{"an account of two bodies naming none is told to name one", two, "00126Q30903R0M", "", 400, "", "body_approval_no"},
		{"an account of two bodies issues in the name it gives", two, "00126Q30904R0M", bodyB, 201, bodyB, ""},
		{"an account of one body may not name another", one, "00126Q30905R0M", bodyB, 403, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/v1/certificates", strings.NewReader(issue(tt.number, tt.body)))
			r.Header.Set("Authorization", "Bearer "+tt.token)
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("POST /api/v1/certificates = %d %s, want %d", w.Code, w.Body, tt.status)
			}
			if tt.field != "" {
				if got := decodeErrorBody(t, w.Body.String()); got.Field != tt.field || got.Code != "invalid" {
					t.Errorf("refusal = %+v, want invalid on %s", got, tt.field)
				}
			}
			c, err := a.store.Certificate(context.Background(), tt.number)
			switch {
			case tt.issuer == "" && trustmark.ErrorCode(err) != trustmark.ENotFound:
				t.Errorf("a refused certificate was stored: %+v, %v", c, err)
			case tt.issuer != "" && (err != nil || c.BodyApprovalNo != tt.issuer):
				t.Errorf("certificate %s = %+v, %v; want issued by %s", tt.number, c, err, tt.issuer)
			}
		})
	}
}
