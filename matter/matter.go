// Package matter is the one mechanism for everything that asks a party to
// act by a deadline (办件): an anomaly a body must explain, a finding to
// rectify, a complaint, a request for information, an application, a risk
// warning to a regulator. The supervision capabilities define their kinds of
// matter as data (data/reference/matter_kinds.json); this package opens
// them, counts their deadlines in working days on the official calendar,
// takes them through their states, and tells which are overdue.
//
// A matter goes opened → answered → accepted | escalated, or closed from
// any open state. While opened it may be extended (where its kind allows,
// up to the extension the law gives) and paused (for the reasons its kind
// names, such as consulting a third party: that time is not counted).
// Every step is a pure function of the matter, the request and the time,
// and returns the new matter with its event, or a refusal.
package matter

import (
	"slices"
	"strings"
	"time"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/calendar"
)

// State is where a matter stands.
type State string

// States of a matter.
const (
	Opened    State = "opened"    // waiting for its party to act
	Paused    State = "paused"    // its clock stopped (a consultation, a test)
	Answered  State = "answered"  // the party acted; waiting for the regulator's decision
	Accepted  State = "accepted"  // the answer was accepted
	Escalated State = "escalated" // not answered, or not well: a risk signal for credit and risk
	Closed    State = "closed"    // ended otherwise (withdrawn, settled, moot)
)

// Final reports whether no step can follow s.
func (s State) Final() bool { return s == Accepted || s == Escalated || s == Closed }

// Action is a step taken on a matter, as its event names it.
type Action string

// Steps.
const (
	Open     Action = "opened"
	Answer   Action = "answered"
	Accept   Action = "accepted"
	Escalate Action = "escalated"
	Close    Action = "closed"
	Extend   Action = "extended"
	Pause    Action = "paused"
	Resume   Action = "resumed"
)

// transitions is the state machine: the states each step may be taken
// from, and the state it leads to.
var transitions = map[Action]struct {
	from []State
	to   State
}{
	Answer:   {[]State{Opened}, Answered},
	Accept:   {[]State{Answered}, Accepted},
	Escalate: {[]State{Opened, Answered}, Escalated},
	Close:    {[]State{Opened, Paused, Answered}, Closed},
	Extend:   {[]State{Opened}, Opened},
	Pause:    {[]State{Opened}, Paused},
	Resume:   {[]State{Paused}, Opened},
}

// Matter is one thing a party must do by a deadline.
type Matter struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Subject string `json:"subject"` // what it is about: "audit:1234/far_from_site", "request:2026-17"
	// Party is who must act. Region is the region of the subject, whose
	// regulators see and decide the matter (access.Target).
	Party  account.Unit `json:"party"`
	Region string       `json:"region"`
	State  State        `json:"state"`

	OpenedAt time.Time      `json:"opened_at"`
	From     trustmark.Date `json:"from"`     // the period runs from this day, which is not counted
	Period   int            `json:"period"`   // working days, as opened
	Extended int            `json:"extended"` // working days of extension granted
	Paused   int            `json:"paused"`   // working days not counted, of pauses that ended
	// PausedOn is the day the current pause began, and PauseReason why;
	// both are zero unless the matter is paused.
	PausedOn    trustmark.Date    `json:"paused_on,omitempty"`
	PauseReason string            `json:"pause_reason,omitempty"`
	Due         calendar.Deadline `json:"due"`
	AnsweredOn  trustmark.Date    `json:"answered_on,omitempty"`
	Late        bool              `json:"late,omitempty"` // answered after its due date
}

// Target is the matter as authorization sees it: who must act, and where.
func (m Matter) Target() access.Target { return access.Target{Region: m.Region, Owner: m.Party} }

// Event is one step of a matter: what was done, by whom, when, and the
// deadline after it. Events go to the public log; Reason must not hold
// personal data (a complainant's name stays in the complaint's own record).
type Event struct {
	Matter string            `json:"matter"`
	Action Action            `json:"action"`
	From   State             `json:"from,omitempty"`
	To     State             `json:"to"`
	At     time.Time         `json:"at"`
	Actor  string            `json:"actor"`
	Reason string            `json:"reason,omitempty"`
	Days   int               `json:"days,omitempty"` // working days extended, or not counted by a pause
	Due    calendar.Deadline `json:"due"`
	Late   bool              `json:"late,omitempty"`
}

// Opening is a request to open a matter.
type Opening struct {
	ID      string
	Kind    string
	Subject string
	Party   account.Unit
	Region  string
	// From is the day the period runs from (the audit's last day, the day
	// a request was received); zero means the day of At.
	From trustmark.Date
	// Period sets the period in working days where the kind lets the
	// opener set it; zero means the kind's.
	Period int
	At     time.Time
	Actor  string
}

