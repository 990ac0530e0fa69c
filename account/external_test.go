package account

import (
	"testing"
	"time"

	"trustmark"
)

func TestSignInExternal(t *testing.T) {
	reg, _ := ParseRole(Regulator, "330000", false)
	body, _ := ParseRole(Body, "CNCA-R-2002-001", false)
	regulator := Account{ID: "acc_r", Email: "r@example.cn", Roles: []Role{reg}}
	staff := Account{ID: "acc_b", Email: "b@example.cn", Roles: []Role{body}}
	enrolled := Credentials{TOTP: TOTP{Secret: "JBSWY3DPEHPK3PXP"}}
	locked := Credentials{Throttle: Throttle{LockedUntil: t0.Add(time.Minute)}}
	tests := []struct {
		name    string
		a       Account
		c       Credentials
		mfa     bool
		want    Next
		wantErr string
	}{
		{"a body's staff vouched for by the provider is signed in", staff, Credentials{}, false, NextDone, ""},
		{"a regulator the provider asked for a second factor is signed in", regulator, Credentials{}, true, NextDone, ""},
		{"a regulator with a password only at the provider sets up an app", regulator, Credentials{}, false, NextEnrol, ""},
		{"a regulator with an app gives its code", regulator, enrolled, false, NextCode, ""},
		{"an account with an app gives its code unless the provider asked for one", staff, enrolled, false, NextCode, ""},
		{"a locked account is refused", staff, locked, true, "", trustmark.ERateLimited},
		{"a disabled account is refused", Account{ID: "acc_d", Roles: []Role{body}, Disabled: true}, Credentials{}, true, "", trustmark.EForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, next, evs, err := Default.SignInExternal(tt.a, tt.c, External{Provider: "https://idp.example.cn", MFA: tt.mfa}, t0)
			if got := trustmark.ErrorCode(err); got != tt.wantErr || next != tt.want {
				t.Fatalf("SignInExternal = %s, %v; want %s, %q", next, err, tt.want, tt.wantErr)
			}
			if next == NextDone && (len(evs) != 1 || evs[0].Kind != EventSignedIn) {
				t.Errorf("events = %+v, want the sign-in", evs)
			}
		})
	}
}

func TestMultiFactor(t *testing.T) {
	for _, tt := range []struct {
		amr  []string
		want bool
	}{
		{nil, false}, {[]string{"pwd"}, false}, {[]string{"pwd", "otp"}, true}, {[]string{"mfa"}, true}, {[]string{"hwk"}, true},
	} {
		if got := MultiFactor(tt.amr); got != tt.want {
			t.Errorf("MultiFactor(%q) = %v, want %v", tt.amr, got, tt.want)
		}
	}
}
