package account

import (
	"crypto/subtle"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/text/unicode/norm"

	"trustmark"
)

// The TOTP parameters every authenticator app supports (RFC 6238 with
// HMAC-SHA-1, 6 digits, 30-second steps): several common apps silently
// ignore others, and a code that never matches would lock people out.
const (
	totpPeriod     = 30 // seconds per time step (RFC 6238 §5.2)
	totpSecretSize = 20 // bytes: 160 bits, RFC 4226 §4's recommendation
	// TOTPSkew is how many steps either side of the server's current one
	// a code is accepted for: RFC 6238 §5.2 recommends at most one step of
	// network delay; it also absorbs a phone clock a little off.
	TOTPSkew = 1
)

var totpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TOTP is an account's second factor: the shared secret (base32, as
// authenticator apps take it) and the last time step a code was accepted
// for. A code is accepted once: a step at or before LastStep is refused, so
// a code read over a shoulder or replayed from a log is worthless. The
// secret must be kept server-side (it cannot be hashed: verifying needs it).
type TOTP struct {
	Secret   string `json:"secret"`
	LastStep int64  `json:"last_step"`
}

// Enrolled reports whether the account has a second factor.
func (t TOTP) Enrolled() bool { return t.Secret != "" }

// NewTOTP returns a new secret read from rand and its otpauth:// URI (for
// the QR code an authenticator app scans), labelled with issuer and the
// account's e-mail address. The TOTP is not enrolled until the person
// proves, with EnrolTOTP, that the app makes codes for it.
func NewTOTP(rand io.Reader, issuer string, email Email) (secret, uri string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer: issuer, AccountName: string(email), Period: totpPeriod, SecretSize: totpSecretSize,
		Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm, Rand: rand,
	})
	if err != nil {
		return "", "", fmt.Errorf("account: new TOTP secret: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// ParseTOTPCode reads a code as a person types it: full-width digits from
// a Chinese input method are folded, blanks and a middle hyphen dropped
// (apps show "123 456"), and six digits must remain.
func ParseTOTPCode(s string) (string, error) {
	c := norm.NFKC.String(s)
	c = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '-' {
			return -1
		}
		return r
	}, c)
	if len(c) != totpOpts.Digits.Length() || strings.ContainsFunc(c, func(r rune) bool { return r < '0' || r > '9' }) {
		return "", trustmark.Invalidf("totp.format", "code", "the code is the %d digits your authenticator app shows", totpOpts.Digits.Length())
	}
	return c, nil
}

// step is the RFC 6238 time step of now.
func step(now time.Time) int64 { return now.Unix() / totpPeriod }

// Verify checks code against t at now and returns t with the step it was
// accepted for. It refuses a code that matches no step within TOTPSkew of
// now, and one that matches only steps already used (LastStep or before).
// Every step in the window is computed and compared in constant time, so
// the time taken does not tell which step matched.
func (t TOTP) Verify(code string, now time.Time) (TOTP, error) {
	code, err := ParseTOTPCode(code)
	if err != nil {
		return t, err
	}
	if !t.Enrolled() {
		return t, fmt.Errorf("account: verify a TOTP code without a secret")
	}
	cur := step(now)
	matched, reused := int64(-1), false
	for s := cur - TOTPSkew; s <= cur+TOTPSkew; s++ {
		want, err := hotp.GenerateCodeCustom(t.Secret, uint64(s), totpOpts)
		if err != nil {
			return t, fmt.Errorf("account: stored TOTP secret: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			if s > t.LastStep {
				matched = s
			} else {
				reused = true
			}
		}
	}
	switch {
	case matched >= 0:
		t.LastStep = matched
		return t, nil
	case reused:
		return t, refuse(trustmark.EUnauthorized, "totp.reused", "code", "this code has been used already; wait for the next one")
	}
	return t, refuse(trustmark.EUnauthorized, "totp.wrong", "code", "the code is wrong or has expired")
}

// refuse returns an *Error of code with a reason key, as Invalidf does for
// invalid input: sign-in refusals are unauthorized or rate-limited, not
// invalid, and the pages still say them in the reader's language.
func refuse(code, reason, field, format string, args ...any) *trustmark.Error {
	e := trustmark.Errorf(code, field, format, args...)
	e.Reason, e.Args = reason, args
	return e
}
