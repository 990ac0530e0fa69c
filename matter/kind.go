package matter

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"

	"trustmark"
	"trustmark/account"
	"trustmark/calendar"
	"trustmark/data"
)

// Kind is a kind of matter: who must act, in how many working days, with
// what extension and which pauses, on what legal ground.
type Kind struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`    // Chinese, as the law names it
	NameEN      string         `json:"name_en"` // English
	Acts        []account.Kind `json:"acts"`    // kinds of party that may be asked to act
	WorkingDays int            `json:"working_days"`
	// Settable, when set, lets the opener set the period within it (a
	// regulator's order to rectify names its own period).
	Settable *struct {
		Min int `json:"min"`
		Max int `json:"max"`
	} `json:"settable,omitempty"`
	RunsFrom      string   `json:"runs_from"` // the day the period runs from, in words
	ExtensionDays int      `json:"extension_days,omitempty"`
	Pauses        []string `json:"pauses,omitempty"` // reasons for which time is not counted
	RuleIDs       []string `json:"rules"`
	Note          string   `json:"note,omitempty"`

	// Sources are the rules of RuleIDs, read from supervision_rules.json.
	Sources []Source `json:"-"`
}

// Source is one rule a kind rests on, as supervision_rules.json gives it.
type Source struct {
	ID        string `json:"id"`
	Topic     string `json:"topic"`
	Statement string `json:"statement_en"` // the rule in English
	Quote     string `json:"quote_zh"`     // the rule as its source words it
	Status    string `json:"status"`       // "verified": the text was seen; "check": it was not
}

// Statuses of a kind's legal ground.
const (
	Verified = "verified" // every rule it rests on was read in its text
	Check    = "check"    // some rule was not verified: a setting, not the law
	Policy   = "policy"   // no rule: Trustmark's own setting
)

// Status says how firm the kind's period is: Verified, Check or Policy.
// Only a Verified kind's period is the law's; the others are settings an
// administrator may change by loading another kinds file.
func (k Kind) Status() string {
	if len(k.Sources) == 0 {
		return Policy
	}
	for _, s := range k.Sources {
		if s.Status != Verified {
			return Check
		}
	}
	return Verified
}

// mayAct reports whether a party of kind pk may be asked to act on k.
func (k Kind) mayAct(pk account.Kind) bool { return slices.Contains(k.Acts, pk) }

const (
	kindsFile       = "reference/matter_kinds.json"
	sourcesFile     = "reference/supervision_rules.json"
	maxKindsBytes   = 1 << 20
	maxPeriodDays   = 366 // a statutory period is weeks or months, never years
	maxSourcesBytes = 4 << 20
)

var kindID = regexp.MustCompile(`^[a-z][a-z_]{0,47}$`)

// Sources are the rules kinds rest on, by id, as supervision_rules.json
// holds them.
type Sources map[string]Source

// ParseSources reads rules in the form of data/reference/
// supervision_rules.json.
func ParseSources(r io.Reader) (Sources, error) {
	var sf struct {
		Rules []Source `json:"rules"`
	}
	if err := decode(r, maxSourcesBytes, &sf); err != nil {
		return nil, err
	}
	out := Sources{}
	for _, s := range sf.Rules {
		out[s.ID] = s
	}
	return out, nil
}

// ParseKinds reads kinds of matter in the form of data/reference/
// matter_kinds.json, resolving each kind's rules in sources. It refuses a
// file that would make deadlines wrong: a period out of range, an unknown
// kind of party, a rule not in sources, a kind given twice.
func ParseKinds(r io.Reader, sources Sources) ([]Kind, error) {
	var kf struct {
		Kinds []Kind `json:"kinds"`
	}
	if err := decode(r, maxKindsBytes, &kf); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i := range kf.Kinds {
		k := &kf.Kinds[i]
		if err := k.check(); err != nil {
			return nil, err
		}
		if seen[k.ID] {
			return nil, invalid("duplicate", "kind %s is given twice", k.ID)
		}
		seen[k.ID] = true
		k.Sources = nil
		for _, id := range k.RuleIDs {
			s, ok := sources[id]
			if !ok {
				return nil, invalid("unknown_rule", "kind %s rests on rule %q, which the sources do not hold", k.ID, id)
			}
			k.Sources = append(k.Sources, s)
		}
	}
	if len(kf.Kinds) == 0 {
		return nil, invalid("empty", "the file holds no kinds of matter")
	}
	return kf.Kinds, nil
}

func (k *Kind) check() error {
	switch {
	case !kindID.MatchString(k.ID):
		return invalid("id", "kind id %q is not 1-48 lower-case letters and underscores", k.ID)
	case k.Name == "" || k.NameEN == "" || k.RunsFrom == "":
		return invalid("names", "kind %s needs name, name_en and runs_from", k.ID)
	case len(k.Acts) == 0:
		return invalid("acts", "kind %s names nobody who must act", k.ID)
	case k.WorkingDays < 1 || k.WorkingDays > maxPeriodDays:
		return invalid("period", "kind %s has a period of %d working days, want 1-%d", k.ID, k.WorkingDays, maxPeriodDays)
	case k.ExtensionDays < 0 || k.ExtensionDays > maxPeriodDays:
		return invalid("extension", "kind %s has an extension of %d working days, want 0-%d", k.ID, k.ExtensionDays, maxPeriodDays)
	case k.Settable != nil && (k.Settable.Min < 1 || k.Settable.Min > k.WorkingDays || k.WorkingDays > k.Settable.Max || k.Settable.Max > maxPeriodDays):
		return invalid("settable", "kind %s lets the period be set outside 1 ≤ min ≤ %d ≤ max ≤ %d", k.ID, k.WorkingDays, maxPeriodDays)
	}
	for _, a := range k.Acts {
		if !slices.Contains(account.Kinds, a) {
			return invalid("acts", "kind %s: %q is not a kind of party", k.ID, a)
		}
	}
	for _, p := range k.Pauses {
		if !kindID.MatchString(p) {
			return invalid("pauses", "kind %s: pause %q is not lower-case letters and underscores", k.ID, p)
		}
	}
	return nil
}

func decode(r io.Reader, limit int64, v any) error {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return err
	}
	if int64(len(b)) > limit {
		return trustmark.Errorf(trustmark.ETooLarge, "", "a kinds or rules file is at most %d bytes", limit)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return invalid("json", "the file is not the expected JSON: %v", err)
	}
	return nil
}

func invalid(reason, format string, args ...any) error {
	return trustmark.Invalidf("matter.kinds_"+reason, "kinds", format, args...)
}

// Rules are the kinds of matter in force and the calendar their periods are
// counted on. They are immutable and safe for concurrent use.
type Rules struct {
	kinds []Kind
	cal   *calendar.Calendar
}

// NewRules returns the rules of kinds counted on cal.
func NewRules(kinds []Kind, cal *calendar.Calendar) *Rules {
	return &Rules{kinds: slices.Clone(kinds), cal: cal}
}

// Official returns the kinds Trustmark ships with (data/reference/
// matter_kinds.json) on the official calendar.
func Official() *Rules {
	k, err := data.Reference.Open(kindsFile)
	if err != nil {
		panic(fmt.Sprintf("matter: embedded %s: %v", kindsFile, err))
	}
	defer k.Close()
	s, err := data.Reference.Open(sourcesFile)
	if err != nil {
		panic(fmt.Sprintf("matter: embedded %s: %v", sourcesFile, err))
	}
	defer s.Close()
	sources, err := ParseSources(s)
	if err != nil {
		panic(fmt.Sprintf("matter: embedded %s: %v", sourcesFile, err))
	}
	kinds, err := ParseKinds(k, sources)
	if err != nil {
		panic(fmt.Sprintf("matter: embedded %s: %v", kindsFile, err))
	}
	return NewRules(kinds, calendar.Official())
}

// Kinds returns the kinds of matter, in the order of their file.
func (r *Rules) Kinds() []Kind { return slices.Clone(r.kinds) }

// Kind returns the kind with the given id.
func (r *Rules) Kind(id string) (Kind, bool) {
	i := slices.IndexFunc(r.kinds, func(k Kind) bool { return k.ID == id })
	if i < 0 {
		return Kind{}, false
	}
	return r.kinds[i], true
}

// Calendar returns the calendar the rules count on.
func (r *Rules) Calendar() *calendar.Calendar { return r.cal }
