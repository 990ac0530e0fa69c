package audit

import (
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/matter"
)

// Rule is an anomaly's rule code, as CONTRACT.md fixes them.
type Rule string

// Rule codes.
const (
	LateReport          Rule = "late_report"
	EarlyOpen           Rule = "early_open"
	LateOpen            Rule = "late_open"
	EarlyClose          Rule = "early_close"
	LateClose           Rule = "late_close"
	MissingCheckin      Rule = "missing_checkin"
	FarFromSite         Rule = "far_from_site"
	Overlap             Rule = "overlap"
	ImpossibleTravel    Rule = "impossible_travel"
	ShortOnsite         Rule = "short_onsite"
	LentOut             Rule = "lent_out"
	ClockSkew           Rule = "clock_skew"
	PhotoReuse          Rule = "photo_reuse"
	DeviceShared        Rule = "device_shared"
	SurveillanceOverdue Rule = "surveillance_overdue"
)

// Severity says how much an anomaly weighs. Minor anomalies are often
// innocent (a phone's clock, a shared phone); major ones break a rule of
// the check-in system; severe ones are hard to explain innocently (two
// places at once, a photo of another audit).
type Severity string

// Severities.
const (
	Minor  Severity = "minor"
	Major  Severity = "major"
	Severe Severity = "severe"
)

// Evidence is what an anomaly rests on, as strings a page and the log can
// show: times in RFC 3339, distances in metres, ids of the other audits and
// check-ins. It never holds personal data beyond registration numbers.
type Evidence map[string]string

// Anomaly is one thing a body must explain: its rule, severity and
// evidence, and the matter it opens. Key is unique per audit and cause, so
// that evaluating the same facts twice raises nothing new.
type Anomaly struct {
	Key      string         `json:"key"`
	Audit    string         `json:"audit,omitempty"`
	Rule     Rule           `json:"rule"`
	Severity Severity       `json:"severity"`
	Evidence Evidence       `json:"evidence"`
	RaisedAt time.Time      `json:"raised_at"`
	Matter   matter.Opening `json:"-"`
}

// anomaly makes an anomaly of audit a. cause distinguishes several of one
// rule on one audit (a check-in's id, another audit's). Its matter asks the
// body to explain within the anomaly_explanation period from the audit's
// last day: an anomaly raised during the audit carries an opening at the
// start of that day (China time), so that its due date is the law's from
// the start and the matter's period never runs from a day still to come.
func (r *Rules) anomaly(a *Audit, rule Rule, sev Severity, cause string, ev Evidence, now time.Time) Anomaly {
	last := a.LastDay()
	at := now
	if dayStart := last.Time().Add(-8 * time.Hour); at.Before(dayStart) {
		at = dayStart
	}
	return r.anomalyOn("audit:"+a.ID, a.ID, a.Body, a.Region, rule, sev, cause, ev, last, at, now)
}

func (r *Rules) anomalyOn(subject, auditID, body, region string, rule Rule, sev Severity, cause string, ev Evidence, from trustmark.Date, at, now time.Time) Anomaly {
	key := subject + "/" + string(rule)
	if cause != "" {
		key += "/" + cause
	}
	return Anomaly{Key: key, Audit: auditID, Rule: rule, Severity: sev, Evidence: ev, RaisedAt: now,
		Matter: matter.Opening{ID: key, Kind: r.MatterKind, Subject: subject + "/" + string(rule),
			Party: account.Unit{Kind: account.Body, ID: body}, Region: region, From: from, At: at, Actor: "system"}}
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// CertificateFacts are what the surveillance rule needs of a certificate:
// when it was issued and when its last surveillance or recertification
// audit ended (zero when none has).
type CertificateFacts struct {
	Number    string
	Body      string
	Region    string
	Status    trustmark.CertStatus
	IssuedOn  trustmark.Date
	LastAudit trustmark.Date
}

// SurveillanceDue returns the last day a certificate's next surveillance
// audit may end: Rules.SurveillanceMonths after its issue or its last
// audit, whichever is later. A month period ends on the same day of the
// month, or on the month's last day when it has no such day (民法典 Art.
// 202: issued 29 February, due 28 February).
func (r *Rules) SurveillanceDue(c CertificateFacts) trustmark.Date {
	base := c.IssuedOn
	if c.LastAudit.After(base) {
		base = c.LastAudit
	}
	return addMonths(base, r.SurveillanceMonths)
}

func addMonths(d trustmark.Date, n int) trustmark.Date {
	t := d.Time()
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return trustmark.NewDate(first.Year(), first.Month(), min(t.Day(), last))
}

// CheckSurveillance raises surveillance_overdue for a valid certificate
// whose surveillance is overdue on now's day in China: the day after the
// due day. The certificate must then be suspended (deadline_rules.json,
// CNCA-QMS-01:2025): the evidence says so, and the body is told by the
// matter, which runs from the day the anomaly is raised. Its key names the
// due day: overdue again after a later audit is another anomaly.
func (r *Rules) CheckSurveillance(c CertificateFacts, now time.Time) (Anomaly, bool) {
	due, today := r.SurveillanceDue(c), trustmark.DateOf(now)
	if c.Status != trustmark.StatusValid || c.IssuedOn.IsZero() || !today.After(due) {
		return Anomaly{}, false
	}
	ev := Evidence{"issued_on": c.IssuedOn.String(), "due_on": due.String(), "required": "suspend"}
	if !c.LastAudit.IsZero() {
		ev["last_audit_on"] = c.LastAudit.String()
	}
	return r.anomalyOn("certificate:"+c.Number, "", c.Body, c.Region, SurveillanceOverdue, Severe, due.String(), ev, today, now, now), true
}
