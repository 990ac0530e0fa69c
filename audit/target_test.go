package audit_test

import (
	"testing"

	"trustmark/access"
	"trustmark/account"
	"trustmark/audit"
)

// TestAuditTarget holds the target every front end asks access.Decide
// about: the team checks in, the body plans, the region's regulators see
// its matters, and no one else.
func TestAuditTarget(t *testing.T) {
	a := &audit.Audit{ID: "A1", Body: "CNCA-R-2002-001", Region: "350100", Plan: audit.Plan{Team: []audit.Member{
		{RegistrationNo: "2019-N1QMS-1000001", Role: audit.Leader}, {RegistrationNo: "2020-N1QMS-1000002", Role: audit.Observer}}}}
	role := func(k account.Kind, id string) account.Role { return account.Role{Unit: account.Unit{Kind: k, ID: id}} }
	tests := []struct {
		name string
		role account.Role
		act  access.Action
		ok   bool
	}{
		{"the leader checks in", role(account.Auditor, "2019-N1QMS-1000001"), access.AuditCheckin, true},
		{"an observer on the team checks in", role(account.Auditor, "2020-N1QMS-1000002"), access.AuditCheckin, true},
		{"a person off the team does not check in", role(account.Auditor, "2020-N1QMS-1000003"), access.AuditCheckin, false},
		{"the audit's body plans it", role(account.Body, "CNCA-R-2002-001"), access.AuditPlan, true},
		{"another body does not", role(account.Body, "CNCA-R-2002-002"), access.AuditPlan, false},
		{"a regulator of the region sees its matters", role(account.Regulator, "350000"), access.MatterView, true},
		{"a regulator of another region does not", role(account.Regulator, "110000"), access.MatterView, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := access.Decide(tt.role, tt.act, a.Target())
			if (err == nil) != tt.ok {
				t.Errorf("Decide(%v, %s, a.Target()) = %v, want allowed %v", tt.role, tt.act, err, tt.ok)
			}
		})
	}
	if got := a.Target().Owner; got != (account.Unit{Kind: account.Body, ID: a.Body}) {
		t.Errorf("a.Target().Owner = %v, want the body %s", got, a.Body)
	}
}
