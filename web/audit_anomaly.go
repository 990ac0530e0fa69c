package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"trustmark"
	"trustmark/access"
	"trustmark/audit"
	thttp "trustmark/http"
	"trustmark/matter"
)

// An anomaly's page (/work/audits/{id}/anomalies/{key}): the rule in plain
// words with its code and severity, the evidence (times in China time,
// distances in metres), the body's explanation and the deadline of the
// matter the anomaly opened, in working days on the official calendar.
// Steps on the matter are taken on its own page (/work/matters/{id}).

// AnomalyPage is an anomaly's page.
type AnomalyPage struct {
	WorkPage
	AuditID, AuditURL, Rule, Code, Severity, SeverityClass, RaisedAt string
	Evidence                                                         []EvidenceItem
	Due, State, MatterURL                                            string
	Overdue, Provisional                                             bool
	Explanations                                                     []Explanation
}

// EvidenceItem is one fact an anomaly rests on, said for a reader.
type EvidenceItem struct{ Name, Value, URL string }

// Explanation is one answer of the body on the anomaly's matter.
type Explanation struct {
	At, Text, File string
	Late           bool
}

// matterHistory reads the steps of a matter and the text of an answer
// (sqlstore.DB); without it the page says only the matter's state.
type matterHistory interface {
	MatterSteps(ctx context.Context, id string) ([]matter.Event, error)
	MatterAnswerOf(ctx context.Context, id string, n int) (text, fileName string, fileSize int, err error)
}

func severityClass(s audit.Severity) string {
	switch s {
	case audit.Severe:
		return "bad"
	case audit.Major:
		return "warn"
	}
	return "lapsed"
}

func anomalyRow(m *Messages, a audit.AnomalyRecord) AnomalyRow {
	return AnomalyRow{Rule: cmp.Or(m.Audit.Rules[a.Rule], string(a.Rule)), Code: string(a.Rule),
		Severity: cmp.Or(m.Audit.Severities[a.Severity], string(a.Severity)), SeverityClass: severityClass(a.Severity),
		URL: anomalyURL(a), Due: a.Matter.Due.Date.String(), RaisedAt: chinaMinute(a.RaisedAt)}
}

func (h *Handler) anomalyPage(w http.ResponseWriter, r *http.Request) {
	c := thttp.CallerOf(r)
	d, a, err := h.visibleAudit(r, c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	recs, err := d.AuditAnomalies(r.Context(), a.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	key := "audit:" + a.ID + "/" + r.PathValue("key")
	i := slices.IndexFunc(recs, func(an audit.AnomalyRecord) bool { return an.Key == key })
	if i < 0 {
		h.fail(w, r, trustmark.Errorf(trustmark.ENotFound, "key", "no anomaly %s", key))
		return
	}
	an := recs[i]
	wp, _ := h.workPage(r, func(m *Messages) string {
		return fmt.Sprintf(m.Audit.AnomalyTitle, cmp.Or(m.Audit.Rules[an.Rule], string(an.Rule)))
	})
	m := wp.T
	row := anomalyRow(m, an)
	p := AnomalyPage{WorkPage: wp, AuditID: a.ID, AuditURL: auditURL(a.ID), Rule: row.Rule, Code: row.Code,
		Severity: row.Severity, SeverityClass: row.SeverityClass, RaisedAt: row.RaisedAt, Evidence: evidenceItems(m, an.Evidence)}
	p.Due, p.Overdue, p.Provisional = h.deadlineWords(m, an.Matter)
	p.State = cmp.Or(m.Work.States[string(an.Matter.State)], string(an.Matter.State))
	if _, _, err := c.Decide(access.MatterView, an.Matter.Target()); err == nil {
		p.MatterURL = matterURL(an.Matter.ID)
	}
	if p.Explanations, err = h.explanations(r.Context(), an.Matter.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "audit_anomaly", &p)
}

// deadlineWords says a matter's due day with the working days left (or
// overdue by) on the official calendar, while its party must still act.
func (h *Handler) deadlineWords(m *Messages, mt matter.Matter) (string, bool, bool) {
	due := mt.Due.Date.String()
	if mt.State != matter.Opened && mt.State != matter.Paused {
		return due, false, false
	}
	today := h.today()
	n, prov := h.matterRules().WorkingDaysLeft(mt, today)
	switch {
	case n < 0:
		return fmt.Sprintf(m.Audit.DeadlineOverdue, due, -n), true, prov
	case n == 0:
		return fmt.Sprintf(m.Audit.DeadlineToday, due), false, prov
	}
	return fmt.Sprintf(m.Audit.DeadlineLeft, due, n), false, prov
}

// explanations are the body's answers on the matter, first to last.
func (h *Handler) explanations(ctx context.Context, id string) ([]Explanation, error) {
	mh, ok := h.cfg.Store.(matterHistory)
	if !ok {
		return nil, nil
	}
	steps, err := mh.MatterSteps(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []Explanation
	for i, ev := range steps {
		if ev.Action != matter.Answer {
			continue
		}
		text, file, _, err := mh.MatterAnswerOf(ctx, id, i+1)
		if err != nil && !trustmark.IsNotFound(err) {
			return nil, err
		}
		out = append(out, Explanation{At: chinaMinute(ev.At), Text: text, File: file, Late: ev.Late})
	}
	return out, nil
}

// evidenceItems says an anomaly's evidence: known keys by their names in
// the catalogue's order of appearance, times in China time, durations in
// hours and minutes, metres with their unit, other audits linked. A
// device's hash is left out.
func evidenceItems(m *Messages, ev audit.Evidence) []EvidenceItem {
	keys := make([]string, 0, len(ev))
	for k := range ev {
		if k != "device" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]EvidenceItem, 0, len(keys))
	for _, k := range keys {
		v := ev[k]
		it := EvidenceItem{Name: cmp.Or(m.Audit.EvidenceNames[k], k), Value: v}
		switch {
		case k == "other_audit":
			it.URL = auditURL(v)
		case k == "missing":
			var ws []string
			for _, kind := range strings.Split(v, ",") {
				ws = append(ws, cmp.Or(m.Audit.CheckKinds[audit.CheckKind(kind)], kind))
			}
			it.Value = strings.Join(ws, m.ListSep)
		case strings.HasSuffix(k, "_m"):
			it.Value = fmt.Sprintf(m.Audit.Metres, v)
		case k == "late_by" || k == "early_by" || k == "skew":
			if d, err := time.ParseDuration(v); err == nil {
				it.Value = durationWords(m, d)
			}
		default:
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				it.Value = chinaMinute(t)
			}
		}
		out = append(out, it)
	}
	return out
}

// durationWords says a duration in hours and minutes, with its sign.
func durationWords(m *Messages, d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "−", -d
	}
	mins := int(d.Round(time.Minute) / time.Minute)
	if mins < 60 {
		return sign + fmt.Sprintf(m.Audit.Minutes, mins)
	}
	return sign + fmt.Sprintf(m.Audit.Hours, mins/60, mins%60)
}
