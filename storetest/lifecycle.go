package storetest

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
)

func testLifecycle(t *testing.T, open func(t *testing.T) trustmark.Store) {
	t.Run("every read agrees with the domain's effective status", func(t *testing.T) { testEffectiveStatus(t, open) })
	asA := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
	asB := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyB}
	issue := func(number string) trustmark.IssueRequest {
		c := qms(number, bodyA, org2)
		c.IssuedOn, c.ExpiresOn = Today, Today.AddDate(3, 0, -1)
		return IssueRequestOf(c)
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
		inBodysName := issue("00126Q00010R0M")
		inBodysName.BodyApprovalNo = ""
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
			req         trustmark.IssueRequest
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
			{"a regulator must name the issuing body", trustmark.Party{Kind: trustmark.PartyRegulator, ID: "110000"}, inBodysName, trustmark.EInvalid, "body_approval_no"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c, err := s.IssueCertificate(ctx, tc.actor, tc.req)
				if c != nil {
					t.Errorf("IssueCertificate returned a certificate with error %v", err)
				}
				wantCode(t, tc.name, err, tc.code, tc.field)
			})
		}
		if c, err := s.IssueCertificate(ctx, trustmark.Party{Kind: trustmark.PartyRegulator, ID: "110000"}, issue("00126Q00009R0M")); c != nil || trustmark.ErrorCode(err) != trustmark.EForbidden {
			t.Errorf("IssueCertificate by the body's own regional regulator = %v, %v; want forbidden: a regulator never issues", c, err)
		}
		if c, err := s.IssueCertificate(ctx, asA, inBodysName); err != nil || c.BodyApprovalNo != bodyA {
			t.Errorf("IssueCertificate naming no body = %v, %v; want it issued in the name of %s", c, err, bodyA)
		}
	})

	t.Run("a certificate expiring today may be issued, one that expired yesterday may not", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		today := issue("00126Q00011R0M")
		today.IssuedOn, today.ExpiresOn = Today.AddDate(-3, 0, 1), Today
		c, err := s.IssueCertificate(ctx, asA, today)
		if err != nil {
			t.Fatalf("IssueCertificate(expiring today): %v", err)
		}
		if st, _ := c.EffectiveStatus(Today); st != trustmark.StatusValid {
			t.Errorf("issued certificate expiring today is %s, want valid", st)
		}
		yesterday := issue("00126Q00012R0M")
		yesterday.IssuedOn, yesterday.ExpiresOn = Today.AddDate(-3, 0, 0), Today.AddDate(0, 0, -1)
		_, err = s.IssueCertificate(ctx, asA, yesterday)
		wantCode(t, "IssueCertificate(expired yesterday)", err, trustmark.EInvalid, "expires_on")
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

	t.Run("a certificate is valid through its expiry date and expired from the day after", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		lastDay := qms("00120Q00002R0M", bodyA, org3)
		lastDay.IssuedOn, lastDay.ExpiresOn = d("2023-03-16"), Today
		old := qms("00120Q00001R0M", bodyA, org3)
		old.IssuedOn, old.ExpiresOn = d("2023-03-15"), Today.AddDate(0, 0, -1)
		wantAll(t, importAll(t, s, trustmark.KindCertificates, lastDay, old), trustmark.Created)

		c, err := s.Certificate(ctx, lastDay.Number)
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := c.EffectiveStatus(Today); st != trustmark.StatusValid {
			t.Errorf("on its expiry day a certificate is %s, want valid", st)
		}
		if st, since := c.EffectiveStatus(Today.AddDate(0, 0, 1)); st != trustmark.StatusExpired || since != Today.AddDate(0, 0, 1) {
			t.Errorf("the day after its expiry day a certificate is %s since %s, want expired since %s", st, since, Today.AddDate(0, 0, 1))
		}
		if _, err := s.TransitionCertificate(ctx, asA, lastDay.Number, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "x"}); err != nil {
			t.Errorf("suspending a certificate on its expiry day: %v", err)
		}
		_, err = s.TransitionCertificate(ctx, asA, old.Number, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "x"})
		wantCode(t, "transition of an expired certificate", err, trustmark.EConflict, "")

		n, err := s.ExpireCertificates(ctx, Today, 100)
		if err != nil || n != 1 {
			t.Fatalf("ExpireCertificates = %d, %v; want 1 (not the one on its expiry day), nil", n, err)
		}
		c, err = s.Certificate(ctx, old.Number)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != trustmark.StatusExpired || c.StatusSince != Today {
			t.Errorf("after expiry: %s since %s, want expired since %s, the day after its expiry date", c.Status, c.StatusSince, Today)
		}
		evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: old.Key(), After: -1})
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		if last.Action != trustmark.ActionExpired || last.Actor != "system" || last.From != "valid" || last.To != "expired" || last.EffectiveOn != Today {
			t.Errorf("expiry event = %+v, want expired by system valid→expired effective %s", last, Today)
		}
		if n, err := s.ExpireCertificates(ctx, Today, 100); err != nil || n != 0 {
			t.Errorf("second ExpireCertificates = %d, %v; want 0, nil", n, err)
		}
		if n, err := s.ExpireCertificates(ctx, Today.AddDate(0, 0, 1), 100); err != nil || n != 1 {
			t.Errorf("ExpireCertificates the day after the last expiry day = %d, %v; want 1 (the suspended one), nil", n, err)
		}
		if c, err := s.Certificate(ctx, lastDay.Number); err != nil || c.Status != trustmark.StatusExpired || c.StatusSince != Today.AddDate(0, 0, 1) {
			t.Errorf("after the next day's expiry = %v, %v; want expired since %s", c, err, Today.AddDate(0, 0, 1))
		}
	})
}

