package http

import (
	"context"
	nethttp "net/http"
	"strings"

	"trustmark"
	"trustmark/access"
	"trustmark/credit"
)

// CreditStore keeps the serious-violation list; sqlstore.DB implements it.
type CreditStore interface {
	SeriousViolations
	CreditListing(ctx context.Context, id string) (credit.Listing, error)
	CreditStep(ctx context.Context, id string, step func(l credit.Listing, found bool) (credit.Listing, credit.Event, error)) (credit.Listing, error)
}

// ProposalRequest is a regulator's proposal to list a subject
// (POST /api/v1/credit/listings). On defaults to today; ID to a new one.
type ProposalRequest struct {
	ID          string             `json:"id"`
	SubjectKind credit.SubjectKind `json:"subject_kind"`
	SubjectID   string             `json:"subject_id"`
	Name        string             `json:"name"`
	Region      string             `json:"region"`
	Grounds     string             `json:"grounds"`
	LegalBasis  string             `json:"legal_basis"`
	On          trustmark.Date     `json:"on"`
}

// StepRequest is a regulator's step on a listing: notice
// (POST .../notice), decision (.../decision: List, Decision, Reason) or the
// decision on credit repair (.../repair-decision: Grant, Reason). On
// defaults to today.
type StepRequest struct {
	On       trustmark.Date `json:"on"`
	List     bool           `json:"list"`
	Decision string         `json:"decision"`
	Grant    bool           `json:"grant"`
	Reason   string         `json:"reason"`
}

func (s *Server) creditStore() (CreditStore, error) {
	return storeFor[CreditStore](s, "the serious-violation list")
}

// creditRules are the listing procedure's rules, counting working days on
// the server's calendar.
func (s *Server) creditRules() *credit.Rules {
	r := credit.DefaultRules()
	r.Cal = s.cfg.Calendar
	return r
}

// creditStep is who takes a step now, on day on (today when zero).
func (s *Server) creditStep(actor trustmark.Party, on trustmark.Date) credit.Step {
	now := s.cfg.Clock()
	if on.IsZero() {
		on = trustmark.DateOf(now)
	}
	return credit.Step{On: on, At: now.UTC(), Actor: actor.String()}
}

func (s *Server) proposeListing(w nethttp.ResponseWriter, r *nethttp.Request) {
	cs, err := s.creditStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	var req ProposalRequest
	if err := DecodeJSON(r, &req); err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	if _, _, err := c.Decide(access.CreditList, access.Target{Region: req.Region}); err != nil {
		Error(w, r, err)
		return
	}
	actor := c.Party
	if req.ID == "" {
		req.ID = "L" + s.cfg.Clock().UTC().Format("20060102") + "-" + strings.ToUpper(randomHex(4))
	}
	p := credit.Proposal{ID: req.ID, Subject: credit.Subject{Kind: req.SubjectKind, ID: req.SubjectID}, Name: req.Name, Region: req.Region,
		Grounds: req.Grounds, LegalBasis: req.LegalBasis}
	l, err := cs.CreditStep(r.Context(), req.ID, func(_ credit.Listing, found bool) (credit.Listing, credit.Event, error) {
		if found {
			return credit.Listing{}, credit.Event{}, trustmark.Reasonf(trustmark.EConflict, "credit.listing_exists", "id", "listing %s already exists", req.ID)
		}
		return s.creditRules().Propose(p, s.creditStep(actor, req.On))
	})
	if err != nil {
		Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/credit/listings/"+l.ID)
	WriteJSON(w, nethttp.StatusCreated, l)
}

// listingStep answers the regulators' step routes: the caller must be
// allowed action in the listing's region. A listing's region never
// changes, so the check holds for the state the step will find.
func (s *Server) listingStep(action access.Action, step func(rules *credit.Rules, l credit.Listing, st credit.Step, req StepRequest) (credit.Listing, credit.Event, error)) nethttp.HandlerFunc {
	return listingHandler(s, action, func(l credit.Listing) access.Target { return access.Target{Region: l.Region} },
		func(req StepRequest) trustmark.Date { return req.On }, step)
}

// listingHandler answers a step on the listing the path's {id} names: it
// decodes the request, reads the listing, asks access.Decide whether the
// caller may take action on the target the listing gives, and lets the
// credit rules take the step on the stored listing, dated on(req).
func listingHandler[R any](s *Server, action access.Action, target func(credit.Listing) access.Target, on func(R) trustmark.Date,
	step func(*credit.Rules, credit.Listing, credit.Step, R) (credit.Listing, credit.Event, error)) nethttp.HandlerFunc {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) {
		cs, err := s.creditStore()
		if err != nil {
			Error(w, r, err)
			return
		}
		var req R
		if err := DecodeJSON(r, &req); err != nil {
			Error(w, r, err)
			return
		}
		c, err := s.auth.Resolve(r)
		if err != nil {
			Error(w, r, err)
			return
		}
		id := r.PathValue("id")
		l, err := cs.CreditListing(r.Context(), id)
		if err != nil {
			Error(w, r, err)
			return
		}
		if _, _, err := c.Decide(action, target(l)); err != nil {
			Error(w, r, err)
			return
		}
		l, err = cs.CreditStep(r.Context(), id, func(stored credit.Listing, _ bool) (credit.Listing, credit.Event, error) {
			return step(s.creditRules(), stored, s.creditStep(c.Party, on(req)), req)
		})
		if err != nil {
			Error(w, r, err)
			return
		}
		WriteJSON(w, nethttp.StatusOK, l)
	}
}

func notifyListing(rules *credit.Rules, l credit.Listing, st credit.Step, _ StepRequest) (credit.Listing, credit.Event, error) {
	return rules.Notify(l, st)
}

func decideListing(rules *credit.Rules, l credit.Listing, st credit.Step, req StepRequest) (credit.Listing, credit.Event, error) {
	return rules.Decide(l, st, req.List, req.Decision, req.Reason)
}

func decideRepair(rules *credit.Rules, l credit.Listing, st credit.Step, req StepRequest) (credit.Listing, credit.Event, error) {
	return rules.DecideRepair(l, st, req.Grant, req.Reason)
}
