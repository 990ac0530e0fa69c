package storetest

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"trustmark"
	"trustmark/stateaudit"
)

// StateHooks are what the state suite needs from the implementation under
// test beyond its interfaces.
type StateHooks struct {
	// Tamper runs statement on s's database behind the store's back, as a
	// person with access to the database could. The suite's statements are
	// plain SQL that SQLite and PostgreSQL both run.
	Tamper func(t *testing.T, s trustmark.Store, statement string)
}

// RunState runs the conformance suite of trustmark.StateSource and of the
// state audit over it: a registry written only through the store, every
// kind of write included, is what its events imply; each row changed,
// deleted or inserted behind the store's back is named. open must return a
// new, empty store, as for Run, that implements trustmark.StateSource; the
// suite closes it.
func RunState(t *testing.T, open func(t *testing.T) trustmark.Store, hooks StateHooks) {
	fresh := func(t *testing.T) trustmark.Store {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { s.Close() })
		if _, ok := s.(trustmark.StateSource); !ok {
			t.Fatalf("%T does not implement trustmark.StateSource", s)
		}
		seedHistory(t, s)
		return s
	}
	t.Run("a registry written through the store is what its events imply", func(t *testing.T) {
		s := fresh(t)
		for _, chunk := range []int{1, 2, stateaudit.DefaultChunk} {
			r := audit(t, s, chunk)
			if !r.OK() {
				t.Errorf("audit in chunks of %d found %d differences, want none:\n%v", chunk, len(r.Differences), r.Differences)
			}
			// 3 orgs, 3 bodies, 2 labs, 1 person, 4 certificates, 1 report.
			if r.Records != 14 || r.Rows != 14 {
				t.Errorf("audit in chunks of %d checked %d records and %d rows, want 14 and 14", chunk, r.Records, r.Rows)
			}
		}
	})
	t.Run("every change behind the store's back is named", func(t *testing.T) {
		for _, tt := range tamperings {
			t.Run(tt.name, func(t *testing.T) {
				s := fresh(t)
				hooks.Tamper(t, s, tt.statement)
				for _, chunk := range []int{1, stateaudit.DefaultChunk} {
					r := audit(t, s, chunk)
					if diff := cmp.Diff(tt.want, r.Differences, cmpopts.IgnoreFields(stateaudit.Difference{}, "Seq", "Detail"), cmpopts.EquateEmpty()); diff != "" {
						t.Errorf("after %s, audit in chunks of %d (-want +got):\n%s", tt.statement, chunk, diff)
					}
				}
			})
		}
	})
	t.Run("a snapshot reads whole records, in order", func(t *testing.T) { testSnapshot(t, fresh(t)) })
}

// audit runs the state audit over s in chunks of chunk.
func audit(t *testing.T, s trustmark.Store, chunk int) *stateaudit.Report {
	t.Helper()
	r, err := stateaudit.Audit(ctx, s.(trustmark.StateSource), stateaudit.Options{Chunk: chunk})
	if err != nil {
		t.Fatalf("audit: %v", err)
	}
	return r
}

// Keys of the history's records.
const (
	revokedNo = qmsNo            // revoked through the API
	issuedNo  = "00126Q10004R0M" // issued through the API
	expiredNo = "00123Q10003R0M" // imported, then expired by the expiry job
	reportNo  = "R2026-0001"
)

// seedHistory fills s through every kind of write: imports that create,
// re-imports that update and change statuses, an issue, a transition and
// the expiry job.
func seedHistory(t *testing.T, s trustmark.Store) {
	t.Helper()
	seed(t, s)
	old := qms(expiredNo, bodyA, org2)
	old.IssuedOn, old.ExpiresOn = d("2023-01-10"), d("2026-01-09")
	wantAll(t, importAll(t, s, trustmark.KindCertificates, old), trustmark.Created)
	if n, err := s.ExpireCertificates(ctx, Today, 0); err != nil || n != 1 {
		t.Fatalf("ExpireCertificates = %d, %v; want 1", n, err)
	}
	actor := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
	if _, err := s.IssueCertificate(ctx, actor, IssueRequestOf(qms(issuedNo, bodyA, org2))); err != nil {
		t.Fatalf("IssueCertificate: %v", err)
	}
	if _, err := s.TransitionCertificate(ctx, actor, revokedNo, trustmark.Transition{To: trustmark.StatusRevoked, Reason: "监督抽查不合格"}); err != nil {
		t.Fatalf("TransitionCertificate: %v", err)
	}
	renamed := orgs()[0].(*trustmark.Org)
	renamed.Name = "北京海淀精密仪器股份有限公司"
	suspended := bodies()[1].(*trustmark.Body)
	suspended.Status = trustmark.PartySuspended
	renewed := labs()[1].(*trustmark.Lab)
	renewed.ValidUntil = d("2031-06-30")
	failed := report(lab1, reportNo, org1)
	failed.Conclusion = trustmark.ConclusionFail
	for _, u := range []struct {
		kind trustmark.Kind
		rec  trustmark.Record
	}{
		{trustmark.KindOrgs, renamed},
		{trustmark.KindBodies, suspended},
		{trustmark.KindLabs, renewed},
		{trustmark.KindPersons, person("P-0001", "张伟", bodyA, trustmark.PartySuspended)},
		{trustmark.KindReports, failed},
	} {
		wantAll(t, importAll(t, s, u.kind, u.rec), trustmark.Updated)
	}
}

