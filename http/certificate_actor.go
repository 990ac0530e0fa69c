package http

import (
	"context"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
)

// The certificate routes act through the registry's decisions, which take
// the party that acts (trustmark.Party). A party's token is that party; an
// account (its token or its session) acts as the party of the role the
// authorization matrix lets do the act: a body's staff as the body, a
// regulator's as the regulator. So an account's staff may do through the
// API what access.Decide gives them, and nothing more.

// RoleParty is the party a role acts as towards the registry's decisions.
func RoleParty(r account.Role) trustmark.Party {
	for kind, k := range partyKinds {
		if k == r.Kind {
			return trustmark.Party{Kind: kind, ID: r.ID}
		}
	}
	return trustmark.Party{Kind: account.PartyKind, ID: r.ID}
}

// CertificateTarget is certificate c, whose body is in bodyRegion, as
// access.Decide sees it.
func CertificateTarget(c *trustmark.Certificate, bodyRegion string) access.Target {
	return access.Target{Region: bodyRegion, Owner: account.Unit{Kind: account.Body, ID: c.BodyApprovalNo}}
}

// mayWriteCertificates refuses, before a request is read, a caller that
// may not write any certificate: a party's token by the registry's rule,
// an account by whether any of its roles has a certificate rule at all.
func (c *Caller) mayWriteCertificates() error {
	if c.Party.Kind != account.PartyKind {
		return c.Party.CanWriteCertificates()
	}
	for _, role := range c.Roles {
		if RoleParty(role).CanWriteCertificates() == nil {
			return nil
		}
	}
	return c.Party.CanWriteCertificates()
}

// actingParty returns the party c acts as for action on the target that
// target loads: a party's token is itself (the registry decides on its
// own); an account acts as the party of the first of its roles that
// access.Decide lets do action.
func (c *Caller) actingParty(action access.Action, target func() (access.Target, error)) (trustmark.Party, error) {
	if c.Party.Kind != account.PartyKind {
		return c.Party, nil
	}
	t, err := target()
	if err != nil {
		return trustmark.Party{}, err
	}
	role, _, err := c.Decide(action, t)
	if err != nil {
		return trustmark.Party{}, err
	}
	return RoleParty(role), nil
}

// IssuingBodies are the bodies c may issue for by its roles: those whose
// role the matrix lets issue in its own name (certificate.issue, own
// unit). trustmark.IssueRequest.IssuerFor chooses among them when a
// request names no body, for the API and the workbench's form alike.
func (c *Caller) IssuingBodies() []string {
	var out []string
	for _, role := range c.Roles {
		if role.Kind == account.Body && access.Decide(role, access.CertificateIssue, access.Target{Owner: role.Unit}) == nil {
			out = append(out, role.ID)
		}
	}
	return out
}

// certificateTarget loads certificate number and its body's region.
func (s *Server) certificateTarget(ctx context.Context, number string) (access.Target, error) {
	c, err := s.cfg.Store.Certificate(ctx, number)
	if err != nil {
		return access.Target{}, err
	}
	region := ""
	if b, err := s.cfg.Store.Body(ctx, c.BodyApprovalNo); err == nil {
		region = b.RegionCode
	}
	return CertificateTarget(c, region), nil
}
