package account

import "testing"

func TestTOTPURIIsTheOneNewTOTPGave(t *testing.T) {
	secret, uri, err := NewTOTP(seeded(7), "Trustmark", "wang.fang@example.cn")
	if err != nil {
		t.Fatal(err)
	}
	got, err := TOTPURI("Trustmark", "wang.fang@example.cn", secret)
	if err != nil || got != uri {
		t.Errorf("TOTPURI = %q, %v; want %q", got, err, uri)
	}
	if _, err := TOTPURI("Trustmark", "a@example.cn", "not base32!"); err == nil {
		t.Error("TOTPURI(not base32) succeeded, want an error")
	}
}

func TestInviteCreatesTheAccountAndItsLink(t *testing.T) {
	r, err := ParseRole(Body, "CNCA-R-2002-001", true)
	if err != nil {
		t.Fatal(err)
	}
	ch, token, err := Invite(seeded(3), "li.lei@example.cn", "李雷", []Role{r}, FirstSignIn, "cli", t0)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := ParseLinkToken(token)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case ch.NewAccount == nil || ch.NewAccount.Email != "li.lei@example.cn" || !ch.NewAccount.HasRole(r.Unit):
		t.Errorf("NewAccount = %+v, want li.lei@example.cn with %s", ch.NewAccount, r)
	case ch.Link == nil || ch.Link.Hash != hash || ch.Link.Account != ch.NewAccount.ID || ch.Link.Purpose != FirstSignIn:
		t.Errorf("Link = %+v, want the token's link for the new account", ch.Link)
	case len(ch.Events) != 2 || ch.Events[0].Kind != EventCreated || ch.Events[1].Kind != EventLinkIssued:
		t.Errorf("Events = %+v, want created and link_issued", ch.Events)
	}
	if _, _, err := Invite(seeded(3), "li.lei@example.cn", "李雷", nil, FirstSignIn, "cli", t0); err == nil {
		t.Error("Invite without a role succeeded, want a refusal")
	}
}
