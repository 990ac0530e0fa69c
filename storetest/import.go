package storetest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
)

func testImport(t *testing.T, open func(t *testing.T) trustmark.Store) {
	t.Run("every kind is created and can be read back", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		o, err := s.Org(ctx, org1)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(orgs()[0], o, ignoreRead); diff != "" {
			t.Errorf("Org(%s) mismatch (-want +got):\n%s", org1, diff)
		}
		b, err := s.Body(ctx, bodyA)
		if err != nil {
			t.Fatal(err)
		}
		wantB := *bodies()[0].(*trustmark.Body)
		wantB.StatusSince = wantB.ApprovedOn
		if diff := cmp.Diff(&wantB, b, ignoreRead); diff != "" {
			t.Errorf("Body(%s) mismatch (-want +got):\n%s", bodyA, diff)
		}
		if b.LastSubmission.IsZero() {
			t.Errorf("Body(%s).LastSubmission is zero after its certificates were imported", bodyA)
		}
		l, err := s.Lab(ctx, lab1)
		if err != nil {
			t.Fatal(err)
		}
		wantL := *labs()[0].(*trustmark.Lab)
		wantL.StatusSince = Today
		if diff := cmp.Diff(&wantL, l, ignoreRead); diff != "" {
			t.Errorf("Lab(%s) mismatch (-want +got):\n%s", lab1, diff)
		}
		p, err := s.Person(ctx, "P-0001")
		if err != nil {
			t.Fatal(err)
		}
		wantP := person("P-0001", "张伟", bodyA, trustmark.PartyActive)
		wantP.StatusSince = Today
		if diff := cmp.Diff(wantP, p, ignoreRead); diff != "" {
			t.Errorf("Person mismatch (-want +got):\n%s", diff)
		}
		c, err := s.Certificate(ctx, qmsNo)
		if err != nil {
			t.Fatal(err)
		}
		wantC := qms(qmsNo, bodyA, org1)
		wantC.StatusSince = wantC.IssuedOn
		if diff := cmp.Diff(wantC, c, ignoreRead); diff != "" {
			t.Errorf("Certificate(%s) mismatch (-want +got):\n%s", qmsNo, diff)
		}
		if c.HolderName != "北京海淀精密仪器有限公司" || c.BodyName != "中国质量认证中心" {
			t.Errorf("Certificate(%s) names = %q, %q; want the holder's and the body's", qmsNo, c.HolderName, c.BodyName)
		}
		r, err := s.Report(ctx, lab1, "R2026-0001")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(report(lab1, "R2026-0001", org1), r, ignoreRead); diff != "" {
			t.Errorf("Report mismatch (-want +got):\n%s", diff)
		}
		if r.LabName == "" || r.ClientName == "" {
			t.Errorf("Report names = %q, %q; want both", r.LabName, r.ClientName)
		}
	})

	t.Run("importing the same records again changes nothing", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		before := len(events(t, s))
		for _, b := range []struct {
			kind trustmark.Kind
			recs []trustmark.Record
		}{
			{trustmark.KindOrgs, orgs()}, {trustmark.KindBodies, bodies()}, {trustmark.KindLabs, labs()},
			{trustmark.KindPersons, []trustmark.Record{person("P-0001", "张伟", bodyA, trustmark.PartyActive)}},
			{trustmark.KindCertificates, []trustmark.Record{qms(qmsNo, bodyA, org1), ccc(cccNo, org1)}},
			{trustmark.KindReports, []trustmark.Record{report(lab1, "R2026-0001", org1)}},
		} {
			wantAll(t, importAll(t, s, b.kind, b.recs...), trustmark.Unchanged)
		}
		if after := len(events(t, s)); after != before {
			t.Errorf("events after re-import = %d, want %d (unchanged rows record nothing)", after, before)
		}
	})

	t.Run("a changed record is updated with an event", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		c := qms(qmsNo, bodyA, org1)
		c.Scope = "精密仪器和医疗器械的设计和生产"
		p := person("P-0001", "张伟", bodyA, trustmark.PartyActive)
		p.Grade = "lead"
		o := newOrg(org2, "上海浦东食品集团股份有限公司", "310115")
		wantResults(t, importAll(t, s, trustmark.KindCertificates, c), trustmark.Updated)
		wantResults(t, importAll(t, s, trustmark.KindPersons, p), trustmark.Updated)
		wantResults(t, importAll(t, s, trustmark.KindOrgs, o), trustmark.Updated)
		got, err := s.Certificate(ctx, qmsNo)
		if err != nil {
			t.Fatal(err)
		}
		if got.Scope != c.Scope {
			t.Errorf("Certificate scope = %q, want %q", got.Scope, c.Scope)
		}
		evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: c.Key(), After: -1})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[0].Action != trustmark.ActionCreated || evs[1].Action != trustmark.ActionUpdated {
			t.Fatalf("events of %s = %+v, want created then updated", c.Key(), evs)
		}
		if evs[1].Actor != importer.String() {
			t.Errorf("event actor = %q, want %q", evs[1].Actor, importer.String())
		}
	})

	t.Run("a status change by import records a status_changed event", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		c := qms(qmsNo, bodyA, org1)
		c.Status = trustmark.StatusSuspended
		wantResults(t, importAll(t, s, trustmark.KindCertificates, c), trustmark.Updated)
		evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: c.Key(), After: -1})
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		if last.Action != trustmark.ActionStatusChanged || last.From != "valid" || last.To != "suspended" || last.EffectiveOn != Today {
			t.Errorf("last event = %s %s→%s on %s, want status_changed valid→suspended on %s", last.Action, last.From, last.To, last.EffectiveOn, Today)
		}
		b := bodies()[1].(*trustmark.Body)
		b.Status = trustmark.PartySuspended
		wantResults(t, importAll(t, s, trustmark.KindBodies, b), trustmark.Updated)
		got, err := s.Body(ctx, bodyB)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != trustmark.PartySuspended || got.StatusSince != Today {
			t.Errorf("Body(%s) = %s since %s, want suspended since %s", bodyB, got.Status, got.StatusSince, Today)
		}
	})

	t.Run("a key given twice in one batch is judged against the first", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		a, b := qms(qmsNo2, bodyA, org2), qms(qmsNo2, bodyA, org2)
		b.Scope = "食品的生产"
		wantResults(t, importAll(t, s, trustmark.KindCertificates, a, a, b), trustmark.Created, trustmark.Unchanged, trustmark.Updated)
		got, err := s.Certificate(ctx, qmsNo2)
		if err != nil {
			t.Fatal(err)
		}
		if got.Scope != b.Scope {
			t.Errorf("scope = %q, want the second row's %q", got.Scope, b.Scope)
		}
		evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: a.Key(), After: -1})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 {
			t.Errorf("got %d events, want 2 (created, updated)", len(evs))
		}
		susp, valid := qms(qmsNo2, bodyA, org2), qms(qmsNo2, bodyA, org2)
		susp.Scope, valid.Scope = b.Scope, b.Scope
		susp.Status = trustmark.StatusRevoked
		wantResults(t, importAll(t, s, trustmark.KindCertificates, susp, valid), trustmark.Updated, trustmark.Rejected)
	})

	t.Run("a rejected record does not block the others", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		out := importAll(t, s, trustmark.KindCertificates,
			qms("BAD-HOLDER-1", bodyA, trustmark.MakeUSCC("9111010899999999")), qms(qmsNo2, bodyA, org2))
		wantResults(t, out, trustmark.Rejected, trustmark.Created)
		if _, err := s.Certificate(ctx, qmsNo2); err != nil {
			t.Errorf("Certificate(%s) after a batch with a rejected row: %v", qmsNo2, err)
		}
	})

	t.Run("an empty batch is fine", func(t *testing.T) {
		s := open(t)
		out, err := s.Import(ctx, importer, trustmark.KindOrgs, nil)
		if err != nil || len(out) != 0 {
			t.Errorf("Import(nil) = %v, %v; want no outcomes, no error", out, err)
		}
	})
}

