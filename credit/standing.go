package credit

import (
	"slices"
	"strings"
	"time"

	"trustmark"
)

// Act is something a subject may be refused because of its credit.
type Act string

// Acts the other workflows ask about.
const (
	Register         Act = "register"       // a body registers a person (auditor, inspector)
	JoinTeam         Act = "join_team"      // a person is put on an audit team
	DrawnAsInspector Act = "draw_inspector" // a person is drawn as an inspector
	Issue            Act = "issue"          // a body issues a certificate
	IssueReport      Act = "issue_report"   // a laboratory issues a test report
)

// blocks is the one table of which entries stop which acts. A lifetime ban
// stops everything its subject could do. A listing stops a body issuing
// and a laboratory reporting; a listed person is under a practice
// restriction (从业限制, one of the heavier penalties that ground a
// listing), so it stops a person's acts too. A revoked approval stops the
// same acts as a listing, for as long as its entry has effect.
var blocks = map[EntryKind]map[SubjectKind][]Act{
	Ban:              {Person: {Register, JoinTeam, DrawnAsInspector}, Body: {Issue}, Lab: {IssueReport}},
	SeriousViolation: {Person: {Register, JoinTeam, DrawnAsInspector}, Body: {Issue}, Lab: {IssueReport}},
	Revocation:       {Person: {Register, JoinTeam, DrawnAsInspector}, Body: {Issue}, Lab: {IssueReport}},
}

// Verdict is Standing's answer. When the act is refused, Decision is the
// archive entry that causes it (the earliest in effect, a ban first).
type Verdict struct {
	May      bool   `json:"may"`
	Decision *Entry `json:"decision,omitempty"`
}

// refusal is the message of Verdict.Err.
const refusal = "%s may not act: %s %s of %s (%s), in effect from %s"

// Err returns nil when the act may go ahead, else a forbidden error whose
// message names the decision, for a workflow to return as its refusal.
// Its reason key is one constant per kind of entry in blocks, so that the
// translation catalogue can say each.
func (v Verdict) Err() error {
	if v.May {
		return nil
	}
	d := v.Decision
	args := []any{d.Subject, d.Kind, cmpOr(d.Decision, d.ID), d.On, d.LegalBasis, d.ValidFrom}
	switch d.Kind {
	case Ban:
		return trustmark.Reasonf(trustmark.EForbidden, "credit.ban", "subject", refusal, args...)
	case SeriousViolation:
		return trustmark.Reasonf(trustmark.EForbidden, "credit.listing", "subject", refusal, args...)
	default: // Revocation, the only other kind that blocks
		return trustmark.Reasonf(trustmark.EForbidden, "credit.revocation", "subject", refusal, args...)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Standing answers whether the archive's subject may do act on day on, as
// the archive is known now (every entry recorded). It is the one check
// every workflow makes: registering a person, forming an audit team,
// drawing inspectors, issuing certificates and reports.
func Standing(a Archive, act Act, on trustmark.Date) Verdict {
	return StandingAsKnown(a, act, on, time.Time{})
}

// StandingAsKnown is Standing as the archive was known at time known (the
// zero time means now), to show why a past act was allowed or refused.
func StandingAsKnown(a Archive, act Act, on trustmark.Date, known time.Time) Verdict {
	if known.IsZero() {
		known = maxTime
	}
	var cause *Entry
	for _, e := range a.Known(known) {
		if !e.InEffect(on) || !slices.Contains(blocks[e.Kind][a.Subject.Kind], act) {
			continue
		}
		if cause == nil || (e.Kind == Ban && cause.Kind != Ban) || (e.Kind == cause.Kind && e.ValidFrom.Before(cause.ValidFrom)) {
			e := e
			cause = &e
		}
	}
	return Verdict{May: cause == nil, Decision: cause}
}

var maxTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// BanDecision is a lifetime ban (终身禁入) as decided: it takes effect on
// From and never ends.
type BanDecision struct {
	ID         string
	Subject    Subject
	Decision   string // the number of the decision
	Grounds    string
	LegalBasis string
	On         trustmark.Date // the day of the decision
	From       trustmark.Date // first day of effect; zero means On
}

// BanEntry returns the archive entry of a lifetime ban, for Archive.Record.
// It refuses a ban without its decision number, grounds or legal basis,
// since every later refusal quotes them.
func BanEntry(b BanDecision, at time.Time, by string) (Entry, error) {
	if strings.TrimSpace(b.Decision) == "" || strings.TrimSpace(b.Grounds) == "" || strings.TrimSpace(b.LegalBasis) == "" {
		return Entry{}, trustmark.Invalidf("credit.ban_decision", "decision", "a lifetime ban needs its decision number, grounds and legal basis")
	}
	if b.From.IsZero() {
		b.From = b.On
	}
	return Entry{ID: b.ID, Subject: b.Subject, Kind: Ban, Summary: b.Grounds, Decision: b.Decision,
		Source: "decision:" + b.Decision, LegalBasis: b.LegalBasis, RecordedBy: by,
		On: b.On, ValidFrom: b.From, RecordedAt: at}, nil
}
