package bulk_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"trustmark"
	"trustmark/locale"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

var ctx = context.Background()

// storeNow is when the fixture is written: 2026-03-15 in China.
var storeNow = time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)

// verifyNow is when the tests verify: 2026-06-01 in China, after the expiry
// of qmsExpiring, whose row still says valid.
var verifyNow = time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC)

var (
	holder1  = trustmark.MakeUSCC("9111010800000001")
	holder2  = trustmark.MakeUSCC("9131011500000002")
	unknownU = trustmark.MakeUSCC("9144030000000009")
)

const (
	bodyCQC     = "CNCA-R-2002-001" // QMS, CCC 0901
	bodyOrganic = "CNCA-R-2005-123" // ORGANIC
	labA        = "240012340001"
	labB        = "240012340002" // revoked
	labC        = "240012340003" // CMA valid until 2026-04-30, row active

	cccValid    = "2025010901000001"
	qmsSusp     = "00125Q10001R0M"
	qmsExpiring = "00125Q10002R0M" // expires 2026-05-01, stored valid
	qmsRevoked  = "00125Q10003R0M"
	organicNo   = "123OP2500001"
	reportA     = "R2026-0001"
)

func date(s string) trustmark.Date {
	d, err := trustmark.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

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
	return fill(t, filepath.Join(t.TempDir(), "trustmark.db"), now)
}

// pgDSN returns a DSN for a fresh PostgreSQL schema, or skips the test.
func pgDSN(t testing.TB) string {
	t.Helper()
	return storetest.PostgresDSN(t, "bulk")
}

// fill opens dsn and writes the fixture.
func fill(t testing.TB, dsn string, now *time.Time) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(func() time.Time { return *now }))
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
	load(trustmark.KindLabs,
		&trustmark.Lab{CMANo: labA, USCC: trustmark.MakeUSCC("1211000040000040"), Name: "国家电子产品质量检验检测中心", RegionCode: "110000", Status: trustmark.PartyActive, ValidUntil: date("2028-12-31")},
		&trustmark.Lab{CMANo: labB, USCC: trustmark.MakeUSCC("9131000000000050"), Name: "上海食品检测有限公司", RegionCode: "310000", Status: trustmark.PartyRevoked},
		&trustmark.Lab{CMANo: labC, USCC: trustmark.MakeUSCC("9132000000000060"), Name: "江苏建材检测中心", RegionCode: "320000", Status: trustmark.PartyActive, ValidUntil: date("2026-04-30")})
	qms := func(no string, issued, expires string) *trustmark.Certificate {
		return &trustmark.Certificate{Number: no, Type: trustmark.TypeQMS, BodyApprovalNo: bodyCQC, HolderUSCC: holder1, Scope: "精密仪器的设计和生产",
			IssuedOn: date(issued), ExpiresOn: date(expires), Status: trustmark.StatusValid}
	}
	load(trustmark.KindCertificates,
		&trustmark.Certificate{Number: cccValid, Type: trustmark.TypeCCC, BodyApprovalNo: bodyCQC, HolderUSCC: holder1, Scope: "电子玩具",
			Product: "遥控电动车", CCCCategory: "0901", IssuedOn: date("2025-02-01"), ExpiresOn: date("2030-01-31"), Status: trustmark.StatusValid},
		qms(qmsSusp, "2025-01-10", "2028-01-09"),
		qms(qmsExpiring, "2023-05-02", "2026-05-01"),
		qms(qmsRevoked, "2025-01-10", "2028-01-09"),
		&trustmark.Certificate{Number: organicNo, Type: trustmark.TypeOrganic, BodyApprovalNo: bodyOrganic, HolderUSCC: holder2, Scope: "有机大米",
			IssuedOn: date("2025-09-01"), ExpiresOn: date("2026-08-31"), Status: trustmark.StatusValid})
	load(trustmark.KindReports,
		&trustmark.Report{Number: reportA, LabCMANo: labA, ClientUSCC: holder1, Product: "电动玩具车", Conclusion: trustmark.ConclusionPass, IssuedOn: date("2026-01-20")})
	for no, to := range map[string]trustmark.CertStatus{qmsSusp: trustmark.StatusSuspended, qmsRevoked: trustmark.StatusRevoked} {
		if _, err := db.TransitionCertificate(ctx, trustmark.System, no, trustmark.Transition{To: to, Reason: "监督审核不合格"}); err != nil {
			t.Fatalf("TransitionCertificate(%s, %s): %v", no, to, err)
		}
	}
	return db
}

func partyBody(no string) trustmark.Party { return trustmark.Party{Kind: trustmark.PartyBody, ID: no} }

// The catalogues results are said in.
var (
	en = locale.Must(locale.English)
	zh = locale.Must(locale.Chinese)
)
