package http

import (
	"context"
	"errors"
	"io"
	nethttp "net/http"

	"trustmark"
	"trustmark/access"
	"trustmark/risk"
)

// RiskRulesStore keeps the versions of the risk rule set; sqlstore.DB
// implements it.
type RiskRulesStore interface {
	RiskRules(ctx context.Context) (*risk.Rules, error)
	EditRiskRules(ctx context.Context, next risk.RuleSet, by string) (risk.RuleSet, error)
}

// RiskRulesJSON is GET /api/v1/risk/rules: every version, oldest first.
type RiskRulesJSON struct {
	Versions []risk.RuleSet `json:"versions"`
}

func (s *Server) riskRulesStore() (RiskRulesStore, error) {
	return storeFor[RiskRulesStore](s, "risk rules")
}

// riskRules answers GET /api/v1/risk/rules: the weights, decay and class
// thresholds of every version, for regulators (the rules their region's
// scores are computed under).
func (s *Server) riskRules(w nethttp.ResponseWriter, r *nethttp.Request) {
	rs, err := s.riskRulesStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	if _, err := RiskRegion(c, ""); err != nil {
		Error(w, r, err)
		return
	}
	rules, err := rs.RiskRules(r.Context())
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, RiskRulesJSON{Versions: rules.Versions()})
}

// editRiskRules answers POST /api/v1/risk/rules: a national administrator
// adds a version (risk.ParseRuleSet reads it: weights, thresholds,
// effective_from, reason), which takes effect no earlier than today.
func (s *Server) editRiskRules(w nethttp.ResponseWriter, r *nethttp.Request) {
	rs, err := s.riskRulesStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	if _, _, err := c.Decide(access.RiskWeightsEdit, access.Target{}); err != nil {
		Error(w, r, err)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *nethttp.MaxBytesError
		if errors.As(err, &tooLarge) {
			Error(w, r, trustmark.Reasonf(trustmark.ETooLarge, "risk.rules_too_large", "", "the rule set is larger than the %d bytes allowed", tooLarge.Limit))
			return
		}
		Error(w, r, trustmark.Invalidf("risk.rules_json", "", "the rule set could not be read: %v", err))
		return
	}
	next, err := risk.ParseRuleSet(body)
	if err != nil {
		Error(w, r, err)
		return
	}
	v, err := rs.EditRiskRules(r.Context(), next, c.Party.String())
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusCreated, v)
}
