package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/campaign"
	"trustmark/credit"
	"trustmark/risk"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

func TestRiskFollowerSQLite(t *testing.T) { testRiskFollower(t, openSQLite(t)) }

func TestRiskFollowerPostgres(t *testing.T) {
	pgDSN(t) // skip early
	testRiskFollower(t, openPG(t))
}

// testRiskFollower records a penalty and a finding in a body's archive,
// lets the risk follower catch up, and checks the stored score, its
// explanation, the warning's matter, the region scoping, the classes the
// draw reads, and that replaying every event changes nothing.
func testRiskFollower(t *testing.T, db *sqlstore.DB) {
	seedParties(t, db)
	feed := trustmark.NewFeed(db, trustmark.FeedOptions{})
	fl := db.RiskFollower()
	body := credit.Subject{Kind: credit.Body, ID: benchBody}
	today := trustmark.DateOf(storetest.Clock())
	at := storetest.Clock().UTC().Add(-time.Hour)
	record := func(e credit.Entry) {
		t.Helper()
		e.Subject, e.RecordedBy, e.RecordedAt = body, "regulator:110000", at
		if e.ValidFrom.IsZero() {
			e.ValidFrom = e.On
		}
		if err := db.RecordCreditEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		at = at.Add(time.Minute)
	}
	catchUp := func() {
		t.Helper()
		if _, err := feed.CatchUp(ctx, fl); err != nil {
			t.Fatal(err)
		}
	}
	catchUp() // the seeded parties: no signal
	if rec, _, _, err := db.RiskSubject(ctx, body); err != nil || rec.Score.Class != risk.A || rec.Region != "110000" {
		t.Fatalf("before any signal: %+v, %v; want class A in 110000", rec, err)
	}
	if _, _, _, err := db.RiskSubject(ctx, credit.Subject{Kind: credit.Body, ID: "CNCA-R-2099-999"}); trustmark.ErrorCode(err) != trustmark.ENotFound {
		t.Fatalf("a body the registry does not hold: err = %v, want not_found", err)
	}

	record(credit.Entry{ID: "P-1", Kind: credit.Penalty, Summary: "超范围认证", Decision: "京市监罚〔2026〕1号",
		Source: "penalty:京市监罚〔2026〕1号", LegalBasis: "《认证认可条例》第六十一条", On: today})
	catchUp()
	rec, hist, warns, err := db.RiskSubject(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Score.Class != risk.C || rec.Score.Total != 25 || len(rec.Score.Parts) != 1 || rec.Score.Parts[0].Signal.Kind != risk.PenaltySignal {
		t.Fatalf("after a penalty: %+v, want class C, 25 points from one penalty", rec.Score)
	}
	if rec.Region != "110000" || len(hist) != 1 {
		t.Fatalf("region %q, history %v", rec.Region, hist)
	}
	if len(warns) != 1 || warns[0].Rule != risk.RuleClassUp || warns[0].Due.IsZero() || warns[0].State == "" {
		t.Fatalf("warnings = %+v, want one class_up with its matter's deadline", warns)
	}
	m, err := db.Matter(ctx, warns[0].Matter)
	if err != nil || m.Kind != "risk_warning" || m.Region != "110000" {
		t.Fatalf("matter %+v, %v", m, err)
	}

	// A second signal in the same class: a new history point, no new warning.
	record(credit.Entry{ID: "F-1", Kind: credit.Finding, Summary: "审核记录不全", Source: "inspection:2026-031",
		LegalBasis: "《认证机构管理办法》第二十条", On: today})
	catchUp()
	rec, hist, warns, _ = db.RiskSubject(ctx, body)
	if rec.Score.Total != 33 || len(rec.Score.Parts) != 2 || len(hist) != 2 || len(warns) != 1 {
		t.Fatalf("after a finding: total %v parts %d history %d warnings %d, want 33, 2, 2, 1", rec.Score.Total, len(rec.Score.Parts), len(hist), len(warns))
	}

	// Replaying every event changes nothing.
	if err := db.SetCursor(ctx, sqlstore.RiskCursor, -1); err != nil {
		t.Fatal(err)
	}
	catchUp()
	again, hist2, warns2, _ := db.RiskSubject(ctx, body)
	if again.Score.Total != rec.Score.Total || again.Seq != rec.Seq || len(hist2) != len(hist) || len(warns2) != 1 {
		t.Fatalf("replay changed the output: %+v / %d / %d", again, len(hist2), len(warns2))
	}
	// The stored score is what risk.Compute gives from the signals.
	var sigs []risk.Signal
	for _, p := range rec.Score.Parts {
		sigs = append(sigs, p.Signal)
	}
	if re := risk.DefaultRules().ScoreOn(body, sigs, rec.Score.On); re.Total != rec.Score.Total || re.Class != rec.Score.Class {
		t.Fatalf("recomputed %v %s, stored %v %s", re.Total, re.Class, rec.Score.Total, rec.Score.Class)
	}

	for _, tc := range []struct {
		f    risk.Filter
		want int
	}{
		{risk.Filter{Region: "110000", Limit: 10}, 1},
		{risk.Filter{Region: "110105", Limit: 10}, 0}, // a district of Beijing does not see the city's body
		{risk.Filter{Region: "310000", Limit: 10}, 0},
		{risk.Filter{Region: "000000", Class: risk.C, Limit: 10}, 1},
		{risk.Filter{Region: "000000", Class: risk.D, Limit: 10}, 0},
		{risk.Filter{Region: "000000", Kind: credit.Lab, Limit: 10}, 0},
	} {
		got, _, err := db.RiskSubjects(ctx, tc.f)
		if err != nil || len(got) != tc.want {
			t.Errorf("RiskSubjects(%+v) = %d, %v; want %d", tc.f, len(got), err, tc.want)
		}
	}
	if ws, _ := db.RiskWarnings(ctx, "310000", 10); len(ws) != 0 {
		t.Errorf("Shanghai sees Beijing's warnings: %+v", ws)
	}
	classes, err := db.RiskClasses(ctx, "body", []string{benchBody, "CNCA-R-2099-999"})
	if err != nil || classes[benchBody] != "C" || len(classes) != 1 {
		t.Fatalf("RiskClasses = %v, %v", classes, err)
	}
	if classes, err := db.RiskClasses(ctx, "certificate", []string{benchBody}); err != nil || len(classes) != 0 {
		t.Fatalf("RiskClasses(certificate) = %v, %v; want none", classes, err)
	}
	var _ campaign.RiskClasses = db // the draw finds the classes through its port
}

// TestRiskSuspensionShare: suspending a certificate gives its body a
// measured signal (its share against the national share), and restoring it
// takes the signal away again.
func TestRiskSuspensionShareSQLite(t *testing.T) { testRiskSuspensionShare(t, openSQLite(t)) }

func TestRiskSuspensionSharePostgres(t *testing.T) {
	pgDSN(t)
	testRiskSuspensionShare(t, openPG(t))
}

func testRiskSuspensionShare(t *testing.T, db *sqlstore.DB) {
	seedParties(t, db)
	if _, err := db.Import(ctx, loader, trustmark.KindCertificates, certBatch("RS", 4)); err != nil {
		t.Fatal(err)
	}
	feed := trustmark.NewFeed(db, trustmark.FeedOptions{})
	body := credit.Subject{Kind: credit.Body, ID: benchBody}
	asBody := trustmark.Party{Kind: trustmark.PartyBody, ID: benchBody}
	step := func(to trustmark.CertStatus) risk.Record {
		t.Helper()
		if _, err := db.TransitionCertificate(ctx, asBody, "RS-00001", trustmark.Transition{To: to, Reason: "监督审核"}); err != nil {
			t.Fatal(err)
		}
		if _, err := feed.CatchUp(ctx, db.RiskFollower()); err != nil {
			t.Fatal(err)
		}
		rec, _, _, err := db.RiskSubject(ctx, body)
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	rec := step(trustmark.StatusSuspended)
	if len(rec.Score.Parts) != 1 || rec.Score.Parts[0].Signal.Kind != risk.SuspensionShare || rec.Score.Class != risk.B {
		t.Fatalf("after a suspension: %+v, want one suspension_share signal, class B", rec.Score)
	}
	if src := rec.Score.Parts[0].Signal.Source; !strings.Contains(src, "1/4") {
		t.Errorf("source %q does not give the counts", src)
	}
	rec = step(trustmark.StatusValid)
	if len(rec.Score.Parts) != 0 || rec.Score.Class != risk.A {
		t.Fatalf("after the restoration: %+v, want no signal, class A", rec.Score)
	}
}

// TestRiskPatternsSuspensionJump: of four bodies issuing QMS certificates,
// the one that suspends far more than its peers raises one warning for the
// regulators of its region, once however often the analysis runs.
func TestRiskPatternsSuspensionJumpSQLite(t *testing.T) {
	testRiskPatternsSuspensionJump(t, openSQLite(t))
}

func TestRiskPatternsSuspensionJumpPostgres(t *testing.T) {
	pgDSN(t)
	testRiskPatternsSuspensionJump(t, openPG(t))
}

func testRiskPatternsSuspensionJump(t *testing.T, db *sqlstore.DB) {
	seedParties(t, db)
	issued, _ := trustmark.ParseDate("2025-06-01")
	var bodies, certs []trustmark.Record
	for i := range 4 {
		no := fmt.Sprintf("CNCA-R-2010-%03d", i+1)
		bodies = append(bodies, &trustmark.Body{ApprovalNo: no, USCC: trustmark.MakeUSCC(fmt.Sprintf("121100004000%04d", 100+i)), Name: fmt.Sprintf("第%d认证中心", i+1),
			RegionCode: []string{"110000", "310000", "440000", "330000"}[i], Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive})
		for j := range 10 {
			certs = append(certs, &trustmark.Certificate{Number: fmt.Sprintf("PJ%d-%03d", i, j), Type: trustmark.TypeQMS, BodyApprovalNo: no,
				HolderUSCC: holder(j), Scope: "机械加工", Standard: "GB/T 19001-2016", IssuedOn: issued, ExpiresOn: issued.AddDate(3, 0, -1), Status: trustmark.StatusValid})
		}
	}
	for _, b := range []struct {
		k    trustmark.Kind
		recs []trustmark.Record
	}{{trustmark.KindBodies, bodies}, {trustmark.KindCertificates, certs}} {
		if out, err := db.Import(ctx, loader, b.k, b.recs); err != nil || out[0].Err != nil {
			t.Fatalf("import %s: %v %v", b.k, err, out[0].Err)
		}
	}
	asD := trustmark.Party{Kind: trustmark.PartyBody, ID: "CNCA-R-2010-004"}
	for j := range 4 {
		if _, err := db.TransitionCertificate(ctx, asD, fmt.Sprintf("PJ3-%03d", j), trustmark.Transition{To: trustmark.StatusSuspended, Reason: "监督审核不通过"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 2; i++ { // the second and third body suspend one each: their share is their peers' median
		as := trustmark.Party{Kind: trustmark.PartyBody, ID: fmt.Sprintf("CNCA-R-2010-%03d", i+1)}
		if _, err := db.TransitionCertificate(ctx, as, fmt.Sprintf("PJ%d-000", i), trustmark.Transition{To: trustmark.StatusSuspended, Reason: "监督审核不通过"}); err != nil {
			t.Fatal(err)
		}
	}
	today := trustmark.DateOf(storetest.Clock())
	n, err := db.RiskPatterns(ctx, today, risk.DefaultPatterns)
	if err != nil || n != 1 {
		t.Fatalf("RiskPatterns = %d, %v; want one warning", n, err)
	}
	ws, err := db.RiskWarnings(ctx, "330000", 10)
	if err != nil || len(ws) != 1 || ws[0].Rule != risk.RuleSuspensionJump || ws[0].Subject.ID != "CNCA-R-2010-004" || ws[0].Matter == "" {
		t.Fatalf("Zhejiang's warnings = %+v, %v", ws, err)
	}
	if n, err := db.RiskPatterns(ctx, today, risk.DefaultPatterns); err != nil || n != 0 {
		t.Fatalf("a second run = %d, %v; want nothing new", n, err)
	}
}

// TestRiskRulesVersions: a new version of the rule set needs a reason and
// takes effect no earlier than today; events from then are scored under it,
// while the stored score of an earlier event keeps its version and can be
// recomputed under it exactly.
func TestRiskRulesVersionsSQLite(t *testing.T) { testRiskRulesVersions(t, openSQLite(t)) }

func TestRiskRulesVersionsPostgres(t *testing.T) {
	pgDSN(t)
	testRiskRulesVersions(t, openPG(t))
}

func testRiskRulesVersions(t *testing.T, db *sqlstore.DB) {
	seedParties(t, db)
	feed := trustmark.NewFeed(db, trustmark.FeedOptions{})
	body := credit.Subject{Kind: credit.Body, ID: benchBody}
	today := trustmark.DateOf(storetest.Clock())
	record := func(id string, at time.Time) {
		t.Helper()
		if err := db.RecordCreditEntry(ctx, credit.Entry{ID: id, Subject: body, Kind: credit.Penalty, Summary: "超范围认证", Source: "penalty:" + id,
			LegalBasis: "第六十一条", RecordedBy: "regulator:110000", On: today, ValidFrom: today, RecordedAt: at}); err != nil {
			t.Fatal(err)
		}
		if _, err := feed.CatchUp(ctx, db.RiskFollower()); err != nil {
			t.Fatal(err)
		}
	}
	record("P-1", storetest.Clock().Add(-2*time.Hour))
	before, _, _, _ := db.RiskSubject(ctx, body)

	next := risk.DefaultRules().InForce(today)
	heavier := *next
	heavier.Weights = map[risk.Kind]risk.Weight{}
	for k, w := range next.Weights {
		heavier.Weights[k] = w
	}
	heavier.Weights[risk.PenaltySignal] = risk.Weight{Points: 60, HalfLifeDays: 730, HorizonDays: 1825}
	heavier.EffectiveFrom, heavier.Reason = today.AddDate(0, 0, -1), "加重处罚权重"
	if _, err := db.EditRiskRules(ctx, heavier, "account:admin"); trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Fatalf("a version effective yesterday: err = %v, want conflict", err)
	}
	heavier.EffectiveFrom, heavier.Reason = today, ""
	if _, err := db.EditRiskRules(ctx, heavier, "account:admin"); trustmark.ErrorCode(err) != trustmark.EInvalid {
		t.Fatalf("a version without a reason: err = %v, want invalid", err)
	}
	heavier.Reason = "加重处罚权重"
	v, err := db.EditRiskRules(ctx, heavier, "account:admin")
	if err != nil || v.Version != 2 {
		t.Fatalf("EditRiskRules = %+v, %v", v, err)
	}
	rules, err := db.RiskRules(ctx)
	if err != nil || len(rules.Versions()) != 2 {
		t.Fatalf("RiskRules = %v, %v; want two versions", rules, err)
	}
	if evs, _ := db.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityRiskRules, After: -1}); len(evs) != 1 || evs[0].Reason != "加重处罚权重" {
		t.Errorf("events of the edit = %+v", evs)
	}

	record("P-2", storetest.Clock().Add(-time.Hour))
	after, _, _, _ := db.RiskSubject(ctx, body)
	if before.Score.Version != 1 || before.Score.Total != 25 || after.Score.Version != 2 || after.Score.Total != 120 || after.Score.Class != risk.D {
		t.Fatalf("before %v v%d, after %v v%d %s; want 25 under v1, then 120 (D) under v2", before.Score.Total, before.Score.Version,
			after.Score.Total, after.Score.Version, after.Score.Class)
	}
	v1, _ := rules.Version(1)
	var sigs []risk.Signal
	for _, p := range before.Score.Parts {
		sigs = append(sigs, p.Signal)
	}
	if re := risk.Compute(body, sigs, v1, before.Score.On); re.Total != before.Score.Total {
		t.Errorf("the earlier score recomputed under version 1 = %v, stored %v", re.Total, before.Score.Total)
	}
}

// TestRescoreRisk: a penalty's 25 points halve in two years, so a body
// scored C on the day of its penalty is B when scored again two years on;
// the daily run scores each subject once.
func TestRescoreRiskSQLite(t *testing.T) { testRescoreRisk(t, openSQLite(t)) }

func TestRescoreRiskPostgres(t *testing.T) {
	pgDSN(t)
	testRescoreRisk(t, openPG(t))
}

func testRescoreRisk(t *testing.T, db *sqlstore.DB) {
	seedParties(t, db)
	body := credit.Subject{Kind: credit.Body, ID: benchBody}
	today := trustmark.DateOf(storetest.Clock())
	if err := db.RecordCreditEntry(ctx, credit.Entry{ID: "P-1", Subject: body, Kind: credit.Penalty, Summary: "超范围认证", Source: "penalty:P-1",
		LegalBasis: "第六十一条", RecordedBy: "regulator:110000", On: today, ValidFrom: today, RecordedAt: storetest.Clock().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := trustmark.NewFeed(db, trustmark.FeedOptions{}).CatchUp(ctx, db.RiskFollower()); err != nil {
		t.Fatal(err)
	}
	if n, _, err := db.RescoreRisk(ctx, today, credit.Subject{}, 100); err != nil || n != 0 {
		t.Fatalf("rescoring the day of the event = %d, %v; want none due", n, err)
	}
	later := today.AddDate(0, 0, 730)
	if n, _, err := db.RescoreRisk(ctx, later, credit.Subject{}, 100); err != nil || n != 1 {
		t.Fatalf("RescoreRisk two years on = %d, %v; want 1", n, err)
	}
	rec, hist, _, err := db.RiskSubject(ctx, body)
	if err != nil || rec.Score.Total != 12.5 || rec.Score.Class != risk.B || rec.Score.On != later || len(hist) != 1 {
		t.Fatalf("two years on: %+v (history %d), %v; want 12.5, class B", rec.Score, len(hist), err)
	}
	if n, _, _ := db.RescoreRisk(ctx, later, credit.Subject{}, 100); n != 0 {
		t.Errorf("a second run the same day rescored %d", n)
	}
}
