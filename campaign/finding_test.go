package campaign_test

import (
	"testing"
	"time"

	"trustmark"
	"trustmark/campaign"
	"trustmark/credit"
	"trustmark/draw"
)

func drawnFixture(t *testing.T) *campaign.Campaign {
	t.Helper()
	return &campaign.Campaign{ID: "C1", Status: campaign.Drawn, Checklist: []string{"a", "b"},
		Result:   &draw.Result{Picks: []draw.Pick{{Subject: "S1", Class: "A", Team: []string{"I1"}}, {Subject: "S2", Class: "B", Team: []string{"I2"}}}},
		Attempts: []campaign.Attempt{{N: 1, At: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}}}
}

func TestDecidePublishCountsLateResults(t *testing.T) {
	c := drawnFixture(t)
	today := trustmark.NewDate(2026, 4, 10)
	pending := []campaign.Finding{
		{Subject: "S2", DueOn: trustmark.NewDate(2026, 4, 9)},  // one day late
		{Subject: "S1", DueOn: trustmark.NewDate(2026, 4, 10)}, // on its last day
	}
	out, p, status, err := campaign.DecidePublish(c, pending, 1, 0, today, time.Now(), "regulator:110000")
	if err != nil {
		t.Fatal(err)
	}
	if p.Late != 1 || p.Subjects != 2 || status != campaign.Published || out[0].Subject != "S1" || out[1].PublishedOn != today || out[1].Publication != 1 {
		t.Errorf("publication %+v, status %s, findings %+v; want 2 subjects, 1 late, published, by subject", p, status, out)
	}
	if _, _, st, _ := campaign.DecidePublish(c, pending[:1], 1, 0, today, time.Now(), "r"); st != campaign.Drawn {
		t.Errorf("with one of two subjects published the campaign is %s, want drawn", st)
	}
	if _, _, _, err := campaign.DecidePublish(c, nil, 1, 0, today, time.Now(), "r"); trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Errorf("publishing nothing: %v, want conflict", err)
	}
}

// TestASubjectWithoutATeam: a subject the draw could not staff takes no
// result, and the campaign is published once every subject with a team
// has its result published.
func TestASubjectWithoutATeam(t *testing.T) {
	c := drawnFixture(t)
	c.Result.Picks = append(c.Result.Picks, draw.Pick{Subject: "S3", Class: "B", Team: []string{},
		Shortfall: &draw.Shortfall{Reason: draw.NoInspectors, Region: "140000"}})
	f := campaign.Finding{Subject: "S3", Method: "file", Outcome: campaign.NoProblem, ConcludedOn: trustmark.NewDate(2026, 3, 5),
		Items: []campaign.ItemResult{{Item: 1, Pass: true}, {Item: 2, Pass: true}}}
	_, err := campaign.DecideFinding(c, campaign.PickOf(c.Result, "S3"), "140000", false, f, trustmark.NewDate(2026, 3, 6), time.Now(), "r")
	if trustmark.ErrorCode(err) != trustmark.EConflict || trustmark.ErrorField(err) != "subject" {
		t.Errorf("a result for a subject without a team: %v, want a conflict naming subject", err)
	}
	if n := campaign.Inspectable(c.Result); n != 2 {
		t.Errorf("Inspectable = %d, want 2 of 3", n)
	}
	pending := []campaign.Finding{{Subject: "S1"}, {Subject: "S2"}}
	if _, _, st, err := campaign.DecidePublish(c, pending, 1, 0, trustmark.NewDate(2026, 4, 1), time.Now(), "r"); err != nil || st != campaign.Published {
		t.Errorf("every subject with a team published: status %s, %v; want published", st, err)
	}
}

func TestDecideFindingCompletesFromTheDraw(t *testing.T) {
	c := drawnFixture(t)
	f := campaign.Finding{Subject: "S2", Method: "file", Outcome: campaign.NoProblem, ConcludedOn: trustmark.NewDate(2026, 3, 5),
		Items: []campaign.ItemResult{{Item: 1, Pass: true}, {Item: 2, Pass: true}}}
	got, err := campaign.DecideFinding(c, campaign.PickOf(c.Result, "S2"), "110000", false, f, trustmark.NewDate(2026, 3, 6), time.Now(), "regulator:110000")
	if err != nil || got.Class != "B" || got.Region != "110000" || got.Campaign != "C1" || got.Attachments == nil {
		t.Fatalf("DecideFinding = %+v, %v", got, err)
	}
	f.ConcludedOn = trustmark.NewDate(2026, 3, 1) // before the draw
	if _, err := campaign.DecideFinding(c, campaign.PickOf(c.Result, "S2"), "110000", false, f, trustmark.NewDate(2026, 3, 6), time.Now(), "r"); trustmark.ErrorCode(err) != trustmark.EInvalid {
		t.Errorf("a conclusion before the draw: %v, want invalid", err)
	}
	f.ConcludedOn, f.Items = trustmark.NewDate(2026, 3, 5), []campaign.ItemResult{{Item: 2, Pass: true}, {Item: 1, Pass: true}}
	if _, err := campaign.DecideFinding(c, campaign.PickOf(c.Result, "S2"), "110000", false, f, trustmark.NewDate(2026, 3, 6), time.Now(), "r"); trustmark.ErrorCode(err) != trustmark.EInvalid {
		t.Errorf("items out of order: %v, want invalid", err)
	}
}

