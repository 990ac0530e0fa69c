package account

import (
	"testing"
	"time"

	"trustmark"
)

var testRules = Rules{Hash: cheap, Passwords: DefaultPasswordPolicy, Throttle: DefaultThrottle, Sessions: DefaultSessions}

const goodPassword = "bright river under hill"

// newAccount returns an account with role and a password set.
func newAccount(t *testing.T, role Role) (Account, Credentials) {
	t.Helper()
	a, _, err := New("a1", "wang.li@samr.gov.cn", "王立", []Role{role}, "cli", t0)
	if err != nil {
		t.Fatal(err)
	}
	c, ev, err := testRules.SetPassword(seeded(11), a, Credentials{}, goodPassword, "a1", t0)
	if err != nil || ev.Kind != EventPasswordSet {
		t.Fatalf("SetPassword = %+v, %v", ev, err)
	}
	return a, c
}

func kinds(evs []Event) []EventKind {
	var ks []EventKind
	for _, e := range evs {
		ks = append(ks, e.Kind)
	}
	return ks
}

func TestSignInWithPasswordOnly(t *testing.T) {
	a, c := newAccount(t, mustRole(t, Body, "CNCA-R-2002-001", false))
	c.Throttle.Failures = 3
	got, next, evs, err := testRules.SignInPassword(seeded(12), a, c, goodPassword, t0)
	if err != nil || next != NextDone || len(evs) != 1 || evs[0].Kind != EventSignedIn {
		t.Fatalf("SignInPassword = %v, %v, %v; want done and signed in", next, kinds(evs), err)
	}
	if got.Throttle != (Throttle{}) {
		t.Errorf("throttle after success = %+v, want clear", got.Throttle)
	}
}

func TestSignInWrongPasswordLocks(t *testing.T) {
	a, c := newAccount(t, mustRole(t, Body, "CNCA-R-2002-001", false))
	var err error
	var evs []Event
	for i := range 5 {
		c, _, evs, err = testRules.SignInPassword(seeded(12), a, c, "wrong password here", t0.Add(time.Duration(i)*time.Second))
		if i < 4 && (reason(err) != "signin.failed" || trustmark.ErrorCode(err) != trustmark.EUnauthorized) {
			t.Fatalf("attempt %d = %v, want signin.failed", i+1, err)
		}
	}
	if reason(err) != "signin.locked" || len(evs) != 2 || evs[1].Kind != EventLocked || evs[1].Account != "a1" {
		t.Fatalf("fifth wrong password = %v, %v; want the lock", err, kinds(evs))
	}
	t.Run("a locked account refuses even the right password", func(t *testing.T) {
		_, _, evs, err := testRules.SignInPassword(seeded(12), a, c, goodPassword, t0.Add(time.Minute))
		if reason(err) != "signin.locked" || len(evs) != 1 || evs[0].Kind != EventLockedRefusal {
			t.Errorf("right password while locked = %v, %v; want signin.locked", err, kinds(evs))
		}
	})
	t.Run("after the lock the right password signs in", func(t *testing.T) {
		_, next, _, err := testRules.SignInPassword(seeded(12), a, c, goodPassword, t0.Add(16*time.Minute))
		if err != nil || next != NextDone {
			t.Errorf("right password after the lock = %v, %v", next, err)
		}
	})
}

func TestSignInWithoutPasswordFails(t *testing.T) {
	a, _ := newAccount(t, mustRole(t, Body, "CNCA-R-2002-001", false))
	_, _, evs, err := testRules.SignInPassword(seeded(12), a, Credentials{}, "", t0)
	if reason(err) != "signin.failed" || len(evs) != 1 || evs[0].Kind != EventSignInFailed || evs[0].Kind.Public() {
		t.Errorf("sign-in of an account without a password = %v, %v; want signin.failed, kept out of the public log", err, kinds(evs))
	}
}

func TestSignInDisabled(t *testing.T) {
	a, c := newAccount(t, mustRole(t, Body, "CNCA-R-2002-001", false))
	a.Disabled = true
	if _, _, _, err := testRules.SignInPassword(seeded(12), a, c, goodPassword, t0); reason(err) != "signin.disabled" {
		t.Errorf("disabled account = %v, want signin.disabled", err)
	}
}

func TestSignInRehashes(t *testing.T) {
	a, c := newAccount(t, mustRole(t, Body, "CNCA-R-2002-001", false))
	stronger := testRules
	stronger.Hash.Time = 2
	got, _, _, err := stronger.SignInPassword(seeded(12), a, c, goodPassword, t0)
	if err != nil || got.Password == c.Password || NeedsRehash(got.Password, stronger.Hash) {
		t.Errorf("sign-in under new parameters = %s, %v; want the password hashed anew", got.Password, err)
	}
}

