package credit

import (
	"slices"
	"strings"
	"time"

	"trustmark"
	"trustmark/calendar"
)

// State is where a listing on the serious-violation list stands.
type State string

// States of a listing.
const (
	Proposed State = "proposed" // a regulator proposed it, with grounds and legal basis
	Notified State = "notified" // the party was told; its objection period runs
	Objected State = "objected" // the party objected in time; the regulator must decide
	Listed   State = "listed"   // decided and published; on the public list until Until
	Dropped  State = "dropped"  // the regulator decided not to list
	Removed  State = "removed"  // off the list: its period ended or repair was granted
)

// Action names a step of the procedure, as its event records it.
type Action string

// Steps of the procedure.
const (
	ActPropose      Action = "proposed"
	ActNotify       Action = "notified"
	ActObject       Action = "objected"
	ActList         Action = "listed"
	ActDrop         Action = "dropped"
	ActApplyRepair  Action = "repair_applied"
	ActGrantRepair  Action = "repair_granted"
	ActRefuseRepair Action = "repair_refused"
	ActExpire       Action = "expired"
)

// Period is a length of time the procedure uses, with where it comes from.
// Status is "verified" or "check" as in data/reference/supervision_rules.json:
// "check" periods were not read in the official text and are configurable.
type Period struct {
	N      int    `json:"n"`
	Rule   string `json:"rule"`   // the id of the rule in supervision_rules.json
	Status string `json:"status"` // "verified" or "check"
}

// Rules are the periods of the listing procedure and the calendar that
// counts its working days. National administrators may change the periods
// (they are data, not law read verbatim); a listing keeps the dates they
// gave when it was decided.
type Rules struct {
	ListYears        Period // how long a listing lasts
	RepairAfterYears Period // how long after listing a party may apply for early removal
	ObjectionDays    Period // working days after notice in which the party may object
	Cal              *calendar.Calendar
}

// DefaultRules are the SAMR periods as far as they were read (Order No. 44:
// listed for 3 years, early removal through repair after 1 year). No text
// giving the objection period was found; 10 working days is a placeholder a
// national administrator is expected to set.
func DefaultRules() *Rules {
	return &Rules{
		ListYears:        Period{3, "list44-period", "check"},
		RepairAfterYears: Period{1, "list44-early-removal", "check"},
		ObjectionDays:    Period{10, "list44-notice-and-remedy", "check"},
		Cal:              calendar.Official(),
	}
}

// Listing is one case on the serious-violation list, from proposal to
// removal. Name is the name of a unit; for a person it stays empty (see
// Public).
type Listing struct {
	ID         string         `json:"id"`
	Subject    Subject        `json:"subject"`
	Name       string         `json:"name,omitempty"`
	Region     string         `json:"region"`
	Grounds    string         `json:"grounds"`
	LegalBasis string         `json:"legal_basis"`
	Decision   string         `json:"decision,omitempty"` // number of the listing decision
	State      State          `json:"state"`
	ProposedOn trustmark.Date `json:"proposed_on"`
	NotifiedOn trustmark.Date `json:"notified_on,omitempty"`
	// ObjectionDue is the last day an objection is accepted; Provisional
	// when it depends on a year whose holiday notice is not loaded.
	ObjectionDue calendar.Deadline `json:"objection_due"`
	Objection    string            `json:"objection,omitempty"`
	ObjectedOn   trustmark.Date    `json:"objected_on,omitempty"`
	ListedOn     trustmark.Date    `json:"listed_on,omitempty"`
	Until        trustmark.Date    `json:"until,omitempty"` // last day on the list
	RemovedOn    trustmark.Date    `json:"removed_on,omitempty"`
	Repairs      []Repair          `json:"repairs,omitempty"`
}

// Repair is an application for credit repair (信用修复) and the regulator's
// decision on it; both are kept, granted or not.
type Repair struct {
	AppliedOn trustmark.Date `json:"applied_on"`
	Statement string         `json:"statement"`
	Evidence  []string       `json:"evidence"` // references to documents the party filed
	DecidedOn trustmark.Date `json:"decided_on,omitempty"`
	Granted   bool           `json:"granted,omitempty"`
	Reason    string         `json:"reason,omitempty"`
	DecidedBy string         `json:"decided_by,omitempty"`
}

