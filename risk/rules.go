package risk

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"trustmark"
	"trustmark/credit"
)

// Weight is how much a kind of signal counts and for how long.
type Weight struct {
	Points       float64 `json:"points"`                 // for Value 1 on the day of the signal
	HalfLifeDays int     `json:"half_life_days"`         // the contribution halves every so many days; 0: never
	HorizonDays  int     `json:"horizon_days,omitempty"` // after so many days the signal no longer counts; 0: never
}

// Thresholds are the lowest totals of classes B, C and D.
type Thresholds struct {
	B float64 `json:"B"`
	C float64 `json:"C"`
	D float64 `json:"D"`
}

// RuleSet is one version of the scoring rules. Version, EffectiveFrom,
// Reason, EditedBy and EditedAt say which version it is and why it was made.
type RuleSet struct {
	Version       int             `json:"version"`
	EffectiveFrom trustmark.Date  `json:"effective_from"`
	Reason        string          `json:"reason"`
	EditedBy      string          `json:"edited_by"`
	EditedAt      time.Time       `json:"edited_at"`
	Weights       map[Kind]Weight `json:"weights"`
	Thresholds    Thresholds      `json:"thresholds"`
}

const maxPoints = 1000

// Validate reports the first thing wrong with rs's weights and thresholds.
func (rs *RuleSet) Validate() error {
	for _, k := range slices.Sorted(maps.Keys(rs.Weights)) {
		w := rs.Weights[k]
		switch {
		case !slices.Contains(Kinds, k):
			return trustmark.Invalidf("risk.kind", "weights", "%q is not a kind of signal", k)
		case math.IsNaN(w.Points) || math.Abs(w.Points) > maxPoints:
			return trustmark.Invalidf("risk.points", "weights."+string(k), "points must be between -%d and %d", maxPoints, maxPoints)
		case w.HalfLifeDays < 0 || w.HorizonDays < 0 || w.HalfLifeDays > 36500 || w.HorizonDays > 36500:
			return trustmark.Invalidf("risk.days", "weights."+string(k), "half-life and horizon are days between 0 and 36500")
		}
	}
	t := rs.Thresholds
	if !(t.B > 0 && t.B < t.C && t.C < t.D && t.D <= maxPoints*10) {
		return trustmark.Invalidf("risk.thresholds", "thresholds", "thresholds must rise: 0 < B < C < D")
	}
	return nil
}

// ParseRuleSet reads a rule-set file (JSON: weights and thresholds, with
// the reason for the change). Unknown fields, unknown kinds of signal and
// thresholds that do not rise are refused. Version, EditedBy and EditedAt
// are set by Rules.Edit, not read from the file.
func ParseRuleSet(b []byte) (RuleSet, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var rs RuleSet
	if err := dec.Decode(&rs); err != nil {
		return RuleSet{}, trustmark.Invalidf("risk.rules_json", "", "the rule set is not valid JSON of the expected form: %v", err)
	}
	if dec.More() {
		return RuleSet{}, trustmark.Invalidf("risk.rules_json", "", "the rule set has data after its end")
	}
	if rs.Weights == nil {
		return RuleSet{}, trustmark.Invalidf("risk.kind", "weights", "a rule set needs weights")
	}
	rs.Version, rs.EditedBy, rs.EditedAt = 0, "", time.Time{}
	return rs, rs.Validate()
}

// Rules is the history of rule sets, oldest first. It is never edited in
// place: Edit returns a new history.
type Rules struct {
	versions []RuleSet
}

// NewRules returns a history holding only first, as version 1.
func NewRules(first RuleSet) (*Rules, error) {
	if err := first.Validate(); err != nil {
		return nil, err
	}
	first.Version = 1
	return &Rules{versions: []RuleSet{first}}, nil
}

// Versions returns every version, oldest first.
func (r *Rules) Versions() []RuleSet { return slices.Clone(r.versions) }

// Edit adds next as a new version. It needs a reason, and takes effect no
// earlier than the day it is made (China time) nor before the version it
// follows: a version never reaches into the past, so a score once computed
// stays what it was.
func (r *Rules) Edit(next RuleSet, by string, at time.Time) (*Rules, error) {
	last := r.versions[len(r.versions)-1]
	switch {
	case strings.TrimSpace(next.Reason) == "":
		return r, trustmark.Invalidf("risk.reason", "reason", "a change of the risk rules gives its reason")
	case strings.TrimSpace(by) == "":
		return r, trustmark.Invalidf("risk.editor", "edited_by", "a change of the risk rules names who made it")
	case next.EffectiveFrom.Before(trustmark.DateOf(at)) || next.EffectiveFrom.Before(last.EffectiveFrom):
		return r, trustmark.Reasonf(trustmark.EConflict, "risk.rules_retroactive", "effective_from",
			"a new version may take effect from %s at the earliest, not %s", latest(trustmark.DateOf(at), last.EffectiveFrom), next.EffectiveFrom)
	}
	if err := next.Validate(); err != nil {
		return r, err
	}
	next.Version, next.EditedBy, next.EditedAt = last.Version+1, by, at
	return &Rules{versions: append(slices.Clip(r.versions), next)}, nil
}

func latest(a, b trustmark.Date) trustmark.Date {
	if a.After(b) {
		return a
	}
	return b
}

// InForce returns the version in force on day d: the latest one effective
// on or before d (the first version before any other takes effect).
func (r *Rules) InForce(d trustmark.Date) *RuleSet {
	in := &r.versions[0]
	for i := range r.versions {
		if !r.versions[i].EffectiveFrom.After(d) {
			in = &r.versions[i]
		}
	}
	return in
}

// Version returns version n, or false.
func (r *Rules) Version(n int) (*RuleSet, bool) {
	if n < 1 || n > len(r.versions) {
		return nil, false
	}
	return &r.versions[n-1], true
}

// ScoreOn scores a subject's signals on day d under the version in force
// that day.
func (r *Rules) ScoreOn(subject credit.Subject, signals []Signal, d trustmark.Date) Score {
	return Compute(subject, signals, r.InForce(d), d)
}