func TestRegulatorSignInNeedsSecondFactor(t *testing.T) {
	a, c := newAccount(t, mustRole(t, Regulator, "330000", false))
	_, next, evs, err := testRules.SignInPassword(seeded(12), a, c, goodPassword, t0)
	if err != nil || next != NextEnrol || len(evs) != 0 {
		t.Fatalf("regulator without TOTP = %v, %v, %v; want enrol", next, kinds(evs), err)
	}

	secret, _, err := NewTOTP(seeded(13), "Trustmark", a.Email)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("enrolment refuses a wrong code and counts it", func(t *testing.T) {
		got, evs, err := testRules.EnrolTOTP(a, c, secret, "000000", t0)
		if reason(err) != "totp.wrong" || got.TOTP.Enrolled() || got.Throttle.Failures != 1 || len(evs) != 1 || evs[0].Kind != EventTOTPRefused {
			t.Errorf("EnrolTOTP(wrong code) = %+v, %v, %v", got, kinds(evs), err)
		}
	})
	c, evs, err = testRules.EnrolTOTP(a, c, secret, codeAt(t, secret, step(t0)), t0)
	if err != nil || !c.TOTP.Enrolled() || len(evs) != 1 || evs[0].Kind != EventTOTPEnrolled {
		t.Fatalf("EnrolTOTP = %+v, %v, %v", c.TOTP, kinds(evs), err)
	}

	later := t0.Add(time.Hour)
	_, next, _, err = testRules.SignInPassword(seeded(12), a, c, goodPassword, later)
	if err != nil || next != NextCode {
		t.Fatalf("regulator with TOTP = %v, %v; want code", next, err)
	}
	code := codeAt(t, secret, step(later))
	c, evs, err = testRules.SignInCode(a, c, code, later)
	if err != nil || len(evs) != 1 || evs[0].Kind != EventSignedIn || evs[0].Detail != "password+totp" {
		t.Fatalf("SignInCode = %v, %v", kinds(evs), err)
	}
	t.Run("the same code is refused a second time", func(t *testing.T) {
		_, _, err := testRules.SignInCode(a, c, code, later.Add(10*time.Second))
		if reason(err) != "totp.reused" {
			t.Errorf("replayed code = %v, want totp.reused", err)
		}
	})
	t.Run("wrong codes lock the account as wrong passwords do", func(t *testing.T) {
		cc := c
		var err error
		for range 5 {
			cc, _, err = testRules.SignInCode(a, cc, "000000", later.Add(time.Minute))
		}
		if reason(err) != "signin.locked" {
			t.Errorf("fifth wrong code = %v, want signin.locked", err)
		}
		if _, _, err := testRules.SignInCode(a, cc, codeAt(t, secret, step(later.Add(2*time.Minute))), later.Add(2*time.Minute)); reason(err) != "signin.locked" {
			t.Errorf("right code while locked = %v, want signin.locked", err)
		}
	})
	t.Run("a right password does not clear the count of wrong codes", func(t *testing.T) {
		cc, _, _ := testRules.SignInCode(a, c, "000000", later.Add(time.Minute))
		cc, _, _, _ = testRules.SignInPassword(seeded(12), a, cc, goodPassword, later.Add(time.Minute))
		if cc.Throttle.Failures != 1 {
			t.Errorf("failures after a wrong code and a right password = %d, want 1", cc.Throttle.Failures)
		}
	})
}

func TestResetCredentials(t *testing.T) {
	a, c := newAccount(t, mustRole(t, Regulator, "330000", false))
	c.TOTP = TOTP{Secret: rfcSecret, LastStep: 7}
	c.Throttle = Throttle{Failures: 2, Locks: 1, LockedUntil: t0.Add(time.Hour)}
	got, ev := c.Reset(a, false, "a9", t0)
	if got.Password != "" || got.Throttle != (Throttle{}) || got.TOTP != c.TOTP || ev.Kind != EventCredentialsReset || ev.Actor != "a9" {
		t.Errorf("Reset(password) = %+v, %+v; want the password and lock cleared, the TOTP kept", got, ev)
	}
	got, ev = c.Reset(a, true, "a9", t0)
	if got.TOTP.Enrolled() || ev.Detail != "password+totp" {
		t.Errorf("Reset(password and TOTP) = %+v, %+v; want the TOTP cleared", got, ev)
	}
}

func TestSetPasswordAppliesThePolicy(t *testing.T) {
	a, c := newAccount(t, mustRole(t, Body, "CNCA-R-2002-001", false))
	if _, _, err := testRules.SetPassword(seeded(11), a, c, "short", "a1", t0); reason(err) != "password.too_short" {
		t.Errorf("SetPassword(short) = %v, want password.too_short", err)
	}
}
