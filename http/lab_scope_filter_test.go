package http_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"testing"

	"trustmark"
)

// TestLabsByScope: GET /api/v1/labs?scope= lists the laboratories with a
// scope item matching, each with its items and the ones that matched.
func TestLabsByScope(t *testing.T) {
	f := newFixture(t)
	const cma = "240011051002"
	rec, err := trustmark.ParseRecord(trustmark.KindLabs, trustmark.Row{"cma_no": cma, "uscc": string(trustmark.MakeUSCC("1233010047000001")),
		"name": "杭州产品质量监督检验研究院", "region_code": "330100", "scope": "电线电缆 / 阻燃性能、绝缘电阻\n家用电器 / 能效"}, trustmark.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Import(context.Background(), trustmark.Party{Kind: trustmark.PartyImport, ID: "test"}, trustmark.KindLabs, []trustmark.Record{rec}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Items []struct {
			CMANo        string                   `json:"cma_no"`
			ScopeItems   []trustmark.LabScopeItem `json:"scope_items"`
			ScopeMatches []trustmark.LabScopeItem `json:"scope_matches"`
		} `json:"items"`
	}
	w := f.do("GET", "/api/v1/labs?scope="+url.QueryEscape("电线"), "", "")
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 {
		t.Fatalf("GET labs?scope=电线 = %d %v: %s", w.Code, err, w.Body)
	}
	if len(got.Items) != 1 || got.Items[0].CMANo != cma {
		t.Fatalf("labs?scope=电线 = %+v, want only %s", got.Items, cma)
	}
	it := got.Items[0]
	want := []trustmark.LabScopeItem{{Field: "电线电缆", Item: "阻燃性能"}, {Field: "电线电缆", Item: "绝缘电阻"}}
	if len(it.ScopeItems) != 3 || len(it.ScopeMatches) != 2 || it.ScopeMatches[0] != want[0] || it.ScopeMatches[1] != want[1] {
		t.Errorf("scope_items = %v, scope_matches = %v; want 3 items and matches %v", it.ScopeItems, it.ScopeMatches, want)
	}
	got.Items = nil
	w = f.do("GET", "/api/v1/labs?scope="+url.QueryEscape("水质"), "", "")
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 || len(got.Items) != 0 {
		t.Errorf("labs?scope=水质 = %d %v %+v, want none", w.Code, err, got.Items)
	}
}

// TestLabsByScopeDocumented: the OpenAPI document has the scope filter of
// the laboratories list and the items a laboratory answer carries.
func TestLabsByScopeDocumented(t *testing.T) {
	f := newFixture(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name string } `json:"parameters"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(f.do("GET", "/api/openapi.json", "", "").Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var params []string
	for _, p := range doc.Paths["/api/v1/labs"]["get"].Parameters {
		params = append(params, p.Name)
	}
	if !slices.Contains(params, "scope") {
		t.Errorf("GET /api/v1/labs documents parameters %v, want scope among them", params)
	}
	for _, field := range []string{"scope", "scope_items", "scope_matches"} {
		if doc.Components.Schemas["Lab"].Properties[field] == nil {
			t.Errorf("the Lab schema lacks %s", field)
		}
	}
	if doc.Components.Schemas["LabScopeItem"].Properties["item"] == nil {
		t.Errorf("the LabScopeItem schema lacks item")
	}
}
