package risk

import (
	"trustmark"
	"trustmark/credit"
)

// Forever is the Until of a score nothing will change without a new
// signal or a new version of the rules.
var Forever = trustmark.NewDate(9999, 12, 31)

// Until returns the last day through which the score of subject computed
// from signals on day on keeps its total, class and version, so that a
// daily rescoring can leave it alone until the day after (its explanation
// keeps the day it was computed on). A signal that still counts and decays
// changes the total from the next day on: Until is then on itself. Otherwise
// the score holds until a signal reaches its horizon, a signal dated later
// begins to count, or the next version of the rules known on day on takes
// effect; a version added later is caught by its number (the score's
// version is no longer the one in force). Signals of another subject, and
// of kinds the rules in force do not weigh, change nothing.
func (r *Rules) Until(subject credit.Subject, signals []Signal, on trustmark.Date) trustmark.Date {
	rs := r.InForce(on)
	until := Forever
	earlier := func(d trustmark.Date) {
		if d.Before(until) {
			until = d
		}
	}
	for i := range r.versions {
		if v := &r.versions[i]; v.Version > rs.Version && v.EffectiveFrom.After(on) {
			earlier(v.EffectiveFrom.AddDate(0, 0, -1))
			break
		}
	}
	for _, sig := range signals {
		w, ok := rs.Weights[sig.Kind]
		if !ok || sig.Subject != subject || w.Points == 0 {
			continue
		}
		if sig.On.After(on) {
			earlier(sig.On.AddDate(0, 0, -1))
			continue
		}
		if w.HorizonDays > 0 {
			last := sig.On.AddDate(0, 0, w.HorizonDays) // the last day it counts
			if last.Before(on) {
				continue
			}
			earlier(last)
		}
		if w.HalfLifeDays > 0 {
			return on
		}
	}
	return until
}
