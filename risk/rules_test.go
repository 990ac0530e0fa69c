package risk

import (
	"testing"
)

func TestDefaultRulesParse(t *testing.T) {
	rs, err := ParseRuleSet(defaultRules)
	if err != nil {
		t.Fatalf("ParseRuleSet(default_rules.json): %v", err)
	}
	for _, k := range Kinds {
		if _, ok := rs.Weights[k]; !ok {
			t.Errorf("default_rules.json has no weight for %s", k)
		}
	}
}

var goodParseTests = []struct{ name, in string }{
	{"a minimal rule set", `{"effective_from":"2026-07-01","reason":"r","weights":{"complaint":{"points":3,"half_life_days":90}},"thresholds":{"B":1,"C":2,"D":3}}`},
	{"a negative weight for a commendation-like signal", `{"effective_from":"2026-07-01","reason":"r","weights":{"new_body":{"points":-5,"half_life_days":0}},"thresholds":{"B":1,"C":2,"D":3}}`},
}

var badParseTests = []struct{ name, in, reason string }{
	{"not JSON", `weights: 1`, "risk.rules_json"},
	{"an unknown field", `{"weight":{}}`, "risk.rules_json"},
	{"an unknown kind of signal", `{"weights":{"gossip":{"points":1}},"thresholds":{"B":1,"C":2,"D":3}}`, "risk.kind"},
	{"no weights", `{"thresholds":{"B":1,"C":2,"D":3}}`, "risk.kind"},
	{"points out of range", `{"weights":{"complaint":{"points":1e9}},"thresholds":{"B":1,"C":2,"D":3}}`, "risk.points"},
	{"a negative half-life", `{"weights":{"complaint":{"points":1,"half_life_days":-1}},"thresholds":{"B":1,"C":2,"D":3}}`, "risk.days"},
	{"thresholds out of order", `{"weights":{},"thresholds":{"B":3,"C":2,"D":1}}`, "risk.thresholds"},
	{"a zero B threshold", `{"weights":{},"thresholds":{"B":0,"C":2,"D":3}}`, "risk.thresholds"},
	{"two documents", `{"weights":{},"thresholds":{"B":1,"C":2,"D":3}} {}`, "risk.rules_json"},
	{"a version set in the file is a bad date", `{"effective_from":"July","weights":{}}`, "risk.rules_json"},
}

func TestParseRuleSet(t *testing.T) {
	for _, tt := range goodParseTests {
		t.Run(tt.name+" is accepted", func(t *testing.T) {
			if _, err := ParseRuleSet([]byte(tt.in)); err != nil {
				t.Errorf("ParseRuleSet(%s) = %v, want no error", tt.in, err)
			}
		})
	}
	for _, tt := range badParseTests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			_, err := ParseRuleSet([]byte(tt.in))
			if got := reasonOf(err); got != tt.reason {
				t.Errorf("ParseRuleSet(%s) = %v, want reason %q", tt.in, err, tt.reason)
			}
		})
	}
}

// FuzzParseRuleSet checks that any file either is refused with an invalid
// error or gives a rule set that validates and scores without NaN.
func FuzzParseRuleSet(f *testing.F) {
	f.Add(defaultRules)
	for _, tt := range goodParseTests {
		f.Add([]byte(tt.in))
	}
	for _, tt := range badParseTests {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rs, err := ParseRuleSet(b)
		if err != nil {
			if reasonOf(err) == "" {
				t.Fatalf("ParseRuleSet refused with %v, want a reasoned invalid error", err)
			}
			return
		}
		if err := rs.Validate(); err != nil {
			t.Fatalf("a parsed rule set does not validate: %v", err)
		}
		on := day(t, "2026-06-01")
		var signals []Signal
		for _, k := range Kinds {
			signals = append(signals, Signal{Subject: body, Kind: k, On: on.AddDate(0, 0, -100)})
		}
		s := Compute(body, signals, &rs, on)
		if s.Total != s.Total || s.Class == "" {
			t.Fatalf("score %v class %q from a parsed rule set", s.Total, s.Class)
		}
	})
}
