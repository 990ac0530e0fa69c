// Package risk turns dated, sourced signals about a subject into a score
// that explains itself, a class from A (low risk) to D (high risk), and the
// warnings regulators must act on. The weights, their decay over time and
// the class thresholds are a versioned rule set (RuleSet, Rules) that a
// national administrator edits with a reason; every version is kept, so a
// score is a pure function of (signals, rule set, date) and any past score
// can be recomputed exactly as it was.
//
// Rules are plain data interpreted by this package, not an expression
// language: a score is a weighted sum of decayed signals, which a table of
// weights and half-lives says completely, can be validated field by field,
// and costs a multiplication per signal at national scale.
package risk

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"trustmark"
	"trustmark/credit"
)

// Kind is the kind of a signal.
type Kind string

// Kinds of signal, as issue 14 lists them.
const (
	Anomaly            Kind = "anomaly"             // an audit anomaly left unexplained
	AnomalyEscalated   Kind = "anomaly_escalated"   // an anomaly whose matter was escalated
	SuspensionShare    Kind = "suspension_share"    // share of certificates suspended or revoked, Value = ratio to peers of the same scopes
	Complaint          Kind = "complaint"           // a complaint accepted against the subject
	SamplingFailed     Kind = "sampling_failed"     // a certified product failed market sampling
	ProficiencyFailed  Kind = "proficiency_failed"  // a laboratory failed a proficiency test
	InspectionFinding  Kind = "inspection_finding"  // a finding of a past inspection
	PenaltySignal      Kind = "penalty"             // an administrative penalty
	ListingSignal      Kind = "listing"             // on the serious-violation list
	NewBody            Kind = "new_body"            // approved recently
	CommitmentApproval Kind = "commitment_approval" // approved by commitment (告知承诺)
	HighRiskField      Kind = "high_risk_field"     // certificates in a field the seeds name as high risk, Value = their share
)

// Kinds is every kind of signal, in the order explanations list them.
var Kinds = []Kind{Anomaly, AnomalyEscalated, SuspensionShare, Complaint, SamplingFailed, ProficiencyFailed,
	InspectionFinding, PenaltySignal, ListingSignal, NewBody, CommitmentApproval, HighRiskField}

// Signal is one dated, sourced fact that bears on a subject's risk. Value
// scales the weight (1 for a single event; a ratio or share for measured
// signals); zero means 1.
type Signal struct {
	ID      string         `json:"id"`
	Subject credit.Subject `json:"subject"`
	Region  string         `json:"region"`
	Kind    Kind           `json:"kind"`
	On      trustmark.Date `json:"on"`
	Source  string         `json:"source"` // "audit:1234/far_from_site", "sampling:2026-Q1/17"
	Value   float64        `json:"value,omitempty"`
}

// Class is a risk class; A is the lowest risk.
type Class string

// Classes.
const (
	A Class = "A"
	B Class = "B"
	C Class = "C"
	D Class = "D"
)

// Valid reports whether c is one of the classes A to D.
func (c Class) Valid() bool { return c == A || c == B || c == C || c == D }

// Higher reports whether c is a higher risk class than d.
func (c Class) Higher(d Class) bool { return c > d }

// Part is one signal's share of a score: its weight, how far it has
// decayed, and what it contributes.
type Part struct {
	Signal       Signal  `json:"signal"`
	Weight       float64 `json:"weight"`         // points for Value 1 when fresh
	AgeDays      int     `json:"age_days"`       // days from the signal to the scoring date
	HalfLifeDays int     `json:"half_life_days"` // 0: no decay
	Decay        float64 `json:"decay"`          // factor in (0, 1]
	Contribution float64 `json:"contribution"`   // Weight × Value × Decay
}

// Score is a subject's risk on a day under one rule-set version, with
// every part that made it.
type Score struct {
	Subject credit.Subject `json:"subject"`
	On      trustmark.Date `json:"on"`
	Version int            `json:"version"`
	Total   float64        `json:"total"`
	Class   Class          `json:"class"`
	Parts   []Part         `json:"parts"`
}

// Compute scores subject on day on from its signals under rule set rs.
// Signals dated after on, of another subject, past their kind's horizon or
// of a kind the rule set does not weigh are left out. The parts are listed
// by contribution, largest first.
func Compute(subject credit.Subject, signals []Signal, rs *RuleSet, on trustmark.Date) Score {
	s := Score{Subject: subject, On: on, Version: rs.Version, Parts: make([]Part, 0, len(signals))}
	for _, sig := range signals {
		p, ok := rs.part(sig, on)
		if !ok || sig.Subject != subject {
			continue
		}
		s.Parts = append(s.Parts, p)
	}
	// Ties are broken by the signal itself, so that the order (and the
	// float sum) does not depend on the order signals were read in.
	slices.SortFunc(s.Parts, func(a, b Part) int {
		return cmp.Or(cmp.Compare(b.Contribution, a.Contribution), strings.Compare(string(a.Signal.Kind), string(b.Signal.Kind)),
			a.Signal.On.Time().Compare(b.Signal.On.Time()), strings.Compare(a.Signal.ID, b.Signal.ID),
			strings.Compare(a.Signal.Source, b.Signal.Source), cmp.Compare(a.Signal.Value, b.Signal.Value))
	})
	for _, p := range s.Parts {
		s.Total += p.Contribution
	}
	s.Total = math.Round(s.Total*1000) / 1000 // stable to print and compare
	s.Class = rs.Class(s.Total)
	return s
}

func (rs *RuleSet) part(sig Signal, on trustmark.Date) (Part, bool) {
	w, ok := rs.Weights[sig.Kind]
	if !ok || sig.On.After(on) {
		return Part{}, false
	}
	age := int(on.Time().Sub(sig.On.Time()).Hours() / 24)
	if w.HorizonDays > 0 && age > w.HorizonDays {
		return Part{}, false
	}
	decay := 1.0
	if w.HalfLifeDays > 0 {
		decay = math.Exp2(-float64(age) / float64(w.HalfLifeDays))
	}
	v := sig.Value
	if v == 0 {
		v = 1
	}
	return Part{Signal: sig, Weight: w.Points, AgeDays: age, HalfLifeDays: w.HalfLifeDays, Decay: decay, Contribution: w.Points * v * decay}, true
}

// Class returns the class of a total: A below the B threshold, B below C,
// C below D, D from the D threshold up.
func (rs *RuleSet) Class(total float64) Class {
	switch {
	case total >= rs.Thresholds.D:
		return D
	case total >= rs.Thresholds.C:
		return C
	case total >= rs.Thresholds.B:
		return B
	}
	return A
}
