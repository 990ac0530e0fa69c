package risk

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/credit"
)

// reportAt is the instant of the report tests: 2026-03-15 10:00 in China.
var reportAt = time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)

var reportToday = trustmark.DateOf(reportAt)

func goodReport() ReportRequest {
	return ReportRequest{Kind: SamplingFailed, SubjectKind: OnCertificate, SubjectID: "00126Q30001R0M", On: reportToday.AddDate(0, 0, -10),
		Source: "国市监抽〔2026〕12号", Details: "产品标识不符合要求"}
}

func TestReportCheck(t *testing.T) {
	with := func(f func(*ReportRequest)) ReportRequest { r := goodReport(); f(&r); return r }
	tests := []struct {
		name   string
		req    ReportRequest
		reason string // "" accepted
		field  string
	}{
		{"a failed sampling of a certified product is accepted", goodReport(), "", ""},
		{"a complaint about a body is accepted", with(func(r *ReportRequest) { r.Kind, r.SubjectKind, r.SubjectID = Complaint, OnBody, "CNCA-R-2002-001" }), "", ""},
		{"a complaint about a laboratory is accepted", with(func(r *ReportRequest) { r.Kind, r.SubjectKind, r.SubjectID = Complaint, OnLab, "230012050001" }), "", ""},
		{"a failed proficiency test of a laboratory is accepted", with(func(r *ReportRequest) { r.Kind, r.SubjectKind, r.SubjectID = ProficiencyFailed, OnLab, "230012050001" }), "", ""},
		{"a report dated today is accepted", with(func(r *ReportRequest) { r.On = reportToday }), "", ""},
		{"a source of 200 characters is accepted", with(func(r *ReportRequest) { r.Source = strings.Repeat("抽", 200) }), "", ""},
		{"a long case number is not a phone number", with(func(r *ReportRequest) { r.Source = "12315-2026031500001234567890" }), "", ""},
		{"an unknown kind is refused", with(func(r *ReportRequest) { r.Kind = "rumour" }), "risk.report_kind", "kind"},
		{"a signal of another kind is not a report", with(func(r *ReportRequest) { r.Kind = PenaltySignal }), "risk.report_kind", "kind"},
		{"a failed sampling is not filed against a body", with(func(r *ReportRequest) { r.SubjectKind, r.SubjectID = OnBody, "CNCA-R-2002-001" }), "risk.report_subject_kind", "subject_kind"},
		{"a failed proficiency test is not filed against a certificate", with(func(r *ReportRequest) { r.Kind = ProficiencyFailed }), "risk.report_subject_kind", "subject_kind"},
		{"a person is no subject of a report", with(func(r *ReportRequest) { r.Kind, r.SubjectKind = Complaint, "person" }), "risk.report_subject_kind", "subject_kind"},
		{"a malformed approval number is refused", with(func(r *ReportRequest) { r.Kind, r.SubjectKind, r.SubjectID = Complaint, OnBody, "CNCA-2002" }), "approval_no.format", "subject_id"},
		{"a malformed CMA number is refused", with(func(r *ReportRequest) { r.Kind, r.SubjectKind, r.SubjectID = ProficiencyFailed, OnLab, "2300" }), "cma_no.format", "subject_id"},
		{"an empty certificate number is refused", with(func(r *ReportRequest) { r.SubjectID = " " }), "cert.empty", "subject_id"},
		{"a report without a date is refused", with(func(r *ReportRequest) { r.On = trustmark.Date{} }), "risk.report_date", "on"},
		{"a report dated tomorrow is refused", with(func(r *ReportRequest) { r.On = reportToday.AddDate(0, 0, 1) }), "risk.report_future", "on"},
		{"a report without a source is refused", with(func(r *ReportRequest) { r.Source = " \t" }), "risk.report_source", "source"},
		{"a source of 201 characters is refused", with(func(r *ReportRequest) { r.Source = strings.Repeat("抽", 201) }), "risk.report_length", "source"},
		{"details of 1001 characters are refused", with(func(r *ReportRequest) { r.Details = strings.Repeat("x", 1001) }), "risk.report_length", "details"},
		{"a mobile number in the details is refused", with(func(r *ReportRequest) { r.Details = "投诉人王先生，电话13812345678" }), "risk.report_personal", "details"},
		{"a resident ID number in the details is refused", with(func(r *ReportRequest) { r.Details = "身份证11010519491231002X。" }), "risk.report_personal", "details"},
		{"a landline in the source is refused", with(func(r *ReportRequest) { r.Source = "来电 010-12345678" }), "risk.report_personal", "source"},
		{"an e-mail address in the details is refused", with(func(r *ReportRequest) { r.Details = "联系 wang@example.cn" }), "risk.report_personal", "details"},
		{"a control character is refused", with(func(r *ReportRequest) { r.Details = "a\x00b" }), "risk.report_text", "details"},
		{"invalid UTF-8 is refused", with(func(r *ReportRequest) { r.Source = "\xff" }), "risk.report_text", "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.req.Check(reportToday)
			var e *trustmark.Error
			switch {
			case tt.reason == "" && err != nil:
				t.Errorf("Check = %v, want accepted", err)
			case tt.reason != "" && (!asError(err, &e) || e.Reason != tt.reason || e.Field != tt.field):
				t.Errorf("Check = %v, want reason %s on field %s", err, tt.reason, tt.field)
			}
		})
	}
}

