package sqlstore_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/credit"
	"trustmark/risk"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

func TestRiskReportsSQLite(t *testing.T) { testRiskReports(t, openSQLite(t)) }

func TestRiskReportsPostgres(t *testing.T) {
	pgDSN(t) // skip early
	testRiskReports(t, openPG(t))
}

const reportLab = "230012050001" // a Hangzhou laboratory

// seedReportSubjects adds to seedParties a certificate of benchBody
// (Beijing) held by holder(0) (Hangzhou), and a Hangzhou laboratory.
func seedReportSubjects(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	seedParties(t, db)
	lab := &trustmark.Lab{CMANo: reportLab, USCC: holder(1), Name: "杭州检测实验室", RegionCode: "330106", Status: trustmark.PartyActive,
		ValidUntil: trustmark.NewDate(2030, 1, 1)}
	for _, b := range []struct {
		kind trustmark.Kind
		recs []trustmark.Record
	}{{trustmark.KindLabs, []trustmark.Record{lab}}, {trustmark.KindCertificates, certBatch("RR", 1)}} {
		out, err := db.Import(ctx, loader, b.kind, b.recs)
		if err != nil || out[0].Result != trustmark.Created {
			t.Fatalf("seed %s: %v %+v", b.kind, err, out)
		}
	}
	return "RR-00000"
}

// testRiskReports records a report of each kind through the store, reads
// them back by each subject they bear on, and lets the risk follower turn
// them into signals that change the subjects' scores.
func testRiskReports(t *testing.T, db *sqlstore.DB) {
	cert := seedReportSubjects(t, db)
	today := storetest.Today
	allow := func(f risk.ReportFacts) (string, error) { return "regulator:110000", nil }
	record := func(req risk.ReportRequest) (risk.Report, error) {
		t.Helper()
		return db.RecordRiskReport(ctx, req, allow)
	}
	sampling := risk.ReportRequest{Kind: risk.SamplingFailed, SubjectKind: risk.OnCertificate, SubjectID: " rr-00000 ", On: today.AddDate(0, 0, -3),
		Source: "国市监抽〔2026〕12号", Details: "产品标识不符合 GB 5296.1"}
	rep, err := record(sampling)
	if err != nil {
		t.Fatalf("RecordRiskReport(sampling) = %v", err)
	}
	wantParties := []risk.Party{{Subject: credit.Subject{Kind: credit.Org, ID: string(holder(0))}, Region: "330106", Value: 1},
		{Subject: credit.Subject{Kind: credit.Body, ID: benchBody}, Region: "110000", Value: risk.BodyShare}}
	if diff := cmp.Diff(wantParties, rep.Parties); diff != "" || rep.SubjectID != cert || rep.RecordedBy != "regulator:110000" {
		t.Fatalf("the sampling report %+v: parties (-want +got):\n%s", rep, diff)
	}
	if _, err := record(sampling); trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Errorf("the same report again: err = %v, want conflict", err)
	}
	complaint, err := record(risk.ReportRequest{Kind: risk.Complaint, SubjectKind: risk.OnBody, SubjectID: benchBody, On: today, Source: "12315-2026-000123"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := record(risk.ReportRequest{Kind: risk.ProficiencyFailed, SubjectKind: risk.OnLab, SubjectID: reportLab, On: today, Source: "CNAS T0912 第2轮"}); err != nil {
		t.Fatal(err)
	}
	if _, err := record(risk.ReportRequest{Kind: risk.Complaint, SubjectKind: risk.OnCertificate, SubjectID: "NO-SUCH-1", On: today, Source: "x"}); !trustmark.IsNotFound(err) {
		t.Errorf("a report on a certificate the registry does not hold: err = %v, want not_found", err)
	}
	refused := trustmark.Reasonf(trustmark.EForbidden, "access.outside_region", "", "outside")
	if _, err := db.RecordRiskReport(ctx, risk.ReportRequest{Kind: risk.Complaint, SubjectKind: risk.OnLab, SubjectID: reportLab, On: today, Source: "12315-9"},
		func(risk.ReportFacts) (string, error) { return "", refused }); err != refused {
		t.Errorf("a refused caller: err = %v, want the refusal", err)
	}

	for _, c := range []struct {
		kind, id string
		want     []string
	}{
		{risk.OnCertificate, cert, []string{rep.ID}},
		{risk.OnBody, benchBody, []string{complaint.ID, rep.ID}}, // its own and its certificate's, latest first
		{risk.OnOrg, string(holder(0)), []string{rep.ID}},
		{risk.OnLab, reportLab, nil}, // checked below
	} {
		got, next, err := db.RiskReports(ctx, c.kind, c.id, "", 10)
		if err != nil || next != "" {
			t.Fatalf("RiskReports(%s %s) = %v, %q, %v", c.kind, c.id, got, next, err)
		}
		if c.want == nil {
			if len(got) != 1 || got[0].Kind != risk.ProficiencyFailed {
				t.Errorf("RiskReports(lab) = %+v, want the failed PT", got)
			}
			continue
		}
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		if diff := cmp.Diff(c.want, ids); diff != "" {
			t.Errorf("RiskReports(%s %s) ids (-want +got):\n%s", c.kind, c.id, diff)
		}
	}
	page, next, err := db.RiskReports(ctx, risk.OnBody, benchBody, "", 1)
	if err != nil || len(page) != 1 || next == "" {
		t.Fatalf("first page of one: %v %q %v", page, next, err)
	}
	page2, next2, err := db.RiskReports(ctx, risk.OnBody, benchBody, next, 1)
	if err != nil || len(page2) != 1 || page2[0].ID != rep.ID || next2 != "" {
		t.Fatalf("second page: %v %q %v, want the sampling report and the end", page2, next2, err)
	}
	if regions, err := db.RiskReportRegions(ctx, risk.OnCertificate, cert); err != nil || !cmp.Equal(regions, []string{"330106", "110000"}) {
		t.Errorf("RiskReportRegions(certificate) = %v, %v", regions, err)
	}
	evs, err := db.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityRiskReport, After: -1, Limit: 10})
	if err != nil || len(evs) != 3 || evs[0].Key != rep.ID || evs[0].Action != string(risk.SamplingFailed) || evs[0].Actor != "regulator:110000" {
		t.Fatalf("events = %+v, %v; want the three reports, the sampling first", evs, err)
	}

	// The follower turns each report into signals on its parties.
	if _, err := trustmark.NewFeed(db, trustmark.FeedOptions{}).CatchUp(ctx, db.RiskFollower()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		subject credit.Subject
		total   float64
		class   risk.Class
	}{
		{credit.Subject{Kind: credit.Org, ID: string(holder(0))}, 12, risk.B}, // sampling, fresh
		{credit.Subject{Kind: credit.Body, ID: benchBody}, 9, risk.A},         // complaint 3 + sampling 12 × 0.5 (three days' decay below the rounding)
		{credit.Subject{Kind: credit.Lab, ID: reportLab}, 10, risk.B},         // failed PT
	} {
		rec, _, _, err := db.RiskSubject(ctx, c.subject)
		if err != nil {
			t.Fatalf("RiskSubject(%s): %v", c.subject, err)
		}
		if got := rec.Score.Total; got < c.total-0.1 || got > c.total || rec.Score.Class != c.class {
			t.Errorf("score of %s = %v class %s, want about %v class %s", c.subject, got, rec.Score.Class, c.total, c.class)
		}
	}
}
