package demo_test

import (
	"context"
	"strings"
	"testing"

	"trustmark"
	"trustmark/demo"
)

// TestDemoLabScope: every laboratory of the demo has a scope naming its
// products, parameters and standards, and every report it issued is for a
// product its scope names.
func TestDemoLabScope(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	if _, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1, Today: today}); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	scopes := map[string]string{}
	for f := (trustmark.PartyFilter{Limit: 1000}); ; {
		page, err := db.Labs(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page.Items {
			scopes[l.CMANo] = l.Scope
			for _, part := range []string{"产品/类别：", "检验检测项目/参数：", "依据标准："} {
				if !strings.Contains(l.Scope, part) {
					t.Errorf("lab %s (%s) scope lacks %s: %q", l.CMANo, l.Name, part, l.Scope)
				}
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
			products, _, _ := strings.Cut(strings.TrimPrefix(scopes[r.LabCMANo], "产品/类别："), "\n")
			if !strings.Contains("、"+products+"、", "、"+r.Product+"、") {
				t.Errorf("report %s/%s is for %s, which its laboratory's scope does not name: %q", r.LabCMANo, r.Number, r.Product, products)
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
