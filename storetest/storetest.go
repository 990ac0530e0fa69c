// Package storetest is the conformance suite of trustmark.Store: every
// implementation runs Run, so that the registry behaves the same on every
// database.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"trustmark"
)

// Now is the instant of the suite's fixed clock: 2026-03-15 10:00 in China.
var Now = time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)

// Clock is the clock every store under test must use.
func Clock() time.Time { return Now }

// Today is the day of Now in China.
var Today = trustmark.DateOf(Now)

// Run runs the conformance suite. open must return a new, empty store whose
// clock is Clock and whose policy is trustmark.DefaultPolicy(); the suite
// closes it.
func Run(t *testing.T, open func(t *testing.T) trustmark.Store) {
	fresh := func(t *testing.T) trustmark.Store {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { s.Close() })
		return s
	}
	t.Run("import", func(t *testing.T) { testImport(t, fresh) })
	t.Run("status dates", func(t *testing.T) { testStatusDates(t, fresh) })
	t.Run("rules", func(t *testing.T) { testRules(t, fresh) })
	t.Run("lifecycle", func(t *testing.T) { testLifecycle(t, fresh) })
	t.Run("reads", func(t *testing.T) { testReads(t, fresh) })
	t.Run("lookups", func(t *testing.T) { testLookups(t, fresh) })
	t.Run("events", func(t *testing.T) { testEvents(t, fresh) })
	t.Run("tokens", func(t *testing.T) { testTokens(t, fresh) })
	t.Run("leases", func(t *testing.T) { testLeases(t, fresh) })
	t.Run("standing", func(t *testing.T) { testStanding(t, fresh) })
}

var ctx = context.Background()

// importer is the party of the suite's imports.
var importer = trustmark.Party{Kind: trustmark.PartyImport, ID: "suite.csv"}

// Fixture identifiers.
var (
	org1 = trustmark.MakeUSCC("9111010800000001") // Beijing Haidian
	org2 = trustmark.MakeUSCC("9131011500000002") // Shanghai Pudong
	org3 = trustmark.MakeUSCC("9144030000000003") // Shenzhen
)

const (
	bodyA  = "CNCA-R-2002-001" // Beijing: QMS, EMS, CCC (0901)
	bodyB  = "CNCA-R-2003-002" // Shanghai: QMS
	bodyS  = "CNCA-R-2004-003" // suspended
	lab1   = "240012340001"
	lab2   = "240012340002"
	cccNo  = "2025010901000001"
	qmsNo  = "00125Q10001R0M"
	qmsNo2 = "00125Q10002R0M"
)

