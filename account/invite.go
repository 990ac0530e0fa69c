package account

import (
	"io"
	"time"
)

// Invite returns the Change that creates a new account of roles and issues
// its first one-time link of purpose, with the link's token to send: what
// `trustmark user create`, the demo and an administrator's invitation
// store. The account's ID and the token are read from rand; the decisions
// are New's and IssueLink's.
func Invite(rand io.Reader, email Email, name string, roles []Role, purpose Purpose, actor string, now time.Time) (Change, string, error) {
	id, err := NewID(rand)
	if err != nil {
		return Change{}, "", err
	}
	a, created, err := New(id, email, name, roles, actor, now)
	if err != nil {
		return Change{}, "", err
	}
	token, l, issued, err := IssueLink(rand, purpose, id, actor, now)
	if err != nil {
		return Change{}, "", err
	}
	return Change{NewAccount: &a, Link: &l, Events: []Event{created, issued}}, token, nil
}

// Reissue returns the Change that issues account a new one-time link of
// purpose (replacing its unused one), with the link's token to send.
func Reissue(rand io.Reader, a Account, purpose Purpose, actor string, now time.Time) (Change, string, error) {
	token, l, issued, err := IssueLink(rand, purpose, a.ID, actor, now)
	if err != nil {
		return Change{}, "", err
	}
	return Change{Link: &l, Events: []Event{issued}}, token, nil
}

// LinkPath is the path of the page of a one-time link's token, which the
// server serves at /signin/link/{token}.
func LinkPath(token string) string { return "/signin/link/" + token }