// Open opens a matter and computes its deadline.
func (r *Rules) Open(o Opening) (Matter, Event, error) {
	k, ok := r.Kind(o.Kind)
	if !ok {
		return Matter{}, Event{}, trustmark.Invalidf("matter.kind", "kind", "%q is not a kind of matter", o.Kind)
	}
	today := trustmark.DateOf(o.At)
	if o.From.IsZero() {
		o.From = today
	}
	switch {
	case o.ID == "" || strings.TrimSpace(o.Subject) == "":
		return Matter{}, Event{}, trustmark.Invalidf("matter.subject", "subject", "a matter needs an id and a subject")
	case !k.mayAct(o.Party.Kind):
		return Matter{}, Event{}, trustmark.Invalidf("matter.party", "party", "a %s matter asks %s to act, not %s", k.ID, kindsString(k.Acts), o.Party.Kind)
	case o.From.After(today):
		return Matter{}, Event{}, trustmark.Invalidf("matter.from_future", "from", "the period cannot run from %s, after today %s", o.From, today)
	}
	if o.Region != trustmark.NationalRegion {
		if _, err := trustmark.ParseRegionCode(o.Region); err != nil {
			return Matter{}, Event{}, err
		}
	}
	period := k.WorkingDays
	if o.Period != 0 {
		if k.Settable == nil || o.Period < k.Settable.Min || o.Period > k.Settable.Max {
			return Matter{}, Event{}, trustmark.Invalidf("matter.period", "period", "a %s matter has the period the law gives, %d working days; it cannot be set to %d", k.ID, k.WorkingDays, o.Period)
		}
		period = o.Period
	}
	m := Matter{ID: o.ID, Kind: k.ID, Subject: o.Subject, Party: o.Party, Region: o.Region, State: Opened,
		OpenedAt: o.At, From: o.From, Period: period}
	if err := r.due(&m); err != nil {
		return Matter{}, Event{}, err
	}
	return m, Event{Matter: m.ID, Action: Open, To: Opened, At: o.At, Actor: o.Actor, Days: period, Due: m.Due}, nil
}

// due recomputes m's deadline: the period, its extensions and the working
// days of ended pauses, counted from From.
func (r *Rules) due(m *Matter) error {
	d, err := r.cal.AddWorkingDays(m.From, m.Period+m.Extended+m.Paused)
	if err != nil {
		return err
	}
	m.Due = d
	return nil
}

// Recompute returns m with its deadline counted again, for when a year's
// holiday notice is loaded and provisional deadlines become final.
func (r *Rules) Recompute(m Matter) (Matter, error) {
	err := r.due(&m)
	return m, err
}

// Step is a request to take a step: when, by whom and why. Extending,
// pausing, escalating and closing need a reason; a pause's reason is one
// of its kind's Pauses.
type Step struct {
	At     time.Time
	Actor  string
	Reason string
}

// step checks that action may be taken on m by s and returns the kind and
// the event, which the caller completes; the caller moves m to ev.To once
// its own checks pass, so that a refusal leaves m as it was.
func (r *Rules) step(m Matter, a Action, s Step) (Kind, Event, error) {
	t := transitions[a]
	k, ok := r.Kind(m.Kind)
	switch {
	case !ok:
		return k, Event{}, trustmark.Errorf(trustmark.EConflict, "kind", "matter %s is of kind %q, which is no longer defined", m.ID, m.Kind)
	case !slices.Contains(t.from, m.State):
		return k, Event{}, trustmark.Errorf(trustmark.EConflict, "state", "matter %s is %s: it cannot be %s", m.ID, m.State, a)
	case s.At.Before(m.OpenedAt):
		return k, Event{}, trustmark.Invalidf("matter.time", "at", "a step at %s is before the matter was opened at %s", s.At.Format(time.RFC3339), m.OpenedAt.Format(time.RFC3339))
	case a != Answer && a != Accept && a != Resume && strings.TrimSpace(s.Reason) == "":
		return k, Event{}, trustmark.Invalidf("matter.reason", "reason", "a matter is %s only with a reason", a)
	}
	return k, Event{Matter: m.ID, Action: a, From: m.State, To: t.to, At: s.At, Actor: s.Actor, Reason: s.Reason, Due: m.Due}, nil
}

