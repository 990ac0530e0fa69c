package audit

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
)

const bodyNo = "CNCA-R-2002-001"

func planFacts() Facts {
	qms := []trustmark.CertType{trustmark.TypeQMS}
	return Facts{
		Body:   trustmark.Body{ApprovalNo: bodyNo, Status: trustmark.PartyActive, Scopes: qms},
		Holder: trustmark.Org{USCC: "91330106MA2AXXXX01", RegionCode: "330106", Employees: 120},
		Certificate: &trustmark.Certificate{Number: "00126Q0001", Type: trustmark.TypeQMS, BodyApprovalNo: bodyNo,
			HolderUSCC: "91330106MA2AXXXX01", IssuedOn: trustmark.NewDate(2025, 3, 1)},
		Persons: map[string]trustmark.Person{
			"P1": {RegistrationNo: "P1", BodyApprovalNo: bodyNo, Qualifications: qms, Status: trustmark.PartyActive},
			"P2": {RegistrationNo: "P2", BodyApprovalNo: bodyNo, Qualifications: qms, Status: trustmark.PartyActive},
			"P3": {RegistrationNo: "P3", BodyApprovalNo: bodyNo, Qualifications: qms, Status: trustmark.PartyActive},
			"E1": {RegistrationNo: "E1", BodyApprovalNo: bodyNo, Status: trustmark.PartyActive},
			"X1": {RegistrationNo: "X1", BodyApprovalNo: "CNCA-R-2003-009", Qualifications: qms, Status: trustmark.PartyActive},
			"S1": {RegistrationNo: "S1", BodyApprovalNo: bodyNo, Qualifications: qms, Status: trustmark.PartySuspended},
			"B1": {RegistrationNo: "B1", BodyApprovalNo: bodyNo, Qualifications: qms, Status: trustmark.PartyBanned},
			"U1": {RegistrationNo: "U1", BodyApprovalNo: bodyNo, Qualifications: []trustmark.CertType{trustmark.TypeEMS}, Status: trustmark.PartyActive},
		},
	}
}

// planRequest is testAudit's plan as a body reports it: the certificate
// only, the site in GCJ-02 as a Chinese map gives it.
func planRequest(t testing.TB) Request {
	p := testAudit(t).Plan
	p.HolderUSCC, p.Type, p.ClosingEndsAt = "", "", time.Time{}
	g := WGSToGCJ(site)
	p.Site = Site{Address: "杭州市西湖区", Lat: g.Lat, Lng: g.Lng, Datum: "GCJ-02"}
	return Request{ID: "A1", Actor: "body:" + bodyNo, Plan: p}
}

func TestDecidePlanAcceptsAPlanAndNormalizesIt(t *testing.T) {
	now := cst(t, "2026-02-20 10:00")
	d, err := rules.DecidePlan(nil, planRequest(t), planFacts(), now)
	if err != nil {
		t.Fatalf("DecidePlan: %v", err)
	}
	want := testAudit(t)
	want.ReportedAt, want.Minimum = now, &Minimum{Days: 1.5, InitialDays: 7, Share: "1/3", Reduction: 30}
	got := d.Audit
	if dist := DistanceM(got.Plan.Site.WGS84, site); dist > 0.01 {
		t.Errorf("the GCJ-02 site became %v, %.3f m from the WGS-84 site, want within 1 cm", got.Plan.Site.WGS84, dist)
	}
	if !cmp.Equal(got.Plan.Sites, []Site{got.Plan.Site}) {
		t.Errorf("a plan of one site has sites %v, want [site] %v", got.Plan.Sites, got.Plan.Site)
	}
	got.Plan.Site, got.Plan.Sites, want.Plan.Site = Site{}, nil, Site{}
	if diff := cmp.Diff(*want, got); diff != "" {
		t.Errorf("DecidePlan audit (-want +got):\n%s", diff)
	}
	if d.Event.Action != Planned || d.Event.Revision != 1 || len(d.Anomalies) != 0 {
		t.Errorf("DecidePlan = event %s, anomalies %v, want planned and none", d.Event.Action, d.Anomalies)
	}
}