// IssueRequestOf returns the request that issues c through the API.
func IssueRequestOf(c *trustmark.Certificate) trustmark.IssueRequest {
	return trustmark.IssueRequest{Number: trustmark.CertNumber(c.Number), Type: c.Type, BodyApprovalNo: c.BodyApprovalNo, HolderUSCC: c.HolderUSCC,
		Scope: c.Scope, Standard: c.Standard, Product: c.Product, CCCCategory: c.CCCCategory, IssuedOn: c.IssuedOn, ExpiresOn: c.ExpiresOn}
}

// testEffectiveStatus holds every read that computes the effective status
// in the database (listings by status, statistics, the expiry job) to the
// domain's rule (trustmark.Certificate.EffectiveStatus), for each stored
// status and an expiry date of yesterday, today and tomorrow.
func testEffectiveStatus(t *testing.T, open func(t *testing.T) trustmark.Store) {
	s := open(t)
	seed(t, s)
	var recs []trustmark.Record
	for i, st := range trustmark.CertStatuses {
		for j, expires := range []trustmark.Date{Today.AddDate(0, 0, -1), Today, Today.AddDate(0, 0, 1)} {
			c := qms(fmt.Sprintf("00123Q4%02d%02dR0M", i, j), bodyA, org3)
			c.Status, c.IssuedOn, c.ExpiresOn = st, expires.AddDate(-3, 0, 1), expires
			recs = append(recs, c)
		}
	}
	wantAll(t, importAll(t, s, trustmark.KindCertificates, recs...), trustmark.Created)

	// all reads every certificate and what the domain says of each today.
	all := func() map[string]trustmark.CertStatus {
		out := map[string]trustmark.CertStatus{}
		f := trustmark.CertificateFilter{Limit: 1000}
		for {
			p, err := s.Certificates(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Items {
				out[c.Key()], _ = c.EffectiveStatus(Today)
			}
			if f.Cursor = p.NextCursor; f.Cursor == "" {
				return out
			}
		}
	}
	check := func(t *testing.T, want map[string]trustmark.CertStatus) {
		counts := map[trustmark.CertStatus]int64{}
		for _, st := range want {
			counts[st]++
		}
		for _, st := range trustmark.CertStatuses {
			var got []string
			f := trustmark.CertificateFilter{Status: st, Limit: 1000}
			p, err := s.Certificates(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Items {
				got = append(got, c.Key())
				if want[c.Key()] != st {
					t.Errorf("Certificates(status %s) lists %s, which the domain says is %s", st, c.Key(), want[c.Key()])
				}
			}
			if int64(len(got)) != counts[st] {
				t.Errorf("Certificates(status %s) lists %d, the domain counts %d", st, len(got), counts[st])
			}
		}
		stats, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range trustmark.CertStatuses {
			if stats.Certificates[st] != counts[st] {
				t.Errorf("Stats counts %d %s, the domain %d", stats.Certificates[st], st, counts[st])
			}
		}
	}

	before := all()
	t.Run("listings and statistics agree with the domain", func(t *testing.T) { check(t, before) })
	t.Run("the expiry job expires exactly the lapsed certificates", func(t *testing.T) {
		lapsed := 0
		for _, r := range recs {
			c := r.(*trustmark.Certificate)
			if c.LapsedOn(Today) {
				lapsed++
			}
		}
		if n, err := s.ExpireCertificates(ctx, Today, 1000); err != nil || n != lapsed {
			t.Fatalf("ExpireCertificates = %d, %v; want %d (valid and suspended, expired yesterday)", n, err, lapsed)
		}
		after := all()
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("effective statuses changed when the expiry job recorded them (-before +after):\n%s", diff)
		}
		check(t, after)
	})
}
