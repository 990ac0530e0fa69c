package http

import (
	nethttp "net/http"

	"trustmark"

	"trustmark/access"
	"trustmark/account"
	"trustmark/credit"
)

// PartyStepRequest is the listed party's step: an objection
// (POST .../objection: Statement) or an application for credit repair
// (POST .../repair: Statement and Evidence, references to documents
// filed). On defaults to today.
type PartyStepRequest struct {
	Statement string   `json:"statement"`
	Evidence  []string `json:"evidence"`
}

// SubjectUnit is the unit that acts for a subject of the credit archives:
// a body, a laboratory, an organisation, or a person acting for themselves.
func SubjectUnit(s credit.Subject) account.Unit {
	kinds := map[credit.SubjectKind]account.Kind{credit.Body: account.Body, credit.Lab: account.Lab, credit.Org: account.Org, credit.Person: account.Auditor}
	return account.Unit{Kind: kinds[s.Kind], ID: s.ID}
}

// PartyStep is a step the listed party itself takes.
type PartyStep func(rules *credit.Rules, l credit.Listing, st credit.Step, req PartyStepRequest) (credit.Listing, credit.Event, error)

// partyStep answers the listed party's routes: only the unit the listing
// names may take them (access.CreditRepairApply, own unit).
func (s *Server) partyStep(step PartyStep) nethttp.HandlerFunc {
	return listingHandler(s, access.CreditRepairApply, func(l credit.Listing) access.Target { return access.Target{Owner: SubjectUnit(l.Subject)} },
		func(PartyStepRequest) trustmark.Date { return trustmark.Date{} }, step)
}

func objectListing(rules *credit.Rules, l credit.Listing, st credit.Step, req PartyStepRequest) (credit.Listing, credit.Event, error) {
	return rules.Object(l, st, req.Statement)
}

func applyRepair(rules *credit.Rules, l credit.Listing, st credit.Step, req PartyStepRequest) (credit.Listing, credit.Event, error) {
	return rules.ApplyRepair(l, st, req.Statement, req.Evidence)
}
