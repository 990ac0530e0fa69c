package account

import (
	"context"
	"encoding/base32"
	"fmt"
	"io"
	"strings"
	"time"

	"trustmark"
)

// Entity is the entity name of accounts in the registry's events
// (trustmark.Event.Entity): the public log names an account by its opaque
// ID and commits to its e-mail address and name by salted hash only
// (trustmark.PersonalFields).
const Entity = "account"

// PartyKind is the trustmark.Party kind of an account's API token: such a
// token acts as the account, with the account's roles, as its session does.
const PartyKind = "account"

// Security records of API tokens. Like sign-ins they go to the security
// log, not the public log: they tell when and by whom the API is used.
const (
	EventTokenCreated EventKind = "token.created"
	EventTokenRevoked EventKind = "token.revoked"
)

// idEncoding spells account IDs: lower-case base32 without padding, so an ID
// is safe in a URL, a log line and a file name.
var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewID returns a new opaque account ID read from rand: "acc_" and 80
// random bits. IDs carry nothing about the person, so the public log can
// name accounts without naming people.
func NewID(rand io.Reader) (string, error) {
	var b [10]byte
	if _, err := io.ReadFull(rand, b[:]); err != nil {
		return "", fmt.Errorf("account: new ID: %w", err)
	}
	return "acc_" + strings.ToLower(idEncoding.EncodeToString(b[:])), nil
}

// SessionRecord is a session as the store keeps it: the session and, while
// a second factor is being set up, the TOTP secret that awaits its first
// code (EnrolTOTP). The secret is held server-side, never in a cookie or a
// form.
type SessionRecord struct {
	Session
	PendingTOTP string `json:"-"`
}

// Change is what one step of an account's life writes. A Store applies all
// of it in one transaction or none of it, so that a redeemed link, the
// password it set and the session it opened cannot come apart. Every part
// is optional.
type Change struct {
	// NewAccount is stored as a new account with empty credentials. The
	// store refuses an e-mail address another account has (EConflict) and
	// a role whose unit the registry does not hold (ENotFound).
	NewAccount *Account
	// Account replaces the stored account of its ID (roles, name,
	// disabled); ENotFound when there is none.
	Account *Account
	// Credentials replace the credentials of CredentialsOf if they are
	// still at Version, the version Store.Credentials returned with them.
	// When another request changed them meanwhile the store refuses with
	// EConflict and writes nothing: the caller loads them again and
	// decides anew, so that no failed attempt is lost to a race.
	CredentialsOf string
	Credentials   *Credentials
	Version       int64
	// Link is stored. A link not yet redeemed replaces the unused link of
	// the same account and purpose; a redeemed one (RedeemedAt set) marks
	// the stored link used, and is refused (EUnauthorized, reason
	// "link.used") when it was used already, so a link opens one session
	// however many requests race with it.
	Link *Link
	// Session is stored as a new session.
	Session *SessionRecord
	// EndSessions are deleted, by hash; EndSessionsOf deletes every
	// session of that account (after a reset, a role revoked, a disabled
	// account).
	EndSessions   []string
	EndSessionsOf string
	// Events are recorded: those whose kind is Public in the public log,
	// the others in the security log.
	Events []Event
	// Client names the client that caused the change (its address as the
	// rate limiter sees it), for the security log.
	Client string
}

// SecurityFilter selects records of the security log.
type SecurityFilter struct {
	Account string // "" for all accounts, failures for unknown addresses included
	Limit   int    // default 100
}

// SecurityRecord is one line of the security log.
type SecurityRecord struct {
	Event
	Client string `json:"client,omitempty"`
}

