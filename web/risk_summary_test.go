package web

import (
	"testing"

	"trustmark/locale"
	"trustmark/risk"
)

// TestRiskWarningsInThePagesLanguage: a warning is said from its figures
// in the page's language, an anomaly cluster's region by its name; one
// stored without figures keeps its summary.
func TestRiskWarningsInThePagesLanguage(t *testing.T) {
	zh, _ := locale.Lookup("zh")
	en, _ := locale.Lookup("en")
	h := &Handler{}
	for _, tc := range []struct {
		name string
		t    *Messages
		w    risk.Warning
		want string
	}{
		{"a class rise in Chinese", zh, risk.Warning{Rule: risk.RuleClassUp, Summary: "body:B rose",
			Args: []string{"body:CNCA-R-2002-001", "A", "0.0", "B", "10.1"}}, "body:CNCA-R-2002-001的风险等级由A（0.0分）升至B（10.1分）。"},
		{"a cluster names its region", zh, risk.Warning{Rule: risk.RuleAnomalyCluster, Summary: "12 audit anomalies",
			Args: []string{"12", "110000", "2026-06-01", "2026-06-30", "2.5"}}, "北京市在2026-06-01至2026-06-30期间有12起审核异常，其他地区平均2.5起。"},
		{"a suspension jump in English", en, risk.Warning{Rule: risk.RuleSuspensionJump, Summary: "x",
			Args: []string{"body:D", "9.0", "QMS", "3", "2.0"}}, "body:D suspended or revoked 9.0% of its QMS certificates; the median of its 3 peers is 2.0%."},
		{"a warning stored without figures keeps its summary", zh, risk.Warning{Rule: risk.RuleClassUp, Summary: "body:B rose from class A (0.0) to B (10.1)"},
			"body:B rose from class A (0.0) to B (10.1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.warningSummary(tc.t, tc.w); got != tc.want {
				t.Errorf("warningSummary = %q, want %q", got, tc.want)
			}
		})
	}
}
