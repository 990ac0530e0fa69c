package account

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"trustmark"
)

// Token prefixes say what a secret is, so that one pasted in the wrong place
// is refused at once and a leaked one is easy to find in logs. API tokens
// (sqlstore) are "tm_".
const (
	linkPrefix    = "tml_"
	sessionPrefix = "tms_"
	tokenBytes    = 32 // 256 bits: guessing is hopeless, so a fast hash suffices
)

var tokenB64 = base64.RawURLEncoding.Strict()

// newToken returns a secret read from rand, as prefix and 32 bytes in
// base64url, and the hash under which it is stored.
func newToken(rand io.Reader, prefix string) (token, hash string, err error) {
	var raw [tokenBytes]byte
	if _, err := io.ReadFull(rand, raw[:]); err != nil {
		return "", "", fmt.Errorf("account: token: %w", err)
	}
	token = prefix + tokenB64.EncodeToString(raw[:])
	return token, tokenHash(token), nil
}

// tokenHash is the hex SHA-256 of a token, the only form of it stored. A
// 256-bit random secret needs no slow hash: nobody can guess it, and the
// hash keeps a copy of the database from signing anyone in.
func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// parseToken reads a token of the given prefix and returns its hash.
func parseToken(prefix, what, s string) (string, error) {
	s = strings.TrimSpace(s)
	body, ok := strings.CutPrefix(s, prefix)
	if !ok || tokenB64.EncodedLen(tokenBytes) != len(body) {
		return "", refuse(trustmark.EUnauthorized, "token.format", "token", "this is not a Trustmark %s", what)
	}
	// Decoding skips line breaks: only a body that re-encodes to itself is
	// the canonical spelling of a token.
	if raw, err := tokenB64.DecodeString(body); err != nil || tokenB64.EncodeToString(raw) != body {
		return "", refuse(trustmark.EUnauthorized, "token.format", "token", "this is not a Trustmark %s", what)
	}
	return tokenHash(s), nil
}

// ParseLinkToken reads the token of a one-time link (as it arrives in the
// link's path) and returns the hash to look the link up by.
func ParseLinkToken(s string) (string, error) { return parseToken(linkPrefix, "sign-in link", s) }

// ParseSessionToken reads a session cookie's value and returns the hash to
// look the session up by.
func ParseSessionToken(s string) (string, error) { return parseToken(sessionPrefix, "session", s) }

// Purpose is what a one-time link is for. Each lets its holder sign in once
// and choose a password (and a second factor); they differ in who sends
// them and how long they last.
type Purpose string

// Purposes of one-time links.
const (
	Invitation    Purpose = "invitation" // an administrator invites a new member of staff
	FirstSignIn   Purpose = "signin"     // `trustmark user create` prints one for the first accounts
	PasswordReset Purpose = "reset"      // an administrator of the same scope resets a password
)

// LinkLifetimes is how long a link of each purpose can be used: long enough
// to reach someone by e-mail over a weekend, short enough that an old
// message in a mailbox is no way in.
var LinkLifetimes = map[Purpose]time.Duration{
	Invitation:    7 * 24 * time.Hour,
	FirstSignIn:   72 * time.Hour,
	PasswordReset: 24 * time.Hour,
}

// Link is a one-time sign-in link as stored: the hash of its token, never
// the token. An account has at most one unused link of each purpose: a new
// one replaces the old (the store deletes it in the same transaction).
type Link struct {
	Hash       string    `json:"-"`
	Purpose    Purpose   `json:"purpose"`
	Account    string    `json:"account"`
	IssuedBy   string    `json:"issued_by"`
	IssuedAt   time.Time `json:"issued_at"`
	Expires    time.Time `json:"expires"`
	RedeemedAt time.Time `json:"redeemed_at"`
}

// IssueLink returns a new link of purpose for account, with the token to
// send (read from rand) and the link_issued event. actor is who issued it.
func IssueLink(rand io.Reader, purpose Purpose, account, actor string, now time.Time) (string, Link, Event, error) {
	ttl, ok := LinkLifetimes[purpose]
	if !ok {
		return "", Link{}, Event{}, fmt.Errorf("account: link of unknown purpose %q", purpose)
	}
	token, hash, err := newToken(rand, linkPrefix)
	if err != nil {
		return "", Link{}, Event{}, err
	}
	l := Link{Hash: hash, Purpose: purpose, Account: account, IssuedBy: actor, IssuedAt: now, Expires: now.Add(ttl)}
	return token, l, Event{Kind: EventLinkIssued, Account: account, Actor: actor, At: now, Detail: string(purpose)}, nil
}

// Redeem uses l at now. It refuses a link used before or expired; the
// holder then asks for a new one.
func (l Link) Redeem(now time.Time) (Link, Event, error) {
	switch {
	case !l.RedeemedAt.IsZero():
		return l, Event{}, refuse(trustmark.EUnauthorized, "link.used", "token", "this link has been used already; ask for a new one")
	case !now.Before(l.Expires):
		return l, Event{}, refuse(trustmark.EUnauthorized, "link.expired", "token", "this link expired on %s (China time); ask for a new one", l.Expires.In(chinaTime).Format("2006-01-02 15:04"))
	}
	l.RedeemedAt = now
	return l, Event{Kind: EventLinkRedeemed, Account: l.Account, At: now, Detail: string(l.Purpose)}, nil
}
