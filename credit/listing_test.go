package credit

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
)

func day(t testing.TB, s string) trustmark.Date {
	t.Helper()
	d, err := trustmark.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func step(t testing.TB, s string) Step {
	d := day(t, s)
	return Step{On: d, At: d.Time().Add(9 * time.Hour), Actor: "regulator:110000"}
}

func reasonOf(err error) string {
	if e, ok := err.(*trustmark.Error); ok {
		return e.Reason
	}
	return ""
}

var lab = Subject{Lab, "CMA-2019-1234"}

// notified returns a listing proposed on 2026-03-02 and notified on
// 2026-03-03, whose objection period (10 working days) ends on 2026-03-17.
func notified(t *testing.T, r *Rules) Listing {
	t.Helper()
	l, _, err := r.Propose(Proposal{ID: "L1", Subject: lab, Name: "某检测有限公司", Region: "110000",
		Grounds: "出具虚假检验检测报告", LegalBasis: "《市场监督管理严重违法失信名单管理办法》第十条"}, step(t, "2026-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	l, _, err = r.Notify(l, step(t, "2026-03-03"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := l.ObjectionDue.Date, day(t, "2026-03-17"); got != want {
		t.Fatalf("ObjectionDue = %s, want %s", got, want)
	}
	return l
}

func listed(t *testing.T, r *Rules) Listing {
	t.Helper()
	l, e, err := r.Decide(notified(t, r), step(t, "2026-03-18"), true, "京市监信〔2026〕1号", "")
	if err != nil {
		t.Fatal(err)
	}
	if e.Entry == nil {
		t.Fatal("a listing decision carries no archive entry")
	}
	return l
}

func TestObjection(t *testing.T) {
	r := DefaultRules()
	tests := []struct {
		name, on string
		reason   string
	}{
		{"an objection on the day of notice is accepted", "2026-03-03", ""},
		{"an objection on the last day of the period is accepted", "2026-03-17", ""},
		{"an objection the day after the period is refused", "2026-03-18", "credit.objection_late"},
		{"an objection before the notice is refused", "2026-03-02", "credit.objection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _, err := r.Object(notified(t, r), step(t, tt.on), "事实认定有误")
			if got := reasonOf(err); got != tt.reason {
				t.Fatalf("Object on %s: reason %q (%v), want %q", tt.on, got, err, tt.reason)
			}
			if err == nil && l.State != Objected {
				t.Errorf("state = %s, want %s", l.State, Objected)
			}
		})
	}
}

func TestDecide(t *testing.T) {
	r := DefaultRules()
	objected := func(t *testing.T) Listing {
		l, _, err := r.Object(notified(t, r), step(t, "2026-03-10"), "事实认定有误")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	tests := []struct {
		name   string
		start  func(*testing.T) Listing
		on     string
		list   bool
		reason string
		state  State
	}{
		{"a decision on the last day of the objection period is refused", func(t *testing.T) Listing { return notified(t, r) }, "2026-03-17", true, "credit.objection_period_open", Notified},
		{"a decision the day after the period lists", func(t *testing.T) Listing { return notified(t, r) }, "2026-03-18", true, "", Listed},
		{"after an objection the regulator may decide at once", objected, "2026-03-10", true, "", Listed},
		{"after an objection the regulator may decide not to list", objected, "2026-03-12", false, "", Dropped},
		{"a decision before the objection is refused", objected, "2026-03-09", true, "credit.step_date", Objected},
		{"a proposal not yet notified cannot be decided", func(t *testing.T) Listing {
			l, _, _ := r.Propose(Proposal{ID: "L2", Subject: lab, Region: "110000", Grounds: "g", LegalBasis: "b"}, step(t, "2026-03-02"))
			return l
		}, "2026-06-01", true, "credit.transition", Proposed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := tt.start(t), error(nil)
			l, _, err = r.Decide(l, step(t, tt.on), tt.list, "京市监信〔2026〕1号", "事实清楚")
			if got := reasonOf(err); got != tt.reason {
				t.Fatalf("Decide on %s: reason %q (%v), want %q", tt.on, got, err, tt.reason)
			}
			if l.State != tt.state {
				t.Errorf("state = %s, want %s", l.State, tt.state)
			}
		})
	}
}

func TestListingPeriodAndExpiry(t *testing.T) {
	r := DefaultRules()
	l := listed(t, r)
	if got, want := l.Until, day(t, "2029-03-18"); got != want {
		t.Fatalf("Until = %s, want %s (3 years, the day of listing not counted)", got, want)
	}
	for _, tt := range []struct {
		on   string
		want bool
	}{{"2026-03-17", false}, {"2026-03-18", true}, {"2029-03-18", true}, {"2029-03-19", false}} {
		if got := l.OnList(day(t, tt.on)); got != tt.want {
			t.Errorf("OnList(%s) = %v, want %v", tt.on, got, tt.want)
		}
	}
	t.Run("expiry on the last day is refused", func(t *testing.T) {
		_, _, err := r.Expire(l, step(t, "2029-03-18"))
		if got, want := reasonOf(err), "credit.period_running"; got != want {
			t.Fatalf("Expire = %q, want %q", got, want)
		}
	})
	t.Run("expiry run late removes from the day after the period", func(t *testing.T) {
		got, e, err := r.Expire(l, step(t, "2029-04-02"))
		if err != nil {
			t.Fatal(err)
		}
		if got.State != Removed || got.RemovedOn != day(t, "2029-03-19") || e.Action != ActExpire {
			t.Errorf("Expire = %s removed %s (%s), want removed 2029-03-19", got.State, got.RemovedOn, e.Action)
		}
	})
}

func TestRepair(t *testing.T) {
	r := DefaultRules()
	evidence := []string{"doc:罚款缴纳凭证", "doc:整改报告"}
	tests := []struct {
		name, on string
		reason   string
	}{
		{"an application the day before the anniversary is refused", "2027-03-17", "credit.repair_too_early"},
		{"an application on the anniversary is accepted", "2027-03-18", ""},
		{"an application on the last day is accepted", "2029-03-18", ""},
		{"an application after the period is refused", "2029-03-19", "credit.period_ended"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := r.ApplyRepair(listed(t, r), step(t, tt.on), "已履行处罚决定并整改", evidence)
			if got := reasonOf(err); got != tt.reason {
				t.Fatalf("ApplyRepair on %s: reason %q (%v), want %q", tt.on, got, err, tt.reason)
			}
		})
	}

	t.Run("a refused application is kept and a second one may follow", func(t *testing.T) {
		l, _, err := r.ApplyRepair(listed(t, r), step(t, "2027-04-01"), "已整改", evidence)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.ApplyRepair(l, step(t, "2027-04-02"), "again", evidence); reasonOf(err) != "credit.repair_pending" {
			t.Fatalf("second pending application: %v, want credit.repair_pending", err)
		}
		l, e, err := r.DecideRepair(l, step(t, "2027-04-20"), false, "整改未完成")
		if err != nil || l.State != Listed || e.Entry != nil {
			t.Fatalf("refusal: state %s, entry %v, err %v; want listed, no entry", l.State, e.Entry, err)
		}
		l, _, err = r.ApplyRepair(l, step(t, "2027-06-01"), "已完成整改", evidence)
		if err != nil {
			t.Fatal(err)
		}
		l, e, err = r.DecideRepair(l, step(t, "2027-06-15"), true, "符合提前移出条件")
		if err != nil {
			t.Fatal(err)
		}
		want := []Repair{
			{AppliedOn: day(t, "2027-04-01"), Statement: "已整改", Evidence: evidence, DecidedOn: day(t, "2027-04-20"), Reason: "整改未完成", DecidedBy: "regulator:110000"},
			{AppliedOn: day(t, "2027-06-01"), Statement: "已完成整改", Evidence: evidence, DecidedOn: day(t, "2027-06-15"), Granted: true, Reason: "符合提前移出条件", DecidedBy: "regulator:110000"},
		}
		if diff := cmp.Diff(want, l.Repairs, dates); diff != "" {
			t.Errorf("repairs (-want +got):\n%s", diff)
		}
		if l.State != Removed || l.OnList(day(t, "2027-06-15")) || !l.OnList(day(t, "2027-06-14")) {
			t.Errorf("after repair: state %s, on list 06-14 %v, 06-15 %v; want removed from 06-15", l.State, l.OnList(day(t, "2027-06-14")), l.OnList(day(t, "2027-06-15")))
		}
		if e.Entry == nil || e.Entry.Supersedes != "L1/listed" || e.Entry.ValidUntil != day(t, "2027-06-14") {
			t.Errorf("repair entry = %+v, want a correction of L1/listed ending 2027-06-14", e.Entry)
		}
		if _, _, err := r.Expire(l, step(t, "2029-04-01")); reasonOf(err) != "credit.transition" {
			t.Errorf("Expire after repair: %v, want credit.transition", err)
		}
	})
}

