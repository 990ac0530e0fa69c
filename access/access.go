// Package access is Trustmark's authorization matrix: which kind of role may
// take which action on which targets. The matrix is data in one place
// (Matrix); Decide is the one function every adapter asks, and Markdown
// renders the same table for docs/AUTHORIZATION.md, so that what the
// documents say and what the server does cannot drift apart.
//
// A rule names an action, a kind of role and a scope: how the target must
// relate to the role's unit (its own body, laboratory, organisation or
// person; a region the regulator's region covers; a team the auditor is on;
// the nation). A role with no rule for an action may not take it.
package access

import (
	"cmp"
	"fmt"
	"slices"

	"trustmark"
	"trustmark/account"
)

// Action is something a person does in Trustmark.
type Action string

// Actions. The names are stable: they appear in refusals, the access log and
// docs/AUTHORIZATION.md.
const (
	CertificateIssue      Action = "certificate.issue"
	CertificateTransition Action = "certificate.transition"
	ImportUpload          Action = "import.upload"
	ReportIssue           Action = "report.issue"
	PersonManage          Action = "person.manage"
	StaffInvite           Action = "staff.invite"
	PasswordReset         Action = "password.reset"
	TokenManage           Action = "token.manage"
	MatterView            Action = "matter.view"
	MatterOpen            Action = "matter.open"
	MatterAnswer          Action = "matter.answer"
	MatterDecide          Action = "matter.decide"
	AuditPlan             Action = "audit.plan"
	AuditCheckin          Action = "audit.checkin"
	CreditList            Action = "credit.list"
	CreditRecord          Action = "credit.record"
	CreditRepairApply     Action = "credit.repair.apply"
	CreditRepairDecide    Action = "credit.repair.decide"
	RiskWeightsEdit       Action = "risk.weights.edit"
	RiskReport            Action = "risk.report"
	RiskView              Action = "risk.view"
	CalendarImport        Action = "calendar.import"
	CampaignCreate        Action = "campaign.create"
	CampaignDraw          Action = "campaign.draw"
	InspectionRecord      Action = "inspection.record"
	PersonalView          Action = "personal.view"
	StatisticsViewRegion  Action = "statistics.view_region"
)

// Actions describes every action, in the order documents list them.
var Actions = []struct {
	Action Action
	What   string
}{
	{CertificateIssue, "issue a certificate"},
	{CertificateTransition, "suspend, restore, revoke or withdraw a certificate"},
	{ImportUpload, "upload an import file (certificates, persons, reports)"},
	{ReportIssue, "record a test report"},
	{PersonManage, "register, change or deregister the body's auditors"},
	{StaffInvite, "invite a member of staff (create an account with a role)"},
	{PasswordReset, "reset a member of staff's password or second factor"},
	{TokenManage, "create, list and revoke API tokens"},
	{MatterView, "see a matter (办件) and its history"},
	{MatterOpen, "open a matter that asks a party to act"},
	{MatterAnswer, "answer a matter, or ask for an extension or a pause where its kind allows"},
	{MatterDecide, "accept, escalate or close a matter"},
	{AuditPlan, "report or change an audit plan"},
	{AuditCheckin, "check in to an audit (opening and closing meetings)"},
	{CreditList, "list a party on, or remove it from, the serious-violation list"},
	{CreditRecord, "record an entry in a subject's integrity archive (a penalty, finding, commitment and whether it was kept, commendation, revocation, lifetime ban, or a correction)"},
	{CreditRepairApply, "apply for credit repair"},
	{CreditRepairDecide, "decide an application for credit repair"},
	{RiskWeightsEdit, "edit the risk weights, decay and class thresholds"},
	{RiskReport, "record a risk report: a complaint, a failed product sampling, a failed proficiency test"},
	{RiskView, "read the risk scores, warnings and reports of a region, and the risk rules"},
	{CalendarImport, "load a year's holiday notice into the official calendar"},
	{CampaignCreate, "define an inspection campaign"},
	{CampaignDraw, "commit to and run a campaign's draw"},
	{InspectionRecord, "record an inspection's findings and outcome"},
	{PersonalView, "see personal data (a person's name and particulars)"},
	{StatisticsViewRegion, "see a region's registry pages (its bodies, laboratories and certificates, filtered) and its statistics"},
}

// Scope is how a target must relate to a role for a rule to allow an action.
type Scope string

// Scopes.
const (
	// OwnUnit: the target belongs to the role's own unit, or is addressed
	// to it: its own body, laboratory, organisation, its own person, or the
	// regulator unit itself.
	OwnUnit Scope = "own_unit"
	// Region: the role is a regulator whose region covers the target's
	// region (GB/T 2260: a province its cities and counties; the nation
	// everything).
	Region Scope = "region"
	// RegionStaff: the target is a regulator unit inside the role's region:
	// an administrator invites and resets the staff of its own bureau and
	// of the bureaus below it.
	RegionStaff Scope = "region_staff"
	// National: the role is the national regulator's; the target does not
	// matter.
	National Scope = "national"
	// OwnPersons: the target is a person registered with the role's body.
	OwnPersons Scope = "own_persons"
	// OnTeam: the role's person is on the target audit's team.
	OnTeam Scope = "on_team"
)

