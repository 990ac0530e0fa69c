package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCheckpointer checks that the store's writer leaves the WAL's
// checkpoints to the checkpointer, which copies a log within its bound and
// empties one over it, logs a failure, and stops.
func TestCheckpointer(t *testing.T) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	open := func(t *testing.T) (*DB, string) {
		path := filepath.Join(t.TempDir(), "t.db")
		db, err := Open(ctx, path, WithLogger(quiet))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if db.dialect != sqlite {
			t.Skip("checkpoints are SQLite's")
		}
		if _, err := db.w.ExecContext(ctx, `CREATE TABLE ckpt_test (b BLOB)`); err != nil {
			t.Fatal(err)
		}
		return db, path
	}
	write := func(t *testing.T, db *DB, commits int) {
		for range commits {
			if _, err := db.w.ExecContext(ctx, `INSERT INTO ckpt_test (b) VALUES (zeroblob(65536))`); err != nil {
				t.Fatal(err)
			}
		}
	}
	walSize := func(t *testing.T, path string) int64 {
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}

	t.Run("the writer never checkpoints; the checkpointer's connection may", func(t *testing.T) {
		db, _ := open(t)
		var w, c int
		if err := db.w.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&w); err != nil || w != 0 {
			t.Errorf("writer's wal_autocheckpoint = %d, %v, want 0", w, err)
		}
		if err := db.ckpt.conn.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&c); err != nil || c == 0 {
			t.Errorf("checkpointer's wal_autocheckpoint = %d, %v, want it on", c, err)
		}
	})

	t.Run("a log within its bound is copied and kept", func(t *testing.T) {
		db, path := open(t)
		c, err := startCheckpointer(sqliteDrivers[db.driver], path, db.w, quiet, time.Hour, walMaxBytes)
		if err != nil {
			t.Fatal(err)
		}
		defer c.stop()
		write(t, db, 20)
		frames, err := c.checkpoint(ctx)
		if err != nil || frames < 20*16 {
			t.Fatalf("checkpoint() = %d pages, %v, want at least 320 pages (20 blobs of 64 KiB)", frames, err)
		}
		var busy, log, copied int
		if err := c.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &copied); err != nil || copied != log {
			t.Errorf("after checkpoint(): %d of %d pages copied (%v), want all", copied, log, err)
		}
		if n := walSize(t, path); n == 0 {
			t.Errorf("WAL size = 0, want it kept for reuse below the bound")
		}
	})

	t.Run("a log over its bound is emptied", func(t *testing.T) {
		db, path := open(t)
		c, err := startCheckpointer(sqliteDrivers[db.driver], path, db.w, quiet, time.Hour, 64<<10)
		if err != nil {
			t.Fatal(err)
		}
		defer c.stop()
		write(t, db, 20)
		if n := walSize(t, path); n < 20*65536 {
			t.Fatalf("WAL size before = %d, want at least 20 blobs of 64 KiB", n)
		}
		if frames, err := c.checkpoint(ctx); err != nil || frames != 0 {
			t.Errorf("checkpoint() = %d pages, %v, want 0", frames, err)
		}
		if n := walSize(t, path); n != 0 {
			t.Errorf("WAL size after = %d, want 0", n)
		}
		var n int
		if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM ckpt_test`).Scan(&n); err != nil || n != 20 {
			t.Errorf("rows after = %d, %v, want 20", n, err)
		}
	})

	t.Run("a truncation readers keep busy is tried again only past another bound", func(t *testing.T) {
		db, path := open(t)
		drv := sqliteDrivers[db.driver]
		// A writer connection that waits 50 ms for readers, not 10 s.
		impatient := strings.NewReplacer("busy_timeout=10000", "busy_timeout=50", "busy_timeout(10000)", "busy_timeout(50)").Replace(drv.dsn(path, true))
		w, err := sql.Open(drv.name, impatient)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		c, err := startCheckpointer(drv, path, w, quiet, time.Hour, 64<<10)
		if err != nil {
			t.Fatal(err)
		}
		defer c.stop()
		write(t, db, 20)
		rtx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := rtx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ckpt_test`).Scan(&n); err != nil { // holds its snapshot
			t.Fatal(err)
		}
		frames, err := c.checkpoint(ctx)
		if err == nil || !strings.Contains(err.Error(), "readers stayed busy") {
			t.Fatalf("checkpoint() with a reader = %d pages, %v, want readers stayed busy", frames, err)
		}
		if _, err := c.checkpoint(ctx); err != nil {
			t.Errorf("checkpoint() again, no growth = %v, want no truncation tried", err)
		}
		rtx.Rollback()
		write(t, db, 20)
		if frames, err := c.checkpoint(ctx); err != nil || frames != 0 {
			t.Errorf("checkpoint() past another bound, reader gone = %d pages, %v, want 0", frames, err)
		}
		if c.truncAt != c.maxFrames {
			t.Errorf("truncAt = %d after a truncation, want the bound %d", c.truncAt, c.maxFrames)
		}
	})

	t.Run("a failure is logged and stop ends the goroutine", func(t *testing.T) {
		db, path := open(t)
		var mu sync.Mutex
		var buf bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&lockedWriter{mu: &mu, w: &buf}, nil))
		c, err := startCheckpointer(sqliteDrivers[db.driver], path, db.w, logger, 5*time.Millisecond, walMaxBytes)
		if err != nil {
			t.Fatal(err)
		}
		c.conn.Close() // every checkpoint now fails
		deadline := time.Now().Add(5 * time.Second)
		for {
			mu.Lock()
			logged := buf.String()
			mu.Unlock()
			if strings.Contains(logged, "WAL checkpoint") && strings.Contains(logged, "closed") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("log = %q, want a WAL checkpoint failure", logged)
			}
			time.Sleep(5 * time.Millisecond)
		}
		c.stop()
		select {
		case <-c.done:
		default:
			t.Error("stop() returned with the goroutine running")
		}
	})
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
