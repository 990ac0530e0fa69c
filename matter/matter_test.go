package matter

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/account"
)

var rules = Official()

func date(t testing.TB, s string) trustmark.Date {
	t.Helper()
	d, err := trustmark.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// at returns 10:00 China time on day s.
func at(t testing.TB, s string) time.Time {
	return date(t, s).Time().Add(2 * time.Hour) // 10:00 CST is 02:00 UTC
}

var (
	bodyA    = account.Unit{Kind: account.Body, ID: "CNCA-R-2002-001"}
	zhejiang = account.Unit{Kind: account.Regulator, ID: "330000"}
)

// open opens a matter of kind from day from, opened that day.
func open(t testing.TB, kind string, party account.Unit, from string) Matter {
	t.Helper()
	m, ev, err := rules.Open(Opening{ID: "m1", Kind: kind, Subject: "audit:1/far_from_site", Party: party, Region: "330106",
		From: date(t, from), At: at(t, from), Actor: "system"})
	if err != nil {
		t.Fatalf("Open(%s from %s): %v", kind, from, err)
	}
	if ev.Action != Open || ev.To != Opened || ev.Due != m.Due {
		t.Fatalf("Open event = %+v", ev)
	}
	return m
}

func TestDueDates(t *testing.T) {
	tests := []struct {
		name        string
		kind        string
		party       account.Unit
		from        string
		due         string
		provisional bool
	}{
		{"an anomaly explanation is due 5 working days after the audit", "anomaly_explanation", bodyA, "2026-03-02", "2026-03-09", false},
		{"Spring Festival 2026: the adjusted Saturday counts, 15-23 February do not", "anomaly_explanation", bodyA, "2026-02-12", "2026-02-26", false},
		{"National Day 2026: a complaint received on 30 September is decided by 15 October", "complaint_acceptance", zhejiang, "2026-09-30", "2026-10-15", false},
		{"a request for information is answered within 20 working days", "disclosure_request", zhejiang, "2026-03-02", "2026-03-30", false},
		{"a deadline that stays in a loaded year is final", "anomaly_explanation", bodyA, "2026-12-24", "2026-12-31", false},
		{"a deadline in a year without a notice is provisional", "anomaly_explanation", bodyA, "2026-12-25", "2027-01-01", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := open(t, tt.kind, tt.party, tt.from)
			if m.Due.Date.String() != tt.due || m.Due.Provisional != tt.provisional {
				t.Errorf("Open(%s from %s).Due = %s provisional %v, want %s provisional %v", tt.kind, tt.from, m.Due.Date, m.Due.Provisional, tt.due, tt.provisional)
			}
		})
	}
}

func TestOverdueAndDaysLeft(t *testing.T) {
	mon := open(t, "anomaly_explanation", bodyA, "2026-03-02") // due Monday 2026-03-09
	fri := open(t, "anomaly_explanation", bodyA, "2026-03-06") // due Friday 2026-03-13
	spring := open(t, "anomaly_explanation", bodyA, "2026-02-12")
	late := open(t, "anomaly_explanation", bodyA, "2026-12-25") // due 2027-01-01, provisional
	tests := []struct {
		name        string
		m           Matter
		today       string
		overdue     bool
		left        int
		provisional bool
	}{
		{"on the day it opens all 5 days are left", mon, "2026-03-02", false, 5, false},
		{"on the Friday before a Monday deadline 1 day is left", mon, "2026-03-06", false, 1, false},
		{"a weekend day is no working day used", mon, "2026-03-07", false, 1, false},
		{"the due day itself is not overdue", mon, "2026-03-09", false, 0, false},
		{"the day after the due day is overdue", mon, "2026-03-10", true, -1, false},
		{"a week later it is 4 working days overdue", mon, "2026-03-14", true, -4, false},
		{"the Saturday after a Friday deadline is overdue by one", fri, "2026-03-14", true, -1, false},
		{"the Monday after a Friday deadline is overdue by one", fri, "2026-03-16", true, -1, false},
		{"Spring Festival holidays are no working days left", spring, "2026-02-13", false, 4, false},
		{"the last day before Spring Festival leaves 3", spring, "2026-02-14", false, 3, false},
		{"the Spring Festival deadline's day is not overdue", spring, "2026-02-26", false, 0, false},
		{"the day after it is", spring, "2026-02-27", true, -1, false},
		{"a count into an unloaded year is provisional", late, "2026-12-28", false, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := date(t, tt.today)
			if got := Overdue(tt.m, today); got != tt.overdue {
				t.Errorf("Overdue(due %s, %s) = %v, want %v", tt.m.Due.Date, today, got, tt.overdue)
			}
			left, prov := rules.WorkingDaysLeft(tt.m, today)
			if left != tt.left || prov != tt.provisional {
				t.Errorf("WorkingDaysLeft(due %s, %s) = %d provisional %v, want %d provisional %v", tt.m.Due.Date, today, left, prov, tt.left, tt.provisional)
			}
		})
	}
}

