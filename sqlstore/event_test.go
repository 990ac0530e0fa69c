package sqlstore_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/sqlstore"
)

// testRoundTrip checks that the events read back are exactly those written,
// byte for byte: the traceability log recomputes its entries from them.
func testRoundTrip(t *testing.T, open func(t testing.TB, opts ...sqlstore.Option) *sqlstore.DB) {
	var written []trustmark.Event
	db := open(t, sqlstore.WithEventHook(func(ctx context.Context, tx *sqlstore.Tx, evs []trustmark.Event) error {
		written = append(written, evs...)
		return nil
	}))
	defer db.Close()
	seedParties(t, db)
	if _, err := db.Import(ctx, loader, trustmark.KindCertificates, certBatch("RT", 50)); err != nil {
		t.Fatal(err)
	}
	person := &trustmark.Person{RegistrationNo: "P-1", Name: "欧阳娜娜", BodyApprovalNo: benchBody, Qualifications: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive}
	if _, err := db.Import(ctx, loader, trustmark.KindPersons, []trustmark.Record{person}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TransitionCertificate(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: benchBody}, "RT-00001",
		trustmark.Transition{To: trustmark.StatusSuspended, Reason: "监督审核不合格"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Events(ctx, trustmark.EventFilter{After: -1})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(written, got, cmp.Comparer(func(a, b trustmark.Date) bool { return a.String() == b.String() })); diff != "" {
		t.Errorf("events read back differ from those written (-written +read):\n%s", diff)
	}
	if len(got) != nHolders+1+50+1+1 {
		t.Errorf("got %d events, want %d", len(got), nHolders+1+50+1+1)
	}
}

func TestEventRoundTripSQLite(t *testing.T)   { testRoundTrip(t, openSQLite) }
func TestEventRoundTripPostgres(t *testing.T) { testRoundTrip(t, openPG) }

// A failing hook rolls the whole transaction back, numbers included.
func TestHookFailureRollsBack(t *testing.T) {
	fail := false
	db := openSQLite(t, sqlstore.WithEventHook(func(ctx context.Context, tx *sqlstore.Tx, evs []trustmark.Event) error {
		if fail {
			return trustmark.Errorf(trustmark.EUnavailable, "", "log unavailable")
		}
		return nil
	}))
	defer db.Close()
	seedParties(t, db)
	fail = true
	if _, err := db.Import(ctx, loader, trustmark.KindCertificates, certBatch("HF", 10)); trustmark.ErrorCode(err) != trustmark.EUnavailable {
		t.Fatalf("Import with a failing hook = %v, want unavailable", err)
	}
	fail = false
	if _, err := db.Certificate(ctx, "HF-00001"); !trustmark.IsNotFound(err) {
		t.Errorf("Certificate after rolled-back import: %v, want not_found", err)
	}
	if _, err := db.Import(ctx, loader, trustmark.KindCertificates, certBatch("HF", 10)); err != nil {
		t.Fatal(err)
	}
	evs, err := db.Events(ctx, trustmark.EventFilter{After: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range evs {
		if e.Seq != int64(i) {
			t.Fatalf("event %d has Seq %d after a rollback, want gapless", i, e.Seq)
		}
	}
}

// Transact rolls back on panic and lets the panic through.
func TestTransactPanic(t *testing.T) {
	db := openSQLite(t)
	defer db.Close()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Transact swallowed a panic")
			}
		}()
		db.Transact(ctx, func(tx *sqlstore.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO orgs (uscc, name, region_code, updated_at) VALUES ('X', 'x', '110000', 0)`); err != nil {
				t.Fatal(err)
			}
			panic("boom")
		})
	}()
	if _, err := db.Org(ctx, "X"); !trustmark.IsNotFound(err) {
		t.Errorf("Org after a panicking transaction: %v, want not_found", err)
	}
	// The single writer connection must be usable again.
	if err := db.Transact(ctx, func(tx *sqlstore.Tx) error { return nil }); err != nil {
		t.Errorf("Transact after a panic: %v", err)
	}
}