func testRules(t *testing.T, open func(t *testing.T) trustmark.Store) {
	s := open(t)
	seed(t, s)
	banned := person("P-0002", "李娜", bodyA, trustmark.PartyBanned)
	wantAll(t, importAll(t, s, trustmark.KindPersons, banned), trustmark.Created)
	revoked := qms("00125Q10003R0M", bodyA, org1)
	revoked.Status = trustmark.StatusRevoked
	wantAll(t, importAll(t, s, trustmark.KindCertificates, revoked), trustmark.Created)

	emsB := qms("00125E10001R0M", bodyB, org1)
	emsB.Type = trustmark.TypeEMS
	badCat := ccc("2025010902000001", org1)
	otherBody := qms(qmsNo, bodyB, org1)
	unban := person("P-0002", "李娜", bodyA, trustmark.PartyActive)
	restore := qms("00125Q10003R0M", bodyA, org1)

	for _, tc := range []struct {
		name        string
		kind        trustmark.Kind
		rec         trustmark.Record
		code, field string
		msg         string
	}{
		{"a certificate of an unknown body is rejected", trustmark.KindCertificates, qms("X-1", "CNCA-R-2009-099", org1), trustmark.ENotFound, "body_approval_no", "import bodies first"},
		{"a certificate outside the body's scopes is rejected", trustmark.KindCertificates, emsB, trustmark.EForbidden, "type", ""},
		{"a CCC certificate of an undesignated category is rejected", trustmark.KindCertificates, badCat, trustmark.EForbidden, "ccc_category", ""},
		{"a certificate of a suspended body is rejected", trustmark.KindCertificates, qms("X-2", bodyS, org1), trustmark.EConflict, "body_approval_no", ""},
		{"a certificate of an unknown holder is rejected", trustmark.KindCertificates, qms("X-3", bodyA, trustmark.MakeUSCC("9111010899999999")), trustmark.ENotFound, "holder_uscc", "import orgs first"},
		{"a certificate cannot move to another body", trustmark.KindCertificates, otherBody, trustmark.EConflict, "body_approval_no", ""},
		{"a revoked certificate cannot be made valid by import", trustmark.KindCertificates, restore, trustmark.EConflict, "to", ""},
		{"a banned person cannot be unbanned", trustmark.KindPersons, unban, trustmark.EConflict, "status", ""},
		{"a person of an unknown body is rejected", trustmark.KindPersons, person("P-0003", "王芳", "CNCA-R-2009-099", trustmark.PartyActive), trustmark.ENotFound, "body_approval_no", "import bodies first"},
		{"a report of an unknown laboratory is rejected", trustmark.KindReports, report("240012340099", "R-1", org1), trustmark.ENotFound, "lab_cma_no", "import labs first"},
		{"a record of the wrong kind is rejected", trustmark.KindOrgs, report(lab1, "R-2", org1), trustmark.EInvalid, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(events(t, s))
			out := importAll(t, s, tc.kind, tc.rec)
			wantResults(t, out, trustmark.Rejected)
			wantCode(t, tc.name, out[0].Err, tc.code, tc.field)
			if tc.msg != "" && !strings.Contains(trustmark.ErrorMessage(out[0].Err), tc.msg) {
				t.Errorf("message = %q, want it to say %q", trustmark.ErrorMessage(out[0].Err), tc.msg)
			}
			if after := len(events(t, s)); after != before {
				t.Errorf("a rejected record wrote %d events", after-before)
			}
		})
	}

	t.Run("a body may not import another body's certificates", func(t *testing.T) {
		out, err := s.Import(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: bodyB}, trustmark.KindCertificates, []trustmark.Record{qms(qmsNo2, bodyA, org1)})
		if err != nil {
			t.Fatal(err)
		}
		wantResults(t, out, trustmark.Rejected)
		wantCode(t, "import by another body", out[0].Err, trustmark.EForbidden, "")
	})
}
