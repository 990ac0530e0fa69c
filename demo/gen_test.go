package demo

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"trustmark"
)

// recorder keeps what a generation would send to the store, to test the
// generator's output without a database.
type recorder struct {
	loads       map[trustmark.Kind][]trustmark.Record
	actors      map[trustmark.Kind][]trustmark.Party
	transitions []string
}

func (r *recorder) load(_ context.Context, actor trustmark.Party, kind trustmark.Kind, recs []trustmark.Record) error {
	r.loads[kind] = append(r.loads[kind], recs...)
	r.actors[kind] = append(r.actors[kind], actor)
	return nil
}

func (r *recorder) transition(_ context.Context, actor trustmark.Party, number string, t trustmark.Transition) error {
	r.transitions = append(r.transitions, fmt.Sprintf("%s %s %s %s %s", actor, number, t.To, t.EffectiveOn, t.Reason))
	return nil
}

func (r *recorder) expire(context.Context, trustmark.Date) (int, error) { return 0, nil }

var testToday = trustmark.NewDate(2026, time.March, 16)

func record(t testing.TB, opts Options) (*recorder, Summary) {
	t.Helper()
	if opts.Today.IsZero() {
		opts.Today = testToday
	}
	g, err := newGen(opts)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{loads: map[trustmark.Kind][]trustmark.Record{}, actors: map[trustmark.Kind][]trustmark.Party{}}
	sum, err := g.run(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	return rec, sum
}

// digest hashes everything a generation sends to the store.
func (r *recorder) digest(t testing.TB) string {
	h := sha256.New()
	for _, k := range trustmark.Kinds {
		for _, rec := range r.loads[k] {
			b, err := json.Marshal(rec)
			if err != nil {
				t.Fatal(err)
			}
			h.Write(b)
		}
	}
	for _, s := range r.transitions {
		h.Write([]byte(s))
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, _ := record(t, Options{Scale: ScaleTiny, Seed: 7})
	b, _ := record(t, Options{Scale: ScaleTiny, Seed: 7})
	c, _ := record(t, Options{Scale: ScaleTiny, Seed: 8})
	if got, want := a.digest(t), b.digest(t); got != want {
		t.Errorf("two generations with seed 7 differ: digests %s and %s", got, want)
	}
	if a.digest(t) == c.digest(t) {
		t.Errorf("seeds 7 and 8 gave the same data set")
	}
}

// TestEveryRecordIsValid checks the generator's output against the domain's
// own rules: identifiers parse, certificates validate and may be issued by
// their body, references point at generated records, keys are unique.
func TestEveryRecordIsValid(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rec, _ := record(t, Options{Scale: ScaleTiny, Seed: seed, Sizes: &Sizes{Orgs: 3000, Bodies: 80, Labs: 60, Persons: 400, Certificates: 8000, Reports: 3000}})
			checkRecords(t, rec)
		})
	}
}

