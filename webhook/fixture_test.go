package webhook_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

var ctx = context.Background()

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// storeNow is when the fixture is written: 2026-03-15 in China.
var storeNow = time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)

var (
	holder1 = trustmark.MakeUSCC("9111010800000001")
	holder2 = trustmark.MakeUSCC("9131011500000002")
)

const (
	bodyCQC     = "CNCA-R-2002-001" // QMS, CCC 0901
	bodyOrganic = "CNCA-R-2005-123" // ORGANIC

	cccValid  = "2025010901000001"
	qmsSusp   = "00125Q10001R0M" // suspended
	organicNo = "123OP2500001"
)

func date(s string) trustmark.Date {
	d, err := trustmark.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
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

// eachDatabase runs fn on a SQLite file, and on PostgreSQL when
// TRUSTMARK_TEST_PG names a database.
func eachDatabase(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("on SQLite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "trustmark.db")) })
	t.Run("on PostgreSQL", func(t *testing.T) { fn(t, pgDSN(t)) })
}

// openStoreClock opens a SQLite store in t.TempDir() filled with the
// fixture, with a store clock the test moves.
func openStoreClock(t testing.TB, now *time.Time) *sqlstore.DB {
	return fill(t, filepath.Join(t.TempDir(), "trustmark.db"), now)
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

// fill opens dsn and writes the fixture: two holders, a CCC certificate of
// holder1, a suspended QMS certificate of holder1 and an organic
// certificate of holder2.
func fill(t testing.TB, dsn string, now *time.Time) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(func() time.Time { return *now }), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	imp := trustmark.Party{Kind: trustmark.PartyImport, ID: "fixture.csv"}
	load := func(kind trustmark.Kind, recs ...trustmark.Record) {
		t.Helper()
		out, err := db.Import(ctx, imp, kind, recs)
		if err != nil {
			t.Fatalf("Import(%s): %v", kind, err)
		}
		for i, o := range out {
			if o.Err != nil {
				t.Fatalf("Import(%s) record %d: %v", kind, i, o.Err)
			}
		}
	}
	load(trustmark.KindOrgs,
		&trustmark.Org{USCC: holder1, Name: "北京海淀精密仪器有限公司", RegionCode: "110108"},
		&trustmark.Org{USCC: holder2, Name: "上海浦东食品股份有限公司", RegionCode: "310115"})
	load(trustmark.KindBodies,
		&trustmark.Body{ApprovalNo: bodyCQC, USCC: trustmark.MakeUSCC("1211000040000010"), Name: "中国质量认证中心", RegionCode: "110000",
			Scopes: []trustmark.CertType{trustmark.TypeQMS, trustmark.TypeCCC}, CCCCategories: []string{"0901"}, CCCCode: "01", Status: trustmark.PartyActive},
		&trustmark.Body{ApprovalNo: bodyOrganic, USCC: trustmark.MakeUSCC("9131000000000020"), Name: "南京国环有机产品认证中心", RegionCode: "320000",
			Scopes: []trustmark.CertType{trustmark.TypeOrganic}, Status: trustmark.PartyActive})
	load(trustmark.KindCertificates,
		&trustmark.Certificate{Number: cccValid, Type: trustmark.TypeCCC, BodyApprovalNo: bodyCQC, HolderUSCC: holder1, Scope: "电子玩具",
			Product: "遥控电动车", CCCCategory: "0901", IssuedOn: date("2025-02-01"), ExpiresOn: date("2030-01-31"), Status: trustmark.StatusValid},
		&trustmark.Certificate{Number: qmsSusp, Type: trustmark.TypeQMS, BodyApprovalNo: bodyCQC, HolderUSCC: holder1, Scope: "精密仪器的设计和生产",
			IssuedOn: date("2025-01-10"), ExpiresOn: date("2028-01-09"), Status: trustmark.StatusValid},
		&trustmark.Certificate{Number: organicNo, Type: trustmark.TypeOrganic, BodyApprovalNo: bodyOrganic, HolderUSCC: holder2, Scope: "有机大米",
			IssuedOn: date("2025-09-01"), ExpiresOn: date("2026-08-31"), Status: trustmark.StatusValid})
	if _, err := db.TransitionCertificate(ctx, trustmark.System, qmsSusp, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "监督审核不合格"}); err != nil {
		t.Fatalf("TransitionCertificate(%s): %v", qmsSusp, err)
	}
	return db
}

func addWatch(t *testing.T, db *sqlstore.DB, id, url, secret string, at time.Time, items ...trustmark.WatchItem) {
	t.Helper()
	if err := db.CreateWatch(ctx, &trustmark.Watch{ID: id, Owner: "body:" + bodyCQC, URL: url, Secret: secret, Items: items, CreatedAt: at}); err != nil {
		t.Fatalf("CreateWatch: %v", err)
	}
}
