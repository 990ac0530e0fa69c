package access

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"testing"

	"trustmark"
	"trustmark/account"
)

var update = flag.Bool("update", false, "rewrite docs/AUTHORIZATION.md")

func role(t testing.TB, k account.Kind, id string, admin bool) account.Role {
	t.Helper()
	r, err := account.ParseRole(k, id, admin)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func unit(k account.Kind, id string) account.Unit { return account.Unit{Kind: k, ID: id} }

const (
	bodyA, bodyB = "CNCA-R-2002-001", "CNCA-R-2010-117"
	labA, labB   = "190012340001", "201100010002"
	auditorP     = "2024-N1QMS-1234567"
	auditorQ     = "2019-N2EMS-7654321"
	orgO         = "91330106730000002U"
)

// ancestors lists, for each region the test uses, every regulator scope
// that governs it, written out by hand from GB/T 2260 rather than computed,
// so that the expectation does not share the rule it checks. Edges:
// Chongqing (500000) is a province and does not hold Sichuan's Chengdu
// (510104); Luquan (130110) and Luancheng (130111) are neighbouring
// counties of Shijiazhuang (130100).
var ancestors = map[string][]string{
	"330106": {"000000", "330000", "330100", "330106"}, // 西湖区, 杭州市, 浙江省
	"330100": {"000000", "330000", "330100"},
	"330000": {"000000", "330000"},
	"320102": {"000000", "320000", "320100"}, // 玄武区, 南京市, 江苏省
	"320000": {"000000", "320000"},
	"510104": {"000000", "510000", "510100"}, // 锦江区, 成都市, 四川省
	"500101": {"000000", "500000", "500100"}, // 万州区, 重庆市
	"130110": {"000000", "130000", "130100", "130110"},
	"130111": {"000000", "130000", "130100", "130111"},
	"":       {"000000"},
}

func governs(scope, region string) bool { return slices.Contains(ancestors[region], scope) }

// roles are the roles walked: every kind, administrators and not, at every
// level of the region tree.
func roles(t testing.TB) []account.Role {
	return []account.Role{
		role(t, account.Regulator, "000000", true),
		role(t, account.Regulator, "000000", false),
		role(t, account.Regulator, "330000", true),
		role(t, account.Regulator, "330000", false),
		role(t, account.Regulator, "330100", true),
		role(t, account.Regulator, "330106", false),
		role(t, account.Regulator, "320000", true),
		role(t, account.Regulator, "500000", true),
		role(t, account.Regulator, "130110", true),
		role(t, account.Body, bodyA, true),
		role(t, account.Body, bodyA, false),
		role(t, account.Body, bodyB, true),
		role(t, account.Lab, labA, true),
		role(t, account.Lab, labB, false),
		role(t, account.Auditor, auditorP, false),
		role(t, account.Auditor, auditorQ, false),
		role(t, account.Org, orgO, true),
		role(t, account.Org, orgO, false),
	}
}

// targets are inside the scope of some roles and outside that of others.
var targets = []struct {
	name string
	t    Target
}{
	{"body A's record in Xihu", Target{Region: "330106", Owner: unit(account.Body, bodyA)}},
	{"body B's record in Nanjing", Target{Region: "320102", Owner: unit(account.Body, bodyB)}},
	{"lab A's record in Xihu", Target{Region: "330106", Owner: unit(account.Lab, labA)}},
	{"lab B's record in Chengdu", Target{Region: "510104", Owner: unit(account.Lab, labB)}},
	{"person P (body A, Xihu)", Target{Region: "330106", Owner: unit(account.Auditor, auditorP), Employer: unit(account.Body, bodyA)}},
	{"person Q (body B, Nanjing)", Target{Region: "320102", Owner: unit(account.Auditor, auditorQ), Employer: unit(account.Body, bodyB)}},
	{"organisation O in Xihu", Target{Region: "330106", Owner: unit(account.Org, orgO)}},
	{"an audit of body A with P on the team", Target{Region: "330106", Owner: unit(account.Body, bodyA), Team: []string{auditorP}}},
	{"an audit of body B with Q on the team", Target{Region: "320102", Owner: unit(account.Body, bodyB), Team: []string{auditorQ}}},
	{"a matter for the Zhejiang bureau", Target{Region: "330000", Owner: unit(account.Regulator, "330000")}},
	{"staff of the Hangzhou bureau", Target{Region: "330100", Owner: unit(account.Regulator, "330100")}},
	{"staff of the Xihu bureau", Target{Region: "330106", Owner: unit(account.Regulator, "330106")}},
	{"staff of the Jiangsu bureau", Target{Region: "320000", Owner: unit(account.Regulator, "320000")}},
	{"a record in Wanzhou, Chongqing", Target{Region: "500101", Owner: unit(account.Body, bodyB)}},
	{"a record in Luquan", Target{Region: "130110", Owner: unit(account.Org, orgO)}},
	{"a record in Luancheng", Target{Region: "130111", Owner: unit(account.Org, orgO)}},
	{"a target with no region", Target{Owner: unit(account.Body, bodyA)}},
}

// expected is the policy of issues 12-15 written out per kind of role, apart
// from Matrix: it reads the roles' relations to the target from the test's
// own region tree.
func expected(r account.Role, a Action, t Target) bool {
	own := t.Owner == r.Unit
	switch r.Kind {
	case account.Regulator:
		inRegion := governs(r.ID, t.Region)
		switch a {
		case CertificateTransition, MatterView, MatterOpen, MatterDecide, CreditList, CreditRecord, CreditRepairDecide,
			CampaignCreate, CampaignDraw, InspectionRecord, PersonalView, StatisticsViewRegion, RiskReport, RiskView:
			return inRegion
		case StaffInvite, PasswordReset:
			return r.Admin && t.Owner.Kind == account.Regulator && governs(r.ID, t.Owner.ID)
		case TokenManage:
			return r.Admin && own
		case MatterAnswer:
			return own
		case RiskWeightsEdit, CalendarImport:
			return r.Admin && r.ID == "000000"
		}
	case account.Body:
		switch a {
		case CertificateIssue, CertificateTransition, ImportUpload, AuditPlan,
			MatterView, MatterAnswer, CreditRepairApply:
			return own
		case PersonManage, PersonalView:
			return t.Owner.Kind == account.Auditor && t.Employer == r.Unit
		case StaffInvite, PasswordReset, TokenManage:
			return own && r.Admin
		}
	case account.Lab:
		switch a {
		case ImportUpload, ReportIssue, MatterView, MatterAnswer, CreditRepairApply:
			return own
		case StaffInvite, PasswordReset, TokenManage:
			return own && r.Admin
		}
	case account.Auditor:
		switch a {
		case AuditCheckin:
			return slices.Contains(t.Team, r.ID)
		case MatterView, MatterAnswer, CreditRepairApply, PersonalView, TokenManage:
			return own
		}
	case account.Org:
		switch a {
		case MatterView, MatterAnswer, CreditRepairApply:
			return own
		case StaffInvite, PasswordReset:
			return own && r.Admin
		}
	}
	return false
}

func TestDecideWalksEveryRoleActionAndTarget(t *testing.T) {
	n := 0
	for _, r := range roles(t) {
		for _, a := range Actions {
			for _, tg := range targets {
				want := expected(r, a.Action, tg.t)
				err := Decide(r, a.Action, tg.t)
				if (err == nil) != want {
					t.Errorf("Decide(%s, %s, %s) = %v, want allowed %v", r, a.Action, tg.name, err, want)
				}
				if err != nil && trustmark.ErrorCode(err) != trustmark.EForbidden {
					t.Errorf("Decide(%s, %s, %s) = %v, want forbidden", r, a.Action, tg.name, err)
				}
				n++
			}
		}
	}
	t.Logf("%d decisions walked", n)
}

// TestNoWriteOutsideScope states the issue's rule without the matrix: no
// role other than a regulator acts on anything that is not its own unit's
// (or its own persons', or, for an auditor checking in, an audit it is on).
func TestNoWriteOutsideScope(t *testing.T) {
	for _, r := range roles(t) {
		if r.Kind == account.Regulator {
			continue
		}
		for _, a := range Actions {
			for _, tg := range targets {
				if tg.t.Owner == r.Unit || tg.t.Employer == r.Unit || slices.Contains(tg.t.Team, r.ID) {
					continue
				}
				if err := Decide(r, a.Action, tg.t); err == nil {
					t.Errorf("Decide(%s, %s, %s) allowed an action on another unit's target", r, a.Action, tg.name)
				}
			}
		}
	}
}

// TestPersonalDataOnlyToThoseWhoNeedIt: laboratories and organisations never
// see personal data; a regulator's every view is logged.
func TestPersonalDataOnlyToThoseWhoNeedIt(t *testing.T) {
	person := Target{Region: "330106", Owner: unit(account.Auditor, auditorP), Employer: unit(account.Body, bodyA)}
	for _, r := range roles(t) {
		rule, err := Allow(r, PersonalView, person)
		switch r.Kind {
		case account.Lab, account.Org:
			if err == nil {
				t.Errorf("%s may see personal data", r)
			}
		case account.Regulator:
			if err == nil && !rule.Logged {
				t.Errorf("%s sees personal data without the access log", r)
			}
		}
	}
}

func TestRefusalsNameTheRule(t *testing.T) {
	hz := role(t, account.Regulator, "330100", false)
	tests := []struct {
		name   string
		role   account.Role
		action Action
		target Target
		reason string
		msg    string
	}{
		{"a regulator outside its region", hz, MatterView, Target{Region: "320102"},
			"access.outside_region", `forbidden: region "320102" is outside region 330100 (rule matter.view/regulator/region)`},
		{"a body for another body", role(t, account.Body, bodyA, false), CertificateIssue, Target{Owner: unit(account.Body, bodyB)},
			"access.not_own", "forbidden: body:CNCA-R-2010-117 is not body:CNCA-R-2002-001: body:CNCA-R-2002-001 may issue a certificate only for its own (rule certificate.issue/body/own_unit)"},
		{"staff who are not administrators", role(t, account.Body, bodyA, false), StaffInvite, Target{Owner: unit(account.Body, bodyA)},
			"access.admin", "forbidden: only an administrator of body:CNCA-R-2002-001 may invite a member of staff (create an account with a role) (rule staff.invite/body/own_unit)"},
		{"a kind of role without a rule", role(t, account.Org, orgO, true), CertificateIssue, Target{},
			"access.no_rule", "forbidden: no rule lets org staff issue a certificate (certificate.issue)"},
		{"a provincial regulator for the nation", role(t, account.Regulator, "330000", true), RiskWeightsEdit, Target{},
			"access.national", "forbidden: only the national regulator may edit the risk weights, decay and class thresholds (rule risk.weights.edit/regulator/national)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Decide(tt.role, tt.action, tt.target)
			if err == nil || err.Error() != tt.msg || reasonOf(err) != tt.reason {
				t.Errorf("Decide = %v, want %s: %s", err, tt.reason, tt.msg)
			}
		})
	}
}

