package testfix

import (
	"context"
	"io"
	"testing"
	"time"

	"trustmark/account"
)

// CheapRules are account.Default with a hash cheap enough to run hundreds
// of times (argon2id, 64 KiB, one pass).
var CheapRules = account.Rules{
	Hash:      account.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
	Passwords: account.DefaultPasswordPolicy,
	Throttle:  account.DefaultThrottle,
	Sessions:  account.DefaultSessions,
}

// Password is the password of the tests' accounts.
const Password = "青岛啤酒-stout-2026"

// Invite creates an account of roles as `trustmark user create` does and
// returns it with its one-time sign-in token.
func Invite(t testing.TB, st account.Store, rnd io.Reader, email, name string, now time.Time, roles ...account.Role) (account.Account, string) {
	t.Helper()
	ch, token, err := account.Invite(rnd, account.Email(email), name, roles, account.FirstSignIn, "cli", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Apply(context.Background(), ch); err != nil {
		t.Fatalf("account %s (%v): %v", email, roles, err)
	}
	return *ch.NewAccount, token
}

// Person creates an account of role with Password set (under CheapRules)
// and, with a secret, that second factor enrolled.
func Person(t testing.TB, st account.Store, rnd io.Reader, email, name string, role account.Role, secret string, now time.Time) account.Account {
	t.Helper()
	ctx := context.Background()
	acct, _ := Invite(t, st, rnd, email, name, now, role)
	creds, v, err := st.Credentials(ctx, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	if creds, _, err = CheapRules.SetPassword(rnd, acct, creds, Password, "", now); err != nil {
		t.Fatal(err)
	}
	creds.TOTP.Secret = secret
	if err := st.Apply(ctx, account.Change{CredentialsOf: acct.ID, Credentials: &creds, Version: v}); err != nil {
		t.Fatal(err)
	}
	return acct
}