func TestPublic(t *testing.T) {
	r := DefaultRules()
	t.Run("a listed unit shows its name, grounds and period", func(t *testing.T) {
		got, ok := Public(listed(t, r), day(t, "2026-05-01"))
		want := PublicListing{SubjectKind: Lab, SubjectID: lab.ID, Name: "某检测有限公司", Grounds: "出具虚假检验检测报告",
			LegalBasis: "《市场监督管理严重违法失信名单管理办法》第十条", ListedOn: day(t, "2026-03-18"), Until: day(t, "2029-03-18")}
		if diff := cmp.Diff(want, got, dates); !ok || diff != "" {
			t.Errorf("Public (ok %v) (-want +got):\n%s", ok, diff)
		}
	})
	t.Run("a listed person shows no name", func(t *testing.T) {
		l, _, _ := r.Propose(Proposal{ID: "P1", Subject: Subject{Person, "2019-N1QMS-1234567"}, Name: "张三", Region: "110000", Grounds: "g", LegalBasis: "b"}, step(t, "2026-03-02"))
		l.State, l.ListedOn, l.Until, l.Name = Listed, day(t, "2026-04-01"), day(t, "2029-04-01"), "张三"
		got, ok := Public(l, day(t, "2026-05-01"))
		if !ok || got.Name != "" || got.SubjectID != "2019-N1QMS-1234567" {
			t.Errorf("Public(person) = %+v, %v; want the registration number and no name", got, ok)
		}
	})
	t.Run("a proposal is not public", func(t *testing.T) {
		if _, ok := Public(notified(t, r), day(t, "2026-03-10")); ok {
			t.Error("Public(notified) is shown, want hidden")
		}
	})
}

// dates compares trustmark.Date by value (its field is unexported).
var dates = cmp.Comparer(func(a, b trustmark.Date) bool { return a == b })
