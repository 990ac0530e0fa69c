package http_test

import (
	"context"
	"encoding/json"
	"testing"

	"trustmark"
)

// TestLabAnswerScope: the laboratory answer carries scope (an addition to
// the contract) when the registry holds it and leaves it out otherwise;
// every field the answer had before is still there.
func TestLabAnswerScope(t *testing.T) {
	f := newFixture(t)
	const cma, scope = "240011051002", "产品/类别：角磨机、电钻\n依据标准：GB/T 3883.1-2014"
	rec, err := trustmark.ParseRecord(trustmark.KindLabs, trustmark.Row{"cma_no": cma, "uscc": string(trustmark.MakeUSCC("1233010047000001")),
		"name": "杭州产品质量监督检验研究院", "region_code": "330100", "scope": scope}, trustmark.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Import(context.Background(), trustmark.Party{Kind: trustmark.PartyImport, ID: "test"}, trustmark.KindLabs, []trustmark.Record{rec}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ cma, scope string }{{cma, scope}, {labA, ""}} {
		w := f.do("GET", "/api/v1/labs/"+tc.cma, "", "")
		var got map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 {
			t.Fatalf("GET lab %s = %d %v", tc.cma, w.Code, err)
		}
		for _, field := range []string{"cma_no", "uscc", "name", "region_code", "status", "valid_until", "status_since"} {
			if _, ok := got[field]; !ok {
				t.Errorf("lab %s answer lacks %s", tc.cma, field)
			}
		}
		s, has := got["scope"]
		if tc.scope == "" && has || tc.scope != "" && s != tc.scope {
			t.Errorf("lab %s scope = %v (present %v), want %q", tc.cma, s, has, tc.scope)
		}
	}
}
