package credit

import (
	"slices"
	"testing"
	"time"

	"trustmark"
)

func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func ids(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

var body = Subject{Body, "CNCA-R-2002-001"}

// history is a body's archive: a penalty recorded late, a commitment kept,
// and a finding corrected and then withdrawn.
func history(t *testing.T) Archive {
	t.Helper()
	kept := true
	entries := []Entry{
		{ID: "F1", Kind: Finding, Summary: "审核员未到场", On: day(t, "2026-01-10"), ValidFrom: day(t, "2026-01-10"), ValidUntil: day(t, "2026-12-31"), RecordedAt: at(t, "2026-01-11T02:00:00Z")},
		{ID: "C1", Kind: Commitment, Summary: "告知承诺审批", On: day(t, "2026-02-01"), ValidFrom: day(t, "2026-02-01"), RecordedAt: at(t, "2026-02-01T02:00:00Z")},
		{ID: "P1", Kind: Penalty, Summary: "罚款", On: day(t, "2026-01-20"), ValidFrom: day(t, "2026-01-20"), ValidUntil: day(t, "2027-01-19"), RecordedAt: at(t, "2026-03-01T02:00:00Z")},
		{ID: "F1b", Kind: Finding, Summary: "审核员迟到", Supersedes: "F1", On: day(t, "2026-01-10"), ValidFrom: day(t, "2026-01-10"), ValidUntil: day(t, "2026-12-31"), RecordedAt: at(t, "2026-03-05T02:00:00Z")},
		{ID: "C1b", Kind: Commitment, Summary: "告知承诺审批，已履行", Supersedes: "C1", Kept: &kept, On: day(t, "2026-02-01"), ValidFrom: day(t, "2026-02-01"), RecordedAt: at(t, "2026-04-01T02:00:00Z")},
		{ID: "F1c", Kind: Finding, Supersedes: "F1b", Withdrawn: true, On: day(t, "2026-01-10"), ValidFrom: day(t, "2026-01-10"), RecordedAt: at(t, "2026-05-01T02:00:00Z")},
	}
	a := Archive{Subject: body}
	for _, e := range entries {
		e.Subject, e.Source, e.RecordedBy, e.LegalBasis = body, "inspection:2026-01", "regulator:110000", "认证认可条例"
		var err error
		if a, err = a.Record(e); err != nil {
			t.Fatalf("Record(%s): %v", e.ID, err)
		}
	}
	return a
}

func TestAsOf(t *testing.T) {
	a := history(t)
	tests := []struct {
		name, valid, known string
		want               []string
	}{
		{"before anything was recorded the archive is empty", "2026-01-15", "2026-01-01T00:00:00Z", nil},
		{"the finding as first recorded", "2026-01-15", "2026-01-12T00:00:00Z", []string{"F1"}},
		{"a penalty in effect but not yet recorded is not known", "2026-02-15", "2026-02-15T00:00:00Z", []string{"F1", "C1"}},
		{"the same day as known later shows the penalty", "2026-02-15", "2026-03-02T00:00:00Z", []string{"F1", "C1", "P1"}},
		{"a correction replaces the entry it corrects", "2026-02-15", "2026-03-06T00:00:00Z", []string{"F1b", "C1", "P1"}},
		{"a withdrawn entry is gone from then on", "2026-02-15", "2026-06-01T00:00:00Z", []string{"C1b", "P1"}},
		{"an entry past its period of effect is left out", "2027-01-20", "2026-06-01T00:00:00Z", []string{"C1b"}},
		{"an entry on its last day of effect is kept", "2027-01-19", "2026-06-01T00:00:00Z", []string{"C1b", "P1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(a.AsOf(day(t, tt.valid), at(t, tt.known)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("AsOf(%s, %s) = %v, want %v", tt.valid, tt.known, got, tt.want)
			}
		})
	}
}

func TestRecordRefuses(t *testing.T) {
	a := history(t)
	ok := Entry{ID: "X", Subject: body, Kind: Penalty, Source: "s", RecordedBy: "r", On: day(t, "2026-06-01"), ValidFrom: day(t, "2026-06-01"), RecordedAt: at(t, "2026-06-02T00:00:00Z")}
	tests := []struct {
		name   string
		change func(*Entry)
		reason string
	}{
		{"a well-formed entry is recorded", func(*Entry) {}, ""},
		{"an entry about another subject", func(e *Entry) { e.Subject = lab }, "credit.subject"},
		{"an id already used", func(e *Entry) { e.ID = "P1" }, "credit.entry_exists"},
		{"a kind that does not exist", func(e *Entry) { e.Kind = "rumour" }, "credit.entry_kind"},
		{"no source", func(e *Entry) { e.Source = "" }, "credit.entry_source"},
		{"an end before its start", func(e *Entry) { e.ValidUntil = day(t, "2026-05-31") }, "credit.entry_dates"},
		{"a ban with an end date", func(e *Entry) { e.Kind, e.ValidUntil = Ban, day(t, "2030-01-01") }, "credit.ban_for_life"},
		{"a record time before the last entry's", func(e *Entry) { e.RecordedAt = at(t, "2026-04-30T00:00:00Z") }, "credit.record_time"},
		{"a correction of an unknown entry", func(e *Entry) { e.Supersedes = "nope" }, "credit.supersedes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			tt.change(&e)
			got, err := a.Record(e)
			if r := reasonOf(err); r != tt.reason {
				t.Fatalf("Record: reason %q (%v), want %q", r, err, tt.reason)
			}
			if err != nil && len(got.Entries) != len(a.Entries) {
				t.Errorf("a refused entry changed the archive")
			}
		})
	}
}