func TestCreditClassAndPool(t *testing.T) {
	on := trustmark.NewDate(2026, 3, 1)
	entry := func(kind credit.EntryKind, from, until trustmark.Date) credit.Entry {
		return credit.Entry{Kind: kind, ValidFrom: from, ValidUntil: until}
	}
	past := trustmark.NewDate(2025, 1, 1)
	for _, tc := range []struct {
		name    string
		entries []credit.Entry
		want    draw.Class
	}{
		{"no archive", nil, "B"},
		{"a penalty in effect", []credit.Entry{entry(credit.Penalty, past, trustmark.Date{})}, "C"},
		{"a penalty that ended", []credit.Entry{entry(credit.Penalty, past, trustmark.NewDate(2025, 6, 30))}, "B"},
		{"a commendation", []credit.Entry{entry(credit.Commendation, past, trustmark.Date{})}, "B"},
		{"a listing in effect", []credit.Entry{entry(credit.Penalty, past, trustmark.Date{}), entry(credit.SeriousViolation, past, trustmark.NewDate(2027, 1, 1))}, "D"},
	} {
		if got := campaign.CreditClass(credit.Archive{Entries: tc.entries}, on, "B"); got != tc.want {
			t.Errorf("%s: class %s, want %s", tc.name, got, tc.want)
		}
	}
	pool := campaign.Pool([]campaign.Person{
		{ID: "P1", Body: "CNCA-R-2002-001", Region: "110108", Status: "active"},
		{ID: "P2", Body: "CNCA-R-2002-001", Region: "110000", Status: "suspended"},
		{ID: "P3", Body: "CNCA-R-2002-001", Region: "110000", Status: "active",
			Archive: credit.Archive{Subject: credit.Subject{Kind: credit.Person, ID: "P3"}, Entries: []credit.Entry{entry(credit.Ban, past, trustmark.Date{})}}},
	}, on)
	want := []draw.Inspector{{ID: "P1", Region: "110000", Unit: "CNCA-R-2002-001"}, {ID: "P2", Region: "110000", Unit: "CNCA-R-2002-001", Banned: true},
		{ID: "P3", Region: "110000", Unit: "CNCA-R-2002-001", Banned: true}}
	for i := range want {
		if pool[i] != want[i] {
			t.Errorf("pool[%d] = %+v, want %+v", i, pool[i], want[i])
		}
	}
	subjects := campaign.Eligible([]campaign.Candidate{{ID: "X1", Region: "310115", Unit: ""}, {ID: "X2", Region: "310000", Unit: "B", Credit: "H"}},
		map[string]string{"X1": "A"}, map[string]credit.Archive{"H": {Entries: []credit.Entry{entry(credit.Ban, past, trustmark.Date{})}}}, on, "B")
	if subjects[0] != (draw.Subject{ID: "X1", Class: "A", Region: "310000", Unit: "-"}) || subjects[1].Class != "D" {
		t.Errorf("Eligible = %+v, want X1 in risk class A with no unit, X2 in D by its holder's ban", subjects)
	}
}

func TestSelectionRefusesUnknownFilters(t *testing.T) {
	c := &campaign.Campaign{SubjectKind: "certificate", Region: "110000", Filters: map[string]string{"cert_type": "QMS"}}
	if s, err := campaign.SelectionOf(c); err != nil || s.CertType != "QMS" || s.CertStatus != "valid" {
		t.Errorf("SelectionOf = %+v, %v", s, err)
	}
	c.Filters["colour"] = "red"
	if _, err := campaign.SelectionOf(c); trustmark.ErrorCode(err) != trustmark.EInvalid {
		t.Errorf("an unknown filter: %v, want invalid", err)
	}
}
