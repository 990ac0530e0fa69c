package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"trustmark"
	"trustmark/credit"
	"trustmark/storetest"
)

// BenchmarkRiskOneSignal measures how long one new signal takes to reach
// its subject's stored score: an entry recorded in a body's archive (its
// event committed), then the risk follower's catch-up, which reads the
// event, stores the signal, re-scores the body from all its signals and
// stores the score, in the transaction that moves its cursor. The body
// already has 40 signals.
func BenchmarkRiskOneSignal(b *testing.B) {
	db := openSQLite(b)
	seedParties(b, db)
	feed := trustmark.NewFeed(db, trustmark.FeedOptions{})
	fl := db.RiskFollower()
	body := credit.Subject{Kind: credit.Body, ID: benchBody}
	at := storetest.Clock().UTC().Add(-24 * time.Hour)
	day := trustmark.DateOf(storetest.Clock())
	n := 0
	record := func() {
		n++
		at = at.Add(time.Millisecond)
		e := credit.Entry{ID: fmt.Sprintf("F-%d", n), Subject: body, Kind: credit.Finding, Summary: "审核记录不全",
			Source: fmt.Sprintf("inspection:%d", n), LegalBasis: "第二十条", RecordedBy: "regulator:110000", On: day, ValidFrom: day, RecordedAt: at}
		if err := db.RecordCreditEntry(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
	for range 40 {
		record()
	}
	if _, err := feed.CatchUp(ctx, fl); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		record()
		if _, err := feed.CatchUp(ctx, fl); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	rec, _, _, err := db.RiskSubject(ctx, body)
	if err != nil || len(rec.Score.Parts) != 40+b.N {
		b.Fatalf("score has %d parts, want %d: %v", len(rec.Score.Parts), 40+b.N, err)
	}
}

// BenchmarkRescoreRisk measures the daily rescoring through the store:
// 1,000 bodies with two signals each, every stored score read, its signals
// read, scored again as of two years later and written back, in
// transactions of 500 subjects. The figure is per subject.
func BenchmarkRescoreRisk(b *testing.B) {
	db := openSQLite(b)
	const n = 1000
	var bodies []trustmark.Record
	for i := range n {
		bodies = append(bodies, &trustmark.Body{ApprovalNo: fmt.Sprintf("CNCA-R-2020-%04d", i), USCC: trustmark.MakeUSCC(fmt.Sprintf("1211000050%06d", i)),
			Name: fmt.Sprintf("第%d认证中心", i), RegionCode: "110000", Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive})
	}
	if _, err := db.Import(ctx, loader, trustmark.KindBodies, bodies); err != nil {
		b.Fatal(err)
	}
	day := trustmark.DateOf(storetest.Clock())
	at := storetest.Clock().UTC().Add(-24 * time.Hour)
	for i := range n {
		s := credit.Subject{Kind: credit.Body, ID: fmt.Sprintf("CNCA-R-2020-%04d", i)}
		for j, k := range []credit.EntryKind{credit.Finding, credit.Penalty} {
			at = at.Add(time.Millisecond)
			if err := db.RecordCreditEntry(ctx, credit.Entry{ID: fmt.Sprintf("E-%d", j), Subject: s, Kind: k, Summary: "x", Source: "inspection:x",
				LegalBasis: "x", RecordedBy: "regulator:110000", On: day, ValidFrom: day, RecordedAt: at}); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := trustmark.NewFeed(db, trustmark.FeedOptions{}).CatchUp(ctx, db.RiskFollower()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	total := 0
	for i := range b.N {
		on := day.AddDate(0, 0, 1+i)
		var after credit.Subject
		for {
			k, last, err := db.RescoreRisk(ctx, on, after, 500)
			after = last
			if err != nil {
				b.Fatal(err)
			}
			total += k
			if k < 500 {
				break
			}
		}
	}
	b.StopTimer()
	if total != n*b.N {
		b.Fatalf("rescored %d, want %d", total, n*b.N)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(total), "ns/subject")
}