// tamperings are the changes made behind the store's back, with what the
// audit must say of each.
var tamperings = []struct {
	name      string
	statement string
	want      []stateaudit.Difference
}{
	{"a revoked certificate made valid",
		`UPDATE certificates SET status = 'valid' WHERE number = '` + revokedNo + `'`,
		[]stateaudit.Difference{{Table: "certificates", Key: "QMS/" + revokedNo, Kind: stateaudit.Changed, Field: "status", Stored: "valid", Implied: "revoked"}}},
	{"a suspended body made active",
		`UPDATE bodies SET status = 'active' WHERE approval_no = '` + bodyS + `'`,
		[]stateaudit.Difference{{Table: "bodies", Key: bodyS, Kind: stateaudit.Changed, Field: "status", Stored: "active", Implied: "suspended"}}},
	{"a laboratory's accreditation extended",
		`UPDATE labs SET valid_until = '2035-12-31' WHERE cma_no = '` + lab1 + `'`,
		[]stateaudit.Difference{{Table: "laboratories", Key: lab1, Kind: stateaudit.Changed, Field: "valid_until", Stored: "2035-12-31", Implied: "2028-12-31"}}},
	{"a failed report made a pass",
		`UPDATE reports SET conclusion = 'pass' WHERE number = '` + reportNo + `'`,
		[]stateaudit.Difference{{Table: "reports", Key: lab1 + "/" + reportNo, Kind: stateaudit.Changed, Field: "conclusion", Stored: "pass", Implied: "fail"}}},
	{"an organisation renamed",
		`UPDATE orgs SET name = '北京某空壳公司' WHERE uscc = '` + string(org1) + `'`,
		[]stateaudit.Difference{{Table: "organisations", Key: string(org1), Kind: stateaudit.Changed, Field: "name", Stored: "北京某空壳公司", Implied: "北京海淀精密仪器股份有限公司"}}},
	{"a person renamed, named without the names",
		`UPDATE persons SET name = '王五' WHERE registration_no = 'P-0001'`,
		[]stateaudit.Difference{{Table: "persons", Key: "P-0001", Kind: stateaudit.Changed, Field: "name", Personal: true}}},
	{"an expired certificate given back its validity and dates",
		`UPDATE certificates SET status = 'valid', expires_on = '2029-01-09' WHERE number = '` + expiredNo + `'`,
		[]stateaudit.Difference{
			{Table: "certificates", Key: "QMS/" + expiredNo, Kind: stateaudit.Changed, Field: "expires_on", Stored: "2029-01-09", Implied: "2026-01-09"},
			{Table: "certificates", Key: "QMS/" + expiredNo, Kind: stateaudit.Changed, Field: "status", Stored: "valid", Implied: "expired"},
		}},
	{"a certificate deleted",
		`DELETE FROM certificates WHERE number = '` + cccNo + `'`,
		[]stateaudit.Difference{{Table: "certificates", Key: "CCC/" + cccNo, Kind: stateaudit.Missing}}},
	{"a report deleted",
		`DELETE FROM reports WHERE number = '` + reportNo + `'`,
		[]stateaudit.Difference{{Table: "reports", Key: lab1 + "/" + reportNo, Kind: stateaudit.Missing}}},
	{"a certificate inserted with no event",
		`INSERT INTO certificates (number, type, body_approval_no, holder_uscc, scope, issued_on, expires_on, status, status_since, updated_at)
			VALUES ('00126Q19999R0M', 'QMS', '` + bodyA + `', '` + string(org3) + `', '电子产品的设计和生产', '2026-01-05', '2029-01-04', 'valid', '2026-01-05', 0)`,
		[]stateaudit.Difference{{Table: "certificates", Key: "QMS/00126Q19999R0M", Kind: stateaudit.Unexplained}}},
	{"an organisation inserted with no event",
		`INSERT INTO orgs (uscc, name, region_code, updated_at) VALUES ('` + string(trustmark.MakeUSCC("9111010800000009")) + `', '北京某公司', '110108', 0)`,
		[]stateaudit.Difference{{Table: "organisations", Key: string(trustmark.MakeUSCC("9111010800000009")), Kind: stateaudit.Unexplained}}},
}

