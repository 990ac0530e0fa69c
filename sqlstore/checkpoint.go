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
// needs. But the writer starts the log again from its beginning only when
// a checkpoint has copied all of it, which one running beside a busy
// writer rarely has, and readers holding old snapshots can keep it from
// finishing; the log then grows. Once it holds more than maxFrames pages,
// the checkpointer runs a TRUNCATE checkpoint on the writer's own
// connection, between two of its transactions: it waits (within the busy
// timeout) only for the readers, copies what the PASSIVE ones left (little)
// and empties the file, so the log stays bounded. The writer waits
// meanwhile, so after a TRUNCATE that readers kept busy the next is tried
// only once the log has grown by another maxFrames pages, or has been
// started again.
type checkpointer struct {
	conn      *sql.DB // PASSIVE checkpoints
	writer    *sql.DB // the store's writer, for TRUNCATE ones
	log       *slog.Logger
	every     time.Duration
	maxFrames int64
	truncAt   int64 // pages beyond which to truncate: maxFrames, more after a busy truncation
	last      int64 // pages in the log at the last checkpoint
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

// startCheckpointer opens a connection to the SQLite file at path, whose
// writer is writer, and starts checkpointing its log; stop ends it.
func startCheckpointer(drv sqliteDriver, path string, writer *sql.DB, log *slog.Logger, every time.Duration, maxBytes int64) (*checkpointer, error) {
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
	c := &checkpointer{conn: conn, writer: writer, log: log, every: every, maxFrames: maxBytes / pageSize, truncAt: maxBytes / pageSize, cancel: cancel, done: make(chan struct{})}
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
	if frames < c.last { // the writer started the log again: the readers let go
		c.truncAt = c.maxFrames
	}
	c.last = frames
	if frames <= c.truncAt {
		return frames, nil
	}
	over := frames
	if err := c.writer.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &copied); err != nil {
		return over, fmt.Errorf("truncate a log of %d pages: %w", over, err)
	}
	if busy != 0 {
		c.truncAt, c.last = frames+c.maxFrames, frames
		return frames, fmt.Errorf("a log of %d pages, over its bound of %d, could not be truncated: readers stayed busy", over, c.maxFrames)
	}
	c.truncAt, c.last = c.maxFrames, frames
	return frames, nil
}

// stop ends the checkpointer and closes its connection; it waits for a
// checkpoint under way.
func (c *checkpointer) stop() error {
	c.cancel()
	<-c.done
	return c.conn.Close()
}
