package demo

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"trustmark"
	"trustmark/account"
)

// AccountLink is a demo account with the token of its one-time sign-in
// link (the page is at account.LinkPath(Token)).
type AccountLink struct {
	Role  string // what the account is, in words
	Email account.Email
	Token string
}

// demoAccount is one account the demo creates: an e-mail address, a name,
// and its role on a unit found in the registry.
type demoAccount struct {
	email, name, role string
	kind              account.Kind
	unit              func(u demoUnits) string
	admin             bool
}

// demoUnits are the registry's units the demo accounts act for: an active
// body, one of its auditors who can be on its audit teams (demoAuditor), a
// laboratory, an organisation, and the province and county of that
// organisation, so that the regulators below the nation see the same
// organisation.
type demoUnits struct {
	body, person, lab, province, county string
	org                                 trustmark.USCC
}

// demoAccounts are the demo's accounts, one for each kind of role and each
// level of regulator. Their addresses are on trustmark.example, a name
// reserved for examples (RFC 2606), so no mail reaches anyone.
var demoAccounts = []demoAccount{
	{"national@trustmark.example", "国家市场监管总局·演示", "national regulator (administrator)", account.Regulator, func(u demoUnits) string { return trustmark.NationalRegion }, true},
	{"province@trustmark.example", "省级市场监管局·演示", "provincial regulator", account.Regulator, func(u demoUnits) string { return u.province }, false},
	{"county@trustmark.example", "县级市场监管局·演示", "county regulator", account.Regulator, func(u demoUnits) string { return u.county }, false},
	{"body@trustmark.example", "认证机构·演示", "certification body staff (administrator)", account.Body, func(u demoUnits) string { return u.body }, true},
	{"lab@trustmark.example", "检验检测机构·演示", "laboratory staff (administrator)", account.Lab, func(u demoUnits) string { return u.lab }, true},
	{"auditor@trustmark.example", "审核员·演示", "auditor", account.Auditor, func(u demoUnits) string { return u.person }, false},
	{"org@trustmark.example", "获证组织·演示", "certified organisation staff (administrator)", account.Org, func(u demoUnits) string { return string(u.org) }, true},
}

// Accounts gives every demo account a fresh one-time sign-in link, creating
// the accounts that do not exist yet on units of the registry in store. A
// link issued earlier and not used is replaced, so the links printed last
// are the ones that work. Roles whose kind of unit the registry holds none
// of are left out.
func Accounts(ctx context.Context, store trustmark.Store, accounts account.Store, rand io.Reader, now time.Time) ([]AccountLink, error) {
	u, err := findUnits(ctx, store)
	if err != nil {
		return nil, err
	}
	var out []AccountLink
	for _, d := range demoAccounts {
		id := d.unit(u)
		if id == "" {
			continue
		}
		role, err := account.ParseRole(d.kind, id, d.admin)
		if err != nil {
			return nil, fmt.Errorf("demo: account %s: %w", d.email, err)
		}
		var ch account.Change
		var token string
		a, err := accounts.AccountByEmail(ctx, account.Email(d.email))
		switch {
		case trustmark.IsNotFound(err):
			ch, token, err = account.Invite(rand, account.Email(d.email), d.name, []account.Role{role}, account.FirstSignIn, "demo", now)
		case err == nil:
			ch, token, err = account.Reissue(rand, a, account.FirstSignIn, "demo", now)
		}
		if err == nil {
			err = accounts.Apply(ctx, ch)
		}
		if err != nil {
			return nil, fmt.Errorf("demo: account %s: %w", d.email, err)
		}
		out = append(out, AccountLink{Role: d.role, Email: account.Email(d.email), Token: token})
	}
	return out, nil
}

// findUnits picks the units of the demo accounts from the registry.
func findUnits(ctx context.Context, store trustmark.Store) (demoUnits, error) {
	var u demoUnits
	bodies, err := store.Bodies(ctx, trustmark.PartyFilter{Status: trustmark.PartyActive, Limit: 1})
	if err != nil {
		return u, fmt.Errorf("demo: finding units for accounts: %w", err)
	}
	if len(bodies.Items) > 0 {
		u.body = bodies.Items[0].ApprovalNo
		persons, err := store.Persons(ctx, trustmark.PartyFilter{BodyApprovalNo: u.body, Status: trustmark.PartyActive, Limit: 200})
		if err != nil {
			return u, fmt.Errorf("demo: finding units for accounts: %w", err)
		}
		u.person = demoAuditor(persons.Items)
	}
	labs, err := store.Labs(ctx, trustmark.PartyFilter{Status: trustmark.PartyActive, Limit: 1})
	if err != nil {
		return u, fmt.Errorf("demo: finding units for accounts: %w", err)
	}
	if len(labs.Items) > 0 {
		u.lab = labs.Items[0].CMANo
	}
	orgs, err := store.Orgs(ctx, trustmark.PartyFilter{Q: "海尔", Limit: 1})
	if err == nil && len(orgs.Items) == 0 {
		orgs, err = store.Orgs(ctx, trustmark.PartyFilter{Limit: 1})
	}
	if err != nil {
		return u, fmt.Errorf("demo: finding units for accounts: %w", err)
	}
	if len(orgs.Items) > 0 {
		o := orgs.Items[0]
		u.org = o.USCC
		if len(o.RegionCode) == 6 {
			u.province, u.county = o.RegionCode[:2]+"0000", o.RegionCode
		}
	}
	return u, nil
}

// demoAuditor picks the demo auditor among a body's active persons: the
// first qualified for a type the demo's audits are of (one with an IAF MD 5
// audit time), so that the auditor's account has audits to check in to;
// the first person when none is.
func demoAuditor(persons []*trustmark.Person) string {
	for _, p := range persons {
		if slices.ContainsFunc(p.Qualifications, hasAuditTime) {
			return p.RegistrationNo
		}
	}
	if len(persons) > 0 {
		return persons[0].RegistrationNo
	}
	return ""
}
