package trustmark

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// CertType is a certificate type code of the public contract.
type CertType string

// Certificate types (CONTRACT.md, "Certificate type codes").
const (
	TypeQMS     CertType = "QMS"     // quality management system
	TypeEMS     CertType = "EMS"     // environmental management system
	TypeOHSMS   CertType = "OHSMS"   // occupational health and safety
	TypeFSMS    CertType = "FSMS"    // food safety management system
	TypeHACCP   CertType = "HACCP"   // hazard analysis and critical control points
	TypeGAP     CertType = "GAP"     // good agricultural practice
	TypeISMS    CertType = "ISMS"    // information security management system
	TypeService CertType = "SERVICE" // service certification
	TypeOrganic CertType = "ORGANIC" // organic products
	TypeGreen   CertType = "GREEN"   // green products
	TypeCCC     CertType = "CCC"     // China Compulsory Certification
	TypeProduct CertType = "PRODUCT" // voluntary product certification
)

// CertTypes lists every certificate type in display order.
var CertTypes = []CertType{TypeCCC, TypeQMS, TypeEMS, TypeOHSMS, TypeFSMS, TypeHACCP, TypeISMS, TypeService, TypeProduct, TypeOrganic, TypeGreen, TypeGAP}

// ParseCertType validates a certificate type code (case-insensitive).
func ParseCertType(s string) (CertType, error) {
	t := CertType(strings.ToUpper(strings.TrimSpace(s)))
	for _, k := range CertTypes {
		if k == t {
			return t, nil
		}
	}
	return "", Errorf(EInvalid, "type", "certificate type %q is not one of %s", s, joinTypes(CertTypes))
}