func TestBannedPersonIsRefusedOnEveryDateAfterTheBan(t *testing.T) {
	p := Subject{Person, "2015-N1QMS-1000001"}
	ban, err := BanEntry(BanDecision{ID: "B1", Subject: p, Decision: "国认监罚〔2026〕3号", Grounds: "出具虚假认证结论",
		LegalBasis: "《认证认可条例》第七十三条", On: day(t, "2026-04-10")}, at(t, "2026-04-10T03:00:00Z"), "regulator:000000")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Archive{Subject: p}.Record(ban)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range []Act{Register, JoinTeam, DrawnAsInspector} {
		if v := Standing(a, act, day(t, "2026-04-09")); !v.May {
			t.Errorf("Standing(%s, the day before the ban) refused, want allowed", act)
		}
		for d := day(t, "2026-04-10"); d.Before(day(t, "2076-04-10")); d = d.AddDate(0, 0, 1) {
			v := Standing(a, act, d)
			if v.May || v.Decision == nil || v.Decision.ID != "B1" {
				t.Fatalf("Standing(%s, %s) = %+v, want refused by B1", act, d, v)
			}
		}
	}
	err = Standing(a, JoinTeam, day(t, "2040-01-01")).Err()
	if reasonOf(err) != "credit.ban" || trustmark.ErrorCode(err) != trustmark.EForbidden {
		t.Errorf("Verdict.Err() = %v, want forbidden credit.ban naming the decision", err)
	}
}

func TestStandingFollowsTheListing(t *testing.T) {
	r := DefaultRules()
	l := listed(t, r)
	a, err := Archive{Subject: lab}.Record(entryOf(t)(r.Decide(notified(t, r), step(t, "2026-03-18"), true, "京市监信〔2026〕1号", "")))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		on  string
		act Act
		may bool
	}{
		{"2026-03-17", IssueReport, true},
		{"2026-03-18", IssueReport, false},
		{"2029-03-18", IssueReport, false},
		{"2029-03-19", IssueReport, true},
		{"2027-01-01", Issue, true}, // a laboratory's listing is about its reports
	}
	for _, tt := range tests {
		if got := Standing(a, tt.act, day(t, tt.on)).May; got != tt.may {
			t.Errorf("Standing(%s, %s).May = %v, want %v", tt.act, tt.on, got, tt.may)
		}
	}

	t.Run("repair granted restores standing from its day, and the past stays as known", func(t *testing.T) {
		l, _, err := r.ApplyRepair(l, step(t, "2027-03-20"), "已整改", []string{"doc:1"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := a.Record(entryOf(t)(r.DecideRepair(l, step(t, "2027-04-01"), true, "符合条件")))
		if err != nil {
			t.Fatal(err)
		}
		if Standing(a, IssueReport, day(t, "2027-03-31")).May || !Standing(a, IssueReport, day(t, "2027-04-01")).May {
			t.Error("after repair: want refused through 2027-03-31 and allowed from 2027-04-01")
		}
		if StandingAsKnown(a, IssueReport, day(t, "2027-06-01"), at(t, "2027-03-31T00:00:00Z")).May {
			t.Error("as known before the repair, 2027-06-01 was still refused; got allowed")
		}
	})
}

// entryOf returns the archive entry a step's event carries.
func entryOf(t *testing.T) func(Listing, Event, error) Entry {
	return func(_ Listing, e Event, err error) Entry {
		t.Helper()
		if err != nil || e.Entry == nil {
			t.Fatalf("step gave entry %v, err %v", e.Entry, err)
		}
		return *e.Entry
	}
}

// TestStandingTable walks every kind of entry, subject and act: only bans,
// listings and revocations refuse, and each only the acts of its subject.
func TestStandingTable(t *testing.T) {
	refuses := map[SubjectKind][]Act{Person: {Register, JoinTeam, DrawnAsInspector}, Body: {Issue}, Lab: {IssueReport}}
	acts := []Act{Register, JoinTeam, DrawnAsInspector, Issue, IssueReport}
	for _, kind := range entryKinds {
		for _, sk := range []SubjectKind{Body, Lab, Person, Org} {
			s := Subject{sk, "X"}
			a, err := Archive{Subject: s}.Record(Entry{ID: "E", Subject: s, Kind: kind, Source: "s", RecordedBy: "r",
				On: day(t, "2026-01-01"), ValidFrom: day(t, "2026-01-01"), RecordedAt: at(t, "2026-01-01T00:00:00Z")})
			if err != nil {
				t.Fatal(err)
			}
			blocking := kind == Ban || kind == SeriousViolation || kind == Revocation
			for _, act := range acts {
				want := !(blocking && slices.Contains(refuses[sk], act))
				if got := Standing(a, act, day(t, "2026-06-01")).May; got != want {
					t.Errorf("Standing(%s of a %s, %s).May = %v, want %v", kind, sk, act, got, want)
				}
			}
		}
	}
}