func asError(err error, e **trustmark.Error) bool {
	x, ok := err.(*trustmark.Error)
	*e = x
	return ok
}

func TestDecideReport(t *testing.T) {
	cert := ReportFacts{Found: true, Region: "330106", Org: "913301060000001156", Body: "CNCA-R-2002-001", BodyRegion: "110105"}
	t.Run("a report on a certificate bears on its organisation and, at half weight, its body", func(t *testing.T) {
		req := goodReport()
		req.SubjectID = " 00126q30001r0m "
		r, err := DecideReport(req, cert, "regulator:330000", reportAt)
		if err != nil {
			t.Fatal(err)
		}
		want := []Party{{Subject: credit.Subject{Kind: credit.Org, ID: cert.Org}, Region: "330106", Value: 1},
			{Subject: credit.Subject{Kind: credit.Body, ID: cert.Body}, Region: "110105", Value: BodyShare}}
		if diff := cmp.Diff(want, r.Parties); diff != "" {
			t.Errorf("parties (-want +got):\n%s", diff)
		}
		if r.SubjectID != "00126Q30001R0M" || r.ID != ReportID(goodReport()) || r.RecordedBy != "regulator:330000" || !r.RecordedAt.Equal(reportAt) {
			t.Errorf("report %+v: want the canonical number, the id of the canonical request, the recorder and the instant", r)
		}
		sigs := r.Signals()
		if len(sigs) != 2 || sigs[0].Value != 0 || sigs[1].Value != BodyShare || sigs[0].Kind != SamplingFailed || !sigs[1].On.Time().Equal(req.On.Time()) ||
			sigs[0].ID != "report:"+r.ID+"/org:"+cert.Org || sigs[0].Source != "sampling:国市监抽〔2026〕12号 (certificate:00126Q30001R0M)" {
			t.Errorf("Signals = %+v", sigs)
		}
	})
	t.Run("a failed proficiency test bears on the laboratory alone", func(t *testing.T) {
		req := ReportRequest{Kind: ProficiencyFailed, SubjectKind: OnLab, SubjectID: "230012050001", On: reportToday, Source: "CNAS T0912 第2轮"}
		r, err := DecideReport(req, ReportFacts{Found: true, Region: "330106"}, "regulator:330000", reportAt)
		if err != nil || len(r.Parties) != 1 || r.Parties[0].Subject != (credit.Subject{Kind: credit.Lab, ID: "230012050001"}) {
			t.Fatalf("DecideReport = %+v, %v", r, err)
		}
		if s := r.Signals(); len(s) != 1 || s[0].Source != "pt:CNAS T0912 第2轮" {
			t.Errorf("Signals = %+v", s)
		}
	})
	for _, c := range []struct {
		name  string
		facts ReportFacts
		by    string
		code  string
	}{
		{"a subject the registry does not hold is not found", ReportFacts{}, "regulator:330000", trustmark.ENotFound},
		{"a report already on record is a conflict", func() ReportFacts { f := cert; f.Recorded = true; return f }(), "regulator:330000", trustmark.EConflict},
		{"a report names who recorded it", cert, " ", trustmark.EInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := DecideReport(goodReport(), c.facts, c.by, reportAt); trustmark.ErrorCode(err) != c.code {
				t.Errorf("DecideReport = %v, want %s", err, c.code)
			}
		})
	}
	t.Run("a certificate's organisation and body are both regions of the report", func(t *testing.T) {
		if got := cert.Regions(); !cmp.Equal(got, []string{"330106", "110105"}) {
			t.Errorf("Regions = %v", got)
		}
		if got := (ReportFacts{Region: "330106", BodyRegion: "330106"}).Regions(); !cmp.Equal(got, []string{"330106"}) {
			t.Errorf("Regions of one region twice = %v", got)
		}
	})
}