// Pending reports whether the repair still waits for a decision.
func (r Repair) Pending() bool { return r.DecidedOn.IsZero() }

// Event is one step of a listing. Entry, when set, is the archive entry the
// step records (listing, or its correction on removal): the adapter appends
// it to the subject's archive in the same transaction.
type Event struct {
	Listing string         `json:"listing"`
	Action  Action         `json:"action"`
	From    State          `json:"from,omitempty"`
	To      State          `json:"to"`
	On      trustmark.Date `json:"on"`
	At      time.Time      `json:"at"`
	Actor   string         `json:"actor"`
	Reason  string         `json:"reason,omitempty"`
	Entry   *Entry         `json:"entry,omitempty"`
}

// Step is who takes a step, on which day, and when it is recorded.
type Step struct {
	On    trustmark.Date
	At    time.Time
	Actor string
}

// Proposal is a regulator's proposal to list a subject.
type Proposal struct {
	ID         string
	Subject    Subject
	Name       string
	Region     string
	Grounds    string
	LegalBasis string
}

// Propose opens a listing case.
func (r *Rules) Propose(p Proposal, s Step) (Listing, Event, error) {
	switch {
	case s.On.IsZero() || s.At.IsZero() || s.Actor == "":
		return Listing{}, Event{}, trustmark.Invalidf("credit.step_missing", "on", "a proposal needs its date, its record time and who makes it")
	case p.ID == "" || !p.Subject.Kind.Valid() || p.Subject.ID == "":
		return Listing{}, Event{}, trustmark.Invalidf("credit.subject_missing", "subject", "a listing needs an id and a subject")
	case strings.TrimSpace(p.Grounds) == "" || strings.TrimSpace(p.LegalBasis) == "":
		return Listing{}, Event{}, trustmark.Invalidf("credit.grounds", "grounds", "a listing needs its grounds and legal basis")
	case p.Region == "":
		return Listing{}, Event{}, trustmark.Invalidf("credit.region", "region", "a listing needs the region of the regulator proposing it")
	}
	l := Listing{ID: p.ID, Subject: p.Subject, Name: p.Name, Region: p.Region, Grounds: p.Grounds,
		LegalBasis: p.LegalBasis, State: Proposed, ProposedOn: s.On}
	if p.Subject.Kind == Person {
		l.Name = "" // a person's name is never part of the listing record
	}
	return l, l.event(ActPropose, "", s, ""), nil
}

// Notify records that the party was told of the proposal, and starts its
// objection period: ObjectionDays working days, the day of notice not counted.
func (r *Rules) Notify(l Listing, s Step) (Listing, Event, error) {
	if err := l.from(ActNotify, s, Proposed); err != nil {
		return l, Event{}, err
	}
	if s.On.Before(l.ProposedOn) {
		return l, Event{}, trustmark.Invalidf("credit.notice_date", "on", "notice on %s comes before the proposal of %s", s.On, l.ProposedOn)
	}
	due, err := r.Cal.AddWorkingDays(s.On, r.ObjectionDays.N)
	if err != nil {
		return l, Event{}, err
	}
	prev := l.State
	l.State, l.NotifiedOn, l.ObjectionDue = Notified, s.On, due
	return l, l.event(ActNotify, prev, s, ""), nil
}

// Object records the party's objection, accepted through the last day of
// its period.
func (r *Rules) Object(l Listing, s Step, statement string) (Listing, Event, error) {
	if err := l.from(ActObject, s, Notified); err != nil {
		return l, Event{}, err
	}
	if s.On.After(l.ObjectionDue.Date) {
		return l, Event{}, trustmark.Reasonf(trustmark.EConflict, "credit.objection_late", "on",
			"the objection period of listing %s ended on %s", l.ID, l.ObjectionDue.Date)
	}
	if s.On.Before(l.NotifiedOn) || strings.TrimSpace(statement) == "" {
		return l, Event{}, trustmark.Invalidf("credit.objection", "statement", "an objection needs a statement, on or after the notice")
	}
	prev := l.State
	l.State, l.Objection, l.ObjectedOn = Objected, statement, s.On
	return l, l.event(ActObject, prev, s, ""), nil
}

