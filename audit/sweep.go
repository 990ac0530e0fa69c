package audit

import (
	"time"

	"trustmark"
)

// Swept is an audit as the periodic sweep sees it: the audit and every
// check-in made to it.
type Swept struct {
	Audit    Audit
	CheckIns []CheckIn
}

// Sweep returns the anomalies the periodic sweep raises at now, which no
// check-in raises because they are about what did not happen:
// missing_checkin for each audit whose last day in China has passed
// without an opening or a closing check-in (CheckMissing), and
// surveillance_overdue for each valid certificate whose surveillance audit
// is overdue (CheckSurveillance). An anomaly's key names its cause (the
// audit; the certificate and its due day), so that a sweep repeated on the
// same facts raises the same keys, which the store keeps once: a second
// sweep raises nothing new, and a certificate overdue again after a later
// audit is a new anomaly.
func (r *Rules) Sweep(audits []Swept, certs []CertificateFacts, now time.Time) []Anomaly {
	var out []Anomaly
	for i := range audits {
		out = append(out, r.EvaluateAudit(&audits[i].Audit, audits[i].CheckIns, now)...)
	}
	for _, c := range certs {
		if an, ok := r.CheckSurveillance(c, now); ok {
			out = append(out, an)
		}
	}
	return out
}

// LastSurveillance returns the last day of the latest surveillance or
// recertification audit of certificate number among audits that ended by
// today (China time) and that the team checked in to (an opening check-in:
// a plan alone is not an audit done), or the zero date. It is what
// CertificateFacts.LastAudit holds.
func LastSurveillance(number string, audits []Swept, today trustmark.Date) trustmark.Date {
	var last trustmark.Date
	for i := range audits {
		a := &audits[i].Audit
		if a.Plan.Certificate != number || (a.Plan.Kind != Surveillance && a.Plan.Kind != Recertification) {
			continue
		}
		if d := a.LastDay(); !d.After(today) && d.After(last) && checkedIn(audits[i].CheckIns, Open) {
			last = d
		}
	}
	return last
}

func checkedIn(cs []CheckIn, k CheckKind) bool {
	for _, c := range cs {
		if c.Kind == k {
			return true
		}
	}
	return false
}
