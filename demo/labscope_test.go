package demo_test

import (
	"context"
	"slices"
	"testing"

	"trustmark"
	"trustmark/demo"
)

// TestDemoLabScope: every laboratory of the demo has a scope whose items
// name its products (as fields, with their parameters) and standards, and
// every report it issued is for a product its scope names.
func TestDemoLabScope(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	if _, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1, Today: today}); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	scopes := map[string][]trustmark.LabScopeItem{}
	for f := (trustmark.PartyFilter{Limit: 1000}); ; {
		page, err := db.Labs(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page.Items {
			items := l.ScopeItems()
			scopes[l.CMANo] = items
			var params, standards int
			for _, it := range items {
				switch {
				case it.Field == "依据标准":
					standards++
				case it.Field != "":
					params++
				}
			}
			if params == 0 || standards == 0 {
				t.Errorf("lab %s (%s) scope has %d product parameters and %d standards, want some of each: %q", l.CMANo, l.Name, params, standards, l.Scope)
			}
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			break
		}
	}
	if len(scopes) == 0 {
		t.Fatal("the demo has no laboratories")
	}
	checked := 0
	for f := (trustmark.ReportFilter{Limit: 1000}); ; {
		page, err := db.Reports(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			checked++
			if !slices.ContainsFunc(scopes[r.LabCMANo], func(it trustmark.LabScopeItem) bool { return it.Field == r.Product }) {
				t.Errorf("report %s/%s is for %s, which its laboratory's scope does not name: %v", r.LabCMANo, r.Number, r.Product, scopes[r.LabCMANo])
			}
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			break
		}
	}
	if checked == 0 {
		t.Error("the demo has no reports")
	}
}