func TestAnsweredMattersAreNotOverdue(t *testing.T) {
	m := open(t, "anomaly_explanation", bodyA, "2026-03-02")
	m, ev, err := rules.Answer(m, Step{At: at(t, "2026-03-11"), Actor: "a1"})
	if err != nil || !m.Late || !ev.Late || ev.From != Opened || ev.To != Answered {
		t.Fatalf("Answer after the due date = %+v, %+v, %v; want accepted and marked late", m, ev, err)
	}
	if Overdue(m, date(t, "2026-04-01")) {
		t.Error("an answered matter is overdue: it waits on the regulator, not its party")
	}
	if left, _ := rules.WorkingDaysLeft(m, date(t, "2026-04-01")); left != 0 {
		t.Errorf("WorkingDaysLeft(answered) = %d, want 0", left)
	}
	m2 := open(t, "anomaly_explanation", bodyA, "2026-03-02")
	if m2, _, _ = rules.Answer(m2, Step{At: at(t, "2026-03-09")}); m2.Late {
		t.Error("an answer on the due day is marked late")
	}
}

func TestPauseMovesTheDeadlineByItsWorkingDays(t *testing.T) {
	m := open(t, "disclosure_request", zhejiang, "2026-03-02") // due 2026-03-30
	before, _ := rules.WorkingDaysLeft(m, date(t, "2026-03-10"))

	m, ev, err := rules.PauseFor(m, Step{At: at(t, "2026-03-10"), Actor: "a1", Reason: "third_party_consultation"})
	if err != nil || m.State != Paused || ev.To != Paused || m.PausedOn.String() != "2026-03-10" {
		t.Fatalf("PauseFor = %+v, %+v, %v", m, ev, err)
	}
	if Overdue(m, date(t, "2026-04-30")) {
		t.Error("a paused matter is overdue: its clock is stopped")
	}
	if during, _ := rules.WorkingDaysLeft(m, date(t, "2026-03-13")); during != before {
		t.Errorf("working days left during the pause = %d, want %d as when it paused", during, before)
	}

	m, ev, err = rules.ResumeAt(m, Step{At: at(t, "2026-03-17"), Actor: "a1"})
	if err != nil {
		t.Fatal(err)
	}
	// 11, 12, 13, 16 and 17 March are not counted: 30 March + 5 working
	// days, across Qingming (4-6 April), is 7 April.
	if ev.Days != 5 || m.Paused != 5 || m.Due.Date.String() != "2026-04-07" || ev.Due != m.Due {
		t.Errorf("ResumeAt = paused %d, due %s, event %+v; want 5 days not counted and due 2026-04-07", m.Paused, m.Due.Date, ev)
	}
	want, _ := rules.Calendar().AddWorkingDays(date(t, "2026-03-30"), 5)
	if m.Due != want {
		t.Errorf("due after a 5-working-day pause = %v, want the old due date + 5 working days = %v", m.Due, want)
	}
	if after, _ := rules.WorkingDaysLeft(m, date(t, "2026-03-17")); after != before {
		t.Errorf("working days left after the pause = %d, want %d as before it", after, before)
	}
	if m.PausedOn != (trustmark.Date{}) || m.PauseReason != "" {
		t.Errorf("a resumed matter keeps its pause: %+v", m)
	}
}

func TestPauseOverAWeekendOnlyCountsNothing(t *testing.T) {
	m := open(t, "disclosure_request", zhejiang, "2026-03-02")
	m, _, _ = rules.PauseFor(m, Step{At: at(t, "2026-03-13"), Reason: "organ_consultation"}) // Friday
	m, ev, err := rules.ResumeAt(m, Step{At: at(t, "2026-03-15")})                           // Sunday
	if err != nil || ev.Days != 0 || m.Due.Date.String() != "2026-03-30" {
		t.Errorf("a pause from Friday to Sunday = %d days, due %s, %v; want 0 and 2026-03-30", ev.Days, m.Due.Date, err)
	}
}

