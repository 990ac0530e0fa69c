package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// checkpointer copies the pages of a SQLite store's write-ahead log back
// into the database file from a goroutine and a connection of its own.
// The writer's automatic checkpoint is off (driver.go): left on, about one
// commit in eight ran the checkpoint inside it, writing and syncing tens of
// megabytes while every other writer waited (165-457 ms against 10-80 ms
// for the other commits of a group of check-ins; docs/BENCHMARKS.md).
//
// A PASSIVE checkpoint waits for no one: it copies what no reader still
// needs. Readers holding old snapshots can keep it from finishing, and the
// log then grows; once it holds more than maxFrames pages the checkpointer
// runs a TRUNCATE checkpoint, which waits (within the busy timeout) for
// the writer and the readers, copies everything and empties the file, so
// the log stays bounded.
type checkpointer struct {
	conn      *sql.DB
	log       *slog.Logger
	every     time.Duration
	maxFrames int64
	cancel    context.CancelFunc
	done      chan struct{}
}

const (
	// checkpointEvery is how often the checkpointer runs: at the rate a
	// busy writer fills the log (tens of MB a second), about what the
	// automatic checkpoint of every 64 MB did.
	checkpointEvery = time.Second
	// walMaxBytes bounds the write-ahead log (see checkpointer).
	walMaxBytes = 256 << 20
)

// startCheckpointer opens a connection to the SQLite file at path and
// starts checkpointing its log; stop ends it.
func startCheckpointer(drv sqliteDriver, path string, log *slog.Logger, every time.Duration, maxBytes int64) (*checkpointer, error) {
	conn, err := sql.Open(drv.name, drv.dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s for checkpoints: %w", path, err)
	}
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	conn.SetConnMaxIdleTime(0)
	var pageSize int64
	if err := conn.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil || pageSize <= 0 {
		conn.Close()
		return nil, fmt.Errorf("sqlstore: page size of %s: %v", path, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{conn: conn, log: log, every: every, maxFrames: maxBytes / pageSize, cancel: cancel, done: make(chan struct{})}
	go c.run(ctx)
	return c, nil
}

func (c *checkpointer) run(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(c.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := c.checkpoint(ctx); err != nil && ctx.Err() == nil {
			c.log.Warn("sqlstore: WAL checkpoint", "err", err)
		}
	}
}

// checkpoint runs one PASSIVE checkpoint, and a TRUNCATE one if the log
// holds more than maxFrames pages after it. It returns the pages left in
// the log. A TRUNCATE that could not finish within the busy timeout is an
// error: the log is over its bound.
func (c *checkpointer) checkpoint(ctx context.Context) (frames int64, err error) {
	var busy, copied int64
	if err := c.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err != nil {
		return 0, fmt.Errorf("passive: %w", err)
	}
	if frames <= c.maxFrames {
		return frames, nil
	}
	over := frames
	if err := c.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &copied); err != nil {
		return over, fmt.Errorf("truncate a log of %d pages: %w", over, err)
	}
	if busy != 0 {
		return frames, fmt.Errorf("a log of %d pages, over its bound of %d, could not be truncated: readers or the writer stayed busy", over, c.maxFrames)
	}
	return frames, nil
}

// stop ends the checkpointer and closes its connection; it waits for a
// checkpoint under way.
func (c *checkpointer) stop() error {
	c.cancel()
	<-c.done
	return c.conn.Close()
}