// testSnapshot checks the reads of a snapshot at their edges.
func testSnapshot(t *testing.T, s trustmark.Store) {
	err := s.(trustmark.StateSource).ReadSnapshot(ctx, func(snap trustmark.StateSnapshot) error {
		all, more, err := snap.RecordEvents(ctx, trustmark.EntityCertificate, "", 100)
		if err != nil {
			return err
		}
		var keys []string
		for i, e := range all {
			if i > 0 && e.Key == all[i-1].Key && e.Seq <= all[i-1].Seq {
				t.Errorf("RecordEvents: event %d follows event %d of the same record", e.Seq, all[i-1].Seq)
			}
			if len(keys) == 0 || keys[len(keys)-1] != e.Key {
				keys = append(keys, e.Key)
			}
		}
		if !slices.IsSorted(keys) || len(slices.Compact(slices.Clone(keys))) != len(keys) {
			t.Errorf("RecordEvents keys = %v, want each record once, in order", keys)
		}
		// CCC/2025010901000001 has 1 event; QMS/00123Q10003R0M 2 (created,
		// expired), QMS/00125Q10001R0M 2 (created, revoked),
		// QMS/00126Q10004R0M 1 (issued).
		if len(all) != 6 || len(keys) != 4 || more {
			t.Fatalf("RecordEvents(all) = %d events of %d certificates, more %v; want 6 of 4, no more", len(all), len(keys), more)
		}
		for _, tt := range []struct {
			after string
			max   int
			want  []string // the keys of the events, in order
			more  bool
		}{
			{"", 3, []string{keys[0], keys[1], keys[1]}, true},       // keys[2]'s first event is left for the next call
			{keys[0], 1, []string{keys[1], keys[1]}, true},           // a record with more events than max comes whole
			{keys[1], 3, []string{keys[2], keys[2], keys[3]}, false}, // the rest
			{keys[3], 3, nil, false},                                 // nothing after the last
		} {
			evs, more, err := snap.RecordEvents(ctx, trustmark.EntityCertificate, tt.after, tt.max)
			if err != nil {
				return err
			}
			var got []string
			for _, e := range evs {
				got = append(got, e.Key)
			}
			if !slices.Equal(got, tt.want) || more != tt.more {
				t.Errorf("RecordEvents(after %q, %d) = %v, more %v; want %v, more %v", tt.after, tt.max, got, more, tt.want, tt.more)
			}
		}
		recs, err := snap.Records(ctx, trustmark.EntityCertificate, []string{"QMS/" + revokedNo, "QMS/00000Q00000R0M", "CCC/" + revokedNo})
		if err != nil {
			return err
		}
		if len(recs) != 1 || recs[0].RecordKey() != "QMS/"+revokedNo {
			t.Errorf("Records = %v, want only QMS/%s (no row for the others)", recs, revokedNo)
		}
		rows, err := snap.Rows(ctx, trustmark.EntityCertificate, "", 100)
		if err != nil {
			return err
		}
		var rowKeys []string
		for _, r := range rows {
			rowKeys = append(rowKeys, r.Key)
			if !r.HasEvents {
				t.Errorf("Rows: %s has no event, want every row named by an event", r.Key)
			}
		}
		next, err := snap.Rows(ctx, trustmark.EntityCertificate, rowKeys[1], 2)
		if err != nil {
			return err
		}
		if len(next) != 2 || next[0].Key != rowKeys[2] || next[1].Key != rowKeys[3] {
			t.Errorf("Rows(after %s, 2) = %v, want %v", rowKeys[1], next, rowKeys[2:4])
		}
		_, err = snap.Rows(ctx, "campaign", "", 10)
		wantCode(t, "Rows of an entity with no table", err, trustmark.EInvalid, "entity")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
