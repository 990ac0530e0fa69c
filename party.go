package trustmark

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// PartyStatus is the status of a body, laboratory or person.
type PartyStatus string

// Statuses of bodies, laboratories and persons. Banned is for persons only,
// and for life.
const (
	PartyActive    PartyStatus = "active"
	PartySuspended PartyStatus = "suspended"
	PartyRevoked   PartyStatus = "revoked"
	PartyBanned    PartyStatus = "banned"
)

// ParsePartyStatus validates a status; banned is accepted only when
// allowBanned is set (persons).
func ParsePartyStatus(s string, allowBanned bool) (PartyStatus, error) {
	st := PartyStatus(strings.ToLower(strings.TrimSpace(s)))
	switch st {
	case "":
		return PartyActive, nil
	case PartyActive, PartySuspended, PartyRevoked:
		return st, nil
	case PartyBanned:
		if allowBanned {
			return st, nil
		}
	}
	if allowBanned {
		return "", Errorf(EInvalid, "status", "status %q is not one of active, suspended, revoked, banned", s)
	}
	return "", Errorf(EInvalid, "status", "status %q is not one of active, suspended, revoked", s)
}

// CheckPersonStatusChange enforces that a ban is for life.
func CheckPersonStatusChange(from, to PartyStatus) error {
	if from == PartyBanned && to != PartyBanned {
		return Errorf(EConflict, "status", "a banned person stays banned for life; cannot become %s", to)
	}
	return nil
}

// ChangedStatusSince is the day a body's, laboratory's or person's new
// status began, when an import changes it: the day the record gives, if it
// gives one after the day the status it ends began and not still to come
// (a change decided before the file reached the registry); else today. A
// record that repeats the old day (a copy of the stored record with a new
// status) gets today.
func ChangedStatusSince(given, prevSince, today Date) Date {
	if given.IsZero() || given.After(today) || !given.After(prevSince) {
		return today
	}
	return given
}

// Org is a certified organisation (or any organisation the registry knows:
// holders, laboratory clients), identified by its USCC.
type Org struct {
	USCC       USCC     `json:"uscc"`
	Name       string   `json:"name"`
	NameEn     string   `json:"name_en,omitempty"`
	RegionCode string   `json:"region_code"`
	Address    string   `json:"address,omitempty"`
	Lat        *float64 `json:"lat,omitempty"`
	Lng        *float64 `json:"lng,omitempty"`
	Employees  int      `json:"employees,omitempty"`

	UpdatedAt time.Time `json:"-"`
}

// Body is a certification body approved by the regulator.
type Body struct {
	ApprovalNo    string     `json:"approval_no"`
	USCC          USCC       `json:"uscc"`
	Name          string     `json:"name"`
	NameEn        string     `json:"name_en,omitempty"`
	RegionCode    string     `json:"region_code"`
	Scopes        []CertType `json:"scopes"`
	CCCCategories []string   `json:"ccc_categories,omitempty"`
	// CCCCode is the two-digit code the body's CCC certificate numbers carry
	// in positions 5-6 (see CheckCCCBodyCode); "" when none is recorded.
	CCCCode     string      `json:"ccc_code,omitempty"`
	Status      PartyStatus `json:"status"`
	ApprovedOn  Date        `json:"approved_on"`
	StatusSince Date        `json:"status_since"`

	// CreditRefusal is why the body may not issue today by its credit
	// standing (a listing or ban in its integrity archive, as credit.Standing
	// decides), naming the decision; nil when it may. The store sets it when
	// it reads the body for a write; Policy.CheckIssuer weighs it.
	CreditRefusal error `json:"-"`

	// LastSubmission is when the body last sent data (import or API): the
	// portal shows it so a reader can tell "fake" from "not yet reported".
	LastSubmission time.Time `json:"-"`
}

// Lab is a testing laboratory with CMA accreditation (资质认定).
type Lab struct {
	CMANo       string      `json:"cma_no"`
	USCC        USCC        `json:"uscc"`
	Name        string      `json:"name"`
	RegionCode  string      `json:"region_code"`
	Status      PartyStatus `json:"status"`
	ValidUntil  Date        `json:"valid_until"`
	StatusSince Date        `json:"status_since"`
	// Scope is the laboratory's CMA accreditation scope as the registry
	// states it (products, parameters, standards: the schedule of its CMA
	// certificate), as free text; empty when the registry does not hold it.
	Scope string `json:"scope,omitempty"`

	// CreditRefusal is why the laboratory may not issue reports today by
	// its credit standing, as for Body; nil when it may.
	CreditRefusal error `json:"-"`

	LastSubmission time.Time `json:"-"`
}

// Person is an auditor or inspector registered with a body.
type Person struct {
	RegistrationNo string      `json:"registration_no"`
	Name           string      `json:"name"` // personal data: never written to the log in clear
	BodyApprovalNo string      `json:"body_approval_no"`
	Qualifications []CertType  `json:"qualifications"`
	Grade          string      `json:"grade,omitempty"`
	Status         PartyStatus `json:"status"`
	StatusSince    Date        `json:"status_since"`
}

