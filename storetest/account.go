package storetest

import (
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"trustmark"
	"trustmark/account"
)

// RunAccounts runs the conformance suite of account.Store and
// account.TokenStore. open must return a new, empty store, as for Run,
// that implements both; the suite closes it.
func RunAccounts(t *testing.T, open func(t *testing.T) trustmark.Store) {
	fresh := func(t *testing.T) accountStore {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { s.Close() })
		as, ok := s.(accountStore)
		if !ok {
			t.Fatalf("%T does not implement account.Store and account.TokenStore", s)
		}
		seed(t, s)
		return as
	}
	t.Run("accounts", func(t *testing.T) { testAccounts(t, fresh) })
	t.Run("credentials", func(t *testing.T) { testCredentials(t, fresh) })
	t.Run("links", func(t *testing.T) { testLinks(t, fresh) })
	t.Run("sessions", func(t *testing.T) { testSessions(t, fresh) })
	t.Run("security log", func(t *testing.T) { testSecurityLog(t, fresh) })
	t.Run("api tokens", func(t *testing.T) { testAPITokens(t, fresh) })
}

// accountStore is what the account suite needs of a store.
type accountStore interface {
	trustmark.Store
	account.Store
	account.TokenStore
}

// random is the suite's deterministic source for tokens and salts.
func random(seed byte) *rand.ChaCha8 { return rand.NewChaCha8([32]byte{seed}) }

