package http_test

import (
	"context"
	"encoding/json"
	"testing"

	"trustmark"
	tmhttp "trustmark/http"
)

// TestRiskRulesEdit: only an administrator of the national regulator adds
// a version of the rule set (sqlstore's TestRiskRulesVersions takes the
// edit itself); regulators read every version.
func TestRiskRulesEdit(t *testing.T) {
	f := riskFixture(t) // bodyA scored 25 under version 1
	ctx := context.Background()
	nat, err := f.store.CreateToken(ctx, trustmark.Party{Kind: trustmark.PartyRegulator, ID: "000000"})
	if err != nil {
		t.Fatal(err)
	}
	rules := func(effective, reason string, penalty int) string {
		return `{"effective_from":"` + effective + `","reason":"` + reason + `","weights":{"penalty":{"points":` + itoa(penalty) +
			`,"half_life_days":730,"horizon_days":1825},"listing":{"points":40,"horizon_days":1095}},"thresholds":{"B":10,"C":25,"D":50}}`
	}
	for _, c := range []struct {
		name, token string
	}{
		{"a province may not edit the rules", f.tokenR},
		{"a body may not", f.tokenA},
		{"the national regulator's party token is not an administrator", nat},
	} {
		t.Run(c.name, func(t *testing.T) {
			if w := f.do("POST", "/api/v1/risk/rules", c.token, rules("2026-03-16", "加重处罚权重", 60)); w.Code != 403 {
				t.Errorf("POST = %d %s, want 403", w.Code, w.Body)
			}
		})
	}
	w := f.do("GET", "/api/v1/risk/rules", f.tokenR, "")
	var got tmhttp.RiskRulesJSON
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.Versions) != 1 || got.Versions[0].Version != 1 {
		t.Fatalf("GET /api/v1/risk/rules = %d %s", w.Code, w.Body)
	}
	if w := f.do("GET", "/api/v1/risk/rules", f.tokenA, ""); w.Code != 403 {
		t.Errorf("a body reading the rules = %d, want 403", w.Code)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
