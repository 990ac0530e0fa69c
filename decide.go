package trustmark

import (
	"slices"
	"strings"
	"time"
)

// The decisions about a certificate. Each is a pure function: it takes the
// state storage loaded (the certificate as stored, nil when there is none;
// the issuing body; whether the holder is registered), the request, the
// policy, the day and the acting party, and returns the certificate's new
// state with the event that records it, or a refusal (*Error). Storage loads
// the inputs, calls the decision and persists what it returns in one
// transaction; it decides nothing. Handlers decode typed requests and
// translate the answers; they decide nothing either.
//
// The events a decision returns are complete but for Data, the public JSON
// of the state it returns beside them: storage encodes it as it writes the
// event, so that the encoding of a bulk import runs beside the writes.

// IssueRequest is a request to issue a certificate through the API (POST
// /api/v1/certificates): the columns of a certificate import row, typed.
// A zero field is one the request left out.
type IssueRequest struct {
	Number         CertNumber
	Type           CertType
	BodyApprovalNo string // "" issues in the name of the requesting body
	HolderUSCC     USCC
	Scope          string
	Standard       string
	Product        string
	CCCCategory    string
	IssuedOn       Date // zero is today
	ExpiresOn      Date
}

// Issuer returns the approval number of the body in whose name req issues
// when actor, a party, asks: the one it names, or the requesting body's own
// when it names none (IssuerFor without an account's bodies).
func (req IssueRequest) Issuer(actor Party) string {
	id, _ := req.IssuerFor(actor, nil)
	return id
}

// IssuerFor returns the approval number of the body in whose name req
// issues when actor asks on behalf of bodies, the bodies whose staff the
// asking account is and may issue for (nil for a party's own token). It is
// the one rule for the API and the workbench's form alike:
//
//   - the body req names, whoever asks (whether the asker may issue in its
//     name is the authorization's and CanIssueCertificate's to decide);
//   - else a body's token issues in the body's own name;
//   - else an account of one body issues in that body's name, as the body's
//     token does;
//   - else an account of several bodies is refused, naming them: which of
//     them attests is not the registry's to guess;
//   - else (no body at all) "", which the authorization refuses.
func (req IssueRequest) IssuerFor(actor Party, bodies []string) (string, error) {
	switch {
	case req.BodyApprovalNo != "":
		return req.BodyApprovalNo, nil
	case actor.Kind == PartyBody:
		return actor.ID, nil
	}
	distinct := slices.Compact(slices.Sorted(slices.Values(bodies)))
	switch len(distinct) {
	case 0:
		return "", nil
	case 1:
		return distinct[0], nil
	}
	return "", Invalidf("issue.body_ambiguous", "body_approval_no",
		"you may issue for %d bodies (%s): name the one that issues the certificate", len(distinct), strings.Join(distinct, ", "))
}

// certificate returns the certificate req describes, with its defaults.
func (req IssueRequest) certificate(actor Party, today Date) *Certificate {
	c := &Certificate{Number: string(req.Number), Type: req.Type, BodyApprovalNo: req.Issuer(actor), HolderUSCC: req.HolderUSCC,
		Scope: req.Scope, Standard: req.Standard, Product: req.Product, CCCCategory: req.CCCCategory,
		IssuedOn: req.IssuedOn, ExpiresOn: req.ExpiresOn}
	if c.IssuedOn.IsZero() {
		c.IssuedOn = today
	}
	c.complete()
	return c
}

// complete fills what a certificate's other fields imply: a CCC
// certificate's product category from positions 7-10 of its number, and the
// status, valid when none is given. It is the one place these defaults are
// set, for rows and requests alike.
func (c *Certificate) complete() {
	if c.Type == TypeCCC && c.CCCCategory == "" {
		c.CCCCategory = CertNumber(c.Number).CCCCategory()
	}
	if c.Status == "" {
		c.Status = StatusValid
	}
}

