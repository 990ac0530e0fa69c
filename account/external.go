package account

import (
	"slices"
	"time"

	"trustmark"
)

// External is a sign-in vouched for by an identity provider the site
// trusts (OpenID Connect single sign-on of a bureau): the provider checked
// the person's credentials, and says whether it asked for more than a
// password.
type External struct {
	Provider string // the issuer, for the security log
	// MFA is set when the provider says the person used a second factor
	// (RFC 8176 authentication method references such as "mfa", "otp",
	// "hwk"; see MultiFactor).
	MFA bool
}

// multiFactorMethods are the RFC 8176 §2 authentication method references
// that mean a second factor was used.
var multiFactorMethods = []string{"mfa", "otp", "hwk", "swk", "sms", "tel", "sc", "fpt", "face", "iris", "retina", "vbm"}

// MultiFactor reports whether amr, the amr claim of an ID token, says
// that the person used more than one factor.
func MultiFactor(amr []string) bool {
	return slices.ContainsFunc(amr, func(m string) bool { return slices.Contains(multiFactorMethods, m) })
}

// SignInExternal is the first step of a sign-in an identity provider
// vouched for: it stands for the password step. It is refused while the
// account is locked or disabled. When the provider asked for a second
// factor the sign-in is done; otherwise the account's own second factor is
// asked for (NextCode), or set up when the role requires one (NextEnrol),
// as after a password: a regulator always signs in with two factors.
func (r Rules) SignInExternal(a Account, c Credentials, x External, now time.Time) (Credentials, Next, []Event, error) {
	if err := c.Throttle.Check(now); err != nil {
		return c, "", []Event{{Kind: EventLockedRefusal, Account: a.ID, At: now, Detail: x.Provider}}, err
	}
	if a.Disabled {
		return c, "", nil, refuse(trustmark.EForbidden, "signin.disabled", "", "this account is disabled; ask your administrator")
	}
	switch {
	case x.MFA:
	case c.TOTP.Enrolled():
		return c, NextCode, nil, nil
	case a.RequiresSecondFactor():
		return c, NextEnrol, nil, nil
	}
	c.Throttle, _ = r.Throttle.Record(c.Throttle, now, true)
	detail := "oidc " + x.Provider
	if x.MFA {
		detail = "oidc+mfa " + x.Provider
	}
	return c, NextDone, []Event{{Kind: EventSignedIn, Account: a.ID, At: now, Detail: detail}}, nil
}