func TestDecideAny(t *testing.T) {
	bodyStaff := role(t, account.Body, bodyA, false)
	zj := role(t, account.Regulator, "330000", false)
	t.Run("the role that allows the action is returned", func(t *testing.T) {
		got, rule, err := DecideAny([]account.Role{bodyStaff, zj}, MatterDecide, Target{Region: "330106"})
		if err != nil || got != zj || rule.ID() != "matter.decide/regulator/region" {
			t.Errorf("DecideAny = %v, %s, %v; want the Zhejiang role", got, rule.ID(), err)
		}
	})
	t.Run("the refusal is that of a role with a rule", func(t *testing.T) {
		_, _, err := DecideAny([]account.Role{bodyStaff, zj}, MatterDecide, Target{Region: "320102"})
		if err == nil || reasonOf(err) != "access.outside_region" {
			t.Errorf("DecideAny outside every scope = %v, want the regulator's access.outside_region", err)
		}
	})
	t.Run("no role at all is refused", func(t *testing.T) {
		if _, _, err := DecideAny(nil, MatterView, Target{}); trustmark.ErrorCode(err) != trustmark.EForbidden {
			t.Errorf("DecideAny(no roles) = %v, want forbidden", err)
		}
	})
}

func reasonOf(err error) string {
	var e *trustmark.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

func TestMatrixIsWellFormed(t *testing.T) {
	described := map[Action]bool{}
	for _, a := range Actions {
		if described[a.Action] {
			t.Errorf("action %s is described twice", a.Action)
		}
		described[a.Action] = true
	}
	seen := map[string]bool{}
	for _, r := range Matrix {
		key := fmt.Sprint(r.Action, r.Kind)
		switch {
		case seen[key]:
			t.Errorf("two rules for %s and %s: Decide would read only the first", r.Action, r.Kind)
		case !described[r.Action]:
			t.Errorf("rule %s has an action Actions does not describe", r.ID())
		case (r.Scope == Region || r.Scope == RegionStaff || r.Scope == National) && r.Kind != account.Regulator:
			t.Errorf("rule %s gives a region scope to a role without a region", r.ID())
		case r.Scope == OnTeam && r.Kind != account.Auditor, r.Scope == OwnPersons && r.Kind != account.Body:
			t.Errorf("rule %s puts a non-person on an audit team", r.ID())
		case r.Admin && r.Kind == account.Auditor:
			t.Errorf("rule %s asks an administrator of a person", r.ID())
		case scopeNames[r.Scope] == "":
			t.Errorf("rule %s has a scope without a name", r.ID())
		}
		seen[key] = true
	}
	for a := range described {
		if !slices.ContainsFunc(Matrix, func(r Rule) bool { return r.Action == a }) {
			t.Errorf("action %s has no rule: nobody may take it", a)
		}
	}
}

func TestAuthorizationDocIsCurrent(t *testing.T) {
	const path = "../docs/AUTHORIZATION.md"
	want := Markdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s is out of date with access.Matrix: run go test ./access/ -update", path)
	}
}
