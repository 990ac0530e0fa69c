package sqlstore_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"trustmark"
	"trustmark/account"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

func TestAccountsSQLite(t *testing.T) {
	storetest.RunAccounts(t, func(t *testing.T) trustmark.Store { return openSQLite(t) })
}

func TestAccountsPostgres(t *testing.T) {
	pgDSN(t) // skip early
	storetest.RunAccounts(t, func(t *testing.T) trustmark.Store { return openPG(t) })
}

// TestSecretKeySealsTOTPSecrets checks that a TOTP secret is stored sealed
// under the key, opens only with it, and that a secret stored before the
// key was configured still reads.
func TestSecretKeySealsTOTPSecrets(t *testing.T) {
	ctx := context.Background()
	key, err := sqlstore.ParseSecretKey(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := sqlstore.ParseSecretKey(strings.Repeat("cd", 32))
	path := filepath.Join(t.TempDir(), "trustmark.db")
	open := func(opts ...sqlstore.Option) *sqlstore.DB {
		t.Helper()
		db, err := sqlstore.Open(ctx, path, append([]sqlstore.Option{sqlstore.WithClock(storetest.Clock)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	r, _ := account.ParseRole(account.Regulator, "110000", false)
	a, _, err := account.New("acc_sealed", "sealed@example.cn", "李雷", []account.Role{r}, "cli", storetest.Now)
	if err != nil {
		t.Fatal(err)
	}
	plainA := a
	plainA.ID, plainA.Email = "acc_plain", "plain@example.cn"
	write := func(db *sqlstore.DB, a account.Account) {
		t.Helper()
		c := account.Credentials{TOTP: account.TOTP{Secret: secret}}
		if err := db.Apply(ctx, account.Change{NewAccount: &a}); err != nil {
			t.Fatal(err)
		}
		if err := db.Apply(ctx, account.Change{CredentialsOf: a.ID, Credentials: &c}); err != nil {
			t.Fatal(err)
		}
	}

	db := open()
	write(db, plainA)
	db.Close()
	db = open(sqlstore.WithSecretKey(key))
	write(db, a)
	db.Close()

	raw, err := sqlstore.OpenRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := raw.QueryRow(`SELECT totp_secret FROM account_credentials WHERE account_id = 'acc_sealed'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, secret) {
		t.Errorf("stored secret = %q, want it sealed (v1:...)", stored)
	}

	for _, tt := range []struct {
		name string
		opts []sqlstore.Option
		id   string
		ok   bool
	}{
		{"the sealed secret opens with the key", []sqlstore.Option{sqlstore.WithSecretKey(key)}, "acc_sealed", true},
		{"a secret stored before the key still reads", []sqlstore.Option{sqlstore.WithSecretKey(key)}, "acc_plain", true},
		{"the sealed secret does not open with another key", []sqlstore.Option{sqlstore.WithSecretKey(other)}, "acc_sealed", false},
		{"the sealed secret does not open without a key", nil, "acc_sealed", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := open(tt.opts...)
			defer db.Close()
			c, _, err := db.Credentials(ctx, tt.id)
			if tt.ok && (err != nil || c.TOTP.Secret != secret) {
				t.Errorf("Credentials(%s) = %q, %v; want the secret", tt.id, c.TOTP.Secret, err)
			}
			if !tt.ok && trustmark.ErrorCode(err) != trustmark.EInternal {
				t.Errorf("Credentials(%s) = %q, %v; want an internal error", tt.id, c.TOTP.Secret, err)
			}
		})
	}
}

func TestParseSecretKey(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{strings.Repeat("0f", 32), true},
		{"q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M=", true},
		{strings.Repeat("0f", 31), false},
		{"not a key", false},
		{"", false},
	} {
		if _, err := sqlstore.ParseSecretKey(tt.in); (err == nil) != tt.ok {
			t.Errorf("ParseSecretKey(%q) = %v, want ok %v", tt.in, err, tt.ok)
		}
	}
}
