package demo_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"

	"trustmark/account"
	"trustmark/demo"
	"trustmark/matter"
)

// TestDemoMatters: the demo's accounts find matters in their inboxes, open
// and overdue ones among them, and months of history behind them.
func TestDemoMatters(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	sum, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	links, err := demo.Accounts(ctx, db, db, rand.Reader, clock())
	if err != nil {
		t.Fatal(err)
	}
	opened := 0
	for _, p := range sum.Phases {
		if p.Name == "matters" {
			opened = p.Records
		}
	}
	if opened < 20 {
		t.Fatalf("the demo opened %d matters, want months of them", opened)
	}
	rules := matter.Official()
	for _, l := range links {
		a, err := db.AccountByEmail(ctx, l.Email)
		if err != nil {
			t.Fatal(err)
		}
		if a.Roles[0].Kind == account.Auditor {
			continue // the demo asks nothing of its auditor
		}
		ms, err := db.Inbox(ctx, a.Roles)
		if err != nil {
			t.Fatal(err)
		}
		overdue := 0
		for _, m := range ms {
			if matter.Overdue(m, today) {
				overdue++
			}
		}
		t.Logf("%s: %d matters, %d overdue", l.Email, len(ms), overdue)
		if len(ms) == 0 {
			t.Errorf("%s has an empty inbox", l.Email)
		}
		if l.Email == "body@trustmark.example" && overdue < 2 {
			t.Errorf("the body's inbox has %d overdue matters, want at least 2", overdue)
		}
	}
	// The history holds every ending, spread over months.
	states := map[matter.State]int{}
	oldest := today
	for i := 1; i <= opened; i++ {
		m, err := db.Matter(ctx, demoID(i))
		if err != nil {
			t.Fatal(err)
		}
		states[m.State]++
		if m.From.Before(oldest) {
			oldest = m.From
		}
		if m.Extended > 0 {
			if k, _ := rules.Kind(m.Kind); m.Extended > k.ExtensionDays {
				t.Errorf("%s extended by %d, beyond the law's %d", m.ID, m.Extended, k.ExtensionDays)
			}
		}
	}
	for _, s := range []matter.State{matter.Opened, matter.Paused, matter.Answered, matter.Accepted, matter.Escalated, matter.Closed} {
		if states[s] == 0 {
			t.Errorf("no demo matter is %s: %v", s, states)
		}
	}
	if !oldest.Before(today.AddDate(0, -4, 0)) {
		t.Errorf("the oldest matter runs from %s: want months of history", oldest)
	}
}

func demoID(i int) string { return fmt.Sprintf("M-demo-%03d", i) }