// newAccount makes an account of the fixture's body and region with the
// rules of package account, as `trustmark user create` does.
func newAccount(t *testing.T, id, email string, roles ...account.Role) account.Account {
	t.Helper()
	e, err := account.ParseEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := account.New(id, e, "王芳", roles, "cli", Now)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func role(t *testing.T, k account.Kind, id string, admin bool) account.Role {
	t.Helper()
	r, err := account.ParseRole(k, id, admin)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// create stores a through Apply with its created event.
func create(t *testing.T, s accountStore, a account.Account) {
	t.Helper()
	ev := account.Event{Kind: account.EventCreated, Account: a.ID, Actor: "cli", At: Now}
	if err := s.Apply(ctx, account.Change{NewAccount: &a, Events: []account.Event{ev}}); err != nil {
		t.Fatalf("Apply(new account %s): %v", a.ID, err)
	}
}

func testAccounts(t *testing.T, open func(t *testing.T) accountStore) {
	s := open(t)
	body := role(t, account.Body, bodyA, true)
	reg := role(t, account.Regulator, "110000", false)
	a := newAccount(t, "acc_one", "Wang.Fang@Example.cn", body, reg)
	before := len(events(t, s))
	create(t, s, a)

	t.Run("an account reads back by ID and by e-mail address with its roles in order", func(t *testing.T) {
		for _, get := range []func() (account.Account, error){
			func() (account.Account, error) { return s.Account(ctx, "acc_one") },
			func() (account.Account, error) { return s.AccountByEmail(ctx, "wang.fang@example.cn") },
		} {
			got, err := get()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(a, got); diff != "" {
				t.Errorf("account (-want +got):\n%s", diff)
			}
		}
	})
	t.Run("a missing account is not found", func(t *testing.T) {
		_, err := s.Account(ctx, "acc_none")
		wantCode(t, "Account(acc_none)", err, trustmark.ENotFound, "")
		_, err = s.AccountByEmail(ctx, "nobody@example.cn")
		wantCode(t, "AccountByEmail(nobody)", err, trustmark.ENotFound, "")
	})
	t.Run("its creation is in the public log, its e-mail address and name committed to by hash only", func(t *testing.T) {
		evs := events(t, s)[before:]
		if len(evs) != 1 {
			t.Fatalf("%d events for one account created, want 1", len(evs))
		}
		e := evs[0]
		if e.Entity != account.Entity || e.Key != "acc_one" || e.Action != "created" || e.Actor != "cli" {
			t.Errorf("event = %s %s %s by %s, want account acc_one created by cli", e.Entity, e.Key, e.Action, e.Actor)
		}
		if e.Personal["email"] != "wang.fang@example.cn" || e.Personal["name"] != "王芳" || len(e.Salt) < 16 {
			t.Errorf("personal = %v with a %d-byte salt, want the e-mail address and name", e.Personal, len(e.Salt))
		}
		if d := string(e.Data); strings.Contains(d, "example.cn") || strings.Contains(d, "王芳") || !strings.Contains(d, bodyA) {
			t.Errorf("public data = %s, want the roles and no personal data", d)
		}
	})
	t.Run("a second account with the same e-mail address is a conflict and writes nothing", func(t *testing.T) {
		n := len(events(t, s))
		b := newAccount(t, "acc_two", "wang.fang@example.cn", body)
		err := s.Apply(ctx, account.Change{NewAccount: &b, Events: []account.Event{{Kind: account.EventCreated, Account: "acc_two"}}})
		wantCode(t, "Apply(same e-mail)", err, trustmark.EConflict, "email")
		if got := len(events(t, s)); got != n {
			t.Errorf("%d events after a refused account, want %d", got, n)
		}
	})
	t.Run("a role of a unit the registry does not hold is not found", func(t *testing.T) {
		for _, r := range []account.Role{
			role(t, account.Body, "CNCA-R-2099-999", false),
			role(t, account.Lab, "990012340001", false),
			role(t, account.Auditor, "P-9999", false),
			role(t, account.Org, string(trustmark.MakeUSCC("9111010899999999")), false),
		} {
			b := newAccount(t, "acc_"+string(r.Kind), string(r.Kind)+"@example.cn", r)
			err := s.Apply(ctx, account.Change{NewAccount: &b})
			wantCode(t, "Apply(role "+r.String()+")", err, trustmark.ENotFound, string(r.Kind))
		}
	})
	t.Run("a changed account replaces its roles, and the grant is in the public log", func(t *testing.T) {
		lab := role(t, account.Lab, lab1, false)
		b, ev, err := a.Grant(lab, "acc_admin", Now)
		if err != nil {
			t.Fatal(err)
		}
		b, ev2, err := b.Revoke(reg.Unit, "acc_admin", Now)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(ctx, account.Change{Account: &b, Events: []account.Event{ev, ev2}}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Account(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]account.Role{body, lab}, got.Roles); diff != "" {
			t.Errorf("roles (-want +got):\n%s", diff)
		}
		evs := events(t, s)
		last := evs[len(evs)-2:]
		if last[0].Action != "role_granted" || last[1].Action != "role_revoked" || last[0].Actor != "account:acc_admin" {
			t.Errorf("events = %s by %s, %s; want role_granted by account:acc_admin, role_revoked", last[0].Action, last[0].Actor, last[1].Action)
		}
	})
	t.Run("changing an account that does not exist is not found", func(t *testing.T) {
		ghost := newAccount(t, "acc_ghost", "ghost@example.cn", body)
		wantCode(t, "Apply(account acc_ghost)", s.Apply(ctx, account.Change{Account: &ghost}), trustmark.ENotFound, "")
	})
	t.Run("the staff of a unit are the accounts holding a role for it", func(t *testing.T) {
		create(t, s, newAccount(t, "acc_three", "li.lei@example.cn", role(t, account.Body, bodyA, false)))
		create(t, s, newAccount(t, "acc_four", "other@example.cn", role(t, account.Body, bodyB, false)))
		staff, err := s.Staff(ctx, body.Unit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range staff {
			ids = append(ids, a.ID)
		}
		if diff := cmp.Diff([]string{"acc_three", "acc_one"}, ids); diff != "" {
			t.Errorf("staff of %s by e-mail (-want +got):\n%s", body.Unit, diff)
		}
	})
}

func testCredentials(t *testing.T, open func(t *testing.T) accountStore) {
	s := open(t)
	a := newAccount(t, "acc_cred", "cred@example.cn", role(t, account.Regulator, "110000", false))
	create(t, s, a)

	t.Run("a new account's credentials are empty", func(t *testing.T) {
		c, _, err := s.Credentials(ctx, a.ID)
		if err != nil || c.Password != "" || c.TOTP.Enrolled() || c.Throttle != (account.Throttle{}) {
			t.Errorf("Credentials = %+v, %v; want empty", c, err)
		}
	})
	t.Run("credentials round-trip, and a write at a stale version is refused", func(t *testing.T) {
		_, v, err := s.Credentials(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := account.Credentials{
			Password: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
			TOTP:     account.TOTP{Secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", LastStep: 59_000_000},
			Throttle: account.Throttle{Failures: 2, LastFailure: Now.Add(-time.Minute), Locks: 1, LockedUntil: Now.Add(time.Hour)},
		}
		if err := s.Apply(ctx, account.Change{CredentialsOf: a.ID, Credentials: &want, Version: v}); err != nil {
			t.Fatal(err)
		}
		got, v2, err := s.Credentials(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateApproxTime(0)); diff != "" {
			t.Errorf("credentials (-want +got):\n%s", diff)
		}
		if v2 == v {
			t.Errorf("version stayed %d after a write", v)
		}
		stale := account.Credentials{}
		err = s.Apply(ctx, account.Change{CredentialsOf: a.ID, Credentials: &stale, Version: v})
		wantCode(t, "Apply(credentials at a stale version)", err, trustmark.EConflict, "")
		if got, _, _ := s.Credentials(ctx, a.ID); got.Password != want.Password {
			t.Errorf("a refused write changed the password to %q", got.Password)
		}
	})
	t.Run("of two writes at the same version exactly one wins", func(t *testing.T) {
		_, v, err := s.Credentials(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() {
				c := account.Credentials{Throttle: account.Throttle{Failures: i + 1, LastFailure: Now}}
				errs[i] = s.Apply(ctx, account.Change{CredentialsOf: a.ID, Credentials: &c, Version: v})
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch trustmark.ErrorCode(err) {
			case "":
				won++
			case trustmark.EConflict:
			default:
				t.Errorf("Apply: %v, want success or conflict", err)
			}
		}
		if won != 1 {
			t.Errorf("%d writes at version %d won, want exactly 1", won, v)
		}
	})
	t.Run("the credentials of a missing account are not found", func(t *testing.T) {
		_, _, err := s.Credentials(ctx, "acc_none")
		wantCode(t, "Credentials(acc_none)", err, trustmark.ENotFound, "")
		c := account.Credentials{}
		wantCode(t, "Apply(credentials of acc_none)", s.Apply(ctx, account.Change{CredentialsOf: "acc_none", Credentials: &c}), trustmark.EConflict, "")
	})
}

func testLinks(t *testing.T, open func(t *testing.T) accountStore) {
	s := open(t)
	a := newAccount(t, "acc_link", "link@example.cn", role(t, account.Body, bodyA, false))
	create(t, s, a)
	rnd := random(1)
	issue := func(t *testing.T, p account.Purpose) (string, account.Link) {
		t.Helper()
		token, l, ev, err := account.IssueLink(rnd, p, a.ID, "cli", Now)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(ctx, account.Change{Link: &l, Events: []account.Event{ev}}); err != nil {
			t.Fatalf("Apply(link): %v", err)
		}
		return token, l
	}
	token, l := issue(t, account.FirstSignIn)

	t.Run("a link is found by the hash of its token", func(t *testing.T) {
		hash, err := account.ParseLinkToken(token)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Link(ctx, hash)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(l, got, cmpopts.EquateApproxTime(0)); diff != "" {
			t.Errorf("link (-want +got):\n%s", diff)
		}
		evs := events(t, s)
		if e := evs[len(evs)-1]; e.Action != "link_issued" || e.Key != a.ID {
			t.Errorf("last event = %s of %s, want link_issued of %s", e.Action, e.Key, a.ID)
		}
	})
	t.Run("a new link replaces the unused one of the same purpose, not those of others", func(t *testing.T) {
		_, reset := issue(t, account.PasswordReset)
		_, again := issue(t, account.FirstSignIn)
		if _, err := s.Link(ctx, l.Hash); trustmark.ErrorCode(err) != trustmark.ENotFound {
			t.Errorf("Link(replaced) = %v, want not found", err)
		}
		for _, h := range []string{reset.Hash, again.Hash} {
			if _, err := s.Link(ctx, h); err != nil {
				t.Errorf("Link(%s…): %v", h[:8], err)
			}
		}
		l = again
	})
	t.Run("a link is redeemed once, and a second redemption is refused", func(t *testing.T) {
		used, _, err := l.Redeem(Now)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(ctx, account.Change{Link: &used}); err != nil {
			t.Fatalf("first redemption: %v", err)
		}
		err = s.Apply(ctx, account.Change{Link: &used})
		wantCode(t, "second redemption", err, trustmark.EUnauthorized, "token")
		got, err := s.Link(ctx, l.Hash)
		if err != nil || !got.RedeemedAt.Equal(Now) {
			t.Errorf("Link(redeemed) = %+v, %v; want redeemed at %s", got, err, Now)
		}
	})
	t.Run("a redeemed link is not replaced by a new one", func(t *testing.T) {
		issue(t, account.FirstSignIn)
		if _, err := s.Link(ctx, l.Hash); err != nil {
			t.Errorf("Link(redeemed, after a new one) = %v, want it kept as a record", err)
		}
	})
	t.Run("an unknown link is not found, and redeeming it writes nothing", func(t *testing.T) {
		_, err := s.Link(ctx, strings.Repeat("0", 64))
		wantCode(t, "Link(unknown)", err, trustmark.ENotFound, "")
		ghost := account.Link{Hash: strings.Repeat("0", 64), Account: a.ID, RedeemedAt: Now}
		wantCode(t, "Apply(redeem unknown)", s.Apply(ctx, account.Change{Link: &ghost}), trustmark.ENotFound, "")
	})
}

func testSessions(t *testing.T, open func(t *testing.T) accountStore) {
	s := open(t)
	a := newAccount(t, "acc_sess", "sess@example.cn", role(t, account.Regulator, "110000", false))
	create(t, s, a)
	rnd := random(2)
	start := func(t *testing.T, stage account.Stage, pending string) account.SessionRecord {
		t.Helper()
		_, sess, err := account.NewSession(rnd, a.ID, stage, Now)
		if err != nil {
			t.Fatal(err)
		}
		rec := account.SessionRecord{Session: sess, PendingTOTP: pending}
		if err := s.Apply(ctx, account.Change{Session: &rec}); err != nil {
			t.Fatalf("Apply(session): %v", err)
		}
		return rec
	}
	pending := start(t, account.StageSecondFactor, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

	t.Run("a session reads back with its pending second factor", func(t *testing.T) {
		got, err := s.Session(ctx, pending.Hash)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(pending, got, cmpopts.EquateApproxTime(0)); diff != "" {
			t.Errorf("session (-want +got):\n%s", diff)
		}
	})
	t.Run("completing sign-in ends the pending session and starts a full one in one change", func(t *testing.T) {
		_, full, err := account.NewSession(rnd, a.ID, account.StageFull, Now)
		if err != nil {
			t.Fatal(err)
		}
		rec := account.SessionRecord{Session: full}
		if err := s.Apply(ctx, account.Change{Session: &rec, EndSessions: []string{pending.Hash}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, pending.Hash); trustmark.ErrorCode(err) != trustmark.ENotFound {
			t.Errorf("Session(ended) = %v, want not found", err)
		}
		if got, err := s.Session(ctx, full.Hash); err != nil || got.Stage != account.StageFull {
			t.Errorf("Session(new) = %+v, %v; want a full session", got, err)
		}
	})
	t.Run("touching a session moves its last use forward only", func(t *testing.T) {
		rec := start(t, account.StageFull, "")
		later := Now.Add(5 * time.Minute)
		if err := s.TouchSession(ctx, rec.Hash, later); err != nil {
			t.Fatal(err)
		}
		if err := s.TouchSession(ctx, rec.Hash, Now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Session(ctx, rec.Hash); !got.LastSeen.Equal(later) {
			t.Errorf("LastSeen = %s, want %s", got.LastSeen, later)
		}
		if err := s.TouchSession(ctx, strings.Repeat("f", 64), later); err != nil {
			t.Errorf("TouchSession(ended) = %v, want nil (nothing to touch)", err)
		}
	})
	t.Run("ending every session of an account ends them all", func(t *testing.T) {
		one, two := start(t, account.StageFull, ""), start(t, account.StageFull, "")
		if err := s.Apply(ctx, account.Change{EndSessionsOf: a.ID}); err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{one.Hash, two.Hash} {
			if _, err := s.Session(ctx, h); trustmark.ErrorCode(err) != trustmark.ENotFound {
				t.Errorf("Session after EndSessionsOf = %v, want not found", err)
			}
		}
	})
}

func testSecurityLog(t *testing.T, open func(t *testing.T) accountStore) {
	s := open(t)
	a := newAccount(t, "acc_sec", "sec@example.cn", role(t, account.Body, bodyA, false))
	create(t, s, a)
	n := len(events(t, s))
	c := account.Change{Client: "203.0.113.7", Events: []account.Event{
		{Kind: account.EventSignInFailed, Account: a.ID, At: Now, Detail: "signin.failed"},
		{Kind: account.EventLocked, Account: a.ID, At: Now, Detail: "15m0s"},
		{Kind: account.EventSignInFailed, Account: "", At: Now, Detail: "signin.unknown"},
	}}
	if err := s.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}

	t.Run("sign-in records stay out of the public log", func(t *testing.T) {
		if got := len(events(t, s)); got != n {
			t.Errorf("%d events after sign-in records, want %d", got, n)
		}
	})
	t.Run("the security log gives an account's records newest first, with the client", func(t *testing.T) {
		got, err := s.SecurityLog(ctx, account.SecurityFilter{Account: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := []account.SecurityRecord{
			{Event: c.Events[1], Client: "203.0.113.7"},
			{Event: c.Events[0], Client: "203.0.113.7"},
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateApproxTime(0)); diff != "" {
			t.Errorf("security log (-want +got):\n%s", diff)
		}
	})
	t.Run("without an account it gives every record, up to the limit", func(t *testing.T) {
		got, err := s.SecurityLog(ctx, account.SecurityFilter{Limit: 2})
		if err != nil || len(got) != 2 || got[0].Detail != "signin.unknown" {
			t.Errorf("SecurityLog(limit 2) = %+v, %v; want the 2 newest", got, err)
		}
	})
}

// isReason reports whether err carries reason key.
func isReason(err error, reason string) bool {
	var e *trustmark.Error
	return errors.As(err, &e) && e.Reason == reason
}
