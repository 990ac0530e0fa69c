package account

import (
	"errors"
	"io"
	"time"

	"trustmark"
)

// Credentials are what an account signs in with, as stored: the password's
// PHC hash ("" until the person chooses one), the second factor, and the
// record of failed attempts.
type Credentials struct {
	Password string   `json:"-"`
	TOTP     TOTP     `json:"-"`
	Throttle Throttle `json:"throttle"`
}

// Rules are the sign-in rules in force: hashing cost, password policy,
// throttling and session lifetimes.
type Rules struct {
	Hash      Params
	Passwords PasswordPolicy
	Throttle  ThrottlePolicy
	Sessions  SessionPolicy
}

// Default are the rules Trustmark runs with.
var Default = Rules{Hash: RFC9106, Passwords: DefaultPasswordPolicy, Throttle: DefaultThrottle, Sessions: DefaultSessions}

// Next is what a sign-in needs after its password step.
type Next string

// What may follow a correct password.
const (
	NextDone  Next = "done"  // signed in
	NextCode  Next = "code"  // the TOTP code is awaited
	NextEnrol Next = "enrol" // the role requires a second factor the account has not set up
)

// failed is the refusal of a wrong e-mail address or password. It does not
// say which, so that it does not tell who has an account.
func failed() error {
	return refuse(trustmark.EUnauthorized, "signin.failed", "password", "the e-mail address or the password is wrong")
}

// SignInPassword is the first step of signing in to a at now. A correct
// password signs in (NextDone) unless a second factor is enrolled or
// required; then the throttle is left as it was until the second step, so
// that a stolen password does not reset the count of wrong codes. A wrong
// password counts a failure and may lock the account. When the hash was
// made under other parameters, the returned credentials hold it hashed
// anew (salt from rand).
func (r Rules) SignInPassword(rand io.Reader, a Account, c Credentials, password string, now time.Time) (Credentials, Next, []Event, error) {
	if err := c.Throttle.Check(now); err != nil {
		return c, "", []Event{{Kind: EventLockedRefusal, Account: a.ID, At: now}}, err
	}
	ok := false
	if c.Password == "" {
		VerifyNobody(r.Hash, password)
	} else if v, err := VerifyPassword(c.Password, password); err == nil {
		ok = v
	}
	if !ok {
		return r.fail(a, c, now, EventSignInFailed, failed())
	}
	if a.Disabled {
		return c, "", nil, refuse(trustmark.EForbidden, "signin.disabled", "", "this account is disabled; ask your administrator")
	}
	if NeedsRehash(c.Password, r.Hash) {
		if h, err := HashPassword(rand, r.Hash, password); err == nil {
			c.Password = h
		}
	}
	switch {
	case c.TOTP.Enrolled():
		return c, NextCode, nil, nil
	case a.RequiresSecondFactor():
		return c, NextEnrol, nil, nil
	}
	c.Throttle, _ = r.Throttle.Record(c.Throttle, now, true)
	return c, NextDone, []Event{{Kind: EventSignedIn, Account: a.ID, At: now, Detail: "password"}}, nil
}

// fail records a failed attempt and returns the refusal err, or the lock
// refusal when this failure locks the account.
func (r Rules) fail(a Account, c Credentials, now time.Time, kind EventKind, err error) (Credentials, Next, []Event, error) {
	var evs []Event
	c.Throttle, evs = r.Throttle.Record(c.Throttle, now, false)
	for i := range evs {
		evs[i].Account = a.ID
	}
	evs = append([]Event{{Kind: kind, Account: a.ID, At: now, Detail: reasonOf(err)}}, evs...)
	if c.Throttle.Locked(now) {
		err = c.Throttle.Check(now)
	}
	return c, "", evs, err
}

func reasonOf(err error) string {
	var e *trustmark.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// SignInCode is the second step: the TOTP code after a correct password.
// A wrong or replayed code counts a failure like a wrong password.
func (r Rules) SignInCode(a Account, c Credentials, code string, now time.Time) (Credentials, []Event, error) {
	return r.checkCode(a, c, c.TOTP, code, now, Event{Kind: EventSignedIn, Account: a.ID, At: now, Detail: "password+totp"})
}

// EnrolTOTP sets up a second factor: secret (from NewTOTP, held in the
// pending session) becomes the account's once the person types a code
// their app makes for it. A wrong code counts a failure, as at sign-in.
// Enrolling replaces an earlier second factor.
func (r Rules) EnrolTOTP(a Account, c Credentials, secret, code string, now time.Time) (Credentials, []Event, error) {
	return r.checkCode(a, c, TOTP{Secret: secret}, code, now, Event{Kind: EventTOTPEnrolled, Account: a.ID, At: now})
}

// checkCode checks code against t: refused while the account is locked, a
// wrong code counted as a failed sign-in; a right one makes t (with the step
// used) the account's second factor, clears the failures and gives ok.
func (r Rules) checkCode(a Account, c Credentials, t TOTP, code string, now time.Time, ok Event) (Credentials, []Event, error) {
	if err := c.Throttle.Check(now); err != nil {
		return c, []Event{{Kind: EventLockedRefusal, Account: a.ID, At: now}}, err
	}
	t, err := t.Verify(code, now)
	if err != nil {
		if trustmark.ErrorCode(err) == trustmark.EInternal {
			return c, nil, err
		}
		c, _, evs, err := r.fail(a, c, now, EventTOTPRefused, err)
		return c, evs, err
	}
	c.TOTP = t
	c.Throttle, _ = r.Throttle.Record(c.Throttle, now, true)
	return c, []Event{ok}, nil
}

// SetPassword returns c with password as the account's new password, if the
// policy allows it. actor is who set it (the account itself after a link).
func (r Rules) SetPassword(rand io.Reader, a Account, c Credentials, password, actor string, now time.Time) (Credentials, Event, error) {
	if err := r.Passwords.CheckPassword(password, a.Email); err != nil {
		return c, Event{}, err
	}
	h, err := HashPassword(rand, r.Hash, password)
	if err != nil {
		return c, Event{}, err
	}
	c.Password = h
	return c, Event{Kind: EventPasswordSet, Account: a.ID, Actor: actor, At: now}, nil
}

// Reset is an administrator's reset of an account's credentials: the
// password and the failure record are cleared, and the second factor too
// when the person has lost it. The administrator then issues a
// PasswordReset link; until it is used, the account cannot sign in.
func (c Credentials) Reset(a Account, secondFactor bool, actor string, now time.Time) (Credentials, Event) {
	out := Credentials{TOTP: c.TOTP}
	detail := "password"
	if secondFactor {
		out.TOTP, detail = TOTP{}, "password+totp"
	}
	return out, Event{Kind: EventCredentialsReset, Account: a.ID, Actor: actor, At: now, Detail: detail}
}
