package http_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"trustmark/account"
	tmhttp "trustmark/http"
)

// BenchmarkSignInRefusal measures the refusal of a wrong password for a
// known address and of any password for an unknown one, side by side, with
// the production hash (account.RFC9106): they should take the same time,
// so that the answer's time does not tell who has an account.
//
//	go test ./http/ -run XXX -bench SignInRefusal -benchtime 30x -count 3
func BenchmarkSignInRefusal(b *testing.B) {
	a := newAccounts(b, true)
	rules := account.Default
	rules.Throttle.MaxFailures = 1 << 30 // measure refusals, not locks
	a.auth = tmhttp.NewAuth(tmhttp.AuthConfig{Tokens: a.store, Accounts: a.store, Rules: rules, Clock: func() time.Time { return now },
		Rand: rand.NewChaCha8([32]byte{3})})
	ch, _, err := account.Invite(a.rnd, "known@example.cn", "测试", []account.Role{mustRole(b, account.Body, bodyA, false)}, account.FirstSignIn, "cli", now)
	if err != nil {
		b.Fatal(err)
	}
	if err := a.store.Apply(b.Context(), ch); err != nil {
		b.Fatal(err)
	}
	c, v, _ := a.store.Credentials(b.Context(), ch.NewAccount.ID)
	c, _, _ = rules.SetPassword(a.rnd, *ch.NewAccount, c, password, "", now)
	if err := a.store.Apply(b.Context(), account.Change{CredentialsOf: ch.NewAccount.ID, Credentials: &c, Version: v}); err != nil {
		b.Fatal(err)
	}
	// Interleaved, so that both see the same load on a shared machine.
	var spent [2]time.Duration
	for b.Loop() {
		for i, email := range []string{"known@example.cn", "unknown@example.cn"} {
			t0 := time.Now()
			if _, err := a.signIn(newBrowser(), email, "wrong password 1"); err == nil {
				b.Fatal("signed in with a wrong password")
			}
			spent[i] += time.Since(t0)
		}
	}
	b.ReportMetric(float64(spent[0].Milliseconds())/float64(b.N), "known-ms/op")
	b.ReportMetric(float64(spent[1].Milliseconds())/float64(b.N), "unknown-ms/op")
	b.ReportMetric(float64(spent[1])/float64(spent[0]), "unknown/known")
}
