package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/credit"
)

// CreditStore is a Store that keeps integrity archives and the
// serious-violation list.
type CreditStore interface {
	trustmark.Store
	CreditArchive(ctx context.Context, s credit.Subject) (credit.Archive, error)
	RecordCreditEntry(ctx context.Context, e credit.Entry) error
	CreditStep(ctx context.Context, id string, step func(l credit.Listing, found bool) (credit.Listing, credit.Event, error)) (credit.Listing, error)
	CreditListing(ctx context.Context, id string) (credit.Listing, error)
	SeriousViolations(ctx context.Context, on trustmark.Date, after string, limit int) ([]credit.PublicListing, string, error)
	CreditSubjectRegion(ctx context.Context, s credit.Subject) (string, error)
	RecordCreditEntryBy(ctx context.Context, s credit.Subject, decide func(region string, a credit.Archive) (credit.Entry, error)) (credit.Entry, error)
}

// Credit fixture: a body and a person taken through the listing procedure.
var (
	creditBody   = credit.Subject{Kind: credit.Body, ID: bodyA}
	creditPerson = credit.Subject{Kind: credit.Person, ID: "2026-N1RC-1234567"}
	creditRules  = credit.DefaultRules()
	// creditCmp compares dates by day and instants by instant, as they
	// come back from a database.
	creditCmp = cmp.Options{
		cmp.Comparer(func(a, b trustmark.Date) bool { return a.String() == b.String() }),
		cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
	}
)

// creditAt is the record time of the suite's n-th credit step: record time
// only moves forward.
func creditAt(n int) time.Time { return Now.Add(-time.Duration(100-n) * time.Hour) }

func creditStep(on string, n int) credit.Step {
	return credit.Step{On: d(on), At: creditAt(n), Actor: "regulator:110000"}
}

// List takes a listing from proposal (2026-01-05) through notice
// (2026-01-06) to listing on listOn, with no objection, for tests of the
// adapters that show the list.
func List(t *testing.T, s CreditStore, p credit.Proposal, listOn string) credit.Listing {
	t.Helper()
	steps := []func(l credit.Listing, found bool) (credit.Listing, credit.Event, error){
		func(credit.Listing, bool) (credit.Listing, credit.Event, error) {
			return creditRules.Propose(p, creditStep("2026-01-05", 1))
		},
		func(l credit.Listing, _ bool) (credit.Listing, credit.Event, error) {
			return creditRules.Notify(l, creditStep("2026-01-06", 2))
		},
		func(l credit.Listing, _ bool) (credit.Listing, credit.Event, error) {
			return creditRules.Decide(l, creditStep(listOn, 3), true, "京市监信〔2026〕1号", "")
		},
	}
	var l credit.Listing
	for i, step := range steps {
		var err error
		if l, err = s.CreditStep(ctx, p.ID, step); err != nil {
			t.Fatalf("step %d of %s: %v", i+1, p.ID, err)
		}
	}
	return l
}

var (
	bodyProposal = credit.Proposal{ID: "L-2026-001", Subject: creditBody, Name: "北京认证中心", Region: "110000",
		Grounds: "出具虚假认证结论", LegalBasis: "《市场监督管理严重违法失信名单管理办法》第六条"}
	personProposal = credit.Proposal{ID: "L-2026-002", Subject: creditPerson, Name: "张三", Region: "110000",
		Grounds: "伪造审核记录", LegalBasis: "《认证认可条例》第七十三条"}
)

// RunCredit checks the storage of archives and listings: the public list
// on a day, its pages, every step an event in the public log without
// personal statements, refused steps leaving nothing behind, repair ending
// a listing in the archive as it is known from then on, and archives that
// only grow.
func RunCredit(t *testing.T, open func(t *testing.T) CreditStore) {
	fresh := func(t *testing.T) CreditStore {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { s.Close() })
		return s
	}
	t.Run("the public list shows listed subjects and no person's name", func(t *testing.T) { testCreditList(t, fresh(t)) })
	t.Run("every step is an event without the party's statements", func(t *testing.T) { testCreditEvents(t, fresh(t)) })
	t.Run("a refused step stores nothing", func(t *testing.T) { testCreditRefused(t, fresh(t)) })
	t.Run("granted repair ends the listing from its day", func(t *testing.T) { testCreditRepair(t, fresh(t)) })
	t.Run("archives only grow", func(t *testing.T) { testCreditArchive(t, fresh(t)) })
	t.Run("workflows refuse banned and listed subjects", func(t *testing.T) { testCreditBans(t, fresh(t)) })
	t.Run("a regulator's entry is decided on the subject's region and archive", func(t *testing.T) { testCreditRecordBy(t, fresh(t)) })
}

