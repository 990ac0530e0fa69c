package credit

import "trustmark"

// Excluded reports whether the archive's subject must be left out of a
// draw of inspectors on day on, and the decision that excludes it: a
// lifetime ban, a listing in effect, or a revoked qualification in effect
// (Standing for DrawnAsInspector). The draw keeps such an inspector in
// its published pool marked excluded, so that the exclusion is public, and
// never picks it.
func Excluded(a Archive, on trustmark.Date) (bool, *Entry) {
	v := Standing(a, DrawnAsInspector, on)
	return !v.May, v.Decision
}

// ExcludedFrom returns, of the archives given by subject id, the decision
// that excludes each subject excluded on day on from act (JoinTeam for an
// audit team, DrawnAsInspector for a draw); subjects that may act are not
// in the map.
func ExcludedFrom(archives map[string]Archive, act Act, on trustmark.Date) map[string]Entry {
	out := map[string]Entry{}
	for id, a := range archives {
		if v := Standing(a, act, on); !v.May && v.Decision != nil {
			out[id] = *v.Decision
		}
	}
	return out
}
