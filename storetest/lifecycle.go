package storetest

import (
	"testing"

	"trustmark"
)

func testLifecycle(t *testing.T, open func(t *testing.T) trustmark.Store) {
	asA := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
	asB := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyB}
	issue := func(number string) *trustmark.Certificate {
		c := qms(number, bodyA, org2)
		c.IssuedOn, c.ExpiresOn = Today, Today.AddDate(3, 0, -1)
		return c
	}

	t.Run("a body issues a certificate and it is recorded", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		c, err := s.IssueCertificate(ctx, asA, issue("00126Q00001R0M"))
		if err != nil {
			t.Fatalf("IssueCertificate: %v", err)
		}
		if c.Status != trustmark.StatusValid || c.StatusSince != Today || c.HolderName == "" || c.BodyName == "" {
			t.Errorf("issued = %s since %s (holder %q, body %q), want valid since %s with names", c.Status, c.StatusSince, c.HolderName, c.BodyName, Today)
		}
		evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: c.Key(), After: -1})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Action != trustmark.ActionIssued || evs[0].Actor != asA.String() || evs[0].To != "valid" {
			t.Errorf("events = %+v, want one issued event by %s", evs, asA)
		}
	})

	t.Run("issuing is refused when the rules say no", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		if _, err := s.IssueCertificate(ctx, asA, issue("00126Q00002R0M")); err != nil {
			t.Fatal(err)
		}
		ems := issue("00126E00001R0M")
		ems.BodyApprovalNo, ems.Type = bodyB, trustmark.TypeEMS
		susp := issue("00126Q00003R0M")
		susp.BodyApprovalNo = bodyS
		noHolder := issue("00126Q00004R0M")
		noHolder.HolderUSCC = trustmark.MakeUSCC("9111010899999999")
		noBody := issue("00126Q00005R0M")
		noBody.BodyApprovalNo = "CNCA-R-2009-099"
		tooLong := issue("00126Q00006R0M")
		tooLong.ExpiresOn = Today.AddDate(4, 0, 0)
		for _, tc := range []struct {
			name        string
			actor       trustmark.Party
			c           *trustmark.Certificate
			code, field string
		}{
			{"a duplicate number is a conflict", asA, issue("00126Q00002R0M"), trustmark.EConflict, "number"},
			{"another body may not issue in a body's name", asB, issue("00126Q00007R0M"), trustmark.EForbidden, ""},
			{"a regulator of another region may not issue", trustmark.Party{Kind: trustmark.PartyRegulator, ID: "310000"}, issue("00126Q00008R0M"), trustmark.EForbidden, ""},
			{"a type outside the scopes is forbidden", asB, ems, trustmark.EForbidden, "type"},
			{"a suspended body may not issue", trustmark.Party{Kind: trustmark.PartyBody, ID: bodyS}, susp, trustmark.EConflict, "body_approval_no"},
			{"the holder must be registered", asA, noHolder, trustmark.ENotFound, "holder_uscc"},
			{"the body must be registered", trustmark.System, noBody, trustmark.ENotFound, "body_approval_no"},
			{"validity beyond the policy is invalid", asA, tooLong, trustmark.EInvalid, "expires_on"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c, err := s.IssueCertificate(ctx, tc.actor, tc.c)
				if c != nil {
					t.Errorf("IssueCertificate returned a certificate with error %v", err)
				}
				wantCode(t, tc.name, err, tc.code, tc.field)
			})
		}
		if _, err := s.IssueCertificate(ctx, trustmark.Party{Kind: trustmark.PartyRegulator, ID: "110000"}, issue("00126Q00009R0M")); err != nil {
			t.Errorf("IssueCertificate by the body's own regional regulator: %v", err)
		}
	})

	t.Run("transitions follow the lifecycle", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		steps := []struct {
			to   trustmark.CertStatus
			code string
		}{
			{trustmark.StatusSuspended, ""},
			{trustmark.StatusSuspended, trustmark.EConflict},
			{trustmark.StatusValid, ""},
			{trustmark.StatusExpired, trustmark.EInvalid},
			{trustmark.StatusRevoked, ""},
			{trustmark.StatusValid, trustmark.EConflict},
			{trustmark.StatusWithdrawn, trustmark.EConflict},
		}
		for _, st := range steps {
			c, err := s.TransitionCertificate(ctx, asA, qmsNo, trustmark.Transition{To: st.to, Reason: "监督审核发现问题"})
			if st.code == "" {
				if err != nil {
					t.Fatalf("transition to %s: %v", st.to, err)
				}
				if c.Status != st.to || c.StatusSince != Today {
					t.Errorf("after transition to %s: %s since %s", st.to, c.Status, c.StatusSince)
				}
				continue
			}
			wantCode(t, "transition to "+string(st.to), err, st.code, "")
		}
		evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: "QMS/" + qmsNo, After: -1})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range evs[1:] {
			got = append(got, e.Action+":"+e.From+">"+e.To)
		}
		want := []string{"status_changed:valid>suspended", "status_changed:suspended>valid", "status_changed:valid>revoked"}
		if len(got) != len(want) {
			t.Fatalf("transition events = %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("transition event %d = %s, want %s", i, got[i], want[i])
			}
		}
		if evs[1].Reason != "监督审核发现问题" || evs[1].EffectiveOn != Today {
			t.Errorf("event reason/effective = %q/%s, want the request's", evs[1].Reason, evs[1].EffectiveOn)
		}
	})

	t.Run("bodies may not change each other's certificates", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		_, err := s.TransitionCertificate(ctx, asB, qmsNo, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "x"})
		wantCode(t, "transition by another body", err, trustmark.EForbidden, "")
		_, err = s.TransitionCertificate(ctx, trustmark.Party{Kind: trustmark.PartyLab, ID: lab1}, qmsNo, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "x"})
		wantCode(t, "transition by a laboratory", err, trustmark.EForbidden, "")
		if _, err := s.TransitionCertificate(ctx, trustmark.Party{Kind: trustmark.PartyRegulator, ID: "000000"}, qmsNo, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "national check"}); err != nil {
			t.Errorf("transition by the national regulator: %v", err)
		}
		_, err = s.TransitionCertificate(ctx, asA, "NO-SUCH-CERT", trustmark.Transition{To: trustmark.StatusSuspended, Reason: "x"})
		wantCode(t, "transition of a missing certificate", err, trustmark.ENotFound, "")
	})

	t.Run("a certificate past its expiry date is expired and cannot change", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		old := qms("00120Q00001R0M", bodyA, org3)
		old.IssuedOn, old.ExpiresOn = d("2023-03-20"), Today
		wantAll(t, importAll(t, s, trustmark.KindCertificates, old), trustmark.Created)
		_, err := s.TransitionCertificate(ctx, asA, old.Number, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "x"})
		wantCode(t, "transition of an expired certificate", err, trustmark.EConflict, "")

		n, err := s.ExpireCertificates(ctx, Today, 100)
		if err != nil || n != 1 {
			t.Fatalf("ExpireCertificates = %d, %v; want 1, nil", n, err)
		}
		c, err := s.Certificate(ctx, old.Number)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != trustmark.StatusExpired || c.StatusSince != Today {
			t.Errorf("after expiry: %s since %s, want expired since %s", c.Status, c.StatusSince, Today)
		}
		evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: old.Key(), After: -1})
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		if last.Action != trustmark.ActionExpired || last.Actor != "system" || last.From != "valid" || last.To != "expired" {
			t.Errorf("expiry event = %+v, want expired by system valid→expired", last)
		}
		if n, err := s.ExpireCertificates(ctx, Today, 100); err != nil || n != 0 {
			t.Errorf("second ExpireCertificates = %d, %v; want 0, nil", n, err)
		}
	})
}