// stored returns a copy of c as a record to store: the fields filled only
// on reads cleared.
func (c *Certificate) stored() *Certificate {
	out := *c
	out.HolderName, out.BodyName, out.UpdatedAt = "", "", time.Time{}
	out.BodyStatus, out.BodyStatusSince = "", Date{}
	return &out
}

// firstStatusSince returns the day a new certificate's status took effect:
// its issue date when valid, the day after its expiry date when expired, and
// otherwise (a certificate registered already suspended, revoked or
// withdrawn, whose file does not say since when) the day it is registered.
// It is never after today.
func firstStatusSince(c *Certificate, today Date) Date {
	since := today
	switch c.Status {
	case StatusValid:
		since = c.IssuedOn
	case StatusExpired:
		since = ExpiredFrom(c.ExpiresOn)
	}
	if since.After(today) {
		return today
	}
	return since
}

// certEvent returns the event of a change to c by actor.
func certEvent(actor Party, c *Certificate, action string) Event {
	return Event{Actor: actor.String(), Entity: EntityCertificate, Key: c.Key(), Action: action}
}

// DecideIssue decides a request to issue a new certificate through the API.
// existing is the stored certificate of the same type and number (nil when
// there is none), body the body in whose name it issues (req.Issuer; nil
// when it is not in the registry), holderKnown whether the holder is. The
// certificate's own fields are checked (Certificate.Validate, once) once the
// actor is a party that may issue at all, then whether it may issue in the
// body's name (Party.CanIssueCertificate), the body's standing and scopes
// (Policy.CheckIssuer), and that the certificate is in force today: issued
// today or earlier and not expired today. A new certificate is valid from
// its issue date.
func DecideIssue(existing *Certificate, body *Body, holderKnown bool, req IssueRequest, p *Policy, today Date, actor Party) (*Certificate, Event, error) {
	if err := actor.CanWriteCertificates(); err != nil {
		return nil, Event{}, err
	}
	c := req.certificate(actor, today)
	if err := c.Validate(p); err != nil {
		return nil, Event{}, err
	}
	if body == nil {
		return nil, Event{}, Errorf(ENotFound, "body_approval_no", "certification body %s is not in the registry", c.BodyApprovalNo)
	}
	if err := actor.CanIssueCertificate(c, body.RegionCode); err != nil {
		return nil, Event{}, err
	}
	if err := p.CheckIssuer(body, c); err != nil {
		return nil, Event{}, err
	}
	if c.IssuedOn.After(today) {
		return nil, Event{}, Errorf(EInvalid, "issued_on", "issue date %s is in the future (today is %s)", c.IssuedOn, today)
	}
	if c.LapsedOn(today) {
		return nil, Event{}, Errorf(EInvalid, "expires_on", "expiry date %s is before today (%s): the certificate would be expired when issued", c.ExpiresOn, today)
	}
	if !holderKnown {
		return nil, Event{}, Errorf(ENotFound, "holder_uscc", "holder %s is not in the registry; register the organisation first", c.HolderUSCC)
	}
	if existing != nil {
		return nil, Event{}, Errorf(EConflict, "number", "a %s certificate with number %s already exists", c.Type, c.Number)
	}
	c.StatusSince = firstStatusSince(c, today)
	ev := certEvent(actor, c, ActionIssued)
	ev.To, ev.EffectiveOn = string(c.Status), c.StatusSince
	return c, ev, nil
}

