package risk

import (
	_ "embed"
	"time"
)

//go:embed default_rules.json
var defaultRules []byte

// DefaultRules returns a history whose first version is the rule set
// shipped with Trustmark (default_rules.json). Its weights are a starting
// point for the national administrator, not values from any regulation.
func DefaultRules() *Rules {
	rs, err := ParseRuleSet(defaultRules)
	if err != nil {
		panic("risk: default_rules.json: " + err.Error()) // a build defect, caught by the tests
	}
	rs.EditedBy, rs.EditedAt = "trustmark", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r, err := NewRules(rs)
	if err != nil {
		panic("risk: default_rules.json: " + err.Error())
	}
	return r
}