// SamePerson reports whether a and b register the same person in the same
// way (body, name, qualifications, grade, status): an import row that
// changes nothing.
func SamePerson(a, b *Person) bool {
	return a.RegistrationNo == b.RegistrationNo && a.Name == b.Name && a.BodyApprovalNo == b.BodyApprovalNo &&
		slices.Equal(a.Qualifications, b.Qualifications) && a.Grade == b.Grade && a.Status == b.Status
}

// PersonalFields names, per entity, the fields that are personal data. The
// traceability log commits to them by salted hash only.
var PersonalFields = map[string][]string{
	"person":  {"name"},
	"account": {"email", "name"}, // account.Entity: a workbench account's person
}

// Party is who acts: a certification body, a laboratory, a regulator (by the
// region it governs; "000000" is national), or the system itself.
type Party struct {
	Kind string // "body", "lab", "regulator", "system", "import"
	ID   string
}

// Party kinds.
const (
	PartyBody      = "body"
	PartyLab       = "lab"
	PartyRegulator = "regulator"
	PartyPerson    = "person" // a registered person (an auditor's phone), by registration number
	PartySystem    = "system"
	PartyImport    = "import" // an operator's bulk import; ID is the file name
)

// String returns "kind:id", the form stored in events.
func (p Party) String() string {
	if p.ID == "" {
		return p.Kind
	}
	return p.Kind + ":" + p.ID
}

// System is the party of scheduled jobs (expiry) and demo generation.
var System = Party{Kind: PartySystem}

// Who may act is decided here and only here: storage calls these with the
// state it loaded, and API handlers call CanWriteCertificates to refuse a
// request before reading it. Each is a pure function of the actor and the
// target's state.
//
//	actor      certificates                       test reports
//	body       its own                            none
//	regulator  of bodies in its region (national  none
//	           "000000": all), by RegionCovers
//	lab        none                               its own
//	system     all (scheduled jobs, the demo)     all
//	import     all (an operator's import)         all

// CanWriteCertificates decides whether p is a party that may issue or change
// any certificate at all: bodies, regulators, the system and imports. It is
// the part of CanWriteCertificate that needs no target.
func (p Party) CanWriteCertificates() error {
	switch p.Kind {
	case PartyBody, PartyRegulator, PartySystem, PartyImport:
		return nil
	}
	return Errorf(EForbidden, "", "%s may not issue or change certificates; only certification bodies (their own) and regulators (in their region) may", p)
}

// CanWriteCertificate decides whether p may issue or change certificate c,
// whose issuing body is in region bodyRegion: a body only its own; a
// regulator those of bodies in its region (national regulators all); the
// system and imports all; nobody else.
func (p Party) CanWriteCertificate(c *Certificate, bodyRegion string) error {
	if err := p.CanWriteCertificates(); err != nil {
		return err
	}
	switch p.Kind {
	case PartyBody:
		if p.ID == c.BodyApprovalNo {
			return nil
		}
		return Errorf(EForbidden, "", "certificate %s was issued by %s; body %s may not change it", c.Number, c.BodyApprovalNo, p.ID)
	case PartyRegulator:
		if RegionCovers(p.ID, bodyRegion) {
			return nil
		}
		return Errorf(EForbidden, "", "regulator %s does not govern the region of body %s (%s)", p.ID, c.BodyApprovalNo, bodyRegion)
	}
	return nil
}

// CanWriteReport decides whether p may submit or change test report r: a
// laboratory only its own; the system and imports all; nobody else.
func (p Party) CanWriteReport(r *Report) error {
	switch p.Kind {
	case PartyLab:
		if p.ID == r.LabCMANo {
			return nil
		}
		return Errorf(EForbidden, "lab_cma_no", "laboratory %s may not submit reports of laboratory %s", p.ID, r.LabCMANo)
	case PartySystem, PartyImport:
		return nil
	}
	return Errorf(EForbidden, "lab_cma_no", "%s may not submit test reports; only the laboratory that issued them may", p)
}

// ParseParty parses "kind:id".
func ParseParty(s string) (Party, error) {
	kind, id, _ := strings.Cut(s, ":")
	switch kind {
	case PartyBody, PartyLab, PartyRegulator, PartySystem, PartyImport:
		return Party{Kind: kind, ID: id}, nil
	}
	return Party{}, fmt.Errorf("party %q: unknown kind", s)
}

// CanIssueCertificate decides whether p may issue c: a body in its own
// name, the system and imports; a regulator supervises certificates
// (CanWriteCertificate) but never issues one, for a certificate is the
// body's attestation (CONTRACT.md: "a body issues a certificate").
// Refusals are reported against the certificate's body_approval_no.
func (p Party) CanIssueCertificate(c *Certificate, bodyRegion string) error {
	if p.Kind == PartyRegulator {
		return Reasonf(EForbidden, "issue.regulator", "body_approval_no", "regulator %s may not issue certificates; only the certification body issues its own", p.ID)
	}
	err := p.CanWriteCertificate(c, bodyRegion)
	switch {
	case err == nil:
		return nil
	case p.Kind == PartyBody:
		return Errorf(EForbidden, "body_approval_no", "body %s may issue certificates only in its own name, not as %s", p.ID, c.BodyApprovalNo)
	}
	return Errorf(EForbidden, "body_approval_no", "%s", ErrorMessage(err))
}
