package audit

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"trustmark"
)

// CheckMissing raises missing_checkin once the audit's last day in China
// has passed and the team has no opening or no closing check-in (any member
// checks in for the team: cnca-checkin-who). One anomaly names what is
// missing. It is raised from the day after the last day: on the last day
// itself the team may still check out.
func (r *Rules) CheckMissing(a *Audit, checkins []CheckIn, now time.Time) (Anomaly, bool) {
	if !trustmark.DateOf(now).After(a.LastDay()) {
		return Anomaly{}, false
	}
	var missing []string
	for _, k := range []CheckKind{Open, Close} {
		if !slices.ContainsFunc(checkins, func(c CheckIn) bool { return c.Kind == k }) {
			missing = append(missing, string(k))
		}
	}
	if len(missing) == 0 {
		return Anomaly{}, false
	}
	sev := Major
	if len(missing) == 2 {
		sev = Severe // no trace of the audit at all
	}
	ev := Evidence{"missing": strings.Join(missing, ","), "last_day": a.LastDay().String()}
	return r.anomaly(a, MissingCheckin, sev, "", ev, now), true
}

// OnsiteHours returns the team's time on site: from its first opening
// check-in to its last closing check-in, counting at most Rules.HoursPerDay
// on each day in China, since an auditor-day is a working day, not 24
// hours. ok is false without both check-ins.
func (r *Rules) OnsiteHours(checkins []CheckIn) (hours float64, ok bool) {
	var first, last time.Time
	for _, c := range checkins {
		if c.Kind == Open && (first.IsZero() || c.At.Before(first)) {
			first = c.At
		}
		if c.Kind == Close && c.At.After(last) {
			last = c.At
		}
	}
	if first.IsZero() || last.IsZero() || !last.After(first) {
		return 0, !first.IsZero() && !last.IsZero()
	}
	day := time.Duration(r.HoursPerDay) * time.Hour
	var total time.Duration
	for t := first; t.Before(last); {
		lt := t.In(chinaTime)
		next := time.Date(lt.Year(), lt.Month(), lt.Day()+1, 0, 0, 0, 0, chinaTime)
		if next.After(last) {
			next = last
		}
		total += min(next.Sub(t), day)
		t = next
	}
	return total.Hours(), true
}

// CheckOnsite raises short_onsite when the team's time on site is below
// Rules.OnsiteShare of what each auditor is planned for: the planned
// auditor-days, or the IAF MD 5 minimum when that is more, divided among
// the members who audit (IAF MD 5: on-site time at least 80%). Exactly the
// share is enough.
func (r *Rules) CheckOnsite(a *Audit, checkins []CheckIn, now time.Time) (Anomaly, bool) {
	hours, ok := r.OnsiteHours(checkins)
	n := a.Auditors()
	if !ok || n == 0 {
		return Anomaly{}, false
	}
	days, basis := a.Plan.AuditorDays, "planned"
	if a.Minimum != nil && a.Minimum.Days > days {
		days, basis = a.Minimum.Days, "md5_minimum"
	}
	want := r.OnsiteShare * days / float64(n) * float64(r.HoursPerDay)
	if hours >= want-1e-9 {
		return Anomaly{}, false
	}
	ev := Evidence{"onsite_hours": ftoa(hours), "required_hours": ftoa(want), "basis": basis,
		"auditor_days": ftoa(days), "auditors": strconv.Itoa(n)}
	return r.anomaly(a, ShortOnsite, Major, "", ev, now), true
}

// CheckHistory applies the rules over a person's record to their check-in
// c to audit a: overlap (checked in to two audits whose planned times
// overlap, other than linked ones), impossible_travel (to or from the
// nearest check-ins in time, faster than Rules.TravelKMH over more than
// Rules.TravelMinKM) and lent_out (an audit of another body within
// Rules.LentOutWindow). h is the person's history without c or a; it
// costs a binary search and the few neighbours found.
func (r *Rules) CheckHistory(a *Audit, c CheckIn, h *History) []Anomaly {
	var out []Anomaly
	related := func(id string) bool { return id == a.ID || slices.Contains(a.Links, id) }
	// One search for the lent-out window, which holds the overlapping audits.
	near := h.Overlapping(a.Start().Add(-r.LentOutWindow), a.End().Add(r.LentOutWindow))
	for s := range near {
		if s.Audit == a.ID { // the audit itself is no other audit
			continue
		}
		overlaps := s.Start.Before(a.End()) && s.End.After(a.Start())
		if overlaps && s.CheckedIn && !related(s.Audit) && !slices.Contains(s.Links, a.ID) {
			out = append(out, r.anomaly(a, Overlap, Severe, c.Person+"/"+s.Audit, Evidence{"person": c.Person,
				"other_audit": s.Audit, "other_start": rfc(s.Start), "other_end": rfc(s.End)}, c.At))
		}
	}
	prev, next := h.Neighbours(c.At, c.ID)
	for _, f := range []*Fix{prev, next} {
		if f == nil || related(f.Audit) {
			continue
		}
		if an, ok := r.checkTravel(a, c, *f); ok {
			out = append(out, an)
		}
	}
	for s := range near {
		if s.Body != a.Body && s.Audit != a.ID {
			out = append(out, r.anomaly(a, LentOut, Severe, c.Person+"/"+s.Audit, Evidence{"person": c.Person,
				"other_audit": s.Audit, "other_body": s.Body, "other_start": rfc(s.Start)}, c.At))
		}
	}
	return out
}

