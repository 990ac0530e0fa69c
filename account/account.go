// Package account holds people's accounts on the workbench and the rules of
// signing in: roles and their scopes, argon2id password hashes, TOTP second
// factors with replay protection, throttling and temporary locks, one-time
// links and sessions.
//
// Every rule is a pure decision: the current state, the request and the time
// give the new state and its events, or a refusal. Randomness (salts, TOTP
// secrets, tokens) is read from a source passed in, so that tests are
// deterministic. Storage keeps what these functions return; it never
// decides. What a role may do is decided in package access, not here.
package account

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"trustmark"
)

// Kind is the kind of a role: whom its holder works for.
type Kind string

// Kinds of role.
const (
	Regulator Kind = "regulator" // staff of a market-supervision bureau, scoped to a region
	Body      Kind = "body"      // staff of a certification body
	Lab       Kind = "lab"       // staff of a laboratory
	Auditor   Kind = "auditor"   // a registered person (auditor, inspector) acting for themselves
	Org       Kind = "org"       // staff of a certified organisation
)

// Kinds lists every kind of role, in the order pages and documents show them.
var Kinds = []Kind{Regulator, Body, Lab, Auditor, Org}

// ParseKind reads a kind of role as `trustmark user create --role` takes it.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(Kinds, k) {
		return "", trustmark.Invalidf("role.kind", "role", "role %q is not one of regulator, body, lab, auditor, org", s)
	}
	return k, nil
}

// Unit is whom a role acts for: a regulator's region (a GB/T 2260 code, or
// trustmark.NationalRegion), a body's approval number, a laboratory's CMA
// number, a person's registration number or an organisation's USCC, always
// in canonical form so that two units compare equal exactly when they are
// the same.
type Unit struct {
	Kind Kind   `json:"kind"`
	ID   string `json:"id"`
}

// String returns "kind:id".
func (u Unit) String() string { return string(u.Kind) + ":" + u.ID }

// ParseUnit reads the identifier of a unit of kind k into its canonical form.
func ParseUnit(k Kind, id string) (Unit, error) {
	var s string
	var err error
	switch k {
	case Regulator:
		if strings.TrimSpace(id) == trustmark.NationalRegion {
			return Unit{k, trustmark.NationalRegion}, nil
		}
		s, err = trustmark.ParseRegionCode(id)
	case Body:
		var no trustmark.ApprovalNo
		no, err = trustmark.ParseApprovalNo(id)
		s = string(no)
	case Lab:
		var no trustmark.CMANo
		no, err = trustmark.ParseCMANo(id)
		s = string(no)
	case Auditor:
		s, err = parseRegistrationNo(id)
	case Org:
		var u trustmark.USCC
		u, err = trustmark.ParseUSCC(id)
		s = string(u)
	default:
		_, err = ParseKind(string(k))
	}
	if err != nil {
		return Unit{}, err
	}
	return Unit{k, s}, nil
}

// parseRegistrationNo checks a person's registration number as the person
// import does (record.go: at most 64 characters, no blanks or slashes). The
// root has no exported parser for it yet; when it gets one, this calls it.
func parseRegistrationNo(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '/' || !unicode.IsPrint(r) }) {
		return "", trustmark.Invalidf("registration_no.format", "registration_no", "registration number %q must be 1-64 characters with no spaces or slashes", s)
	}
	return s, nil
}

// Role is one thing a person does in Trustmark: work for a unit, and, when
// Admin is set, administer its accounts (invite staff, reset passwords).
// A regulator's unit is its region, and its role covers everything below
// that region in GB/T 2260.
type Role struct {
	Unit
	Admin bool `json:"admin,omitempty"`
}

// String returns "kind:id", with " (admin)" for an administrator.
func (r Role) String() string {
	if r.Admin {
		return r.Unit.String() + " (admin)"
	}
	return r.Unit.String()
}

// ParseRole reads a role. An auditor's role is one person's own, so it has
// no administrator.
func ParseRole(k Kind, id string, admin bool) (Role, error) {
	u, err := ParseUnit(k, id)
	if err != nil {
		return Role{}, err
	}
	if admin && k == Auditor {
		return Role{}, trustmark.Invalidf("role.admin_auditor", "admin", "an auditor's role is the person's own and has no administrator")
	}
	return Role{Unit: u, Admin: admin}, nil
}

// Email is an account's e-mail address in canonical form: the bare address,
// lower-cased. It is personal data: it never appears in the public log or a
// log line.
type Email string