func TestDecidePlanRefusals(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Request, *Facts)
		code   string
		field  string
		reason string
	}{
		{"a person registered with another body", func(r *Request, f *Facts) { r.Plan.Team[1].RegistrationNo = "X1" },
			trustmark.EInvalid, "team[1].registration_no", "audit.person_not_registered"},
		{"a person the registry does not know", func(r *Request, f *Facts) { r.Plan.Team[1].RegistrationNo = "NOBODY" },
			trustmark.EInvalid, "team[1].registration_no", "audit.person_not_registered"},
		{"a suspended person", func(r *Request, f *Facts) { r.Plan.Team[2].RegistrationNo = "S1" },
			trustmark.EInvalid, "team[2].registration_no", "audit.person_status"},
		{"a banned person, even as an observer", func(r *Request, f *Facts) { r.Plan.Team[3] = Member{"B1", Observer} },
			trustmark.EInvalid, "team[3].registration_no", "audit.person_status"},
		{"an auditor not qualified for QMS", func(r *Request, f *Facts) { r.Plan.Team[1].RegistrationNo = "U1" },
			trustmark.EInvalid, "team[1].registration_no", "audit.person_qualification"},
		{"an unqualified leader", func(r *Request, f *Facts) { r.Plan.Team[0] = Member{"E1", Leader} },
			trustmark.EInvalid, "team[0].registration_no", "audit.person_qualification"},
		{"no leader", func(r *Request, f *Facts) { r.Plan.Team[0].Role = Auditor },
			trustmark.EInvalid, "team", "audit.leader"},
		{"two leaders", func(r *Request, f *Facts) { r.Plan.Team[1].Role = Leader },
			trustmark.EInvalid, "team", "audit.leader"},
		{"auditor-days below the MD 5 minimum (QMS 120 surveillance: 7/3 less 30% = 1.63, rounded to 1.5)", func(r *Request, f *Facts) { r.Plan.AuditorDays = 1 },
			trustmark.EConflict, "auditor_days", "audit.below_md5"},
		{"a certificate of another body", func(r *Request, f *Facts) { f.Certificate.BodyApprovalNo = "CNCA-R-2003-009" },
			trustmark.EForbidden, "certificate", "audit.certificate_body"},
		{"a surveillance audit without a certificate", func(r *Request, f *Facts) { r.Plan.Certificate = "" },
			trustmark.EInvalid, "certificate", "audit.certificate_required"},
		{"an unknown datum", func(r *Request, f *Facts) { r.Plan.Site.Datum = "bd09" },
			trustmark.EInvalid, "site.datum", "audit.datum"},
		{"a closing meeting before the opening", func(r *Request, f *Facts) { r.Plan.ClosingAt = r.Plan.OpeningAt.Add(-time.Hour) },
			trustmark.EInvalid, "closing_at", "audit.meeting_order"},
		{"a suspended body", func(r *Request, f *Facts) { f.Body.Status = trustmark.PartySuspended },
			trustmark.EForbidden, "body", "audit.body_status"},
		{"a body not approved for the type", func(r *Request, f *Facts) { f.Body.Scopes = nil },
			trustmark.EForbidden, "type", "audit.body_scope"},
		{"an unknown kind", func(r *Request, f *Facts) { r.Plan.Kind = "stage3" }, trustmark.EInvalid, "kind", "audit.kind"},
		{"auditor-days that are not half days", func(r *Request, f *Facts) { r.Plan.AuditorDays = 3.2 },
			trustmark.EInvalid, "auditor_days", "audit.auditor_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, f := planRequest(t), planFacts()
			req.Plan.Team = append([]Member(nil), req.Plan.Team...)
			c := *f.Certificate
			f.Certificate = &c
			tt.edit(&req, &f)
			_, err := rules.DecidePlan(nil, req, f, cst(t, "2026-02-20 10:00"))
			if trustmark.ErrorCode(err) != tt.code || errField(err) != tt.field || errReason(err) != tt.reason {
				t.Errorf("DecidePlan error = %v (field %q, reason %q), want %s about %s, reason %q", err, errField(err), errReason(err), tt.code, tt.field, tt.reason)
			}
		})
	}
}

