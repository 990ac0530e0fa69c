package storetest

import (
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
)

func testAPITokens(t *testing.T, open func(t *testing.T) accountStore) {
	s := open(t)
	body := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
	a := newAccount(t, "acc_tok", "tok@example.cn", role(t, account.Auditor, "P-0001", false))
	create(t, s, a)
	issue := func(t *testing.T, tok account.APIToken) (string, account.APIToken) {
		t.Helper()
		token, got, err := s.IssueToken(ctx, tok)
		if err != nil {
			t.Fatalf("IssueToken(%v): %v", tok.Owner, err)
		}
		return token, got
	}
	secret, tok := issue(t, account.APIToken{Owner: body, Label: "ERP 接口", Expires: Now.Add(24 * time.Hour)})

	t.Run("a token with an expiry authenticates its party until then", func(t *testing.T) {
		got, err := s.Authenticate(ctx, secret)
		if err != nil || got != body {
			t.Errorf("Authenticate = %v, %v; want %v", got, err, body)
		}
		if len(tok.ID) != 16 || tok.Label != "ERP 接口" || !tok.CreatedAt.Equal(Now) {
			t.Errorf("issued token = %+v, want a 16-digit ID, its label and the time of issue", tok)
		}
	})
	t.Run("an account's token authenticates as the account", func(t *testing.T) {
		secret, _ := issue(t, account.APIToken{Owner: trustmark.Party{Kind: account.PartyKind, ID: a.ID}})
		got, err := s.Authenticate(ctx, secret)
		if want := (trustmark.Party{Kind: account.PartyKind, ID: a.ID}); err != nil || got != want {
			t.Errorf("Authenticate = %v, %v; want %v", got, err, want)
		}
	})
	t.Run("a token for an account or a party that does not exist is refused", func(t *testing.T) {
		_, _, err := s.IssueToken(ctx, account.APIToken{Owner: trustmark.Party{Kind: account.PartyKind, ID: "acc_none"}})
		wantCode(t, "IssueToken(unknown account)", err, trustmark.ENotFound, "")
		_, _, err = s.IssueToken(ctx, account.APIToken{Owner: trustmark.Party{Kind: trustmark.PartyBody, ID: "CNCA-R-2099-999"}})
		wantCode(t, "IssueToken(unknown body)", err, trustmark.ENotFound, "")
		_, _, err = s.IssueToken(ctx, account.APIToken{Owner: body, Label: "bad\x00label"})
		wantCode(t, "IssueToken(control character in label)", err, trustmark.EInvalid, "label")
	})
	t.Run("an expired token is refused and saying so", func(t *testing.T) {
		secret, _ := issue(t, account.APIToken{Owner: body, Expires: Now.Add(-time.Second)})
		_, err := s.Authenticate(ctx, secret)
		if trustmark.ErrorCode(err) != trustmark.EUnauthorized || !isReason(err, "token.expired") {
			t.Errorf("Authenticate(expired) = %v, want unauthorized token.expired", err)
		}
	})
	t.Run("the list shows live tokens of an owner, newest first, and all with Revoked", func(t *testing.T) {
		live, err := s.Tokens(ctx, account.TokenFilter{Owner: body})
		if err != nil {
			t.Fatal(err)
		}
		if len(live) != 1 || live[0].ID != tok.ID || live[0].Owner != body {
			t.Errorf("Tokens(live of %v) = %+v, want the one unexpired token", body, live)
		}
		all, err := s.Tokens(ctx, account.TokenFilter{Revoked: true})
		if err != nil || len(all) != 3 {
			t.Errorf("Tokens(all) = %d tokens, %v; want 3", len(all), err)
		}
	})
	t.Run("a revoked token is refused, and revoking it again is a conflict", func(t *testing.T) {
		got, err := s.RevokeToken(ctx, tok.ID, "cli")
		if err != nil || !got.Revoked.Equal(Now) {
			t.Fatalf("RevokeToken = %+v, %v; want revoked now", got, err)
		}
		_, err = s.Authenticate(ctx, secret)
		if trustmark.ErrorCode(err) != trustmark.EUnauthorized || !isReason(err, "token.revoked") {
			t.Errorf("Authenticate(revoked) = %v, want unauthorized token.revoked", err)
		}
		_, err = s.RevokeToken(ctx, tok.ID, "cli")
		wantCode(t, "RevokeToken(again)", err, trustmark.EConflict, "")
		_, err = s.RevokeToken(ctx, "0000000000000000", "cli")
		wantCode(t, "RevokeToken(unknown)", err, trustmark.ENotFound, "id")
		_, err = s.RevokeToken(ctx, "tm_notanid", "cli")
		wantCode(t, "RevokeToken(malformed)", err, trustmark.EInvalid, "id")
	})
	t.Run("issuing and revoking are in the security log, not the public log", func(t *testing.T) {
		recs, err := s.SecurityLog(ctx, account.SecurityFilter{})
		if err != nil || len(recs) == 0 || recs[0].Kind != account.EventTokenRevoked {
			t.Errorf("SecurityLog = %+v, %v; want the revocation first", recs, err)
		}
		for _, e := range events(t, s) {
			if e.Entity == account.Entity && e.Action != "created" {
				t.Errorf("public event %s %s, want only the account's creation", e.Entity, e.Action)
			}
		}
	})
}