func checkRecords(t *testing.T, rec *recorder) {
	t.Helper()
	policy := trustmark.DefaultPolicy()
	orgs := map[trustmark.USCC]bool{}
	names := map[string]bool{}
	for _, r := range rec.loads[trustmark.KindOrgs] {
		o := r.(*trustmark.Org)
		if names[o.Name] {
			t.Errorf("two organisations are named %s", o.Name)
		}
		names[o.Name] = true
		if u, err := trustmark.ParseUSCC(string(o.USCC)); err != nil || u != o.USCC {
			t.Errorf("org %s: ParseUSCC = %v, %v", o.USCC, u, err)
		}
		if _, err := trustmark.ParseRegionCode(o.RegionCode); err != nil {
			t.Errorf("org %s: region %s: %v", o.USCC, o.RegionCode, err)
		}
		if o.USCC.RegionCode() != o.RegionCode {
			t.Errorf("org %s: USCC region %s, region_code %s", o.USCC, o.USCC.RegionCode(), o.RegionCode)
		}
		if orgs[o.USCC] {
			t.Errorf("org %s generated twice", o.USCC)
		}
		orgs[o.USCC] = true
		checkRow(t, trustmark.KindOrgs, orgRow(o), o)
	}
	bodies := map[string]*trustmark.Body{}
	for _, r := range rec.loads[trustmark.KindBodies] {
		b := r.(*trustmark.Body)
		if _, seen := bodies[b.ApprovalNo]; seen && b.Status == trustmark.PartyActive {
			t.Errorf("body %s generated twice", b.ApprovalNo)
		}
		if _, ok := bodies[b.ApprovalNo]; !ok {
			bodies[b.ApprovalNo] = b
		}
		if _, err := trustmark.ParseApprovalNo(b.ApprovalNo); err != nil {
			t.Errorf("body: %v", err)
		}
		if !orgs[b.USCC] {
			t.Errorf("body %s: its USCC %s is not among the orgs", b.ApprovalNo, b.USCC)
		}
		checkRow(t, trustmark.KindBodies, bodyRow(b), b)
	}
	labs := map[string]bool{}
	for _, r := range rec.loads[trustmark.KindLabs] {
		l := r.(*trustmark.Lab)
		if _, err := trustmark.ParseCMANo(l.CMANo); err != nil {
			t.Errorf("lab: %v", err)
		}
		labs[l.CMANo] = true
	}
	for _, r := range rec.loads[trustmark.KindPersons] {
		p := r.(*trustmark.Person)
		b := bodies[p.BodyApprovalNo]
		if b == nil {
			t.Fatalf("person %s: unknown body %s", p.RegistrationNo, p.BodyApprovalNo)
		}
		for _, q := range p.Qualifications {
			if !slices.Contains(b.Scopes, q) {
				t.Errorf("person %s: qualification %s is outside the scopes %v of body %s", p.RegistrationNo, q, b.Scopes, b.ApprovalNo)
			}
		}
		if p.Status == trustmark.PartyActive {
			checkRow(t, trustmark.KindPersons, personRow(p), p)
		}
	}
	certs := map[string]bool{}
	for _, r := range rec.loads[trustmark.KindCertificates] {
		c := r.(*trustmark.Certificate)
		if c.Status != trustmark.StatusValid {
			continue // a status change re-imported; checked below
		}
		if certs[c.Key()] {
			t.Errorf("certificate %s generated twice", c.Key())
		}
		certs[c.Key()] = true
		if err := c.Validate(policy); err != nil {
			t.Errorf("certificate %s: %v", c.Key(), err)
		} else if err := policy.CheckIssuer(bodies[c.BodyApprovalNo], c); err != nil {
			t.Errorf("certificate %s: %v", c.Key(), err)
		}
		if !orgs[c.HolderUSCC] {
			t.Errorf("certificate %s: holder %s is not among the orgs", c.Key(), c.HolderUSCC)
		}
		if b := bodies[c.BodyApprovalNo]; b != nil && c.IssuedOn.Before(b.ApprovedOn) {
			t.Errorf("certificate %s issued on %s, before its body %s was approved on %s", c.Key(), c.IssuedOn, b.ApprovalNo, b.ApprovedOn)
		}
		if c.IssuedOn.After(testToday) {
			t.Errorf("certificate %s issued on %s, after today", c.Key(), c.IssuedOn)
		}
		checkRow(t, trustmark.KindCertificates, certRow(c), c)
	}
	reports := map[string]bool{}
	for _, r := range rec.loads[trustmark.KindReports] {
		rp := r.(*trustmark.Report)
		if reports[rp.Key()] {
			t.Errorf("report %s generated twice", rp.Key())
		}
		reports[rp.Key()] = true
		if !labs[rp.LabCMANo] {
			t.Errorf("report %s: unknown laboratory", rp.Key())
		}
		if rp.ClientUSCC != "" && !orgs[rp.ClientUSCC] {
			t.Errorf("report %s: client %s is not among the orgs", rp.Key(), rp.ClientUSCC)
		}
		if rp.IssuedOn.After(testToday) {
			t.Errorf("report %s issued on %s, after today", rp.Key(), rp.IssuedOn)
		}
	}
}

// checkRow parses the row an operator would import for a generated record
// and wants the record back: the generator and the import agree.
func checkRow(t *testing.T, kind trustmark.Kind, row trustmark.Row, want trustmark.Record) {
	t.Helper()
	got, err := trustmark.ParseRecord(kind, row, trustmark.DefaultPolicy())
	if err != nil {
		t.Errorf("%s %s: ParseRecord: %v", kind, want.RecordKey(), err)
		return
	}
	if got.RecordKey() != want.RecordKey() {
		t.Errorf("%s: ParseRecord key = %s, want %s", kind, got.RecordKey(), want.RecordKey())
	}
}

func orgRow(o *trustmark.Org) trustmark.Row {
	return trustmark.Row{"uscc": string(o.USCC), "name": o.Name, "name_en": o.NameEn, "region_code": o.RegionCode,
		"address": o.Address, "lat": ftoa(o.Lat), "lng": ftoa(o.Lng), "employees": itoaZero(o.Employees)}
}

func bodyRow(b *trustmark.Body) trustmark.Row {
	return trustmark.Row{"approval_no": b.ApprovalNo, "uscc": string(b.USCC), "name": b.Name, "name_en": b.NameEn,
		"region_code": b.RegionCode, "scopes": joinTypes(b.Scopes), "ccc_categories": strings.Join(b.CCCCategories, ";"),
		"ccc_code": b.CCCCode, "status": string(b.Status), "approved_on": b.ApprovedOn.String()}
}

func personRow(p *trustmark.Person) trustmark.Row {
	return trustmark.Row{"registration_no": p.RegistrationNo, "name": p.Name, "body_approval_no": p.BodyApprovalNo,
		"qualifications": joinTypes(p.Qualifications), "grade": p.Grade, "status": string(p.Status)}
}

func certRow(c *trustmark.Certificate) trustmark.Row {
	return trustmark.Row{"number": c.Number, "type": string(c.Type), "body_approval_no": c.BodyApprovalNo,
		"holder_uscc": string(c.HolderUSCC), "scope": c.Scope, "standard": c.Standard, "product": c.Product,
		"ccc_category": c.CCCCategory, "issued_on": c.IssuedOn.String(), "expires_on": c.ExpiresOn.String(), "status": string(c.Status)}
}