func d(s string) trustmark.Date {
	v, err := trustmark.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func newOrg(u trustmark.USCC, name, region string) *trustmark.Org {
	return &trustmark.Org{USCC: u, Name: name, RegionCode: region}
}

func orgs() []trustmark.Record {
	lat, lng := 39.98, 116.31
	o1 := newOrg(org1, "北京海淀精密仪器有限公司", "110108")
	o1.Lat, o1.Lng, o1.Employees, o1.Address, o1.NameEn = &lat, &lng, 230, "北京市海淀区中关村大街1号", "Beijing Haidian Precision Instruments Co., Ltd."
	return []trustmark.Record{o1, newOrg(org2, "上海浦东食品股份有限公司", "310115"), newOrg(org3, "深圳南山电子科技有限公司", "440305")}
}

func bodies() []trustmark.Record {
	return []trustmark.Record{
		&trustmark.Body{ApprovalNo: bodyA, USCC: trustmark.MakeUSCC("1211000040000010"), Name: "中国质量认证中心", RegionCode: "110000",
			Scopes: []trustmark.CertType{trustmark.TypeQMS, trustmark.TypeEMS, trustmark.TypeCCC}, CCCCategories: []string{"0901"}, CCCCode: "01",
			Status: trustmark.PartyActive, ApprovedOn: d("2002-06-01")},
		&trustmark.Body{ApprovalNo: bodyB, USCC: trustmark.MakeUSCC("9131000000000020"), Name: "上海质量体系审核中心", RegionCode: "310000",
			Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive, ApprovedOn: d("2003-01-15")},
		&trustmark.Body{ApprovalNo: bodyS, USCC: trustmark.MakeUSCC("9144000000000030"), Name: "广东某认证有限公司", RegionCode: "440000",
			Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartySuspended},
	}
}

func labs() []trustmark.Record {
	return []trustmark.Record{
		&trustmark.Lab{CMANo: lab1, USCC: trustmark.MakeUSCC("1211000040000040"), Name: "国家电子产品质量检验检测中心", RegionCode: "110000", Status: trustmark.PartyActive, ValidUntil: d("2028-12-31")},
		&trustmark.Lab{CMANo: lab2, USCC: trustmark.MakeUSCC("9131000000000050"), Name: "上海食品检测有限公司", RegionCode: "310000", Status: trustmark.PartyActive},
	}
}

func person(no, name, body string, status trustmark.PartyStatus) *trustmark.Person {
	return &trustmark.Person{RegistrationNo: no, Name: name, BodyApprovalNo: body, Qualifications: []trustmark.CertType{trustmark.TypeQMS}, Grade: "senior", Status: status}
}

func qms(number, body string, holder trustmark.USCC) *trustmark.Certificate {
	return &trustmark.Certificate{Number: number, Type: trustmark.TypeQMS, BodyApprovalNo: body, HolderUSCC: holder,
		Scope: "精密仪器的设计和生产", Standard: "GB/T 19001-2016", IssuedOn: d("2025-01-10"), ExpiresOn: d("2028-01-09"), Status: trustmark.StatusValid}
}

func ccc(number string, holder trustmark.USCC) *trustmark.Certificate {
	return &trustmark.Certificate{Number: number, Type: trustmark.TypeCCC, BodyApprovalNo: bodyA, HolderUSCC: holder, Scope: "电子玩具",
		Product: "遥控电动车", CCCCategory: number[6:10], IssuedOn: d("2025-02-01"), ExpiresOn: d("2030-01-31"), Status: trustmark.StatusValid}
}

func report(lab, number string, client trustmark.USCC) *trustmark.Report {
	return &trustmark.Report{Number: number, LabCMANo: lab, ClientUSCC: client, Product: "电动玩具车", Conclusion: trustmark.ConclusionPass, IssuedOn: d("2026-01-20")}
}

// seed fills s with the fixture parties and two certificates.
func seed(t *testing.T, s trustmark.Store) {
	t.Helper()
	for _, b := range []struct {
		kind trustmark.Kind
		recs []trustmark.Record
	}{
		{trustmark.KindOrgs, orgs()},
		{trustmark.KindBodies, bodies()},
		{trustmark.KindLabs, labs()},
		{trustmark.KindPersons, []trustmark.Record{person("P-0001", "张伟", bodyA, trustmark.PartyActive)}},
		{trustmark.KindCertificates, []trustmark.Record{qms(qmsNo, bodyA, org1), ccc(cccNo, org1)}},
		{trustmark.KindReports, []trustmark.Record{report(lab1, "R2026-0001", org1)}},
	} {
		wantAll(t, importAll(t, s, b.kind, b.recs...), trustmark.Created)
	}
}

func importAll(t *testing.T, s trustmark.Store, kind trustmark.Kind, recs ...trustmark.Record) []trustmark.Outcome {
	t.Helper()
	out, err := s.Import(ctx, importer, kind, recs)
	if err != nil {
		t.Fatalf("Import(%s) error: %v", kind, err)
	}
	if len(out) != len(recs) {
		t.Fatalf("Import(%s) gave %d outcomes for %d records", kind, len(out), len(recs))
	}
	return out
}

// wantAll checks that every outcome is want.
func wantAll(t *testing.T, out []trustmark.Outcome, want trustmark.Result) {
	t.Helper()
	for i, o := range out {
		if o.Result != want {
			t.Errorf("outcome %d = %s (%v), want %s", i, resultName(o.Result), o.Err, resultName(want))
		}
	}
}

// wantResults checks outcomes one by one.
func wantResults(t *testing.T, out []trustmark.Outcome, want ...trustmark.Result) {
	t.Helper()
	if len(out) != len(want) {
		t.Fatalf("got %d outcomes, want %d", len(out), len(want))
	}
	for i := range want {
		if out[i].Result != want[i] {
			t.Errorf("outcome %d = %s (%v), want %s", i, resultName(out[i].Result), out[i].Err, resultName(want[i]))
		}
	}
}

func resultName(r trustmark.Result) string {
	switch r {
	case trustmark.Created:
		return "created"
	case trustmark.Updated:
		return "updated"
	case trustmark.Unchanged:
		return "unchanged"
	case trustmark.Rejected:
		return "rejected"
	}
	return fmt.Sprintf("Result(%d)", int(r))
}

// wantCode checks the error code (and field, when given) of err.
func wantCode(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	if got := trustmark.ErrorCode(err); got != code {
		t.Errorf("%s: error code = %q (%v), want %q", what, got, err, code)
		return
	}
	if field != "" {
		if got := trustmark.ErrorField(err); got != field {
			t.Errorf("%s: error field = %q (%v), want %q", what, got, err, field)
		}
	}
}

// events returns every event of s.
func events(t *testing.T, s trustmark.Store) []trustmark.Event {
	t.Helper()
	evs, err := s.Events(ctx, trustmark.EventFilter{After: -1})
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	return evs
}

// checkGapless checks that events are numbered 0..n-1 in order.
func checkGapless(t *testing.T, evs []trustmark.Event) {
	t.Helper()
	for i, e := range evs {
		if e.Seq != int64(i) {
			t.Fatalf("event %d has Seq %d, want %d (Seq must be gapless from 0)", i, e.Seq, i)
		}
	}
}

// ignoreRead ignores the fields a read adds to a record.
var ignoreRead = cmp.Options{
	cmpopts.IgnoreFields(trustmark.Certificate{}, "HolderName", "BodyName", "BodyStatus", "BodyStatusSince", "UpdatedAt"),
	cmpopts.IgnoreFields(trustmark.Org{}, "UpdatedAt"),
	cmpopts.IgnoreFields(trustmark.Body{}, "LastSubmission"),
	cmpopts.IgnoreFields(trustmark.Lab{}, "LastSubmission"),
	cmpopts.IgnoreFields(trustmark.Report{}, "LabName", "ClientName", "LabStatus", "LabStatusSince", "UpdatedAt"),
	cmpopts.EquateEmpty(),
	cmp.Comparer(func(a, b trustmark.Date) bool { return a.String() == b.String() }),
}
