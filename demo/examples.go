package demo

import (
	"context"
	"fmt"

	"trustmark"
)

// FindExamples picks identifiers worth trying from whatever store holds, for
// a server to print at start-up when the demo data set was loaded earlier.
// Kinds the store has none of are left empty.
func FindExamples(ctx context.Context, store trustmark.Store) (Examples, error) {
	var ex Examples
	cert := func(dst *string, f trustmark.CertificateFilter) error {
		f.Limit = 1
		p, err := store.Certificates(ctx, f)
		if err != nil {
			return fmt.Errorf("demo: finding examples: %w", err)
		}
		if len(p.Items) > 0 {
			*dst = p.Items[0].Number
		}
		return nil
	}
	for _, q := range []struct {
		dst *string
		f   trustmark.CertificateFilter
	}{
		{&ex.ValidCCC, trustmark.CertificateFilter{Type: trustmark.TypeCCC, Status: trustmark.StatusValid}},
		{&ex.ValidQMS, trustmark.CertificateFilter{Type: trustmark.TypeQMS, Status: trustmark.StatusValid}},
		{&ex.Organic, trustmark.CertificateFilter{Type: trustmark.TypeOrganic, Status: trustmark.StatusValid}},
		{&ex.Suspended, trustmark.CertificateFilter{Status: trustmark.StatusSuspended}},
		{&ex.Revoked, trustmark.CertificateFilter{Status: trustmark.StatusRevoked}},
		{&ex.Withdrawn, trustmark.CertificateFilter{Status: trustmark.StatusWithdrawn}},
		{&ex.Expired, trustmark.CertificateFilter{Status: trustmark.StatusExpired}},
	} {
		if err := cert(q.dst, q.f); err != nil {
			return ex, err
		}
	}
	orgs, err := store.Orgs(ctx, trustmark.PartyFilter{Q: "海尔", Limit: 1})
	if err == nil && len(orgs.Items) == 0 {
		orgs, err = store.Orgs(ctx, trustmark.PartyFilter{Limit: 1})
	}
	if err != nil {
		return ex, fmt.Errorf("demo: finding examples: %w", err)
	}
	if len(orgs.Items) > 0 {
		ex.OrgUSCC, ex.OrgName = orgs.Items[0].USCC, orgs.Items[0].Name
	}
	bodies, err := store.Bodies(ctx, trustmark.PartyFilter{Status: trustmark.PartyActive, Limit: 1})
	if err != nil {
		return ex, fmt.Errorf("demo: finding examples: %w", err)
	}
	if len(bodies.Items) > 0 {
		ex.BodyApprovalNo = bodies.Items[0].ApprovalNo
	}
	persons, err := store.Persons(ctx, trustmark.PartyFilter{Limit: 1})
	if err != nil {
		return ex, fmt.Errorf("demo: finding examples: %w", err)
	}
	if len(persons.Items) > 0 {
		ex.PersonRegNo = persons.Items[0].RegistrationNo
	}
	reports, err := store.Reports(ctx, trustmark.ReportFilter{Limit: 1})
	if err != nil {
		return ex, fmt.Errorf("demo: finding examples: %w", err)
	}
	if len(reports.Items) > 0 {
		ex.LabCMANo, ex.ReportNo = reports.Items[0].LabCMANo, reports.Items[0].Number
	} else if labs, err := store.Labs(ctx, trustmark.PartyFilter{Limit: 1}); err == nil && len(labs.Items) > 0 {
		ex.LabCMANo = labs.Items[0].CMANo
	}
	return ex, nil
}