// maxEmailBytes is the longest address SMTP carries (RFC 5321 §4.5.3.1.3).
const maxEmailBytes = 254

// ParseEmail reads an e-mail address as a person types it: surrounding
// blanks dropped, case folded (mail systems here treat addresses without
// regard to case, and people type them both ways). A display name or a
// comment is refused: an account's address is the address alone.
func ParseEmail(s string) (Email, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", trustmark.Invalidf("email.empty", "email", "an e-mail address is required")
	}
	if len(s) > maxEmailBytes {
		return "", trustmark.Invalidf("email.length", "email", "an e-mail address is at most %d bytes", maxEmailBytes)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", trustmark.Invalidf("email.format", "email", "%q is not an e-mail address such as name@example.cn", s)
	}
	return Email(s), nil
}

// maxNameRunes bounds a display name.
const maxNameRunes = 100

// Account is a person's account. The person's name and e-mail address are
// personal data; ID is opaque and is what events and other records name.
type Account struct {
	ID        string    `json:"id"`
	Email     Email     `json:"email"`
	Name      string    `json:"name"`
	Roles     []Role    `json:"roles"`
	Disabled  bool      `json:"disabled,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// New returns a new account of roles, with its created event. actor is who
// created it (an administrator's account ID, or "cli" for the first
// accounts). An account without a role could do nothing, so at least one
// role is required.
func New(id string, email Email, name string, roles []Role, actor string, now time.Time) (Account, Event, error) {
	name = strings.TrimSpace(name)
	switch {
	case id == "":
		return Account{}, Event{}, fmt.Errorf("account: new account without an ID")
	case email == "":
		return Account{}, Event{}, trustmark.Invalidf("email.empty", "email", "an e-mail address is required")
	case name == "" || utf8.RuneCountInString(name) > maxNameRunes || strings.ContainsFunc(name, unicode.IsControl):
		return Account{}, Event{}, trustmark.Invalidf("account.name", "name", "a display name is 1-%d characters without control characters", maxNameRunes)
	case len(roles) == 0:
		return Account{}, Event{}, trustmark.Invalidf("account.no_role", "role", "an account needs at least one role")
	}
	a := Account{ID: id, Email: email, Name: name, CreatedAt: now}
	for _, r := range roles {
		if a.HasRole(r.Unit) {
			return Account{}, Event{}, trustmark.Invalidf("role.duplicate", "role", "role %s is given twice", r.Unit)
		}
		a.Roles = append(a.Roles, r)
	}
	return a, Event{Kind: EventCreated, Account: id, Actor: actor, At: now, Detail: rolesString(a.Roles)}, nil
}

// HasRole reports whether a holds a role for unit u.
func (a Account) HasRole(u Unit) bool {
	return slices.ContainsFunc(a.Roles, func(r Role) bool { return r.Unit == u })
}

// Grant returns a with role r added (or its admin flag changed).
func (a Account) Grant(r Role, actor string, now time.Time) (Account, Event, error) {
	i := slices.IndexFunc(a.Roles, func(have Role) bool { return have.Unit == r.Unit })
	if i >= 0 && a.Roles[i] == r {
		return a, Event{}, trustmark.Errorf(trustmark.EConflict, "role", "the account already holds role %s", r)
	}
	a.Roles = slices.Clone(a.Roles)
	if i >= 0 {
		a.Roles[i] = r
	} else {
		a.Roles = append(a.Roles, r)
	}
	return a, Event{Kind: EventRoleGranted, Account: a.ID, Actor: actor, At: now, Detail: r.String()}, nil
}

// Revoke returns a without its role for unit u. The last role can be
// revoked: the account then can sign in to nothing but its own settings.
func (a Account) Revoke(u Unit, actor string, now time.Time) (Account, Event, error) {
	i := slices.IndexFunc(a.Roles, func(have Role) bool { return have.Unit == u })
	if i < 0 {
		return a, Event{}, trustmark.Errorf(trustmark.ENotFound, "role", "the account holds no role for %s", u)
	}
	a.Roles = slices.Delete(slices.Clone(a.Roles), i, i+1)
	return a, Event{Kind: EventRoleRevoked, Account: a.ID, Actor: actor, At: now, Detail: u.String()}, nil
}

// RequiresSecondFactor reports whether the account must sign in with a
// second factor: every regulator must (issue 12); others may choose to.
func (a Account) RequiresSecondFactor() bool {
	return slices.ContainsFunc(a.Roles, func(r Role) bool { return r.Kind == Regulator })
}

func rolesString(rs []Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = r.String()
	}
	return strings.Join(s, ", ")
}