// scopeNames are the words documents use for each scope.
var scopeNames = map[Scope]string{
	OwnUnit:     "own unit",
	Region:      "its region",
	RegionStaff: "its region's staff",
	National:    "national only",
	OwnPersons:  "its persons",
	OnTeam:      "on the audit team",
}

// Target is what an action is taken on, as far as authorization needs to
// know: whose it is and where.
type Target struct {
	// Region is the GB/T 2260 code of where the target is: the region of
	// the body, laboratory or organisation concerned, of a matter's
	// subject, of a campaign, of a statistics view. "" when there is none.
	Region string
	// Owner is the unit the target belongs to or is addressed to: the
	// body of a certificate, the party that must act on a matter, the
	// person whose data is viewed, the unit of a new member of staff.
	Owner account.Unit
	// Employer is, for a person, the body the person is registered with.
	Employer account.Unit
	// Team lists the registration numbers of an audit's team.
	Team []string
}

// Rule allows one kind of role one action on targets within its scope.
type Rule struct {
	Action Action
	Kind   account.Kind
	Scope  Scope
	// Admin restricts the rule to administrators of the role's unit.
	Admin bool
	// Logged means each use must be written to the access log that the
	// regulator's superiors read (issue 12: every view of personal data by
	// a regulator).
	Logged bool
}

// ID names the rule in refusals and logs: "action/kind/scope".
func (r Rule) ID() string { return fmt.Sprintf("%s/%s/%s", r.Action, r.Kind, r.Scope) }

// Shorthands that keep Matrix one line per action and kind.
const (
	reg, body, lab, auditor, org = account.Regulator, account.Body, account.Lab, account.Auditor, account.Org
)

// Matrix is the authorization matrix: every rule there is. What is not here
// is refused. Writes are confined to one's own unit (or, for regulators,
// region); personal data goes only to the body that registered the person,
// the person, and regulators of the region, who are logged.
var Matrix = []Rule{
	{Action: CertificateIssue, Kind: body, Scope: OwnUnit},
	{Action: CertificateTransition, Kind: reg, Scope: Region},
	{Action: CertificateTransition, Kind: body, Scope: OwnUnit},
	{Action: ImportUpload, Kind: body, Scope: OwnUnit},
	{Action: ImportUpload, Kind: lab, Scope: OwnUnit},
	{Action: ReportIssue, Kind: lab, Scope: OwnUnit},
	{Action: PersonManage, Kind: body, Scope: OwnPersons},

	{Action: StaffInvite, Kind: reg, Scope: RegionStaff, Admin: true},
	{Action: StaffInvite, Kind: body, Scope: OwnUnit, Admin: true},
	{Action: StaffInvite, Kind: lab, Scope: OwnUnit, Admin: true},
	{Action: StaffInvite, Kind: org, Scope: OwnUnit, Admin: true},
	{Action: PasswordReset, Kind: reg, Scope: RegionStaff, Admin: true},
	{Action: PasswordReset, Kind: body, Scope: OwnUnit, Admin: true},
	{Action: PasswordReset, Kind: lab, Scope: OwnUnit, Admin: true},
	{Action: PasswordReset, Kind: org, Scope: OwnUnit, Admin: true},
	{Action: TokenManage, Kind: reg, Scope: OwnUnit, Admin: true},
	{Action: TokenManage, Kind: body, Scope: OwnUnit, Admin: true},
	{Action: TokenManage, Kind: lab, Scope: OwnUnit, Admin: true},
	{Action: TokenManage, Kind: auditor, Scope: OwnUnit},

	{Action: MatterView, Kind: reg, Scope: Region},
	{Action: MatterView, Kind: body, Scope: OwnUnit},
	{Action: MatterView, Kind: lab, Scope: OwnUnit},
	{Action: MatterView, Kind: auditor, Scope: OwnUnit},
	{Action: MatterView, Kind: org, Scope: OwnUnit},
	{Action: MatterOpen, Kind: reg, Scope: Region},
	{Action: MatterAnswer, Kind: reg, Scope: OwnUnit},
	{Action: MatterAnswer, Kind: body, Scope: OwnUnit},
	{Action: MatterAnswer, Kind: lab, Scope: OwnUnit},
	{Action: MatterAnswer, Kind: auditor, Scope: OwnUnit},
	{Action: MatterAnswer, Kind: org, Scope: OwnUnit},
	{Action: MatterDecide, Kind: reg, Scope: Region},

	{Action: AuditPlan, Kind: body, Scope: OwnUnit},
	{Action: AuditCheckin, Kind: auditor, Scope: OnTeam},

	{Action: CreditList, Kind: reg, Scope: Region},
	{Action: CreditRecord, Kind: reg, Scope: Region},
	{Action: CreditRepairApply, Kind: body, Scope: OwnUnit},
	{Action: CreditRepairApply, Kind: lab, Scope: OwnUnit},
	{Action: CreditRepairApply, Kind: auditor, Scope: OwnUnit},
	{Action: CreditRepairApply, Kind: org, Scope: OwnUnit},
	{Action: CreditRepairDecide, Kind: reg, Scope: Region},
	{Action: RiskWeightsEdit, Kind: reg, Scope: National, Admin: true},
	{Action: RiskReport, Kind: reg, Scope: Region},
	{Action: RiskView, Kind: reg, Scope: Region},
	{Action: CalendarImport, Kind: reg, Scope: National, Admin: true},

	{Action: CampaignCreate, Kind: reg, Scope: Region},
	{Action: CampaignDraw, Kind: reg, Scope: Region},
	{Action: InspectionRecord, Kind: reg, Scope: Region},

	{Action: PersonalView, Kind: reg, Scope: Region, Logged: true},
	{Action: PersonalView, Kind: body, Scope: OwnPersons},
	{Action: PersonalView, Kind: auditor, Scope: OwnUnit},
	{Action: StatisticsViewRegion, Kind: reg, Scope: Region},
}

