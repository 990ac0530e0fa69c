package account

import (
	"strings"
	"testing"
	"time"

	"trustmark"
)

func TestLinks(t *testing.T) {
	token, l, ev, err := IssueLink(seeded(7), Invitation, "a1", "a9", t0)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("only the hash of the token is kept", func(t *testing.T) {
		hash, err := ParseLinkToken(token)
		if err != nil || hash != l.Hash || strings.Contains(l.Hash, token) || len(l.Hash) != 64 {
			t.Errorf("ParseLinkToken(%s) = %s, %v; want the link's hash %s", token, hash, err, l.Hash)
		}
		if ev.Kind != EventLinkIssued || ev.Detail != "invitation" || strings.Contains(ev.Detail, token) {
			t.Errorf("issued event = %+v", ev)
		}
	})
	t.Run("the token comes from the random source", func(t *testing.T) {
		same, _, _, _ := IssueLink(seeded(7), Invitation, "a1", "a9", t0)
		other, _, _, _ := IssueLink(seeded(8), Invitation, "a1", "a9", t0)
		if same != token || other == token {
			t.Error("IssueLink does not take its token from the random source")
		}
	})
	t.Run("an invitation lasts seven days to the instant", func(t *testing.T) {
		if _, _, err := l.Redeem(t0.Add(7*24*time.Hour - time.Nanosecond)); err != nil {
			t.Errorf("Redeem just before expiry = %v", err)
		}
		if _, _, err := l.Redeem(t0.Add(7 * 24 * time.Hour)); reason(err) != "link.expired" {
			t.Errorf("Redeem at expiry = %v, want link.expired", err)
		}
	})
	t.Run("a link is used once", func(t *testing.T) {
		used, ev, err := l.Redeem(t0.Add(time.Hour))
		if err != nil || ev.Kind != EventLinkRedeemed || !used.RedeemedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("Redeem = %+v, %+v, %v", used, ev, err)
		}
		if _, _, err := used.Redeem(t0.Add(2 * time.Hour)); reason(err) != "link.used" || trustmark.ErrorCode(err) != trustmark.EUnauthorized {
			t.Errorf("second Redeem = %v, want link.used", err)
		}
	})
	t.Run("a link of unknown purpose is not issued", func(t *testing.T) {
		if _, _, _, err := IssueLink(seeded(7), Purpose("forever"), "a1", "a9", t0); err == nil {
			t.Error("IssueLink(unknown purpose) succeeded")
		}
	})
}

func TestTokensAreNotInterchangeable(t *testing.T) {
	link, _, _, _ := IssueLink(seeded(9), PasswordReset, "a1", "a9", t0)
	session, _, _ := NewSession(seeded(9), "a1", StageFull, t0)
	if _, err := ParseSessionToken(link); reason(err) != "token.format" {
		t.Errorf("ParseSessionToken(link token) = %v, want token.format", err)
	}
	if _, err := ParseLinkToken(session); reason(err) != "token.format" {
		t.Errorf("ParseLinkToken(session token) = %v, want token.format", err)
	}
	for _, bad := range []string{"", "tml_", "tml_" + strings.Repeat("A", 42), "tml_" + strings.Repeat("A", 44), "tml_" + strings.Repeat("+", 43), "tm_" + strings.Repeat("A", 43)} {
		if _, err := ParseLinkToken(bad); reason(err) != "token.format" {
			t.Errorf("ParseLinkToken(%q) = %v, want token.format", bad, err)
		}
	}
}
