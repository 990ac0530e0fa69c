package webhook_test

import (
	"context"
	"testing"
	"time"

	"trustmark"
	"trustmark/internal/testfix"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

var ctx = context.Background()

var quiet = testfix.Quiet

// storeNow is when the fixture is written: 2026-03-15 in China.
var storeNow = testfix.StoreNow

// The fixture is testfix.Registry: two holders, a CCC certificate of
// holder1, a suspended QMS certificate of holder1 and an organic
// certificate of holder2.
var (
	holder1 = testfix.Holder1
	holder2 = testfix.Holder2
)

const (
	bodyCQC     = testfix.BodyCQC
	bodyOrganic = testfix.BodyOrganic

	cccValid  = testfix.CCCValid
	qmsSusp   = testfix.QMSSusp
	organicNo = testfix.OrganicNo
)

var date = testfix.Date

// opener opens a store filled with the fixture whose clock reads *now,
// which must be storeNow while the fixture is written.
type opener func(t testing.TB, now *time.Time) *sqlstore.DB

// eachStore runs fn on SQLite, and on PostgreSQL when TRUSTMARK_TEST_PG
// names a database (each test gets its own schema there).
func eachStore(t *testing.T, fn func(t *testing.T, open opener)) {
	t.Run("on SQLite", func(t *testing.T) { fn(t, openStoreClock) })
	t.Run("on PostgreSQL", func(t *testing.T) {
		fn(t, func(t testing.TB, now *time.Time) *sqlstore.DB { return fill(t, pgDSN(t), now) })
	})
}

// eachDatabase runs fn on a SQLite file, and on PostgreSQL when
// TRUSTMARK_TEST_PG names a database.
func eachDatabase(t *testing.T, fn func(t *testing.T, dsn string)) {
	testfix.EachDSN(t, "webhook", fn)
}

// openStoreClock opens a SQLite store in t.TempDir() filled with the
// fixture, with a store clock the test moves.
func openStoreClock(t testing.TB, now *time.Time) *sqlstore.DB {
	return fill(t, testfix.SQLiteDSN(t), now)
}

// pgDSN returns a DSN for a fresh PostgreSQL schema, or skips the test.
func pgDSN(t testing.TB) string {
	t.Helper()
	return storetest.PostgresDSN(t, "webhook")
}

// feed returns the event feed of db.
func feed(db *sqlstore.DB) *trustmark.Feed {
	return trustmark.NewFeed(db, trustmark.FeedOptions{Logger: quiet})
}

// fill opens dsn and writes the fixture.
func fill(t testing.TB, dsn string, now *time.Time) *sqlstore.DB {
	t.Helper()
	db := testfix.Open(t, dsn, now)
	testfix.Registry(t, db, nil)
	return db
}

func addWatch(t *testing.T, db *sqlstore.DB, id, url, secret string, at time.Time, items ...trustmark.WatchItem) {
	t.Helper()
	if err := db.CreateWatch(ctx, &trustmark.Watch{ID: id, Owner: "body:" + bodyCQC, URL: url, Secret: secret, Items: items, CreatedAt: at}); err != nil {
		t.Fatalf("CreateWatch: %v", err)
	}
}