func joinTypes(ts []trustmark.CertType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ";")
}

func ftoa(f *float64) string {
	if f == nil {
		return ""
	}
	return fmt.Sprint(*f)
}

func itoaZero(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

// TestMixes checks that the data set has the shape of the real registry.
func TestMixes(t *testing.T) {
	rec, sum := record(t, Options{Scale: ScaleTiny, Seed: 5, Sizes: &Sizes{Orgs: 6000, Bodies: 120, Labs: 100, Persons: 600, Certificates: 15000, Reports: 4000}})
	total := 0
	for _, n := range sum.Certificates {
		total += n
	}
	share := func(n int) float64 { return float64(n) / float64(total) }
	if got := share(sum.Certificates[trustmark.StatusValid]); got < 0.80 || got > 0.90 {
		t.Errorf("valid share = %.3f, want about 0.85", got)
	}
	for _, st := range []trustmark.CertStatus{trustmark.StatusSuspended, trustmark.StatusRevoked, trustmark.StatusWithdrawn, trustmark.StatusExpired} {
		if got := share(sum.Certificates[st]); got < 0.01 || got > 0.08 {
			t.Errorf("%s share = %.3f, want between 0.01 and 0.08", st, got)
		}
	}
	if got, want := total, 15000; got < want*95/100 || got > want {
		t.Errorf("certificates = %d, want about %d", got, want)
	}
	for _, ty := range trustmark.CertTypes {
		if sum.Types[ty] == 0 {
			t.Errorf("no %s certificates", ty)
		}
		if ty != qms && sum.Types[ty] >= sum.Types[qms] {
			t.Errorf("%s certificates (%d) outnumber QMS (%d); QMS should be the most common", ty, sum.Types[ty], sum.Types[qms])
		}
	}
	if got := share(sum.Types[qms]); got < 0.25 || got > 0.45 {
		t.Errorf("QMS share = %.3f, want 0.25-0.45", got)
	}
	byProvince := map[string]int{}
	for _, r := range rec.loads[trustmark.KindOrgs] {
		byProvince[r.(*trustmark.Org).RegionCode[:2]]++
	}
	for _, p := range []string{"44", "32", "33", "37"} {
		if byProvince[p] < byProvince["62"]*5 {
			t.Errorf("province %s has %d organisations, Gansu %d: want the industrial provinces far ahead", p, byProvince[p], byProvince["62"])
		}
	}
	fail := 0
	for _, r := range rec.loads[trustmark.KindReports] {
		if r.(*trustmark.Report).Conclusion == trustmark.ConclusionFail {
			fail++
		}
	}
	if got := float64(fail) / float64(len(rec.loads[trustmark.KindReports])); got < 0.02 || got > 0.08 {
		t.Errorf("failed reports = %.3f, want about 0.05", got)
	}
	names := map[string]bool{}
	for _, r := range rec.loads[trustmark.KindOrgs] {
		names[r.(*trustmark.Org).Name] = true
	}
	for _, want := range []string{"海尔智家股份有限公司", "华为技术有限公司"} {
		if !names[want] {
			t.Errorf("no organisation named %s; portal searches for it should find something", want)
		}
	}
	var banned, suspendedBodies int
	for _, r := range rec.loads[trustmark.KindPersons] {
		if r.(*trustmark.Person).Status == trustmark.PartyBanned {
			banned++
		}
	}
	for _, r := range rec.loads[trustmark.KindBodies] {
		if r.(*trustmark.Body).Status != trustmark.PartyActive {
			suspendedBodies++
		}
	}
	if banned == 0 || suspendedBodies == 0 {
		t.Errorf("banned persons %d, sanctioned bodies %d: want some of each", banned, suspendedBodies)
	}
	if len(rec.transitions) == 0 {
		t.Errorf("no certificate transitions")
	}
}

func TestExamplesNameGeneratedRecords(t *testing.T) {
	_, sum := record(t, Options{Scale: ScaleTiny, Seed: 1})
	ex := sum.Examples
	for name, v := range map[string]string{"ValidCCC": ex.ValidCCC, "ValidQMS": ex.ValidQMS, "Suspended": ex.Suspended,
		"Revoked": ex.Revoked, "Withdrawn": ex.Withdrawn, "Expired": ex.Expired, "OrgUSCC": string(ex.OrgUSCC),
		"BodyApprovalNo": ex.BodyApprovalNo, "LabCMANo": ex.LabCMANo, "ReportNo": ex.ReportNo, "PersonRegNo": ex.PersonRegNo} {
		if v == "" {
			t.Errorf("Examples.%s is empty", name)
		}
	}
	if err := trustmark.ValidateCertNumber(trustmark.TypeCCC, ex.ValidCCC, ""); err != nil {
		t.Errorf("Examples.ValidCCC: %v", err)
	}
}

// BenchmarkGenerateRecords measures the generator alone, without a store, at
// the small scale.
func BenchmarkGenerateRecords(b *testing.B) {
	for b.Loop() {
		record(b, Options{Scale: ScaleSmall, Seed: 1})
	}
}
