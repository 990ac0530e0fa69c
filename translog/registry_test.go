package translog_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
	"trustmark/translog"
	"trustmark/translog/logtest"
)

var ctx = context.Background()

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// now is the tests' fixed clock.
var now = time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

type dbs struct {
	name string
	open func(t testing.TB) (*sqlstore.DB, string)
}

// databases are the registry databases the tests run on: SQLite always,
// PostgreSQL when TRUSTMARK_TEST_PG holds a DSN.
func databases() []dbs {
	return []dbs{{"sqlite", openSQLite}, {"postgres", openPG}}
}

func openSQLite(t testing.TB) (*sqlstore.DB, string) {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "trustmark.db")
	db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(clock), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dsn
}

// openPG opens a fresh schema of the database named by TRUSTMARK_TEST_PG, or
// skips the test.
func openPG(t testing.TB) (*sqlstore.DB, string) {
	t.Helper()
	dsn := storetest.PostgresDSN(t, "tl")
	db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(clock), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dsn
}

// rawDB opens the registry database directly, as someone with database
// access (not the application) would.
func rawDB(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sqlstore.OpenRaw(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestLogStorageConformance(t *testing.T) {
	t.Run("dir", func(t *testing.T) {
		logtest.Run(t, func(t *testing.T) translog.Storage {
			s, err := translog.NewDirStorage(t.TempDir(), false)
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
	for _, d := range databases() {
		t.Run(d.name, func(t *testing.T) {
			d.open(t) // skip early
			logtest.Run(t, func(t *testing.T) translog.Storage {
				db, _ := d.open(t)
				return db.LogStorage()
			})
		})
	}
}

var (
	org1  = trustmark.MakeUSCC("9111010800000001")
	org2  = trustmark.MakeUSCC("9131011500000002")
	bodyA = "CNCA-R-2002-001"
	qms1  = "00125Q10001R0M"
	qms2  = "00125Q10002R0M"
	qms3  = "00125Q10003R0M"
	imp   = trustmark.Party{Kind: trustmark.PartyImport, ID: "test.csv"}
)

func date(s string) trustmark.Date {
	d, err := trustmark.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func qms(number string, holder trustmark.USCC) *trustmark.Certificate {
	return &trustmark.Certificate{Number: number, Type: trustmark.TypeQMS, BodyApprovalNo: bodyA, HolderUSCC: holder,
		Scope: "精密仪器的设计和生产", Standard: "GB/T 19001-2016", IssuedOn: date("2025-01-10"), ExpiresOn: date("2028-01-09"), Status: trustmark.StatusValid}
}

// fillRegistry imports a small registry and changes a certificate's status,
// so that there are events of every kind, one with personal data.
func fillRegistry(t testing.TB, db *sqlstore.DB) {
	t.Helper()
	imports := []struct {
		kind  trustmark.Kind
		items []trustmark.Record
	}{
		{trustmark.KindOrgs, []trustmark.Record{
			&trustmark.Org{USCC: org1, Name: "北京海淀精密仪器有限公司", RegionCode: "110108"},
			&trustmark.Org{USCC: org2, Name: "上海浦东食品股份有限公司", RegionCode: "310115"},
		}},
		{trustmark.KindBodies, []trustmark.Record{&trustmark.Body{ApprovalNo: bodyA, USCC: trustmark.MakeUSCC("1211000040000010"), Name: "中国质量认证中心",
			RegionCode: "110000", Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive, ApprovedOn: date("2002-06-01")}}},
		{trustmark.KindPersons, []trustmark.Record{&trustmark.Person{RegistrationNo: "2023-N1QMS-1234567", Name: "张伟", BodyApprovalNo: bodyA,
			Qualifications: []trustmark.CertType{trustmark.TypeQMS}, Grade: "senior", Status: trustmark.PartyActive}}},
		{trustmark.KindCertificates, []trustmark.Record{qms(qms1, org1), qms(qms2, org2), qms(qms3, org1)}},
	}
	for _, im := range imports {
		outs, err := db.Import(ctx, imp, im.kind, im.items)
		if err != nil {
			t.Fatal(err)
		}
		for i, o := range outs {
			if o.Err != nil {
				t.Fatalf("import %s item %d: %v", im.kind, i, o.Err)
			}
		}
	}
	body := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
	if _, err := db.TransitionCertificate(ctx, body, qms1, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "监督审核不合格"}); err != nil {
		t.Fatal(err)
	}
}

// registryLog opens the log over the registry in db, with a key file in
// the test's temporary directory.
func registryLog(t testing.TB, db *sqlstore.DB) (*translog.Log, *translog.Key) {
	t.Helper()
	key, _, err := translog.LoadOrCreateKey(ctx, filepath.Join(t.TempDir(), "log.key"), "trustmark.test/log", db.LogStorage())
	if err != nil {
		t.Fatal(err)
	}
	l, err := translog.Open(ctx, translog.EventSource{Store: db, NextSeq: db.LogStorage().NextEventSeq}, db.LogStorage(), key, translog.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return l, key
}

func integrate(t testing.TB, l *translog.Log) {
	t.Helper()
	for {
		n, err := l.Integrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func TestRegistryLog(t *testing.T) {
	for _, d := range databases() {
		t.Run(d.name, func(t *testing.T) {
			db, _ := d.open(t)
			fillRegistry(t, db)
			l, key := registryLog(t, db)
			integrate(t, l)
			evs, err := db.Events(ctx, trustmark.EventFilter{After: -1})
			if err != nil {
				t.Fatal(err)
			}

			t.Run("every event is in the log at its seq", func(t *testing.T) {
				if got, want := l.Latest().Size, uint64(len(evs)); got != want {
					t.Fatalf("log size %d, want %d events", got, want)
				}
				rep, err := translog.Audit(ctx, db, db.LogStorage(), key.Verifier, translog.AuditOptions{NextSeq: db.LogStorage().NextEventSeq})
				if err != nil {
					t.Fatal(err)
				}
				if !rep.OK() || rep.Matched != int64(len(evs)) {
					t.Errorf("audit: %d matched of %d, findings %v", rep.Matched, len(evs), rep.Findings)
				}
			})

			t.Run("no entry holds personal data", func(t *testing.T) {
				bundle, err := l.EntryBundle(ctx, 0, uint8(len(evs)))
				if err != nil {
					t.Fatal(err)
				}
				personal := 0
				for _, e := range evs {
					for _, v := range e.Personal {
						personal++
						if strings.Contains(string(bundle), v) {
							t.Errorf("the log's entries contain personal value %q", v)
						}
					}
				}
				if personal == 0 {
					t.Errorf("no event with personal data to check")
				}
			})

			t.Run("a certificate's history verifies offline with only the key", func(t *testing.T) {
				h, err := l.CertificateHistory(ctx, db, qms1, true)
				if err != nil {
					t.Fatal(err)
				}
				if len(h.Items) != 2 {
					t.Fatalf("history has %d events, want 2 (created, suspended)", len(h.Items))
				}
				b, _ := json.Marshal(h)
				res, err := translog.VerifyHistory(b, key.Verifier, false)
				if err != nil {
					t.Fatal(err)
				}
				if res.Included != 2 {
					t.Errorf("verified %d events, want 2", res.Included)
				}
				for _, he := range h.Items {
					if _, _, err := translog.VerifyTLogProof([]byte(he.TLogProof), []byte(he.Entry), key.Verifier); err != nil {
						t.Errorf("tlog-proof of index %d: %v", he.LogIndex, err)
					}
				}
			})
		})
	}
}