func TestExtensions(t *testing.T) {
	m := open(t, "disclosure_request", zhejiang, "2026-03-02") // due 2026-03-30
	t.Run("the law's extension moves the deadline across Qingming", func(t *testing.T) {
		got, ev, err := rules.ExtendBy(m, Step{At: at(t, "2026-03-30"), Actor: "a1", Reason: "head of office approved"}, 20)
		if err != nil || got.Due.Date.String() != "2026-04-28" || ev.Days != 20 || ev.Action != Extend {
			t.Errorf("ExtendBy(20) on the due day = due %s, %+v, %v; want 2026-04-28", got.Due.Date, ev, err)
		}
	})
	t.Run("extensions add up to the law's limit and no further", func(t *testing.T) {
		got, _, err := rules.ExtendBy(m, Step{At: at(t, "2026-03-20"), Reason: "r"}, 15)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := rules.ExtendBy(got, Step{At: at(t, "2026-03-20"), Reason: "r"}, 6); trustmark.ErrorCode(err) != trustmark.EInvalid {
			t.Errorf("ExtendBy(15 then 6 of 20) = %v, want invalid", err)
		}
		if got, _, err = rules.ExtendBy(got, Step{At: at(t, "2026-03-20"), Reason: "r"}, 5); err != nil || got.Extended != 20 {
			t.Errorf("ExtendBy(15 then 5 of 20) = %d, %v", got.Extended, err)
		}
	})
	t.Run("a lapsed period cannot be extended", func(t *testing.T) {
		if _, _, err := rules.ExtendBy(m, Step{At: at(t, "2026-03-31"), Reason: "r"}, 5); trustmark.ErrorCode(err) != trustmark.EConflict {
			t.Errorf("ExtendBy after the due date = %v, want conflict", err)
		}
	})
	t.Run("a kind without an extension is refused", func(t *testing.T) {
		a := open(t, "anomaly_explanation", bodyA, "2026-03-02")
		got, ev, err := rules.ExtendBy(a, Step{At: at(t, "2026-03-03"), Reason: "r"}, 1)
		if trustmark.ErrorCode(err) != trustmark.EConflict || got != a || ev != (Event{}) {
			t.Errorf("ExtendBy(anomaly) = %+v, %+v, %v; want conflict and the matter unchanged", got, ev, err)
		}
	})
}

func TestStateMachine(t *testing.T) {
	opened := open(t, "anomaly_explanation", bodyA, "2026-03-02")
	answered, _, _ := rules.Answer(opened, Step{At: at(t, "2026-03-04"), Actor: "a1"})
	paused, _, _ := rules.PauseFor(open(t, "lead_verification", zhejiang, "2026-03-02"), Step{At: at(t, "2026-03-03"), Reason: "testing"})
	accepted, _, _ := rules.Accept(answered, Step{At: at(t, "2026-03-05"), Actor: "r1"})
	day := at(t, "2026-03-05")
	type stepFunc func(Matter, Step) (Matter, Event, error)
	tests := []struct {
		name  string
		m     Matter
		step  stepFunc
		s     Step
		want  State
		error string // code, "" for success
	}{
		{"an answer can be accepted", answered, rules.Accept, Step{At: day}, Accepted, ""},
		{"an answer can be escalated", answered, rules.Escalate, Step{At: day, Reason: "no explanation of the distance"}, Escalated, ""},
		{"an unanswered matter can be escalated", opened, rules.Escalate, Step{At: day, Reason: "overdue"}, Escalated, ""},
		{"a paused matter can be closed", paused, rules.Close, Step{At: day, Reason: "withdrawn"}, Closed, ""},
		{"an unanswered matter cannot be accepted", opened, rules.Accept, Step{At: day}, Opened, trustmark.EConflict},
		{"a matter is answered once", answered, rules.Answer, Step{At: day}, Answered, trustmark.EConflict},
		{"a paused matter is resumed before it is answered", paused, rules.Answer, Step{At: day}, Paused, trustmark.EConflict},
		{"an accepted matter is final", accepted, rules.Close, Step{At: day, Reason: "r"}, Accepted, trustmark.EConflict},
		{"escalation needs a reason", opened, rules.Escalate, Step{At: day}, Opened, trustmark.EInvalid},
		{"closing needs a reason", opened, rules.Close, Step{At: day, Reason: " "}, Opened, trustmark.EInvalid},
		{"a step before the opening is refused", opened, rules.Answer, Step{At: at(t, "2026-03-01")}, Opened, trustmark.EInvalid},
		{"a pause for a reason the kind does not name is refused", open(t, "disclosure_request", zhejiang, "2026-03-02"), rules.PauseFor, Step{At: day, Reason: "holiday"}, Opened, trustmark.EInvalid},
		{"a kind without pauses cannot be paused", opened, rules.PauseFor, Step{At: day, Reason: "testing"}, Opened, trustmark.EInvalid},
		{"a lapsed period cannot be paused", open(t, "disclosure_request", zhejiang, "2026-03-02"), rules.PauseFor, Step{At: at(t, "2026-03-31"), Reason: "organ_consultation"}, Opened, trustmark.EConflict},
		{"a pause cannot end before it began", paused, rules.ResumeAt, Step{At: at(t, "2026-03-02")}, Paused, trustmark.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ev, err := tt.step(tt.m, tt.s)
			if trustmark.ErrorCode(err) != tt.error || got.State != tt.want {
				t.Fatalf("step = %s, %v; want %s, error %q", got.State, err, tt.want, tt.error)
			}
			if err != nil {
				if diff := cmp.Diff(tt.m, got, cmp.AllowUnexported(trustmark.Date{})); diff != "" || ev != (Event{}) {
					t.Errorf("a refused step changed the matter (-before +after):\n%s or returned event %+v", diff, ev)
				}
				return
			}
			if ev.Matter != tt.m.ID || ev.From != tt.m.State || ev.To != tt.want || !ev.At.Equal(tt.s.At) || ev.Due != got.Due {
				t.Errorf("event = %+v, want %s → %s at %v", ev, tt.m.State, tt.want, tt.s.At)
			}
		})
	}
}