func TestParseReportSubject(t *testing.T) {
	for _, c := range []struct {
		in, kind, id string
		ok           bool
	}{
		{"certificate:00126q30001r0m", OnCertificate, "00126Q30001R0M", true},
		{"body:cnca-r-2002-001", OnBody, "CNCA-R-2002-001", true},
		{"lab:230012050001", OnLab, "230012050001", true},
		{"org:913301060000001156", OnOrg, "913301060000001156", true},
		{"", "", "", false},
		{"body", "", "", false},
		{"person:2026-NQA-0001", "", "", false},
		{"org:913301060000001157", "", "", false},
	} {
		kind, id, err := ParseReportSubject(c.in)
		if (err == nil) != c.ok || c.ok && (kind != c.kind || id != c.id) {
			t.Errorf("ParseReportSubject(%q) = %q, %q, %v; want %q, %q, ok %v", c.in, kind, id, err, c.kind, c.id, c.ok)
		}
		if err != nil && trustmark.ErrorField(err) != "subject" {
			t.Errorf("ParseReportSubject(%q) refuses field %q, want subject", c.in, trustmark.ErrorField(err))
		}
	}
}

// FuzzReportCheck: whatever a client sends, Check never panics, refuses
// with a reason on a field, and what it accepts is canonical (checking it
// again changes nothing) and within its bounds.
func FuzzReportCheck(f *testing.F) {
	f.Add("complaint", "certificate", "00126Q30001R0M", "国市监抽〔2026〕12号", "")
	f.Add("sampling_failed", "body", "CNCA-R-2002-001", "x", "电话13812345678")
	f.Add("proficiency_failed", "lab", " 2300 1205 0001 ", "CNAS T0912", "a\x00")
	f.Fuzz(func(t *testing.T, kind, subjectKind, subjectID, source, details string) {
		req := ReportRequest{Kind: Kind(kind), SubjectKind: subjectKind, SubjectID: subjectID, On: reportToday, Source: source, Details: details}
		got, err := req.Check(reportToday)
		if err != nil {
			var e *trustmark.Error
			if !asError(err, &e) || e.Reason == "" || e.Code != trustmark.EInvalid {
				t.Fatalf("Check(%+v) = %v, want an invalid error with a reason", req, err)
			}
			return
		}
		again, err := got.Check(reportToday)
		if err != nil || again != got || ReportID(again) != ReportID(got) {
			t.Fatalf("Check(Check(%+v)) = %+v, %v; want it unchanged", req, again, err)
		}
		if personalRE.MatchString(got.Details) || len([]rune(got.Source)) > MaxReportSource || got.Source == "" {
			t.Fatalf("Check accepted %+v", got)
		}
	})
}