// Store keeps accounts, their credentials, one-time links, sessions and
// the security log. sqlstore.DB implements it; storetest.RunAccounts is its
// conformance suite. It only persists what the functions of this package
// decided. Lookups of what is not there return ENotFound, never a zero
// value and nil. It must be safe for concurrent use.
type Store interface {
	// Apply writes c in one transaction (see Change).
	Apply(ctx context.Context, c Change) error

	// Account returns the account with this ID.
	Account(ctx context.Context, id string) (Account, error)
	// AccountByEmail returns the account of an e-mail address.
	AccountByEmail(ctx context.Context, e Email) (Account, error)
	// Staff returns the accounts that hold a role for unit u, by e-mail
	// address.
	Staff(ctx context.Context, u Unit) ([]Account, error)
	// Credentials returns an account's credentials and their version, for
	// a Change that replaces them.
	Credentials(ctx context.Context, id string) (Credentials, int64, error)

	// Link returns the link stored under hash (ParseLinkToken).
	Link(ctx context.Context, hash string) (Link, error)
	// Session returns the session stored under hash (ParseSessionToken).
	Session(ctx context.Context, hash string) (SessionRecord, error)
	// TouchSession records that the session was used at lastSeen
	// (SessionPolicy.Use); a session that has ended meanwhile is left
	// ended.
	TouchSession(ctx context.Context, hash string, lastSeen time.Time) error

	// SecurityLog returns records of the security log, newest first.
	SecurityLog(ctx context.Context, f SecurityFilter) ([]SecurityRecord, error)
}

// APIToken is an API token as stored (its hash only) and listed: whom it
// acts for (a party, or an account with the account's roles), a label to
// tell tokens apart, and when it stops working. ID is a public handle for
// listing and revoking: the first 16 hex digits of the token's hash.
type APIToken struct {
	ID        string          `json:"id"`
	Owner     trustmark.Party `json:"-"`
	Label     string          `json:"label,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	Expires   time.Time       `json:"expires,omitzero"` // zero: does not expire
	Revoked   time.Time       `json:"revoked,omitzero"` // zero: not revoked
}

// Check refuses a token that has been revoked or has expired by now. The
// refusal is unauthorized: the caller needs a new token, not a permission.
func (t APIToken) Check(now time.Time) error {
	switch {
	case !t.Revoked.IsZero():
		return refuse(trustmark.EUnauthorized, "token.revoked", "", "this API token was revoked on %s (China time)", t.Revoked.In(chinaTime).Format("2006-01-02 15:04"))
	case !t.Expires.IsZero() && !now.Before(t.Expires):
		return refuse(trustmark.EUnauthorized, "token.expired", "", "this API token expired on %s (China time)", t.Expires.In(chinaTime).Format("2006-01-02 15:04"))
	}
	return nil
}

// Revoke returns t revoked at now, with its security record. A token is
// revoked once: revoking it again is a conflict, so that a script that
// revokes the wrong ID hears of it.
func (t APIToken) Revoke(actor string, now time.Time) (APIToken, Event, error) {
	if !t.Revoked.IsZero() {
		return t, Event{}, trustmark.Errorf(trustmark.EConflict, "id", "token %s was revoked already", t.ID)
	}
	t.Revoked = now
	return t, Event{Kind: EventTokenRevoked, Account: t.Account(), Actor: actor, At: now, Detail: t.ID + " " + t.Owner.String()}, nil
}

// Account returns the ID of the account t belongs to, "" for a party's.
func (t APIToken) Account() string {
	if t.Owner.Kind == PartyKind {
		return t.Owner.ID
	}
	return ""
}

// TokenFilter selects API tokens.
type TokenFilter struct {
	Owner   trustmark.Party // zero: every owner
	Revoked bool            // include revoked and expired tokens
}

// TokenStore keeps API tokens. sqlstore.DB implements it.
type TokenStore interface {
	// IssueToken stores a new token for t.Owner (which must exist), with
	// t's label and expiry, and returns the token, shown once, and its
	// record. Only its hash is kept.
	IssueToken(ctx context.Context, t APIToken) (string, APIToken, error)
	// Tokens lists tokens, newest first.
	Tokens(ctx context.Context, f TokenFilter) ([]APIToken, error)
	// RevokeToken revokes the token of this ID (APIToken.Revoke) and
	// records it in the security log.
	RevokeToken(ctx context.Context, id, actor string) (APIToken, error)
}
