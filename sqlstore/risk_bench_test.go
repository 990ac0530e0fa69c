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
