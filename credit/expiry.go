package credit

import "slices"

// ExpireDue is the listing expiry job's decision: of listings, those on the
// list whose period ended before day s.On (Until is the last day on the
// list) leave it, each with its expired event, effective the day after
// Until whatever day the job runs. Listings already removed, dropped or
// still running are left alone, so running the job again, or late, changes
// nothing a reader sees. The result is in the order of listings.
func (r *Rules) ExpireDue(listings []Listing, s Step) ([]Listing, []Event) {
	var out []Listing
	var evs []Event
	for _, l := range listings {
		if l.State != Listed || !s.On.After(l.Until) {
			continue
		}
		next, ev, err := r.Expire(l, s)
		if err != nil {
			continue // Expire refuses only what the test above leaves out
		}
		out, evs = append(out, next), append(evs, ev)
	}
	return slices.Clip(out), evs
}
