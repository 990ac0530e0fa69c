package audit

import (
	"trustmark/access"
	"trustmark/account"
)

// Target returns a as access.Decide sees it: its region, its body as the
// owner and its team's registration numbers. Every front end (the JSON
// routes, the workbench pages) asks access.Decide about an audit with
// this one target.
func (a *Audit) Target() access.Target {
	t := access.Target{Region: a.Region, Owner: account.Unit{Kind: account.Body, ID: a.Body}}
	for _, m := range a.Plan.Team {
		t.Team = append(t.Team, m.RegistrationNo)
	}
	return t
}

// PersonalTarget returns the personal data of person's check-in to a (its
// position, its photos) as access.Decide sees it: the person owns it and
// the audit's body employs them, in the audit's region. Every front end
// asks access.PersonalView about a check-in with this one target.
func (a *Audit) PersonalTarget(person string) access.Target {
	return access.Target{Region: a.Region, Owner: account.Unit{Kind: account.Auditor, ID: person},
		Employer: account.Unit{Kind: account.Body, ID: a.Body}}
}