func testCreditList(t *testing.T, s CreditStore) {
	List(t, s, bodyProposal, "2026-02-02")
	List(t, s, personProposal, "2026-02-03")
	proposed := credit.Proposal{ID: "L-2026-003", Subject: credit.Subject{Kind: credit.Lab, ID: lab1}, Name: "实验室", Region: "110000",
		Grounds: "出具虚假报告", LegalBasis: "第六条"}
	if _, err := s.CreditStep(ctx, proposed.ID, func(credit.Listing, bool) (credit.Listing, credit.Event, error) {
		return creditRules.Propose(proposed, creditStep("2026-01-05", 1))
	}); err != nil {
		t.Fatal(err)
	}
	got, next, err := s.SeriousViolations(ctx, Today, "", 10)
	want := []credit.PublicListing{
		{SubjectKind: credit.Body, SubjectID: bodyA, Name: "北京认证中心", Grounds: bodyProposal.Grounds, LegalBasis: bodyProposal.LegalBasis,
			ListedOn: d("2026-02-02"), Until: d("2029-02-02")},
		{SubjectKind: credit.Person, SubjectID: creditPerson.ID, Grounds: personProposal.Grounds, LegalBasis: personProposal.LegalBasis,
			ListedOn: d("2026-02-03"), Until: d("2029-02-03")},
	}
	if err != nil || next != "" {
		t.Fatalf("SeriousViolations(%s) = next %q, %v; want the whole list", Today, next, err)
	}
	if diff := cmp.Diff(want, got, creditCmp); diff != "" {
		t.Errorf("SeriousViolations(%s) (-want +got):\n%s", Today, diff)
	}
	for _, tc := range []struct {
		name string
		on   string
		want int
	}{
		{"before the first listing the list is empty", "2026-02-01", 0},
		{"on the first listing day one subject is listed", "2026-02-02", 1},
		{"on the last day of the first listing both are", "2029-02-02", 2},
		{"the day after, only the second is", "2029-02-03", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := s.SeriousViolations(ctx, d(tc.on), "", 10)
			if err != nil || len(got) != tc.want {
				t.Errorf("SeriousViolations(%s) = %d items, %v; want %d", tc.on, len(got), err, tc.want)
			}
		})
	}
	t.Run("pages follow the cursor", func(t *testing.T) {
		page1, next, err := s.SeriousViolations(ctx, Today, "", 1)
		if err != nil || len(page1) != 1 || next == "" {
			t.Fatalf("first page = %d items, next %q, %v; want 1 and a cursor", len(page1), next, err)
		}
		page2, last, err := s.SeriousViolations(ctx, Today, next, 1)
		if err != nil || len(page2) != 1 || last != "" || page2[0].SubjectID != creditPerson.ID {
			t.Errorf("second page = %v, next %q, %v; want the person's listing and no cursor", page2, last, err)
		}
	})
}

func testCreditEvents(t *testing.T, s CreditStore) {
	l := credit.Listing{}
	for i, step := range []func(l credit.Listing) (credit.Listing, credit.Event, error){
		func(credit.Listing) (credit.Listing, credit.Event, error) {
			return creditRules.Propose(personProposal, creditStep("2026-01-05", 1))
		},
		func(l credit.Listing) (credit.Listing, credit.Event, error) {
			return creditRules.Notify(l, creditStep("2026-01-06", 2))
		},
		func(l credit.Listing) (credit.Listing, credit.Event, error) {
			return creditRules.Object(l, creditStep("2026-01-08", 3), "我的病历显示当日住院")
		},
		func(l credit.Listing) (credit.Listing, credit.Event, error) {
			return creditRules.Decide(l, creditStep("2026-01-20", 4), true, "京市监信〔2026〕2号", "异议不成立")
		},
	} {
		var err error
		if l, err = s.CreditStep(ctx, personProposal.ID, func(stored credit.Listing, _ bool) (credit.Listing, credit.Event, error) {
			return step(stored)
		}); err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
	}
	events, err := s.Events(ctx, trustmark.EventFilter{Entity: "credit_listing", Key: personProposal.ID, After: -1})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
		if strings.Contains(string(e.Data), "住院") || strings.Contains(string(e.Data), "张三") {
			t.Errorf("event %s data %s shows the party's statement or name", e.Action, e.Data)
		}
	}
	if want := []string{"proposed", "notified", "objected", "listed"}; !cmp.Equal(actions, want) {
		t.Errorf("listing events = %v, want %v", actions, want)
	}
	entries, err := s.Events(ctx, trustmark.EventFilter{Entity: "credit_entry", Key: creditPerson.String(), After: -1})
	if err != nil || len(entries) != 1 || entries[0].Action != string(credit.SeriousViolation) {
		t.Errorf("archive events of %s = %v, %v; want the listing entry", creditPerson, entries, err)
	}
	if stored, err := s.CreditListing(ctx, personProposal.ID); err != nil || !cmp.Equal(stored, l, creditCmp) {
		t.Errorf("CreditListing = %+v, %v; want %+v", stored, err, l)
	}
}

