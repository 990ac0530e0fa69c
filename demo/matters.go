package demo

import (
	"context"
	"fmt"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/matter"
)

// MatterStore opens matters and takes their steps, each decided by package
// matter and recorded in the public log (sqlstore.DB).
type MatterStore interface {
	OpenMatter(ctx context.Context, o matter.Opening) (matter.Matter, error)
	StepMatter(ctx context.Context, id string, a matter.Action, s matter.Step, days int) (matter.Matter, error)
	AnswerMatter(ctx context.Context, id string, s matter.Step, text, fileName string, file []byte) (matter.Matter, error)
}

// demoMatter is one matter of the demo's history: its kind, who must act,
// how many days before today it was opened, and what became of it.
type demoMatter struct {
	kind    string
	party   func(u demoUnits) account.Unit
	daysAgo int
	fate    fate
	reason  string // a pause's reason, an extension's or a decision's
}

// fate is what happens to a demo matter after it is opened.
type fate int

const (
	leftOpen  fate = iota // nobody acts: due soon, or overdue
	answered              // answered; waiting for the regulator
	accepted              // answered, and the answer accepted
	escalated             // not answered in time: escalated
	extended              // extended within the law's limit, still open
	paused                // clock stopped for a consultation
	closed                // closed without an answer (settled)
)

func bodyOf(u demoUnits) account.Unit   { return account.Unit{Kind: account.Body, ID: u.body} }
func labOf(u demoUnits) account.Unit    { return account.Unit{Kind: account.Lab, ID: u.lab} }
func orgOf(u demoUnits) account.Unit    { return account.Unit{Kind: account.Org, ID: string(u.org)} }
func countyOf(u demoUnits) account.Unit { return account.Unit{Kind: account.Regulator, ID: u.county} }
func provOf(u demoUnits) account.Unit   { return account.Unit{Kind: account.Regulator, ID: u.province} }

// demoMatters are months of matters for the demo accounts: the body's
// anomalies to explain, findings to rectify for the body, the laboratory
// and the organisation, and the regulators' own clocks (leads to verify,
// complaints, disclosure requests). Every kind of ending is there, and the
// inbox of each demo account holds open and overdue ones.
var demoMatters = []demoMatter{
	{"anomaly_explanation", bodyOf, 160, accepted, "说明合理"},
	{"rectification", bodyOf, 150, accepted, "整改到位"},
	{"anomaly_explanation", bodyOf, 138, escalated, "逾期未说明"},
	{"complaint_acceptance", countyOf, 130, closed, "已受理并转办"},
	{"rectification", orgOf, 121, accepted, "整改到位"},
	{"anomaly_explanation", bodyOf, 110, accepted, "说明合理"},
	{"lead_verification", countyOf, 100, closed, "核查完毕，线索不实"},
	{"rectification", labOf, 92, accepted, "整改到位"},
	{"disclosure_request", provOf, 85, closed, "已答复申请人"},
	{"anomaly_explanation", bodyOf, 75, escalated, "说明不成立"},
	{"rectification", bodyOf, 64, accepted, "整改到位"},
	{"complaint_mediation", countyOf, 58, closed, "调解达成协议"},
	{"anomaly_explanation", bodyOf, 47, answered, ""},
	{"rectification", orgOf, 40, answered, ""},
	{"lead_verification", countyOf, 30, extended, "需委托检验，案情复杂"},
	{"anomaly_explanation", bodyOf, 26, leftOpen, ""}, // overdue
	{"disclosure_request", provOf, 21, paused, "third_party_consultation"},
	{"rectification", labOf, 18, leftOpen, ""},
	{"anomaly_explanation", bodyOf, 12, leftOpen, ""}, // overdue
	{"complaint_acceptance", countyOf, 9, leftOpen, ""},
	{"rectification", bodyOf, 6, answered, ""},
	{"anomaly_explanation", bodyOf, 3, leftOpen, ""},
	{"rectification", orgOf, 2, leftOpen, ""},
	{"risk_warning", provOf, 1, leftOpen, ""},
}

// openDemoMatters opens the demo's matters on the units of the demo
// accounts, as of today, and takes their steps. A matter whose unit the
// registry has none of is left out.
func openDemoMatters(ctx context.Context, store trustmark.Store, ms MatterStore, today trustmark.Date) (int, error) {
	u, err := findUnits(ctx, store)
	if err != nil {
		return 0, err
	}
	if u.county == "" {
		return 0, nil
	}
	// Ten in the morning, China time, of the day daysAgo before today.
	at := func(daysAgo int) time.Time {
		t := today.Time()
		return time.Date(t.Year(), t.Month(), t.Day(), 2, 0, 0, 0, time.UTC).AddDate(0, 0, -daysAgo)
	}
	n := 0
	for i, d := range demoMatters {
		party := d.party(u)
		if party.ID == "" {
			continue
		}
		id := fmt.Sprintf("M-demo-%03d", i+1)
		o := matter.Opening{ID: id, Kind: d.kind, Subject: subjectOf(d.kind, i+1, u), Party: party, Region: u.county,
			At: at(d.daysAgo), Actor: "system"}
		if _, err := ms.OpenMatter(ctx, o); err != nil {
			return n, fmt.Errorf("demo: matter %s: %w", id, err)
		}
		if err := stepDemoMatter(ctx, ms, id, d, at); err != nil {
			return n, fmt.Errorf("demo: matter %s: %w", id, err)
		}
		n++
	}
	return n, nil
}

// stepDemoMatter takes the steps of d's fate, a few days apart.
func stepDemoMatter(ctx context.Context, ms MatterStore, id string, d demoMatter, at func(int) time.Time) error {
	step := func(after int, reason string) matter.Step {
		return matter.Step{At: at(d.daysAgo - after), Actor: "demo", Reason: reason}
	}
	answer := func() error {
		_, err := ms.AnswerMatter(ctx, id, step(2, ""), "已核实情况并附相关记录，详见附件。", "", nil)
		return err
	}
	var err error
	switch d.fate {
	case answered:
		err = answer()
	case accepted:
		if err = answer(); err == nil {
			_, err = ms.StepMatter(ctx, id, matter.Accept, step(4, d.reason), 0)
		}
	case escalated:
		_, err = ms.StepMatter(ctx, id, matter.Escalate, step(min(d.daysAgo, 20), d.reason), 0)
	case closed:
		_, err = ms.StepMatter(ctx, id, matter.Close, step(min(d.daysAgo, 10), d.reason), 0)
	case extended:
		_, err = ms.StepMatter(ctx, id, matter.Extend, step(5, d.reason), 10)
	case paused:
		_, err = ms.StepMatter(ctx, id, matter.Pause, step(3, d.reason), 0)
	}
	return err
}

// subjectOf names what a demo matter is about, as its capability would.
func subjectOf(kind string, n int, u demoUnits) string {
	switch kind {
	case "anomaly_explanation":
		return fmt.Sprintf("audit:%s/far_from_site#%d", u.body, n)
	case "rectification":
		return fmt.Sprintf("inspection:%s-%03d", u.county, n)
	case "lead_verification", "complaint_acceptance", "complaint_mediation":
		return fmt.Sprintf("complaint:%s-%03d", u.county, n)
	case "disclosure_request":
		return fmt.Sprintf("request:%s-%03d", u.province, n)
	}
	return fmt.Sprintf("%s:%03d", kind, n)
}
