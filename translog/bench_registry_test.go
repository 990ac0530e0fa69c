package translog_test

import (
	"os"
	"testing"
	"time"

	"trustmark/sqlstore"
	"trustmark/translog"
)

// TestEventSourceSpeed measures reading and encoding the entries of the
// database named by TRUSTMARK_LOG_E2E_DB.
func TestEventSourceSpeed(t *testing.T) {
	dsn := os.Getenv("TRUSTMARK_LOG_E2E_DB")
	if dsn == "" {
		t.Skip("set TRUSTMARK_LOG_E2E_DB")
	}
	db, err := sqlstore.Open(ctx, dsn, sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := translog.EventSource{Store: db}
	t0 := time.Now()
	n := 0
	for from := uint64(0); ; {
		es, err := src.Entries(ctx, from, 16384)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			break
		}
		n += len(es)
		from += uint64(len(es))
	}
	t.Logf("%d entries in %v", n, time.Since(t0))
}