func TestDecidePlanMinimumAtTheEdge(t *testing.T) {
	req := planRequest(t)
	req.Plan.AuditorDays = 1.5 // exactly the minimum for 120 personnel
	if _, err := rules.DecidePlan(nil, req, planFacts(), cst(t, "2026-02-20 10:00")); err != nil {
		t.Errorf("DecidePlan at exactly the MD 5 minimum: %v, want accepted", err)
	}
	// A Stage 2 is held, with its Stage 1, to the initial minimum (QMS 120: 7 less 30% = 4.9 → 5).
	req.Plan.Certificate, req.Plan.Kind, req.Plan.HolderUSCC, req.Plan.Type = "", Stage2, "91330106MA2AXXXX01", trustmark.TypeQMS
	f := planFacts()
	f.Certificate, f.PriorStageDays = nil, 2
	for _, tt := range []struct {
		days float64
		ok   bool
	}{{3, true}, {2.5, false}} {
		req.Plan.AuditorDays = tt.days
		_, err := rules.DecidePlan(nil, req, f, cst(t, "2026-02-20 10:00"))
		if (err == nil) != tt.ok {
			t.Errorf("DecidePlan(stage 2 of %v days after a stage 1 of 2) error = %v, want accepted %v", tt.days, err, tt.ok)
		}
	}
}

func TestAPlanReportedLateIsAcceptedAndRaisesLateReport(t *testing.T) {
	for _, tt := range []struct {
		now  string
		late bool
	}{{"2026-03-02 09:00", false}, {"2026-03-02 09:01", true}} {
		d, err := rules.DecidePlan(nil, planRequest(t), planFacts(), cst(t, tt.now))
		if err != nil {
			t.Fatalf("DecidePlan at %s: %v", tt.now, err)
		}
		if got := len(d.Anomalies) == 1 && d.Anomalies[0].Rule == LateReport; got != tt.late {
			t.Errorf("DecidePlan reported at %s: anomalies %v, want late_report %v", tt.now, d.Anomalies, tt.late)
		}
	}
}

func TestAChangeAfterTheStartIsRecordedNotOverwritten(t *testing.T) {
	first, err := rules.DecidePlan(nil, planRequest(t), planFacts(), cst(t, "2026-02-20 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	req := planRequest(t)
	req.Plan.ClosingAt = cst(t, "2026-03-02 17:00")
	for _, tt := range []struct {
		at, action string
	}{{"2026-03-02 08:59", Amended}, {"2026-03-02 09:00", Changed}} {
		d, err := rules.DecidePlan(&first.Audit, req, planFacts(), cst(t, tt.at))
		if err != nil {
			t.Fatalf("DecidePlan change at %s: %v", tt.at, err)
		}
		ev := d.Event
		if ev.Action != tt.action || ev.Revision != 2 || ev.Previous == nil || !ev.Previous.ClosingAt.Equal(cst(t, "2026-03-02 16:00")) || !cmp.Equal(ev.Fields, []string{"closing_at"}) {
			t.Errorf("change at %s = %s rev %d fields %v previous %v, want %s rev 2 of closing_at keeping 16:00", tt.at, ev.Action, ev.Revision, ev.Fields, ev.Previous, tt.action)
		}
	}
	req.Plan.Kind = Recertification
	if _, err := rules.DecidePlan(&first.Audit, req, planFacts(), cst(t, "2026-03-02 10:00")); trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Errorf("changing the kind: error %v, want conflict", err)
	}
}

func TestPlansOfOneHolderInOneHalfDayAreLinked(t *testing.T) {
	other := func(id, at string) Audit {
		a := testAudit(t)
		a.ID, a.Plan.OpeningAt = id, cst(t, at)
		return *a
	}
	f := planFacts()
	f.SameHolder = []Audit{other("M", "2026-03-02 08:00"), other("N", "2026-03-02 12:59"), other("O", "2026-03-02 13:00"), other("P", "2026-03-03 09:00")}
	d, err := rules.DecidePlan(nil, planRequest(t), f, cst(t, "2026-02-20 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"M", "N"}; !cmp.Equal(d.Audit.Links, want) {
		t.Errorf("links of a 09:00 plan = %v, want %v (13:00 is the afternoon)", d.Audit.Links, want)
	}
}
