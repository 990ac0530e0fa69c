package bulk_test

import (
	"context"
	"testing"
	"time"

	"trustmark"
	"trustmark/internal/testfix"
	"trustmark/locale"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

var ctx = context.Background()

// storeNow is when the fixture is written: 2026-03-15 in China.
var storeNow = testfix.StoreNow

// verifyNow is when the tests verify: 2026-06-01 in China, after the expiry
// of qmsExpiring, whose row still says valid.
var verifyNow = time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC)

// The fixture: testfix.Registry, and three laboratories, two more QMS
// certificates and a report.
var (
	holder1  = testfix.Holder1
	holder2  = testfix.Holder2
	unknownU = trustmark.MakeUSCC("9144030000000009")
)

const (
	bodyCQC     = testfix.BodyCQC
	bodyOrganic = testfix.BodyOrganic
	labA        = "240012340001"
	labB        = "240012340002" // revoked
	labC        = "240012340003" // CMA valid until 2026-04-30, row active

	cccValid    = testfix.CCCValid
	qmsSusp     = testfix.QMSSusp
	qmsExpiring = "00125Q10002R0M" // expires 2026-05-01, stored valid
	qmsRevoked  = "00125Q10003R0M"
	organicNo   = testfix.OrganicNo
	reportA     = "R2026-0001"
)

var date = testfix.Date

// openStore returns a SQLite store in t.TempDir() filled with the fixture,
// written at storeNow.
func openStore(t testing.TB) *sqlstore.DB {
	now := storeNow
	return openStoreClock(t, &now)
}

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

// openStoreClock is openStore with a store clock the test moves.
func openStoreClock(t testing.TB, now *time.Time) *sqlstore.DB {
	return fill(t, testfix.SQLiteDSN(t), now)
}

// pgDSN returns a DSN for a fresh PostgreSQL schema, or skips the test.
func pgDSN(t testing.TB) string {
	t.Helper()
	return storetest.PostgresDSN(t, "bulk")
}

// fill opens dsn and writes the fixture.
func fill(t testing.TB, dsn string, now *time.Time) *sqlstore.DB {
	t.Helper()
	db := testfix.Open(t, dsn, now)
	testfix.Registry(t, db, []trustmark.Record{
		&trustmark.Lab{CMANo: labA, USCC: trustmark.MakeUSCC("1211000040000040"), Name: "国家电子产品质量检验检测中心", RegionCode: "110000", Status: trustmark.PartyActive, ValidUntil: date("2028-12-31")},
		&trustmark.Lab{CMANo: labB, USCC: trustmark.MakeUSCC("9131000000000050"), Name: "上海食品检测有限公司", RegionCode: "310000", Status: trustmark.PartyRevoked},
		&trustmark.Lab{CMANo: labC, USCC: trustmark.MakeUSCC("9132000000000060"), Name: "江苏建材检测中心", RegionCode: "320000", Status: trustmark.PartyActive, ValidUntil: date("2026-04-30")},
	}, testfix.QMS(qmsExpiring, "2023-05-02", "2026-05-01"), testfix.QMS(qmsRevoked, "2025-01-10", "2028-01-09"))
	testfix.Load(t, db, trustmark.KindReports,
		&trustmark.Report{Number: reportA, LabCMANo: labA, ClientUSCC: holder1, Product: "电动玩具车", Conclusion: trustmark.ConclusionPass, IssuedOn: date("2026-01-20")})
	testfix.Transition(t, db, qmsRevoked, trustmark.StatusRevoked)
	return db
}

func partyBody(no string) trustmark.Party { return trustmark.Party{Kind: trustmark.PartyBody, ID: no} }

// The catalogues results are said in.
var (
	en = locale.Must(locale.English)
	zh = locale.Must(locale.Chinese)
)
