package credit

import (
	"testing"
	"time"
)

// TestExpireDue: listed on 2026-03-18 for 3 years, the last day on the list
// is 2029-03-18; the job removes it from 2029-03-19, however late it runs,
// and running it again changes nothing.
func TestExpireDue(t *testing.T) {
	r := DefaultRules()
	l := listed(t, r)
	if l.Until != day(t, "2029-03-18") {
		t.Fatalf("Until = %s", l.Until)
	}
	dropped, _, err := r.Decide(notified(t, r), step(t, "2026-03-18"), false, "", "证据不足")
	if err != nil {
		t.Fatal(err)
	}
	dropped.ID = "L2"
	for _, tc := range []struct {
		on      string
		removed bool
	}{
		{"2029-03-17", false},
		{"2029-03-18", false}, // the last day: still on the list
		{"2029-03-19", true},  // the day after
		{"2030-01-01", true},  // a late run
	} {
		got, evs := r.ExpireDue([]Listing{l, dropped}, step(t, tc.on))
		if (len(got) == 1) != tc.removed || len(evs) != len(got) {
			t.Errorf("ExpireDue on %s = %d removals, want removed=%v", tc.on, len(got), tc.removed)
			continue
		}
		if l.OnList(day(t, tc.on)) == tc.removed {
			t.Errorf("OnList(%s) = %v, want %v", tc.on, !tc.removed, !tc.removed)
		}
		if !tc.removed {
			continue
		}
		if got[0].State != Removed || got[0].RemovedOn != day(t, "2029-03-19") || evs[0].Action != ActExpire || evs[0].On != day(t, tc.on) {
			t.Errorf("on %s: %+v %+v, want removed from 2029-03-19", tc.on, got[0], evs[0])
		}
		if again, _ := r.ExpireDue(got, step(t, tc.on)); len(again) != 0 {
			t.Errorf("a second run on %s removes %d again", tc.on, len(again))
		}
		if _, ok := Public(got[0], day(t, "2029-03-18")); !ok {
			t.Errorf("the removed listing must still show as it was on its last day")
		}
	}
}

// TestExcluded: a banned person and a listed one are excluded from draws
// and audit teams from the first day of effect, naming the decision; a
// commendation excludes no one.
func TestExcluded(t *testing.T) {
	p := Subject{Person, "2026-NQA-0001"}
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ban, err := BanEntry(BanDecision{ID: "B1", Subject: p, Decision: "京市监罚〔2026〕9号", Grounds: "伪造审核记录",
		LegalBasis: "《认证认可条例》第七十三条", On: day(t, "2026-03-10")}, at, "regulator:110000")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Archive{Subject: p}.Record(Entry{ID: "C1", Subject: p, Kind: Commendation, Summary: "表彰", Source: "x", RecordedBy: "r",
		On: day(t, "2026-01-01"), ValidFrom: day(t, "2026-01-01"), RecordedAt: at.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if ex, _ := Excluded(a, day(t, "2026-03-10")); ex {
		t.Fatal("a commendation excludes")
	}
	if a, err = a.Record(ban); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		on   string
		want bool
	}{{"2026-03-09", false}, {"2026-03-10", true}, {"2090-01-01", true}} {
		ex, cause := Excluded(a, day(t, tc.on))
		if ex != tc.want || (ex && cause.Decision != "京市监罚〔2026〕9号") {
			t.Errorf("Excluded on %s = %v %+v, want %v naming the ban", tc.on, ex, cause, tc.want)
		}
	}
	got := ExcludedFrom(map[string]Archive{p.ID: a, "other": {Subject: Subject{Person, "other"}}}, JoinTeam, day(t, "2026-04-01"))
	if len(got) != 1 || got[p.ID].ID != "B1" {
		t.Errorf("ExcludedFrom = %+v, want only the banned person", got)
	}
}