func testCreditRefused(t *testing.T, s CreditStore) {
	l := List(t, s, bodyProposal, "2026-02-02")
	before, _ := s.Events(ctx, trustmark.EventFilter{After: -1})
	_, err := s.CreditStep(ctx, bodyProposal.ID, func(stored credit.Listing, _ bool) (credit.Listing, credit.Event, error) {
		return creditRules.Notify(stored, creditStep("2026-02-03", 4))
	})
	if trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Errorf("notifying a listed listing: err = %v, want conflict", err)
	}
	_, err = s.CreditStep(ctx, bodyProposal.ID, func(_ credit.Listing, found bool) (credit.Listing, credit.Event, error) {
		if found {
			return credit.Listing{}, credit.Event{}, trustmark.Errorf(trustmark.EConflict, "id", "listing %s exists", bodyProposal.ID)
		}
		return creditRules.Propose(bodyProposal, creditStep("2026-02-03", 4))
	})
	if trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Errorf("proposing an existing listing again: err = %v, want conflict", err)
	}
	after, _ := s.Events(ctx, trustmark.EventFilter{After: -1})
	if len(after) != len(before) {
		t.Errorf("refused steps wrote %d events, want 0", len(after)-len(before))
	}
	if stored, err := s.CreditListing(ctx, bodyProposal.ID); err != nil || stored.State != credit.Listed || !cmp.Equal(stored, l, creditCmp) {
		t.Errorf("after refused steps CreditListing = %+v, %v; want it unchanged", stored, err)
	}
	if _, err := s.CreditListing(ctx, "L-none"); !trustmark.IsNotFound(err) {
		t.Errorf("CreditListing(L-none) err = %v, want not_found", err)
	}
}

func testCreditRepair(t *testing.T, s CreditStore) {
	List(t, s, bodyProposal, "2026-02-02")
	for i, step := range []func(l credit.Listing) (credit.Listing, credit.Event, error){
		func(l credit.Listing) (credit.Listing, credit.Event, error) {
			return creditRules.ApplyRepair(l, creditStep("2027-02-02", 4), "已整改", []string{"doc:1"})
		},
		func(l credit.Listing) (credit.Listing, credit.Event, error) {
			return creditRules.DecideRepair(l, creditStep("2027-03-01", 5), true, "整改到位")
		},
	} {
		if _, err := s.CreditStep(ctx, bodyProposal.ID, func(stored credit.Listing, _ bool) (credit.Listing, credit.Event, error) {
			return step(stored)
		}); err != nil {
			t.Fatalf("repair step %d: %v", i+1, err)
		}
	}
	for _, tc := range []struct {
		on   string
		want int
	}{{"2027-02-28", 1}, {"2027-03-01", 0}} {
		if got, _, err := s.SeriousViolations(ctx, d(tc.on), "", 10); err != nil || len(got) != tc.want {
			t.Errorf("SeriousViolations(%s) = %d items, %v; want %d", tc.on, len(got), err, tc.want)
		}
	}
	a, err := s.CreditArchive(ctx, creditBody)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range a.Entries {
		ids = append(ids, e.ID)
	}
	if want := []string{"L-2026-001/listed", "L-2026-001/repaired"}; !cmp.Equal(ids, want) {
		t.Errorf("archive entries = %v, want %v", ids, want)
	}
	for _, tc := range []struct {
		name  string
		known time.Time
		may   bool
	}{
		{"as known before the repair, the body could not issue on 2027-03-05", creditAt(4), false},
		{"as known after the repair, it could", creditAt(5), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if v := credit.StandingAsKnown(a, credit.Issue, d("2027-03-05"), tc.known); v.May != tc.may {
				t.Errorf("StandingAsKnown(issue, 2027-03-05) = %v, want may %v", v.May, tc.may)
			}
		})
	}
}

func testCreditArchive(t *testing.T, s CreditStore) {
	ban, err := credit.BanEntry(credit.BanDecision{ID: "B-2026-001", Subject: creditPerson, Decision: "京市监罚〔2026〕9号",
		Grounds: "伪造审核记录，情节严重", LegalBasis: "《认证认可条例》第七十三条", On: d("2026-01-10")}, creditAt(1), "regulator:110000")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordCreditEntry(ctx, ban); err != nil {
		t.Fatalf("RecordCreditEntry(ban): %v", err)
	}
	if err := s.RecordCreditEntry(ctx, ban); trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Errorf("recording the ban twice: err = %v, want conflict", err)
	}
	a, err := s.CreditArchive(ctx, creditPerson)
	if err != nil || len(a.Entries) != 1 || !cmp.Equal(a.Entries[0], ban, creditCmp) {
		t.Fatalf("CreditArchive = %+v, %v; want the ban", a, err)
	}
	if v := credit.Standing(a, credit.Register, Today); v.May || v.Err() == nil || !strings.Contains(v.Err().Error(), "京市监罚〔2026〕9号") {
		t.Errorf("Standing(register) = %+v; want a refusal naming the decision", v)
	}
	events, err := s.Events(ctx, trustmark.EventFilter{Entity: "credit_entry", Key: creditPerson.String(), After: -1})
	if err != nil || len(events) != 1 {
		t.Fatalf("ban events = %v, %v; want one", events, err)
	}
	if empty, err := s.CreditArchive(ctx, creditBody); err != nil || len(empty.Entries) != 0 {
		t.Errorf("CreditArchive of a subject without entries = %+v, %v; want empty", empty, err)
	}
}
