package draw

import (
	"fmt"

	"trustmark"
)

// ShortReason says in one word why a drawn team is short.
type ShortReason string

// Reasons for a short team.
const (
	// NoInspectors: the subject's region has no active inspector at all
	// (the pool's inspectors are all elsewhere, or banned).
	NoInspectors ShortReason = "no_inspectors"
	// FewInspectors: the region has fewer active inspectors than the team
	// size.
	FewInspectors ShortReason = "few_inspectors"
	// Excluded: the region has enough active inspectors, but the exclusion
	// rules (own unit, declared conflict, recent inspection) leave fewer
	// than the team size who may inspect the subject.
	Excluded ShortReason = "excluded"
)

// Shortfall is why a pick's team is smaller than the campaign's team size.
// A team is drawn from the active inspectors of the subject's region only,
// and is short exactly when fewer of them than the team size may inspect
// the subject: then every one of them is on it (Eligible is the team's
// size). Each excluded inspector is counted once, under the first rule that
// excludes it, in the order of the fields. It is a function of the
// commitment alone, so Verify recomputes it with the team.
type Shortfall struct {
	Reason   ShortReason `json:"reason"`
	Region   string      `json:"region"`    // the subject's region, whose inspectors may be drawn
	Active   int         `json:"active"`    // the region's inspectors who are not banned
	SameUnit int         `json:"same_unit"` // of them, those of the subject's own unit
	Conflict int         `json:"conflict"`  // those who declared a conflict with the subject
	Recent   int         `json:"recent"`    // those who inspected it within the repeat period
	Eligible int         `json:"eligible"`  // those left, all drawn
}

// String says the shortfall in English, for messages and logs.
func (s *Shortfall) String() string {
	if s == nil {
		return "none"
	}
	return fmt.Sprintf("%s: region %s has %d active inspectors, %d of them eligible (%d of the subject's own unit, %d with a declared conflict, %d who inspected it within the repeat period)",
		s.Reason, s.Region, s.Active, s.Eligible, s.SameUnit, s.Conflict, s.Recent)
}

// shortfall explains the team drawn for s when it is shorter than the team
// size, and is nil otherwise. It walks the region's active inspectors
// once, which only short teams pay for.
func (ru *rules) shortfall(s Subject, team int) *Shortfall {
	if team >= ru.c.TeamSize {
		return nil
	}
	active := ru.byRegion[s.Region]
	sf := &Shortfall{Region: s.Region, Active: len(active)}
	for _, i := range active {
		in := ru.c.Inspectors[i]
		why := ru.excluded[Pair{in.ID, s.ID}]
		switch {
		case s.Unit != "-" && in.Unit == s.Unit:
			sf.SameUnit++
		case why&byConflict != 0:
			sf.Conflict++
		case why&byRecent != 0:
			sf.Recent++
		default:
			sf.Eligible++
		}
	}
	switch {
	case sf.Active == 0:
		sf.Reason = NoInspectors
	case sf.Active < ru.c.TeamSize:
		sf.Reason = FewInspectors
	default:
		sf.Reason = Excluded
	}
	return sf
}

// CheckTeam reports whether subject, drawn in r, has a team to inspect it:
// its drawn team with the recusals applied has at least one member. A
// subject without one cannot have been inspected by a drawn team, so no
// result may be recorded for it; the error names the field "subject" and
// says why the draw found nobody.
func (r *Result) CheckTeam(subject string) error {
	if len(r.Team(subject)) > 0 {
		return nil
	}
	why := "every member of its team recused and no replacement was eligible"
	for _, p := range r.Picks {
		if p.Subject == subject && len(p.Team) == 0 {
			why = "the draw found no eligible inspector (" + p.Shortfall.String() + ")"
		}
	}
	return trustmark.Reasonf(trustmark.EConflict, "campaign.no_team", "subject",
		"subject %s has no inspection team: %s; a result can be recorded only for a subject with a team", subject, why)
}
