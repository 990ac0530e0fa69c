package storetest

import (
	"fmt"
	"testing"

	"trustmark"
)

func testReads(t *testing.T, open func(t *testing.T) trustmark.Store) {
	s := open(t)
	seed(t, s)
	// Certificates 00125Q2xxxxR0M: 25 of org2 by body B, the first expired
	// yesterday (valid through its expiry date, expired from today).
	var batch []trustmark.Record
	for i := range 25 {
		c := qms(fmt.Sprintf("00125Q2%04dR0M", i), bodyB, org2)
		if i == 0 {
			c.IssuedOn, c.ExpiresOn = d("2023-03-20"), Today.AddDate(0, 0, -1)
		}
		batch = append(batch, c)
	}
	wantAll(t, importAll(t, s, trustmark.KindCertificates, batch...), trustmark.Created)
	for i := range 12 {
		wantAll(t, importAll(t, s, trustmark.KindReports, report(lab2, fmt.Sprintf("SH-%03d", i), org2)), trustmark.Created)
	}

	t.Run("missing records are not_found errors", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			get  func() (any, error)
		}{
			{"org", func() (any, error) { return s.Org(ctx, org3+"X") }},
			{"body", func() (any, error) { return s.Body(ctx, "CNCA-R-2009-099") }},
			{"lab", func() (any, error) { return s.Lab(ctx, "240012340099") }},
			{"person", func() (any, error) { return s.Person(ctx, "P-9999") }},
			{"certificate", func() (any, error) { return s.Certificate(ctx, "NO-SUCH") }},
			{"report", func() (any, error) { return s.Report(ctx, lab1, "NO-SUCH") }},
		} {
			t.Run("a missing "+tc.name, func(t *testing.T) {
				_, err := tc.get()
				if err == nil {
					t.Fatalf("lookup of a missing %s returned no error", tc.name)
				}
				wantCode(t, tc.name, err, trustmark.ENotFound, "")
				if trustmark.ErrorMessage(err) == "internal error" {
					t.Errorf("message %q does not name the missing thing", trustmark.ErrorMessage(err))
				}
			})
		}
	})

	t.Run("pages cover every certificate once, in order", func(t *testing.T) {
		var got []string
		f := trustmark.CertificateFilter{BodyApprovalNo: bodyB, Limit: 10}
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("more pages than certificates")
			}
			p, err := s.Certificates(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Items {
				got = append(got, c.Number)
			}
			if p.NextCursor == "" {
				break
			}
			f.Cursor = p.NextCursor
		}
		if len(got) != 25 {
			t.Fatalf("paged through %d certificates, want 25", len(got))
		}
		for i, n := range got {
			if want := fmt.Sprintf("00125Q2%04dR0M", i); n != want {
				t.Errorf("item %d = %s, want %s", i, n, want)
			}
		}
	})

	t.Run("a bad cursor is invalid", func(t *testing.T) {
		_, err := s.Certificates(ctx, trustmark.CertificateFilter{Cursor: "not-a-cursor"})
		wantCode(t, "bad cursor", err, trustmark.EInvalid, "cursor")
	})

	t.Run("filters select certificates", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			f    trustmark.CertificateFilter
			want int
		}{
			{"everything", trustmark.CertificateFilter{Limit: 1000}, 27},
			{"by holder", trustmark.CertificateFilter{HolderUSCC: org1}, 2},
			{"by body", trustmark.CertificateFilter{BodyApprovalNo: bodyA}, 2},
			{"by type", trustmark.CertificateFilter{Type: trustmark.TypeCCC}, 1},
			{"by number prefix", trustmark.CertificateFilter{Q: "00125Q2001"}, 10},
			{"by lower-case number prefix", trustmark.CertificateFilter{Q: "00125q2001"}, 10},
			{"by holder name fragment", trustmark.CertificateFilter{Q: "海淀精密"}, 2},
			{"by holder region (province)", trustmark.CertificateFilter{Region: "31"}, 25},
			{"by holder region (6 digits)", trustmark.CertificateFilter{Region: "110108"}, 2},
			{"effective expired includes the one that expired yesterday", trustmark.CertificateFilter{Status: trustmark.StatusExpired}, 1},
			{"effective valid excludes it", trustmark.CertificateFilter{Status: trustmark.StatusValid, Limit: 100}, 26},
			{"changed since today", trustmark.CertificateFilter{ChangedSince: Today}, 0},
			{"changed since 2025", trustmark.CertificateFilter{ChangedSince: d("2025-01-01"), Limit: 100}, 26},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p, err := s.Certificates(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Items) != min(tc.want, 50) {
					t.Errorf("Certificates(%+v) gave %d, want %d", tc.f, len(p.Items), tc.want)
				}
			})
		}
	})

	t.Run("a certificate read the day after its expiry date is effectively expired", func(t *testing.T) {
		c, err := s.Certificate(ctx, "00125Q20000R0M")
		if err != nil {
			t.Fatal(err)
		}
		if st, since := c.EffectiveStatus(Today); st != trustmark.StatusExpired || since != Today {
			t.Errorf("EffectiveStatus = %s since %s, want expired since %s", st, since, Today)
		}
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Certificates[trustmark.StatusExpired] != 1 || st.Certificates[trustmark.StatusValid] != 26 {
			t.Errorf("Stats certificates = %v, want 1 expired, 26 valid", st.Certificates)
		}
		if st.Orgs != 3 || st.Bodies != 3 || st.Labs != 2 || st.Persons != 1 || st.Reports != 13 {
			t.Errorf("Stats = %+v, want 3 orgs, 3 bodies, 2 labs, 1 person, 13 reports", st)
		}
		if evs := events(t, s); st.Events != int64(len(evs)) || !st.LastEvent.Equal(Now) {
			t.Errorf("Stats events = %d at %v, want %d at %v", st.Events, st.LastEvent, len(evs), Now)
		}
	})

	t.Run("reports are listed by laboratory and client with pages", func(t *testing.T) {
		p, err := s.Reports(ctx, trustmark.ReportFilter{LabCMANo: lab2, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		n := len(p.Items)
		for p.NextCursor != "" {
			if p, err = s.Reports(ctx, trustmark.ReportFilter{LabCMANo: lab2, Limit: 5, Cursor: p.NextCursor}); err != nil {
				t.Fatal(err)
			}
			n += len(p.Items)
		}
		if n != 12 {
			t.Errorf("reports of %s = %d, want 12", lab2, n)
		}
		p, err = s.Reports(ctx, trustmark.ReportFilter{ClientUSCC: org1})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 {
			t.Errorf("reports of client %s = %d, want 1", org1, len(p.Items))
		}
	})

	t.Run("parties are listed with filters", func(t *testing.T) {
		b, err := s.Bodies(ctx, trustmark.PartyFilter{Status: trustmark.PartyActive})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Items) != 2 {
			t.Errorf("active bodies = %d, want 2", len(b.Items))
		}
		b, err = s.Bodies(ctx, trustmark.PartyFilter{Region: "310000"})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Items) != 1 || b.Items[0].ApprovalNo != bodyB {
			t.Errorf("bodies in 310000 = %d, want only %s", len(b.Items), bodyB)
		}
		l, err := s.Labs(ctx, trustmark.PartyFilter{Q: "食品"})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Items) != 1 || l.Items[0].CMANo != lab2 {
			t.Errorf("labs named 食品 = %d, want only %s", len(l.Items), lab2)
		}
		p, err := s.Persons(ctx, trustmark.PartyFilter{BodyApprovalNo: bodyA})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 {
			t.Errorf("persons of %s = %d, want 1", bodyA, len(p.Items))
		}
		o, err := s.Orgs(ctx, trustmark.PartyFilter{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Items) != 2 || o.NextCursor == "" {
			t.Fatalf("first page of orgs = %d items, cursor %q; want 2 and a cursor", len(o.Items), o.NextCursor)
		}
		o, err = s.Orgs(ctx, trustmark.PartyFilter{Limit: 2, Cursor: o.NextCursor})
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Items) != 1 || o.NextCursor != "" {
			t.Errorf("second page of orgs = %d items, cursor %q; want 1 and none", len(o.Items), o.NextCursor)
		}
	})
}
