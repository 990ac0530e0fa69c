package credit

import (
	"encoding/json"
	"os"
	"testing"
)

// TestDefaultPeriodsNameTheirSources checks that each default period names
// a rule of data/reference/supervision_rules.json with the status it has
// there, so a period marked verified is never one the sources only infer.
func TestDefaultPeriodsNameTheirSources(t *testing.T) {
	b, err := os.ReadFile("../data/reference/supervision_rules.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rules []struct{ ID, Status string }
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, r := range doc.Rules {
		status[r.ID] = r.Status
	}
	r := DefaultRules()
	for name, p := range map[string]Period{"ListYears": r.ListYears, "RepairAfterYears": r.RepairAfterYears, "ObjectionDays": r.ObjectionDays} {
		got, ok := status[p.Rule]
		if !ok || got != p.Status || p.N <= 0 {
			t.Errorf("%s = %+v: rule status %q (found %v), want %q and a positive length", name, p, got, ok, p.Status)
		}
	}
}
