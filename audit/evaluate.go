package audit

import "time"

// Context is what the adapter loads about a check-in's person and
// material for the rules that look beyond the audit: the person's history
// (without this check-in), photos of other check-ins that match this one's
// hashes or are candidates for the perceptual comparison, and other
// check-ins from the same device.
type Context struct {
	History *History
	Photos  []PhotoUse
	Devices []DeviceUse
}

// EvaluateCheckIn returns every anomaly check-in c to audit a raises, given
// the audit's earlier check-ins: its time window, distance and clock; the
// person's history; photos and device; and, for a closing check-in, the
// team's time on site.
func (r *Rules) EvaluateCheckIn(a *Audit, earlier []CheckIn, c CheckIn, ctx Context) []Anomaly {
	var out []Anomaly
	for _, f := range []func(*Audit, CheckIn) (Anomaly, bool){r.CheckWindow, r.CheckDistance, r.CheckClock} {
		if an, ok := f(a, c); ok {
			out = append(out, an)
		}
	}
	if ctx.History != nil {
		out = append(out, r.CheckHistory(a, c, ctx.History)...)
	}
	out = append(out, r.CheckPhotos(a, c, ctx.Photos)...)
	out = append(out, r.CheckDevice(a, c, ctx.Devices)...)
	if c.Kind == Close {
		if an, ok := r.CheckOnsite(a, append(earlier[:len(earlier):len(earlier)], c), c.At); ok {
			out = append(out, an)
		}
	}
	return out
}

// EvaluateAudit returns the anomalies of an audit as a whole at now, for
// the sweep that runs after audits end: a missing check-in once its last
// day has passed. Keys make a repeated sweep raise nothing new.
func (r *Rules) EvaluateAudit(a *Audit, checkins []CheckIn, now time.Time) []Anomaly {
	if an, ok := r.CheckMissing(a, checkins, now); ok {
		return []Anomaly{an}
	}
	return nil
}