// DecideImport decides what importing record in does, given the stored
// certificate of the same type and number (nil when there is none), its
// issuing body (nil when not in the registry) and whether its holder is
// registered. in is a record as ParseRecord returns it, its own fields
// checked (Certificate.Validate, once, as the row was read); this decides
// what needs the registry. A new certificate must have an issuer that may
// issue it (Policy.CheckIssuer) but may already be expired or in any status
// the file gives, in effect since firstStatusSince; a known one is merged
// (MergeCertificate). It returns the state to store, its event and Created
// or Updated; or nil and Unchanged when the record changes nothing; or a
// refusal with Rejected.
func DecideImport(existing, in *Certificate, body *Body, holderKnown bool, p *Policy, today Date, actor Party) (*Certificate, Event, Result, error) {
	if body == nil {
		return nil, Event{}, Rejected, Errorf(ENotFound, "body_approval_no", "certification body %s is not in the registry; import bodies first", in.BodyApprovalNo)
	}
	if err := actor.CanWriteCertificate(in, body.RegionCode); err != nil {
		return nil, Event{}, Rejected, err
	}
	holderErr := func(c *Certificate) error {
		return Errorf(ENotFound, "holder_uscc", "holder %s is not in the registry; import orgs first", c.HolderUSCC)
	}
	if existing == nil {
		c := in.stored()
		c.complete()
		if err := p.CheckIssuer(body, c); err != nil {
			return nil, Event{}, Rejected, err
		}
		if !holderKnown {
			return nil, Event{}, Rejected, holderErr(c)
		}
		c.StatusSince = firstStatusSince(c, today)
		ev := certEvent(actor, c, ActionCreated)
		return c, ev, Created, nil
	}
	rec := in
	if in.Status == "" {
		rec = in.stored()
		rec.complete()
	}
	next, changed, statusChanged, err := MergeCertificate(existing, rec, today)
	if err != nil {
		return nil, Event{}, Rejected, err
	}
	if !changed {
		return nil, Event{}, Unchanged, nil
	}
	if next.HolderUSCC != existing.HolderUSCC && !holderKnown {
		return nil, Event{}, Rejected, holderErr(&next)
	}
	c := next.stored()
	ev := certEvent(actor, c, ActionUpdated)
	if statusChanged {
		from, _ := existing.EffectiveStatus(today)
		ev.Action, ev.From, ev.To, ev.EffectiveOn = ActionStatusChanged, string(from), string(c.Status), c.StatusSince
		if c.Status != StatusExpired {
			ev.Reason = importStatusReason
		}
	}
	return c, ev, Updated, nil
}

// importStatusReason is the reason recorded for a status change an import
// reports: files say what the status is, not why.
const importStatusReason = "status reported by import"

// DecideTransition decides a request to change certificate c's status.
// body is c's issuing body, which decides who may act on it
// (Party.CanWriteCertificate); the lifecycle decides the rest
// (Certificate.Apply).
func DecideTransition(c *Certificate, body *Body, t Transition, today Date, actor Party) (*Certificate, Event, error) {
	region := ""
	if body != nil {
		region = body.RegionCode
	}
	if err := actor.CanWriteCertificate(c, region); err != nil {
		return nil, Event{}, err
	}
	from, _ := c.EffectiveStatus(today)
	next, err := c.Apply(t, today)
	if err != nil {
		return nil, Event{}, err
	}
	out := next.stored()
	ev := certEvent(actor, out, ActionStatusChanged)
	ev.From, ev.To, ev.Reason, ev.EffectiveOn = string(from), string(out.Status), t.Reason, out.StatusSince
	return out, ev, nil
}

// DecideExpiry decides whether the expiry job records the expiry of c on
// today: it does when c's status lapses and its expiry date has passed
// (Certificate.LapsedOn), effective from the day after the expiry date. It
// returns a nil certificate for one that is not due.
func DecideExpiry(c *Certificate, today Date) (*Certificate, Event) {
	if !c.LapsedOn(today) {
		return nil, Event{}
	}
	out := c.stored()
	out.Status, out.StatusSince = StatusExpired, ExpiredFrom(c.ExpiresOn)
	ev := certEvent(System, out, ActionExpired)
	ev.From, ev.To, ev.EffectiveOn = string(c.Status), string(out.Status), out.StatusSince
	return out, ev
}
