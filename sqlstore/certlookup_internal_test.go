package sqlstore

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"

	"trustmark"
)

// TestPreparedReads checks the prepared statements of the reads: every
// answer is what the unprepared query gives, the cache stops growing at
// maxPrepared texts (later ones run unprepared and still answer), and
// concurrent readers preparing the same and different texts neither fail
// nor block each other.
func TestPreparedReads(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.dialect != sqlite {
		t.Skip("prepared reads are SQLite's")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Eight texts prepared by eight goroutines each at once, and
			// the lookup by all.
			var got int
			if err := db.queryRow(ctx, fmt.Sprintf("SELECT ? + %d", g%8), g).Scan(&got); err != nil || got != g+g%8 {
				errs <- fmt.Errorf("query %d: %d, %v", g, got, err)
				return
			}
			if _, err := db.Certificate(ctx, "00126Q30001R0M"); !trustmark.IsNotFound(err) {
				errs <- fmt.Errorf("lookup: %v, want not found", err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(db.stmts.stmts); n != 9 {
		t.Errorf("%d statements kept after the concurrent reads, want 9", n)
	}

	for i := range maxPrepared + 50 {
		var got int
		if err := db.queryRow(ctx, fmt.Sprintf("SELECT ? + %d AS n", i), 1).Scan(&got); err != nil || got != i+1 {
			t.Fatalf("query %d: %d, %v", i, got, err)
		}
	}
	if n := len(db.stmts.stmts); n != maxPrepared {
		t.Errorf("%d statements kept, want %d", n, maxPrepared)
	}
}
