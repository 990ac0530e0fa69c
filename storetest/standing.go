package storetest

import (
	"testing"

	"trustmark"
)

// testStanding checks what the issuer rules need of storage: a body's CCC
// code is kept and names one body, CCC certificates must carry it, reads
// carry the issuer's standing with the record, and a regulator's scope
// follows the divisions' hierarchy on import.
func testStanding(t *testing.T, open func(t *testing.T) trustmark.Store) {
	t.Run("a body's CCC code is kept", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		b, err := s.Body(ctx, bodyA)
		if err != nil {
			t.Fatal(err)
		}
		if b.CCCCode != "01" {
			t.Errorf("Body(%s).CCCCode = %q, want 01", bodyA, b.CCCCode)
		}
		wantAll(t, importAll(t, s, trustmark.KindBodies, bodies()...), trustmark.Unchanged)
	})
	t.Run("a CCC code names one body", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		other := *(bodies()[1].(*trustmark.Body))
		other.Scopes, other.CCCCategories, other.CCCCode = []trustmark.CertType{trustmark.TypeQMS, trustmark.TypeCCC}, []string{"0901"}, "01"
		out := importAll(t, s, trustmark.KindBodies, &other)
		wantResults(t, out, trustmark.Rejected)
		wantCode(t, "a second body with code 01", out[0].Err, trustmark.EConflict, "ccc_code")
		// In one batch, a code one body gives up may go to another.
		a := *(bodies()[0].(*trustmark.Body))
		a.CCCCode = "02"
		wantResults(t, importAll(t, s, trustmark.KindBodies, &a, &other), trustmark.Updated, trustmark.Updated)
		if b, err := s.Body(ctx, bodyB); err != nil || b.CCCCode != "01" {
			t.Errorf("Body(%s) = %+v, %v; want CCC code 01", bodyB, b, err)
		}
	})
	t.Run("a CCC certificate must carry its body's code", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		out := importAll(t, s, trustmark.KindCertificates, ccc("2025070901000002", org1))
		wantResults(t, out, trustmark.Rejected)
		wantCode(t, "import of a CCC number with body code 07", out[0].Err, trustmark.EInvalid, "number")
		issue := ccc("2026070901000003", org1)
		issue.IssuedOn, issue.ExpiresOn = Today, Today.AddDate(5, 0, -1)
		_, err := s.IssueCertificate(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}, IssueRequestOf(issue))
		wantCode(t, "issue of a CCC number with body code 07", err, trustmark.EInvalid, "number")
		issue.Number = "2026010901000003"
		if _, err := s.IssueCertificate(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}, IssueRequestOf(issue)); err != nil {
			t.Errorf("issue of a CCC number with the body's code 01: %v", err)
		}
	})
	t.Run("a body without a CCC code issues no CCC certificate", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		a := *(bodies()[0].(*trustmark.Body))
		a.CCCCode = ""
		wantAll(t, importAll(t, s, trustmark.KindBodies, &a), trustmark.Updated)
		out := importAll(t, s, trustmark.KindCertificates, ccc("2025010901000002", org1))
		wantResults(t, out, trustmark.Rejected)
		wantCode(t, "a CCC certificate of a body without a code", out[0].Err, trustmark.EConflict, "body_approval_no")
	})
	t.Run("reads carry the issuer's standing", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		a := *(bodies()[0].(*trustmark.Body))
		a.Status = trustmark.PartyRevoked
		wantAll(t, importAll(t, s, trustmark.KindBodies, &a), trustmark.Updated)
		l := *(labs()[0].(*trustmark.Lab))
		l.Status = trustmark.PartySuspended
		wantAll(t, importAll(t, s, trustmark.KindLabs, &l), trustmark.Updated)
		c, err := s.Certificate(ctx, qmsNo)
		if err != nil {
			t.Fatal(err)
		}
		if c.BodyStatus != trustmark.PartyRevoked || c.BodyStatusSince != Today {
			t.Errorf("Certificate(%s) body standing = %s since %s, want revoked since %s", qmsNo, c.BodyStatus, c.BodyStatusSince, Today)
		}
		page, err := s.Certificates(ctx, trustmark.CertificateFilter{HolderUSCC: org1})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			if c.BodyStatus != trustmark.PartyRevoked {
				t.Errorf("Certificates: %s body standing = %q, want revoked", c.Number, c.BodyStatus)
			}
		}
		r, err := s.Report(ctx, lab1, "R2026-0001")
		if err != nil {
			t.Fatal(err)
		}
		if r.LabStatus != trustmark.PartySuspended || r.LabStatusSince != Today {
			t.Errorf("Report lab standing = %s since %s, want suspended since %s", r.LabStatus, r.LabStatusSince, Today)
		}
		reps, err := s.Reports(ctx, trustmark.ReportFilter{LabCMANo: lab1})
		if err != nil || len(reps.Items) != 1 || reps.Items[0].LabStatus != trustmark.PartySuspended {
			t.Errorf("Reports(lab %s) = %+v, %v; want one report of a suspended laboratory", lab1, reps.Items, err)
		}
	})
	t.Run("a regulator imports only in its region, by the hierarchy", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		c := qms(qmsNo2, bodyA, org1) // bodyA is in Beijing, 110000
		for _, tt := range []struct {
			scope string
			want  trustmark.Result
		}{{"120000", trustmark.Rejected}, {"100000", trustmark.Rejected}, {"110000", trustmark.Created}} {
			out, err := s.Import(ctx, trustmark.Party{Kind: trustmark.PartyRegulator, ID: tt.scope}, trustmark.KindCertificates, []trustmark.Record{c})
			if err != nil {
				t.Fatal(err)
			}
			if out[0].Result != tt.want {
				t.Errorf("regulator %s imports a certificate of a body in 110000: %s (%v), want %s", tt.scope, resultName(out[0].Result), out[0].Err, resultName(tt.want))
			}
		}
	})
	t.Run("only the laboratory submits its reports", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		for _, tt := range []struct {
			actor trustmark.Party
			want  trustmark.Result
		}{
			{trustmark.Party{Kind: trustmark.PartyLab, ID: lab2}, trustmark.Rejected},
			{trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}, trustmark.Rejected},
			{trustmark.Party{Kind: trustmark.PartyLab, ID: lab1}, trustmark.Created},
		} {
			out, err := s.Import(ctx, tt.actor, trustmark.KindReports, []trustmark.Record{report(lab1, "R2026-0002", org1)})
			if err != nil {
				t.Fatal(err)
			}
			if out[0].Result != tt.want {
				t.Errorf("%s submits a report of %s: %s (%v), want %s", tt.actor, lab1, resultName(out[0].Result), out[0].Err, resultName(tt.want))
			}
		}
	})
}