// ParseCertTypes parses a ';'-separated list of type codes.
func ParseCertTypes(s, field string) ([]CertType, error) {
	var out []CertType
	seen := map[CertType]bool{}
	for _, p := range splitList(s) {
		t, err := ParseCertType(p)
		if err != nil {
			return nil, Errorf(EInvalid, field, "%s", ErrorMessage(err))
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

func joinTypes(ts []CertType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// splitList splits a ';'-separated cell, trimming blanks and dropping empties.
// Full-width semicolons (；) are accepted, as Chinese spreadsheets contain them.
func splitList(s string) []string {
	s = strings.ReplaceAll(s, "；", ";")
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// CertStatus is a certificate's status.
type CertStatus string

// Certificate statuses. Revoked, withdrawn and expired are final.
const (
	StatusValid     CertStatus = "valid"
	StatusSuspended CertStatus = "suspended" // 暂停
	StatusRevoked   CertStatus = "revoked"   // 撤销
	StatusWithdrawn CertStatus = "withdrawn" // 注销
	StatusExpired   CertStatus = "expired"   // 过期失效
)

// CertStatuses lists every certificate status.
var CertStatuses = []CertStatus{StatusValid, StatusSuspended, StatusRevoked, StatusWithdrawn, StatusExpired}

// ParseCertStatus validates a certificate status.
func ParseCertStatus(s string) (CertStatus, error) {
	st := CertStatus(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range CertStatuses {
		if k == st {
			return st, nil
		}
	}
	return "", Errorf(EInvalid, "status", "certificate status %q is not one of valid, suspended, revoked, withdrawn, expired", s)
}

// Final reports whether no transition leaves s.
func (s CertStatus) Final() bool { return len(transitions[s]) == 0 }

// transitions is the certificate lifecycle: the one table that decides which
// status may follow which. Expiry is reached only through the date (see
// Certificate.EffectiveStatus) or the expiry job (DecideExpiry), never by
// request.
var transitions = map[CertStatus][]CertStatus{
	StatusValid:     {StatusSuspended, StatusRevoked, StatusWithdrawn, StatusExpired},
	StatusSuspended: {StatusValid, StatusRevoked, StatusWithdrawn, StatusExpired},
}

// CanTransition reports whether the lifecycle allows from → to.
func CanTransition(from, to CertStatus) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Certificate is a certificate of any type. Number is unique per type.
type Certificate struct {
	Number         string     `json:"number"`
	Type           CertType   `json:"type"`
	BodyApprovalNo string     `json:"body_approval_no"`
	HolderUSCC     USCC       `json:"holder_uscc"`
	Scope          string     `json:"scope"`
	Standard       string     `json:"standard,omitempty"`
	Product        string     `json:"product,omitempty"`
	CCCCategory    string     `json:"ccc_category,omitempty"`
	IssuedOn       Date       `json:"issued_on"`
	ExpiresOn      Date       `json:"expires_on"`
	Status         CertStatus `json:"status"`       // as stored
	StatusSince    Date       `json:"status_since"` // day the stored status took effect

	// Filled on reads for display; not part of the record's identity.
	HolderName string    `json:"-"`
	BodyName   string    `json:"-"`
	UpdatedAt  time.Time `json:"-"`
	// BodyStatus and BodyStatusSince are the issuing body's standing, read
	// with the certificate so that no answer shows one without the other
	// (see Certificate.Standing). Empty when read without it.
	BodyStatus      PartyStatus `json:"-"`
	BodyStatusSince Date        `json:"-"`
}

// LapsingStatuses are the statuses a certificate leaves by date alone: a
// valid or suspended certificate whose expiry date has passed is expired.
// The other statuses are final.
var LapsingStatuses = []CertStatus{StatusValid, StatusSuspended}

// Lapses reports whether a certificate of status s becomes expired when its
// expiry date passes.
func (s CertStatus) Lapses() bool { return slices.Contains(LapsingStatuses, s) }

// ExpiryCutoff returns the latest expiry date of a certificate that is
// expired on today. A certificate is valid through its expiry date
// (有效期至 2026-12-07 is valid on 2026-12-07 and expired from 2026-12-08),
// so the cutoff is the day before today. This is the one boundary of the
// effective status: storage and search compare expiry dates with it
// (expires_on <= cutoff) rather than writing the rule again.
func ExpiryCutoff(today Date) Date { return today.AddDate(0, 0, -1) }

// ExpiredFrom returns the first day on which a certificate that expires on
// expires is expired: the day after.
func ExpiredFrom(expires Date) Date { return expires.AddDate(0, 0, 1) }

// LapsedOn reports whether c is expired on today by its date alone: its
// status lapses and its expiry date is on or before ExpiryCutoff(today).
func (c *Certificate) LapsedOn(today Date) bool {
	return c.Status.Lapses() && !c.ExpiresOn.IsZero() && !c.ExpiresOn.After(ExpiryCutoff(today))
}

// EffectiveStatus is the status to show on the given day and the day it
// took effect: a certificate whose expiry date has passed is expired
// whatever the stored row says, so that no answer ever shows an expired
// certificate as valid while the expiry job has not yet caught up. Every
// answer (pages, API, bulk verification, search, statistics) and the expiry
// job follow this rule; SQL and search follow it through ExpiryCutoff.
func (c *Certificate) EffectiveStatus(today Date) (CertStatus, Date) {
	if c.LapsedOn(today) {
		return StatusExpired, ExpiredFrom(c.ExpiresOn)
	}
	return c.Status, c.StatusSince
}

// Key is the certificate's natural key, "TYPE/NUMBER".
func (c *Certificate) Key() string { return string(c.Type) + "/" + c.Number }

// Validate checks the certificate's own fields: number format for its type,
// dates in order and within the policy's validity, status known. It does not
// check the issuing body (see Policy.CheckIssuer).
func (c *Certificate) Validate(p *Policy) error {
	if c.Number == "" {
		return Errorf(EInvalid, "number", "certificate number is required")
	}
	if err := ValidateCertNumber(c.Type, c.Number, c.CCCCategory); err != nil {
		return err
	}
	if c.BodyApprovalNo == "" {
		return Errorf(EInvalid, "body_approval_no", "issuing body approval number is required")
	}
	if c.HolderUSCC == "" {
		return Errorf(EInvalid, "holder_uscc", "holder unified social credit code is required")
	}
	if strings.TrimSpace(c.Scope) == "" {
		return Errorf(EInvalid, "scope", "certification scope is required")
	}
	if c.Type == TypeCCC && c.CCCCategory == "" {
		return Errorf(EInvalid, "ccc_category", "a CCC certificate needs its 4-digit product category")
	}
	if c.Type != TypeCCC && c.CCCCategory != "" {
		return Errorf(EInvalid, "ccc_category", "a CCC product category is given for a %s certificate", c.Type)
	}
	if c.IssuedOn.IsZero() {
		return Errorf(EInvalid, "issued_on", "issue date is required")
	}
	if c.ExpiresOn.IsZero() {
		return Errorf(EInvalid, "expires_on", "expiry date is required")
	}
	if !c.ExpiresOn.After(c.IssuedOn) {
		return Errorf(EInvalid, "expires_on", "expiry date %s is not after issue date %s", c.ExpiresOn, c.IssuedOn)
	}
	if max := p.MaxValidity(c.Type); max > 0 {
		if limit := c.IssuedOn.AddDate(max, 0, 0); c.ExpiresOn.After(limit) {
			return Errorf(EInvalid, "expires_on", "expiry date %s is more than %d years after issue date %s for a %s certificate (latest %s)", c.ExpiresOn, max, c.IssuedOn, c.Type, limit)
		}
	}
	if _, err := ParseCertStatus(string(c.Status)); err != nil {
		return err
	}
	return nil
}

// Transition is a request to change a certificate's status.
type Transition struct {
	To          CertStatus `json:"to"`
	Reason      string     `json:"reason"`
	EffectiveOn Date       `json:"effective_on"`
}

// Apply checks t against the lifecycle and returns the certificate after it.
// today is the day the request is made; an effective date defaults to today
// and may not lie in the future or before the current status began.
func (c Certificate) Apply(t Transition, today Date) (Certificate, error) {
	from, _ := c.EffectiveStatus(today)
	if t.To == StatusExpired {
		return c, Errorf(EInvalid, "to", "a certificate expires by its expiry date, not by request")
	}
	if _, err := ParseCertStatus(string(t.To)); err != nil {
		return c, Errorf(EInvalid, "to", "%s", ErrorMessage(err))
	}
	if from.Final() {
		return c, Errorf(EConflict, "to", "certificate %s is %s, a final status: it cannot become %s", c.Number, from, t.To)
	}
	if from == t.To {
		return c, Errorf(EConflict, "to", "certificate %s is already %s", c.Number, from)
	}
	if !CanTransition(from, t.To) {
		return c, Errorf(EConflict, "to", "certificate %s cannot go from %s to %s", c.Number, from, t.To)
	}
	if strings.TrimSpace(t.Reason) == "" && t.To != StatusValid {
		return c, Errorf(EInvalid, "reason", "a reason is required to make a certificate %s", t.To)
	}
	eff := t.EffectiveOn
	if eff.IsZero() {
		eff = today
	}
	if eff.After(today) {
		return c, Errorf(EInvalid, "effective_on", "effective date %s is in the future (today is %s)", eff, today)
	}
	if eff.Before(c.StatusSince) {
		return c, Errorf(EInvalid, "effective_on", "effective date %s is before the current status began on %s", eff, c.StatusSince)
	}
	c.Status = t.To
	c.StatusSince = eff
	return c, nil
}

// String returns a short description for logs.
func (c *Certificate) String() string { return fmt.Sprintf("%s certificate %s", c.Type, c.Number) }