// Decide is the regulator's decision: to list (published the same day, for
// ListYears) or not. Without an objection it waits until the objection
// period has ended; after an objection it may come at any time.
func (r *Rules) Decide(l Listing, s Step, list bool, decision, reason string) (Listing, Event, error) {
	act := ActDrop
	if list {
		act = ActList
	}
	if err := l.from(act, s, Notified, Objected); err != nil {
		return l, Event{}, err
	}
	if l.State == Notified && !s.On.After(l.ObjectionDue.Date) {
		return l, Event{}, trustmark.Reasonf(trustmark.EConflict, "credit.objection_period_open", "on",
			"listing %s cannot be decided before its objection period ends on %s", l.ID, l.ObjectionDue.Date)
	}
	if l.State == Objected && s.On.Before(l.ObjectedOn) {
		return l, Event{}, trustmark.Invalidf("credit.step_date", "on", "the decision comes before the objection of %s", l.ObjectedOn)
	}
	if list && strings.TrimSpace(decision) == "" {
		return l, Event{}, trustmark.Invalidf("credit.decision", "decision", "a listing decision needs its number")
	}
	prev := l.State
	if !list {
		l.State = Dropped
		return l, l.event(act, prev, s, reason), nil
	}
	l.State, l.Decision, l.ListedOn = Listed, decision, s.On
	// The day of listing is not counted (民法典 Art. 201): listed on
	// 2026-03-02 for 3 years, the last day on the list is 2029-03-02.
	l.Until = s.On.AddDate(r.ListYears.N, 0, 0)
	e := l.event(act, prev, s, reason)
	entry := l.entry(s, l.Until, "")
	e.Entry = &entry
	return l, e, nil
}

// Expire removes a listing whose period has ended: on any day after Until.
// The removal takes effect the day after Until whenever the step runs, so a
// late run changes nothing a reader sees.
func (r *Rules) Expire(l Listing, s Step) (Listing, Event, error) {
	if err := l.from(ActExpire, s, Listed); err != nil {
		return l, Event{}, err
	}
	if !s.On.After(l.Until) {
		return l, Event{}, trustmark.Reasonf(trustmark.EConflict, "credit.period_running", "on",
			"listing %s runs through %s", l.ID, l.Until)
	}
	prev := l.State
	l.State, l.RemovedOn = Removed, l.Until.AddDate(0, 0, 1)
	return l, l.event(ActExpire, prev, s, "period ended"), nil
}

// ApplyRepair records a party's application for credit repair. It is
// accepted from RepairAfterYears after listing (the anniversary itself
// counts), while the listing runs and no other application is pending.
func (r *Rules) ApplyRepair(l Listing, s Step, statement string, evidence []string) (Listing, Event, error) {
	if err := l.from(ActApplyRepair, s, Listed); err != nil {
		return l, Event{}, err
	}
	from := l.ListedOn.AddDate(r.RepairAfterYears.N, 0, 0)
	switch {
	case s.On.Before(from):
		return l, Event{}, trustmark.Reasonf(trustmark.EConflict, "credit.repair_too_early", "on",
			"listing %s may be repaired from %s (%d year(s) after listing, rule %s)", l.ID, from, r.RepairAfterYears.N, r.RepairAfterYears.Rule)
	case s.On.After(l.Until):
		return l, Event{}, trustmark.Reasonf(trustmark.EConflict, "credit.period_ended", "on", "listing %s ended on %s", l.ID, l.Until)
	case slices.ContainsFunc(l.Repairs, Repair.Pending):
		return l, Event{}, trustmark.Reasonf(trustmark.EConflict, "credit.repair_pending", "", "listing %s already has an application waiting for a decision", l.ID)
	case strings.TrimSpace(statement) == "" || len(evidence) == 0:
		return l, Event{}, trustmark.Invalidf("credit.repair_evidence", "evidence", "an application for repair needs a statement and evidence")
	}
	l.Repairs = append(slices.Clip(l.Repairs), Repair{AppliedOn: s.On, Statement: statement, Evidence: slices.Clone(evidence)})
	return l, l.event(ActApplyRepair, l.State, s, ""), nil
}

