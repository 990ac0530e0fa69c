package demo_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"trustmark"
	"trustmark/demo"
)

// TestDemoRealism: Haier's coordinates are in Qingdao, and reports are
// commissioned by firms whose trade fits the product: no vehicle
// inspection has a client firm, and no electrical maker commissions
// fertiliser or food tests.
func TestDemoRealism(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	if _, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1, Today: today}); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	orgs, err := db.Orgs(ctx, trustmark.PartyFilter{Q: "海尔智家", Limit: 1})
	if err != nil || len(orgs.Items) == 0 {
		t.Fatalf("Haier: %v, %d", err, len(orgs.Items))
	}
	haier := orgs.Items[0]
	const qdLat, qdLng = 36.067, 120.383 // 青岛
	if haier.Lat == nil || math.Abs(*haier.Lat-qdLat) > 0.6 || math.Abs(*haier.Lng-qdLng) > 0.7 {
		t.Errorf("Haier (%s) at %v,%v; want near Qingdao %v,%v", haier.RegionCode, deref(haier.Lat), deref(haier.Lng), qdLat, qdLng)
	}

	names := map[trustmark.USCC]string{}
	f := trustmark.ReportFilter{Limit: 1000}
	checked := 0
	for {
		page, err := db.Reports(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, rep := range page.Items {
			if rep.ClientUSCC == "" {
				continue
			}
			name, ok := names[rep.ClientUSCC]
			if !ok {
				o, err := db.Org(ctx, rep.ClientUSCC)
				if err != nil {
					t.Fatalf("client %s of report %s: %v", rep.ClientUSCC, rep.Number, err)
				}
				name, names[rep.ClientUSCC] = o.Name, o.Name
			}
			checked++
			if strings.Contains(rep.Product, "汽车") || strings.Contains(rep.Product, "机动车") {
				t.Errorf("vehicle inspection %s has the client firm %s", rep.Number, name)
			}
			electrical := strings.ContainsAny(name, "电") && (strings.Contains(name, "电器") || strings.Contains(name, "电气") || strings.Contains(name, "电缆"))
			if electrical && (rep.Product == "化肥" || rep.Product == "大米" || rep.Product == "饲料") {
				t.Errorf("%s commissioned a %s test (%s)", name, rep.Product, rep.Number)
			}
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	if checked == 0 {
		t.Error("no report has a client")
	}

	// Laboratories and auditors entered the registry on their own days
	// (accreditation, registration), not all on the day the demo loaded;
	// and a sanction is dated its own day too.
	labs, err := db.Labs(ctx, trustmark.PartyFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	persons, err := db.Persons(ctx, trustmark.PartyFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var since []trustmark.Date
	sanctioned := 0
	sanction := func(kind, id string, status trustmark.PartyStatus, d trustmark.Date) {
		if status == trustmark.PartyActive {
			return
		}
		sanctioned++
		if d.String() == today.String() {
			t.Errorf("%s %s is %s since the day the demo loaded", kind, id, status)
		}
	}
	for _, l := range labs.Items {
		if l.Status == trustmark.PartyActive && l.StatusSince != l.ValidUntil.AddDate(-6, 0, 0) {
			t.Errorf("laboratory %s is active since %s, valid until %s: not the day of its 6-year accreditation", l.CMANo, l.StatusSince, l.ValidUntil)
		}
		since = append(since, l.StatusSince)
		sanction("laboratory", l.CMANo, l.Status, l.StatusSince)
	}
	for _, p := range persons.Items {
		since = append(since, p.StatusSince)
		sanction("auditor", p.RegistrationNo, p.Status, p.StatusSince)
	}
	bodies, err := db.Bodies(ctx, trustmark.PartyFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bodies.Items {
		sanction("body", b.ApprovalNo, b.Status, b.StatusSince)
	}
	if sanctioned == 0 {
		t.Error("no body, laboratory or auditor is sanctioned")
	}
	onLoadDay := 0
	for _, d := range since {
		if d.After(today) {
			t.Errorf("a status date %s after today %s", d, today)
		}
		if d.String() == today.String() {
			onLoadDay++
		}
	}
	if len(since) == 0 || onLoadDay*10 > len(since) {
		t.Errorf("%d of %d laboratories and auditors have the load day as their status date", onLoadDay, len(since))
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}
