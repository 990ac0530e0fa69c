package account

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"trustmark"
)

// t0 is a fixed instant: 2026-03-02 09:00 in China.
var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// seeded returns a deterministic random source for salts, secrets and tokens.
func seeded(seed byte) *rand.ChaCha8 { return rand.NewChaCha8([32]byte{seed}) }

func reason(err error) string { return reasonOf(err) }

func TestParseRole(t *testing.T) {
	tests := []struct {
		name    string
		kind    Kind
		id      string
		admin   bool
		want    Unit
		wantErr string // reason key, "" for success
	}{
		{"a national regulator has scope 000000", Regulator, "000000", true, Unit{Regulator, "000000"}, ""},
		{"a province is written in six digits", Regulator, "33", false, Unit{Regulator, "330000"}, ""},
		{"a county keeps its code", Regulator, " 330106 ", false, Unit{Regulator, "330106"}, ""},
		{"a body's approval number is upper-cased", Body, "cnca-r-2002-001", true, Unit{Body, "CNCA-R-2002-001"}, ""},
		{"a laboratory's CMA number loses its blanks", Lab, "1900 1234 0001", false, Unit{Lab, "190012340001"}, ""},
		{"an auditor is a registration number", Auditor, "2024-N1QMS-1234567", false, Unit{Auditor, "2024-N1QMS-1234567"}, ""},
		{"an organisation is its USCC", Org, "91330106730000002u", true, Unit{Org, "91330106730000002U"}, ""},
		{"a region outside GB/T 2260 is refused", Regulator, "999999", false, Unit{}, ""},
		{"an approval number of the wrong shape is refused", Body, "CNCA-2002-001", false, Unit{}, "approval_no.format"},
		{"a registration number with a blank is refused", Auditor, "2024 N1QMS", false, Unit{}, "registration_no.format"},
		{"an auditor has no administrator", Auditor, "2024-N1QMS-1234567", true, Unit{}, "role.admin_auditor"},
		{"an unknown kind is refused", Kind("admin"), "x", false, Unit{}, "role.kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRole(tt.kind, tt.id, tt.admin)
			if tt.want == (Unit{}) {
				if trustmark.ErrorCode(err) != trustmark.EInvalid || tt.wantErr != "" && reason(err) != tt.wantErr {
					t.Fatalf("ParseRole(%s, %q) = %v, %v; want invalid %s", tt.kind, tt.id, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got.Unit != tt.want || got.Admin != tt.admin {
				t.Errorf("ParseRole(%s, %q, %v) = %v, %v; want %v", tt.kind, tt.id, tt.admin, got, err, tt.want)
			}
		})
	}
}

func TestParseKindTakesTheContractNames(t *testing.T) {
	for _, s := range []string{"regulator", "body", "lab", "auditor", "org", " Body "} {
		if _, err := ParseKind(s); err != nil {
			t.Errorf("ParseKind(%q) = %v, want a kind", s, err)
		}
	}
}

func TestParseEmail(t *testing.T) {
	good := []struct{ in, want string }{
		{"wang.li@samr.gov.cn", "wang.li@samr.gov.cn"},
		{"  Wang.Li@SAMR.gov.cn ", "wang.li@samr.gov.cn"},
		{"zj-admin+cert@zjamr.zj.gov.cn", "zj-admin+cert@zjamr.zj.gov.cn"},
	}
	for _, tt := range good {
		if got, err := ParseEmail(tt.in); err != nil || string(got) != tt.want {
			t.Errorf("ParseEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	bad := []struct{ in, reason string }{
		{"", "email.empty"},
		{"wang.li", "email.format"},
		{"Wang Li <wang.li@samr.gov.cn>", "email.format"},
		{"wang@localhost", "email.format"},
		{strings.Repeat("a", 250) + "@x.cn", "email.length"},
	}
	for _, tt := range bad {
		if got, err := ParseEmail(tt.in); reason(err) != tt.reason {
			t.Errorf("ParseEmail(%q) = %q, %v; want refusal %s", tt.in, got, err, tt.reason)
		}
	}
}

func mustRole(t testing.TB, k Kind, id string, admin bool) Role {
	t.Helper()
	r, err := ParseRole(k, id, admin)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestNewAccount(t *testing.T) {
	zj := mustRole(t, Regulator, "330000", true)
	body := mustRole(t, Body, "CNCA-R-2002-001", false)
	t.Run("a person may hold several roles", func(t *testing.T) {
		a, ev, err := New("a1", "wang.li@samr.gov.cn", "王立", []Role{zj, body}, "cli", t0)
		if err != nil {
			t.Fatal(err)
		}
		if !a.HasRole(zj.Unit) || !a.HasRole(body.Unit) || !a.RequiresSecondFactor() {
			t.Errorf("New = %+v, want both roles and a required second factor", a)
		}
		if ev.Kind != EventCreated || !ev.Kind.Public() || strings.Contains(ev.Detail, "wang") || strings.Contains(ev.Detail, "王") {
			t.Errorf("created event = %+v, want a public event without personal data", ev)
		}
	})
	t.Run("an account without a role is refused", func(t *testing.T) {
		if _, _, err := New("a1", "x@y.cn", "X", nil, "cli", t0); reason(err) != "account.no_role" {
			t.Errorf("New(no roles) = %v, want account.no_role", err)
		}
	})
	t.Run("the same unit twice is refused", func(t *testing.T) {
		if _, _, err := New("a1", "x@y.cn", "X", []Role{body, body}, "cli", t0); reason(err) != "role.duplicate" {
			t.Errorf("New(duplicate) = %v, want role.duplicate", err)
		}
	})
	t.Run("a body's staff need no second factor", func(t *testing.T) {
		a, _, _ := New("a2", "x@y.cn", "X", []Role{body}, "cli", t0)
		if a.RequiresSecondFactor() {
			t.Error("RequiresSecondFactor() = true for body staff, want false")
		}
	})
}

func TestGrantAndRevoke(t *testing.T) {
	body := mustRole(t, Body, "CNCA-R-2002-001", false)
	a, _, _ := New("a1", "x@y.cn", "X", []Role{body}, "cli", t0)
	admin := body
	admin.Admin = true
	b, ev, err := a.Grant(admin, "a9", t0)
	if err != nil || len(b.Roles) != 1 || !b.Roles[0].Admin || ev.Kind != EventRoleGranted || ev.Actor != "a9" {
		t.Fatalf("Grant(admin) = %+v, %+v, %v; want the role made admin", b, ev, err)
	}
	if a.Roles[0].Admin {
		t.Error("Grant changed the account it was called on")
	}
	if _, _, err := b.Grant(admin, "a9", t0); trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Errorf("Grant(held role) = %v, want conflict", err)
	}
	c, ev, err := b.Revoke(body.Unit, "a9", t0)
	if err != nil || len(c.Roles) != 0 || ev.Kind != EventRoleRevoked {
		t.Errorf("Revoke = %+v, %v; want no roles", c, err)
	}
	if _, _, err := c.Revoke(body.Unit, "a9", t0); !trustmark.IsNotFound(err) {
		t.Errorf("Revoke(role not held) = %v, want not_found", err)
	}
}