// DecideRepair is the regulator's decision on the pending application.
// Granted, the subject leaves the list that day: the event carries a
// correction of the listing's archive entry ending it the day before.
func (r *Rules) DecideRepair(l Listing, s Step, grant bool, reason string) (Listing, Event, error) {
	act := ActRefuseRepair
	if grant {
		act = ActGrantRepair
	}
	if err := l.from(act, s, Listed); err != nil {
		return l, Event{}, err
	}
	i := slices.IndexFunc(l.Repairs, Repair.Pending)
	switch {
	case i < 0:
		return l, Event{}, trustmark.Reasonf(trustmark.EConflict, "credit.no_repair_pending", "", "listing %s has no application waiting", l.ID)
	case s.On.Before(l.Repairs[i].AppliedOn):
		return l, Event{}, trustmark.Invalidf("credit.repair_date", "on", "the decision comes before the application of %s", l.Repairs[i].AppliedOn)
	case strings.TrimSpace(reason) == "":
		return l, Event{}, trustmark.Invalidf("credit.reason", "reason", "a decision on repair gives its reason")
	}
	l.Repairs = slices.Clone(l.Repairs)
	l.Repairs[i].DecidedOn, l.Repairs[i].Granted, l.Repairs[i].Reason, l.Repairs[i].DecidedBy = s.On, grant, reason, s.Actor
	if !grant {
		return l, l.event(act, l.State, s, reason), nil
	}
	prev := l.State
	l.State, l.RemovedOn = Removed, s.On
	e := l.event(act, prev, s, reason)
	entry := l.entry(s, s.On.AddDate(0, 0, -1), l.ID+"/listed")
	entry.ID = l.ID + "/repaired"
	e.Entry = &entry
	return l, e, nil
}

// OnList reports whether l is on the public list on day d, whether or not
// the expiry step has run yet.
func (l Listing) OnList(d trustmark.Date) bool {
	if l.ListedOn.IsZero() || d.Before(l.ListedOn) || d.After(l.Until) {
		return false
	}
	return l.RemovedOn.IsZero() || d.Before(l.RemovedOn)
}

func (l Listing) from(act Action, s Step, states ...State) error {
	if s.On.IsZero() || s.At.IsZero() || s.Actor == "" {
		return trustmark.Invalidf("credit.step_missing", "on", "step %s needs its date, its record time and who takes it", act)
	}
	if !slices.Contains(states, l.State) {
		return trustmark.Reasonf(trustmark.EConflict, "credit.transition", "state", "listing %s is %s: it cannot be %s", l.ID, l.State, act)
	}
	return nil
}

func (l Listing) event(act Action, from State, s Step, reason string) Event {
	return Event{Listing: l.ID, Action: act, From: from, To: l.State, On: s.On, At: s.At, Actor: s.Actor, Reason: reason}
}

// entry is the archive entry of the listing, valid from the listing day
// through until; supersedes names the entry it corrects.
func (l Listing) entry(s Step, until trustmark.Date, supersedes string) Entry {
	return Entry{
		ID: l.ID + "/listed", Subject: l.Subject, Kind: SeriousViolation, Summary: l.Grounds, Decision: l.Decision,
		Source: "listing:" + l.ID, LegalBasis: l.LegalBasis, RecordedBy: s.Actor,
		On: l.ListedOn, ValidFrom: l.ListedOn, ValidUntil: until, RecordedAt: s.At, Supersedes: supersedes,
	}
}
