package account

import "time"

// EventKind says what happened to an account.
type EventKind string

// Kinds of account event. Changes to an account (created, roles, password
// and second factor set or reset, links issued) are changes of the
// registry's state and go to the public log, with the account named only by
// its opaque ID; sign-in attempts, locks and sessions are security records
// kept out of the public log (see Public).
const (
	EventCreated          EventKind = "account.created"
	EventRoleGranted      EventKind = "account.role_granted"
	EventRoleRevoked      EventKind = "account.role_revoked"
	EventPasswordSet      EventKind = "account.password_set"
	EventCredentialsReset EventKind = "account.credentials_reset"
	EventTOTPEnrolled     EventKind = "account.totp_enrolled"
	EventLinkIssued       EventKind = "account.link_issued"
	EventLinkRedeemed     EventKind = "account.link_redeemed"

	EventSignedIn      EventKind = "signin.succeeded"
	EventSignInFailed  EventKind = "signin.failed"
	EventLocked        EventKind = "signin.locked"
	EventSessionEnded  EventKind = "session.ended"
	EventTOTPRefused   EventKind = "signin.totp_refused"
	EventLockedRefusal EventKind = "signin.refused_locked"
)

// Public reports whether events of kind k belong in the public log. Sign-in
// records would tell the public when a regulator works and who is being
// attacked; they go to the security log that administrators read.
func (k EventKind) Public() bool {
	switch k {
	case EventCreated, EventRoleGranted, EventRoleRevoked, EventPasswordSet,
		EventCredentialsReset, EventTOTPEnrolled, EventLinkIssued, EventLinkRedeemed:
		return true
	}
	return false
}

// Event is one thing that happened to an account: what, to which account,
// by whom and when. Detail never holds personal data or a secret: a role, a
// link's purpose, a refusal's reason key.
type Event struct {
	Kind    EventKind `json:"kind"`
	Account string    `json:"account"`
	Actor   string    `json:"actor"` // the account that acted, "cli", or "" for the account itself
	At      time.Time `json:"at"`
	Detail  string    `json:"detail,omitempty"`
}