func (r *Rules) checkTravel(a *Audit, c CheckIn, f Fix) (Anomaly, bool) {
	km := DistanceM(c.Position, f.Position) / 1000
	if km <= r.TravelMinKM {
		return Anomaly{}, false
	}
	hours := c.At.Sub(f.At).Abs().Hours()
	speed := km / hours // +Inf at the same instant
	if speed <= r.TravelKMH {
		return Anomaly{}, false
	}
	sev := Major
	if speed > r.TravelSevereKMH {
		sev = Severe
	}
	return r.anomaly(a, ImpossibleTravel, sev, c.ID+"/"+f.CheckIn, Evidence{"checkin": c.ID, "other_checkin": f.CheckIn,
		"other_audit": f.Audit, "distance_km": ftoa(km), "hours": ftoa(hours), "speed_kmh": ftoa(speed)}, c.At), true
}

// PhotoUse is a photo of another check-in, as the adapter finds it by
// exact hash or as a candidate for the perceptual comparison.
type PhotoUse struct {
	Audit   string
	CheckIn string
	Photo   Photo
}

// CheckPhotos raises photo_reuse when a photo of c was used for another
// audit (other than a linked one, which shares its check-in): the same
// bytes (severe), or a perceptual hash within Rules.PhotoHamming bits (a
// re-encoded or cropped copy: major). One anomaly per other check-in.
func (r *Rules) CheckPhotos(a *Audit, c CheckIn, others []PhotoUse) []Anomaly {
	var out []Anomaly
	seen := map[string]bool{}
	for _, o := range others {
		if o.Audit == a.ID || slices.Contains(a.Links, o.Audit) || seen[o.CheckIn] {
			continue
		}
		for _, p := range c.Photos {
			exact := p.SHA256 != "" && p.SHA256 == o.Photo.SHA256
			dist := bits.OnesCount64(p.PHash ^ o.Photo.PHash)
			if !exact && (p.PHash == 0 || o.Photo.PHash == 0 || dist > r.PhotoHamming) {
				continue
			}
			sev, match := Major, "perceptual"
			if exact {
				sev, match = Severe, "exact"
			}
			seen[o.CheckIn] = true
			out = append(out, r.anomaly(a, PhotoReuse, sev, c.ID+"/"+o.CheckIn, Evidence{"checkin": c.ID, "other_checkin": o.CheckIn,
				"other_audit": o.Audit, "match": match, "hamming": strconv.Itoa(dist)}, c.At))
			break
		}
	}
	return out
}

// DeviceUse is a check-in from the same device, as the adapter finds it.
type DeviceUse struct {
	Person  string
	Audit   string
	CheckIn string
	At      time.Time
}

// CheckDevice raises device_shared when c's device was used by another
// person within Rules.DeviceWindow for another audit: one phone checking
// in several registered auditors is how nominal team members are faked.
// Members of one team may check in from one phone for their own audit
// (cnca-checkin-who), so the same audit and linked ones do not count.
func (r *Rules) CheckDevice(a *Audit, c CheckIn, others []DeviceUse) []Anomaly {
	var out []Anomaly
	for _, o := range others {
		if c.Device == "" || o.Person == c.Person || o.Audit == a.ID || slices.Contains(a.Links, o.Audit) || c.At.Sub(o.At).Abs() > r.DeviceWindow {
			continue
		}
		out = append(out, r.anomaly(a, DeviceShared, Minor, c.ID+"/"+o.CheckIn, Evidence{"checkin": c.ID, "device": c.Device,
			"other_person": o.Person, "other_audit": o.Audit, "other_checkin": o.CheckIn}, c.At))
	}
	return out
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
