// Package testfix holds the fixtures several packages' tests share: a
// store opened with a clock the test moves, on SQLite and on PostgreSQL,
// records loaded as an import would, a small registry of bodies and
// certificates (bulk verification and the webhook notifier verify and
// watch the same certificates), and accounts with a password. It is for
// tests only; the product never imports it.
package testfix

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

// StoreNow is when Registry writes its records: 2026-03-15 in China.
var StoreNow = time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)

// Quiet is a logger that drops everything.
var Quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// Date parses a YYYY-MM-DD date of a fixture, panicking on a typo.
func Date(s string) trustmark.Date {
	d, err := trustmark.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// EachDSN runs fn on a fresh SQLite file, and on a fresh PostgreSQL schema
// (named after prefix) when TRUSTMARK_TEST_PG names a database.
func EachDSN(t *testing.T, prefix string, fn func(t *testing.T, dsn string)) {
	t.Run("on SQLite", func(t *testing.T) { fn(t, SQLiteDSN(t)) })
	t.Run("on PostgreSQL", func(t *testing.T) { fn(t, storetest.PostgresDSN(t, prefix)) })
}

// SQLiteDSN is a new SQLite file in t.TempDir().
func SQLiteDSN(t testing.TB) string { return filepath.Join(t.TempDir(), "trustmark.db") }

// Open opens dsn with a store clock that reads *now and a quiet logger,
// closed when the test ends.
func Open(t testing.TB, dsn string, now *time.Time) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.WithClock(func() time.Time { return *now }), sqlstore.WithLogger(Quiet))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Load imports records of kind as the import party "fixture.csv", failing
// the test on any record refused.
func Load(t testing.TB, db trustmark.Store, kind trustmark.Kind, recs ...trustmark.Record) {
	t.Helper()
	out, err := db.Import(context.Background(), trustmark.Party{Kind: trustmark.PartyImport, ID: "fixture.csv"}, kind, recs)
	if err != nil {
		t.Fatalf("Import(%s): %v", kind, err)
	}
	for i, o := range out {
		if o.Err != nil {
			t.Fatalf("Import(%s) record %d: %v", kind, i, o.Err)
		}
	}
}

// LoadRows is Load of rows read as an import file's (trustmark.ParseRecord
// under the default policy).
func LoadRows(t testing.TB, db trustmark.Store, kind trustmark.Kind, rows ...trustmark.Row) {
	t.Helper()
	var recs []trustmark.Record
	for _, row := range rows {
		rec, err := trustmark.ParseRecord(kind, row, trustmark.DefaultPolicy())
		if err != nil {
			t.Fatalf("fixture %s row %v: %v", kind, row, err)
		}
		recs = append(recs, rec)
	}
	Load(t, db, kind, recs...)
}

// The registry of Registry: two holders, the CCC body and the organic
// body, a valid CCC certificate and a suspended QMS certificate of Holder1,
// and an organic certificate of Holder2.
var (
	Holder1 = trustmark.MakeUSCC("9111010800000001")
	Holder2 = trustmark.MakeUSCC("9131011500000002")
)

const (
	BodyCQC     = "CNCA-R-2002-001" // QMS, CCC 0901
	BodyOrganic = "CNCA-R-2005-123" // ORGANIC
	CCCValid    = "2025010901000001"
	QMSSusp     = "00125Q10001R0M" // suspended
	OrganicNo   = "123OP2500001"
)

// QMS is a QMS certificate of Holder1 issued by BodyCQC.
func QMS(no, issued, expires string) *trustmark.Certificate {
	return &trustmark.Certificate{Number: no, Type: trustmark.TypeQMS, BodyApprovalNo: BodyCQC, HolderUSCC: Holder1, Scope: "精密仪器的设计和生产",
		IssuedOn: Date(issued), ExpiresOn: Date(expires), Status: trustmark.StatusValid}
}

// Registry writes the registry above into db; more certificates of
// Holder1 by BodyCQC (QMS) are imported with them, and the labs before
// them. QMSSusp is suspended last.
func Registry(t testing.TB, db *sqlstore.DB, labs []trustmark.Record, more ...trustmark.Record) {
	t.Helper()
	Load(t, db, trustmark.KindOrgs,
		&trustmark.Org{USCC: Holder1, Name: "北京海淀精密仪器有限公司", RegionCode: "110108"},
		&trustmark.Org{USCC: Holder2, Name: "上海浦东食品股份有限公司", RegionCode: "310115"})
	Load(t, db, trustmark.KindBodies,
		&trustmark.Body{ApprovalNo: BodyCQC, USCC: trustmark.MakeUSCC("1211000040000010"), Name: "中国质量认证中心", RegionCode: "110000",
			Scopes: []trustmark.CertType{trustmark.TypeQMS, trustmark.TypeCCC}, CCCCategories: []string{"0901"}, CCCCode: "01", Status: trustmark.PartyActive},
		&trustmark.Body{ApprovalNo: BodyOrganic, USCC: trustmark.MakeUSCC("9131000000000020"), Name: "南京国环有机产品认证中心", RegionCode: "320000",
			Scopes: []trustmark.CertType{trustmark.TypeOrganic}, Status: trustmark.PartyActive})
	if len(labs) > 0 {
		Load(t, db, trustmark.KindLabs, labs...)
	}
	certs := []trustmark.Record{
		&trustmark.Certificate{Number: CCCValid, Type: trustmark.TypeCCC, BodyApprovalNo: BodyCQC, HolderUSCC: Holder1, Scope: "电子玩具",
			Product: "遥控电动车", CCCCategory: "0901", IssuedOn: Date("2025-02-01"), ExpiresOn: Date("2030-01-31"), Status: trustmark.StatusValid},
		QMS(QMSSusp, "2025-01-10", "2028-01-09"),
	}
	certs = append(certs, more...)
	certs = append(certs, &trustmark.Certificate{Number: OrganicNo, Type: trustmark.TypeOrganic, BodyApprovalNo: BodyOrganic, HolderUSCC: Holder2, Scope: "有机大米",
		IssuedOn: Date("2025-09-01"), ExpiresOn: Date("2026-08-31"), Status: trustmark.StatusValid})
	Load(t, db, trustmark.KindCertificates, certs...)
	Transition(t, db, QMSSusp, trustmark.StatusSuspended)
}

// Transition moves a certificate to status as the system does, with the
// reason of a failed surveillance audit.
func Transition(t testing.TB, db *sqlstore.DB, number string, to trustmark.CertStatus) {
	t.Helper()
	if _, err := db.TransitionCertificate(context.Background(), trustmark.System, number, trustmark.Transition{To: to, Reason: "监督审核不合格"}); err != nil {
		t.Fatalf("TransitionCertificate(%s, %s): %v", number, to, err)
	}
}
