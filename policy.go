package trustmark

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
)

//go:embed data/policy.json
var defaultPolicyJSON []byte

// Policy holds the rules of the regime that are data, not code: how long a
// certificate of each type may be valid. Regulators change these by editing
// data/policy.json (or a file of the same shape), never by changing code.
type Policy struct {
	ValidityYears map[CertType]int `json:"validity_years"`
}

// DefaultPolicy returns the policy embedded in the binary.
func DefaultPolicy() *Policy {
	p, err := ParsePolicy(defaultPolicyJSON)
	if err != nil {
		panic("trustmark: embedded policy: " + err.Error())
	}
	return p
}

// ParsePolicy reads a policy document.
func ParsePolicy(data []byte) (*Policy, error) {
	var p Policy
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	for t, y := range p.ValidityYears {
		if _, err := ParseCertType(string(t)); err != nil {
			return nil, fmt.Errorf("policy: validity_years: %w", err)
		}
		if y <= 0 {
			return nil, fmt.Errorf("policy: validity_years: %s has %d years, want > 0", t, y)
		}
	}
	return &p, nil
}

// MaxValidity returns the longest validity in years of a certificate of type
// t, or 0 when the policy sets none.
func (p *Policy) MaxValidity(t CertType) int { return p.ValidityYears[t] }

// CheckIssuer decides whether body may issue certificate c, whose own fields
// are valid (Certificate.Validate); DecideIssue and DecideImport ask both: the body must be the one c names, active and not stopped by its
// credit standing (Body.CreditRefusal), the type within
// its approved scopes, and for CCC the product category among its
// designated categories and the number carrying the body's CCC code
// (CheckCCCBodyCode).
func (p *Policy) CheckIssuer(body *Body, c *Certificate) error {
	if body.ApprovalNo != c.BodyApprovalNo {
		return Errorf(EForbidden, "body_approval_no", "certificate names body %s, not %s", c.BodyApprovalNo, body.ApprovalNo)
	}
	if body.Status != PartyActive {
		return Errorf(EConflict, "body_approval_no", "certification body %s is %s and may not issue certificates", body.ApprovalNo, body.Status)
	}
	if body.CreditRefusal != nil {
		return body.CreditRefusal
	}
	if !slices.Contains(body.Scopes, c.Type) {
		return Errorf(EForbidden, "type", "certification body %s is not approved for %s certificates (approved: %s)", body.ApprovalNo, c.Type, joinTypes(body.Scopes))
	}
	if c.Type == TypeCCC && !slices.Contains(body.CCCCategories, c.CCCCategory) {
		return Errorf(EForbidden, "ccc_category", "certification body %s is not designated for CCC product category %s", body.ApprovalNo, c.CCCCategory)
	}
	return CheckCCCBodyCode(c, body)
}