func TestOpenRefuses(t *testing.T) {
	base := Opening{ID: "m1", Kind: "anomaly_explanation", Subject: "audit:1/late_open", Party: bodyA, Region: "330106", At: at(t, "2026-03-02")}
	tests := []struct {
		name   string
		change func(*Opening)
		reason string
	}{
		{"an unknown kind", func(o *Opening) { o.Kind = "parking_ticket" }, "matter.kind"},
		{"a party the kind does not ask", func(o *Opening) { o.Party = zhejiang }, "matter.party"},
		{"a period from the future", func(o *Opening) { o.From = date(t, "2026-03-03") }, "matter.from_future"},
		{"a period set where the law gives it", func(o *Opening) { o.Period = 10 }, "matter.period"},
		{"a rectification period beyond its bound", func(o *Opening) { o.Kind, o.Period = "rectification", 121 }, "matter.period"},
		{"no subject", func(o *Opening) { o.Subject = "" }, "matter.subject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			tt.change(&o)
			var e *trustmark.Error
			_, _, err := rules.Open(o)
			if !asError(err, &e) || e.Reason != tt.reason {
				t.Errorf("Open = %v, want %s", err, tt.reason)
			}
		})
	}
	t.Run("a region outside GB/T 2260", func(t *testing.T) {
		o := base
		o.Region = "999999"
		if _, _, err := rules.Open(o); trustmark.ErrorCode(err) != trustmark.EInvalid {
			t.Errorf("Open(region 999999) = %v, want invalid", err)
		}
	})
	t.Run("a regulator sets a rectification period", func(t *testing.T) {
		o := base
		o.Kind, o.Period = "rectification", 30
		m, ev, err := rules.Open(o)
		if err != nil || m.Period != 30 || ev.Days != 30 || m.Due.Date.String() != "2026-04-14" {
			t.Errorf("Open(rectification, 30) = %+v, %v; want due 2026-04-14 (Qingming skipped)", m, err)
		}
	})
}

func TestSortInbox(t *testing.T) {
	today := date(t, "2026-03-10")
	overdue := open(t, "anomaly_explanation", bodyA, "2026-03-02") // due 03-09
	overdue.ID = "overdue"
	soon := open(t, "anomaly_explanation", bodyA, "2026-03-06") // due 03-13
	soon.ID = "soon"
	later := open(t, "disclosure_request", zhejiang, "2026-03-02") // due 03-30
	later.ID = "later"
	answered, _, _ := rules.Answer(open(t, "anomaly_explanation", bodyA, "2026-02-12"), Step{At: at(t, "2026-02-13")}) // due 02-26
	answered.ID = "answered"
	ms := []Matter{later, soon, answered, overdue}
	SortInbox(ms, today)
	var got []string
	for _, m := range ms {
		got = append(got, m.ID)
	}
	if diff := cmp.Diff([]string{"overdue", "answered", "soon", "later"}, got); diff != "" {
		t.Errorf("SortInbox order (-want +got):\n%s", diff)
	}
}

func TestTargetIsTheMattersPartyAndRegion(t *testing.T) {
	m := open(t, "anomaly_explanation", bodyA, "2026-03-02")
	if tg := m.Target(); tg.Owner != bodyA || tg.Region != "330106" {
		t.Errorf("Target() = %+v", tg)
	}
}