// Answer records the party's answer. An answer after the due date is
// accepted (nothing a party says is lost) and marked late.
func (r *Rules) Answer(m Matter, s Step) (Matter, Event, error) {
	_, ev, err := r.step(m, Answer, s)
	if err != nil {
		return m, Event{}, err
	}
	m.State, m.AnsweredOn = ev.To, trustmark.DateOf(s.At)
	m.Late = m.AnsweredOn.After(m.Due.Date)
	ev.Late = m.Late
	return m, ev, nil
}

// Accept accepts the answer; the matter is done.
func (r *Rules) Accept(m Matter, s Step) (Matter, Event, error) { return r.final(m, Accept, s) }

// Escalate ends the matter as a risk signal: not answered in time, or the
// answer does not explain.
func (r *Rules) Escalate(m Matter, s Step) (Matter, Event, error) { return r.final(m, Escalate, s) }

// Close ends the matter otherwise (withdrawn, settled, moot), paused or not.
func (r *Rules) Close(m Matter, s Step) (Matter, Event, error) { return r.final(m, Close, s) }

func (r *Rules) final(m Matter, a Action, s Step) (Matter, Event, error) {
	_, ev, err := r.step(m, a, s)
	if err != nil {
		return m, Event{}, err
	}
	m.State, m.PausedOn, m.PauseReason = ev.To, trustmark.Date{}, ""
	return m, ev, nil
}

// ExtendBy extends the period by days working days, where the kind allows
// an extension and as far as it allows it in all; the extension must be
// granted on or before the due date (the law extends a running period, not
// one that has lapsed).
func (r *Rules) ExtendBy(m Matter, s Step, days int) (Matter, Event, error) {
	k, ev, err := r.step(m, Extend, s)
	if err != nil {
		return m, Event{}, err
	}
	switch today := trustmark.DateOf(s.At); {
	case k.ExtensionDays == 0:
		return m, Event{}, trustmark.Errorf(trustmark.EConflict, "days", "a %s matter cannot be extended", k.ID)
	case days < 1 || m.Extended+days > k.ExtensionDays:
		return m, Event{}, trustmark.Invalidf("matter.extension", "days", "a %s matter may be extended by at most %d working days in all; %d are granted already", k.ID, k.ExtensionDays, m.Extended)
	case today.After(m.Due.Date):
		return m, Event{}, trustmark.Errorf(trustmark.EConflict, "at", "matter %s was due on %s; a lapsed period cannot be extended", m.ID, m.Due.Date)
	}
	out := m
	out.Extended += days
	if err := r.due(&out); err != nil {
		return m, Event{}, err
	}
	ev.Days, ev.Due = days, out.Due
	return out, ev, nil
}

// PauseFor stops the matter's clock, for a reason its kind names (s.Reason,
// one of Kind.Pauses), on or before its due date.
func (r *Rules) PauseFor(m Matter, s Step) (Matter, Event, error) {
	k, ev, err := r.step(m, Pause, s)
	if err != nil {
		return m, Event{}, err
	}
	today := trustmark.DateOf(s.At)
	switch {
	case !slices.Contains(k.Pauses, s.Reason):
		return m, Event{}, trustmark.Invalidf("matter.pause_reason", "reason", "a %s matter's clock stops only for %s, not %q", k.ID, pausesString(k.Pauses), s.Reason)
	case today.After(m.Due.Date):
		return m, Event{}, trustmark.Errorf(trustmark.EConflict, "at", "matter %s was due on %s; a lapsed period cannot be paused", m.ID, m.Due.Date)
	}
	m.State, m.PausedOn, m.PauseReason = ev.To, today, s.Reason
	return m, ev, nil
}

// ResumeAt restarts the clock. The working days after the day the pause
// began, up to and including the day it ends, are not counted: the due
// date moves by that many working days.
func (r *Rules) ResumeAt(m Matter, s Step) (Matter, Event, error) {
	_, ev, err := r.step(m, Resume, s)
	if err != nil {
		return m, Event{}, err
	}
	today := trustmark.DateOf(s.At)
	if today.Before(m.PausedOn) {
		return m, Event{}, trustmark.Invalidf("matter.time", "at", "the pause began on %s; it cannot end on %s", m.PausedOn, today)
	}
	n, _ := r.cal.WorkingDaysBetween(m.PausedOn, today)
	out := m
	out.State, out.Paused = ev.To, m.Paused+n
	out.PausedOn, out.PauseReason = trustmark.Date{}, ""
	if err := r.due(&out); err != nil {
		return m, Event{}, err
	}
	ev.Days, ev.Due = n, out.Due
	return out, ev, nil
}

func kindsString(ks []account.Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, " or ")
}

func pausesString(ps []string) string {
	if len(ps) == 0 {
		return "no reason (its kind has no pauses)"
	}
	return strings.Join(ps, ", ")
}
