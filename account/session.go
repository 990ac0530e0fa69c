package account

import (
	"fmt"
	"io"
	"time"

	"trustmark"
)

// Stage is how far a session's sign-in has come. Only a full session opens
// the workbench; the others open just the one form that completes them.
type Stage string

// Stages of a session.
const (
	// StageCredentials: signed in by a one-time link; the person may only
	// choose a password (and set up a second factor).
	StageCredentials Stage = "credentials"
	// StageSecondFactor: the password was right; the TOTP code, or the
	// enrolment of an authenticator when the role requires one, is awaited.
	StageSecondFactor Stage = "second_factor"
	// StageFull: signed in.
	StageFull Stage = "full"
)

// Session is a server-side session as stored: the hash of the cookie's
// token, never the token. When a session moves to StageFull the server
// starts a new one (a new token) and ends the old, so that a token planted
// before sign-in is worth nothing after it.
type Session struct {
	Hash      string    `json:"-"`
	Account   string    `json:"account"`
	Stage     Stage     `json:"stage"`
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
}

// SessionPolicy sets how long sessions last.
type SessionPolicy struct {
	Idle     time.Duration // a full session unused this long has ended
	Absolute time.Duration // a full session ends this long after sign-in, used or not
	Pending  time.Duration // a session short of StageFull ends this long after it began
}

// DefaultSessions ends a session after 30 minutes without a request and 12
// hours after sign-in (OWASP's session guidance: 15-30 minutes idle for
// applications of this value; a working day absolute), and gives a person
// 10 minutes to type a code or choose a password.
var DefaultSessions = SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour, Pending: 10 * time.Minute}

// NewSession returns a new session of account at stage, with the token for
// its cookie read from rand.
func NewSession(rand io.Reader, account string, stage Stage, now time.Time) (string, Session, error) {
	token, hash, err := newToken(rand, sessionPrefix)
	if err != nil {
		return "", Session{}, err
	}
	return token, Session{Hash: hash, Account: account, Stage: stage, CreatedAt: now, LastSeen: now}, nil
}

// Use returns s used at now, or a refusal when it has ended. The server
// ends (deletes) a session Use refuses.
func (p SessionPolicy) Use(s Session, now time.Time) (Session, error) {
	switch {
	case s.Stage != StageFull && now.Sub(s.CreatedAt) >= p.Pending:
		return s, refuse(trustmark.EUnauthorized, "session.pending_expired", "", "the sign-in took too long; please start again")
	case now.Sub(s.CreatedAt) >= p.Absolute:
		return s, refuse(trustmark.EUnauthorized, "session.expired", "", "you have been signed in for %s; please sign in again", span(p.Absolute))
	case now.Sub(s.LastSeen) >= p.Idle:
		return s, refuse(trustmark.EUnauthorized, "session.idle", "", "you were signed out after %s without activity; please sign in again", span(p.Idle))
	}
	if now.After(s.LastSeen) {
		s.LastSeen = now
	}
	return s, nil
}

// span says a duration of whole hours or minutes as people do.
func span(d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		return fmt.Sprintf("%d hours", d/time.Hour)
	}
	return fmt.Sprintf("%d minutes", d/time.Minute)
}