// Decide returns nil when role may take action on target, or a forbidden
// error that names the rule it failed (or says that no rule exists).
func Decide(role account.Role, action Action, target Target) error {
	_, err := Allow(role, action, target)
	return err
}

// Allow is Decide that also returns the rule that allowed the action, so
// that the caller knows whether to write the access log (Rule.Logged).
func Allow(role account.Role, action Action, target Target) (Rule, error) {
	i := slices.IndexFunc(Matrix, func(r Rule) bool { return r.Action == action && r.Kind == role.Kind })
	if i < 0 {
		return Rule{}, forbid("access.no_rule", "no rule lets %s staff %s (%s)", role.Kind, what(action), action)
	}
	r := Matrix[i]
	if r.Admin && !role.Admin {
		return r, forbid("access.admin", "only an administrator of %s may %s (rule %s)", role.Unit, what(action), r.ID())
	}
	if err := r.check(role, target); err != nil {
		return r, err
	}
	return r, nil
}

// check decides whether target is within the rule's scope for role.
func (r Rule) check(role account.Role, t Target) error {
	switch r.Scope {
	case OwnUnit:
		if t.Owner == role.Unit {
			return nil
		}
		return forbid("access.not_own", "%s is not %s: %s may %s only for its own (rule %s)", t.Owner, role.Unit, role.Unit, what(r.Action), r.ID())
	case Region:
		if role.Kind == account.Regulator && trustmark.RegionCovers(role.ID, t.Region) {
			return nil
		}
		return forbid("access.outside_region", "region %q is outside region %s (rule %s)", t.Region, role.ID, r.ID())
	case RegionStaff:
		if role.Kind == account.Regulator && t.Owner.Kind == account.Regulator && trustmark.RegionCovers(role.ID, t.Owner.ID) {
			return nil
		}
		return forbid("access.outside_region", "%s is not a bureau within region %s (rule %s)", t.Owner, role.ID, r.ID())
	case National:
		if role.Kind == account.Regulator && role.ID == trustmark.NationalRegion {
			return nil
		}
		return forbid("access.national", "only the national regulator may %s (rule %s)", what(r.Action), r.ID())
	case OwnPersons:
		if t.Owner.Kind == account.Auditor && t.Employer == role.Unit {
			return nil
		}
		return forbid("access.not_own_person", "%s is not a person registered with %s (rule %s)", t.Owner, role.Unit, r.ID())
	case OnTeam:
		if role.Kind == account.Auditor && slices.Contains(t.Team, role.ID) {
			return nil
		}
		return forbid("access.not_on_team", "%s is not on this audit's team (rule %s)", role.ID, r.ID())
	}
	return forbid("access.no_rule", "rule %s has an unknown scope", r.ID())
}

// DecideAny returns the first of roles that may take action on target, and
// the rule that allows it. A person may hold several roles; when none
// allows the action, the refusal is that of the first role that has a rule
// for it (the most telling one), else that of the first role.
func DecideAny(roles []account.Role, action Action, target Target) (account.Role, Rule, error) {
	var first, ruled error
	for _, role := range roles {
		r, err := Allow(role, action, target)
		if err == nil {
			return role, r, nil
		}
		first = cmp.Or(first, err)
		if r.Action != "" {
			ruled = cmp.Or(ruled, err)
		}
	}
	if first == nil {
		first = forbid("access.no_role", "an account without a role may not %s", what(action))
	}
	return account.Role{}, Rule{}, cmp.Or(ruled, first)
}

func what(a Action) string {
	for _, d := range Actions {
		if d.Action == a {
			return d.What
		}
	}
	return string(a)
}

// forbid returns a forbidden *Error with a reason key, so that pages say it
// in the reader's language.
func forbid(reason, format string, args ...any) *trustmark.Error {
	e := trustmark.Errorf(trustmark.EForbidden, "", format, args...)
	e.Reason, e.Args = reason, args
	return e
}
