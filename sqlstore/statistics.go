package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"trustmark"
	"trustmark/statistics"
)

// The plan's indicators counted from the registry (statistics.Source).
//
// Certificates, organisations, bodies, laboratories and personnel are
// counted by reading their tables once per count: a certificate's validity
// on a past month end depends on its dates and status, which any re-import
// may change, and certified organisations are counted once each however many
// certificates they hold, which no running sum can keep. One pass over 3.4
// million certificates takes seconds, so counts are cached (tallyCache) and
// refreshed in the background, and every answer carries its time.
//
// Test reports (570 million a year nationally) are too many to read on every
// count. They are summed by laboratory and month in report_months (migration
// 011), kept in step with the report events by a follower of the event feed
// that each count first catches up, so a count reads thousands of rows
// instead of millions.

var _ statistics.Source = (*DB)(nil)

// reportMonthsCursor is the feed cursor of the report_months summary.
const reportMonthsCursor = "statistics/report-months"

// DefaultTallyRefresh is the least time between two counts unless
// WithTallyRefresh says otherwise: under a steady stream of writes the
// counts follow at this pace, not at every event.
const DefaultTallyRefresh = 30 * time.Second

// WithTallyRefresh sets the least time between two counts of the plan's
// indicators (default DefaultTallyRefresh; a count is also never started
// sooner than ten times the last one took).
func WithTallyRefresh(d time.Duration) Option {
	return func(db *DB) { db.tallies.refresh, db.tallies.refreshSet = d, true }
}

// tallyCache keeps the last count.
type tallyCache struct {
	mu        sync.Mutex
	tally     *statistics.Tally
	events    int64         // the event counter the tally was counted at
	countedAt time.Time     // when the count began, by the machine's clock (not the store's, which tests fix)
	took      time.Duration // how long it took
	running   chan struct{} // closed when the count in flight ends; nil when none
	err       error         // the failure of the last count, when there is no tally

	refresh    time.Duration // WithTallyRefresh
	refreshSet bool
}

// due reports whether a new count may start; c.mu is held.
func (c *tallyCache) due() bool {
	least := DefaultTallyRefresh
	if c.refreshSet {
		least = c.refresh
	}
	return c.running == nil && time.Since(c.countedAt) >= max(least, 10*c.took)
}

// Tally implements statistics.Source. It returns the last count when no
// event was written and the day has not changed since; otherwise it starts
// a new count in the background (at most one at a time, and no sooner than
// WithTallyRefresh or ten times the last count's duration after the last) and
// returns the last count meanwhile. Only the first call waits for a count.
func (db *DB) Tally(ctx context.Context) (*statistics.Tally, error) {
	events, err := db.eventCount(ctx)
	if err != nil {
		return nil, err
	}
	c := &db.tallies
	c.mu.Lock()
	if t := c.tally; t != nil {
		if (c.events != events || t.AsOf() != db.today()) && c.due() {
			db.startCount(events)
		}
		c.mu.Unlock()
		return t, nil
	}
	if c.running == nil {
		db.startCount(events)
	}
	done := c.running
	c.mu.Unlock()
	select {
	case <-done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tally == nil {
		return nil, c.err
	}
	return c.tally, nil
}

// startCount counts in the background; c.mu is held.
func (db *DB) startCount(events int64) {
	c := &db.tallies
	done := make(chan struct{})
	c.running, c.countedAt = done, time.Now()
	go func() {
		defer close(done)
		// Not the request's context: the count outlives the request that
		// asked for it, and serves the next ones.
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		start := time.Now()
		t, err := db.CountIndicators(ctx, db.today())
		c.mu.Lock()
		defer c.mu.Unlock()
		c.running, c.took = nil, time.Since(start)
		if err != nil {
			db.log.Error("sqlstore: count the plan's indicators", "err", err)
			c.err = err
			return
		}
		c.tally, c.events, c.err = t, events, nil
		db.log.Debug("sqlstore: counted the plan's indicators", "took", c.took)
	}()
}

func (db *DB) eventCount(ctx context.Context) (int64, error) {
	var n int64
	if err := db.queryRow(ctx, `SELECT value FROM counters WHERE name = 'event_seq'`).Scan(&n); err != nil {
		return 0, internal("count events", err)
	}
	return n, nil
}

// CountIndicators counts the registry now, without the cache: every
// counted indicator in every region, in the buckets of the trend through
// asOf (statistics.Trend).
func (db *DB) CountIndicators(ctx context.Context, asOf trustmark.Date) (*statistics.Tally, error) {
	computed := db.clock()
	if err := db.catchUpReportMonths(ctx); err != nil {
		return nil, err
	}
	c := statistics.NewCounter(statistics.Trend(asOf))
	for _, count := range []func(context.Context, *statistics.Counter) error{
		db.countCertificates, db.countBodies, db.countLabs, db.countPersons, db.countReports,
	} {
		if err := count(ctx, c); err != nil {
			return nil, err
		}
	}
	return c.Tally(computed), nil
}

// scanRows runs q and hands each row's values to each; it closes the rows.
func (db *DB) scanRows(ctx context.Context, what, q string, args []any, dest []any, each func() error) error {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return internal(what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return internal(what, err)
		}
		if err := each(); err != nil {
			return internal(what, err)
		}
	}
	return internal(what, rows.Err())
}

// dates parses stored dates.
func dates(out []*trustmark.Date, in ...string) error {
	for i, s := range in {
		d, err := parseDate(s)
		if err != nil {
			return err
		}
		*out[i] = d
	}
	return nil
}

// countCertificates counts valid certificates and, reading them by holder,
// the organisations that hold at least one.
func (db *DB) countCertificates(ctx context.Context, c *statistics.Counter) error {
	var (
		holder, region, issued, expires, status, since string
		lastHolder, lastRegion                         string
		spans                                          []statistics.Span
		is, ex, si                                     trustmark.Date
	)
	flush := func() {
		if len(spans) > 0 {
			c.AddUnion(statistics.CertifiedOrgs, lastRegion, spans)
		}
		spans = spans[:0]
	}
	err := db.scanRows(ctx, "count certificates",
		`SELECT c.holder_uscc, o.region_code, c.issued_on, c.expires_on, c.status, c.status_since
		FROM certificates c JOIN orgs o ON o.uscc = c.holder_uscc ORDER BY c.holder_uscc`, nil,
		[]any{&holder, &region, &issued, &expires, &status, &since}, func() error {
			if err := dates([]*trustmark.Date{&is, &ex, &si}, issued, expires, since); err != nil {
				return err
			}
			if holder != lastHolder {
				flush()
				lastHolder, lastRegion = holder, region
			}
			if s, ok := statistics.CertificateSpan(is, ex, trustmark.CertStatus(status), si); ok {
				c.Add(statistics.ValidCertificates, region, s)
				spans = append(spans, s)
			}
			return nil
		})
	flush()
	return err
}

// countParties counts the parties q returns as (region, start, until,
// status, status_since) under k.
func (db *DB) countParties(ctx context.Context, c *statistics.Counter, k statistics.Key, q string) error {
	var (
		region, start, until, status, since string
		st, un, si                          trustmark.Date
	)
	return db.scanRows(ctx, "count "+string(k), q, nil, []any{&region, &start, &until, &status, &since}, func() error {
		if err := dates([]*trustmark.Date{&st, &un, &si}, start, until, since); err != nil {
			return err
		}
		if s, ok := statistics.PartySpan(st, un, trustmark.PartyStatus(status), si); ok {
			c.Add(k, region, s)
		}
		return nil
	})
}

func (db *DB) countBodies(ctx context.Context, c *statistics.Counter) error {
	return db.countParties(ctx, c, statistics.ApprovedBodies, `SELECT region_code, approved_on, '', status, status_since FROM bodies`)
}

// countLabs counts laboratories by their CMA validity and status; the
// registry does not hold the day of a laboratory's first accreditation.
func (db *DB) countLabs(ctx context.Context, c *statistics.Counter) error {
	return db.countParties(ctx, c, statistics.Labs, `SELECT region_code, '', valid_until, status, status_since FROM labs`)
}

// countPersons counts registered personnel in the region of their body.
func (db *DB) countPersons(ctx context.Context, c *statistics.Counter) error {
	return db.countParties(ctx, c, statistics.CertificationPersonnel,
		`SELECT b.region_code, '', '', p.status, p.status_since FROM persons p JOIN bodies b ON b.approval_no = p.body_approval_no`)
}

// countReports reads the report_months summary by the region of each
// laboratory.
func (db *DB) countReports(ctx context.Context, c *statistics.Counter) error {
	var (
		region, month string
		n             int64
	)
	return db.scanRows(ctx, "count reports",
		`SELECT l.region_code, m.month, SUM(m.n) FROM report_months m JOIN labs l ON l.cma_no = m.lab_cma_no
		WHERE m.month >= ? GROUP BY l.region_code, m.month`, []any{statistics.MonthOf(statistics.TrendStart())},
		[]any{&region, &month, &n}, func() error {
			c.AddFlow(statistics.ReportsPerYear, region, month, n)
			return nil
		})
}

// catchUpReportMonths brings report_months up to the last event: the first
// time by summing the reports table (backfillReportMonths), then by
// following the report events.
func (db *DB) catchUpReportMonths(ctx context.Context) error {
	cur, err := db.Cursor(ctx, reportMonthsCursor)
	if err != nil {
		return err
	}
	if cur < 0 {
		if err := db.backfillReportMonths(ctx); err != nil {
			return err
		}
	}
	feed := trustmark.NewFeed(db, trustmark.FeedOptions{Logger: db.log})
	_, err = feed.CatchUp(ctx, trustmark.Follower{Name: reportMonthsCursor, Batch: 5000, InTransaction: true, Handle: db.followReports})
	if trustmark.ErrorCode(err) == trustmark.EConflict {
		// Another server's count is catching up at the same moment; its
		// commit brings the rows this count reads.
		return nil
	}
	return err
}

// backfillReportMonths sums the reports table into report_months and sets
// the cursor at the last event, in one transaction that reads one state of
// the registry (a report and its event commit together), so that no report
// is summed twice or missed. On PostgreSQL the transaction reads a snapshot
// (repeatable read) and holds no writer back, however long the sum takes;
// on SQLite writers wait, as they wait for any writer. It does nothing when
// another count has set the cursor first (a second backfill racing this one
// takes the cursor's key second, and Transact runs it again to find it).
func (db *DB) backfillReportMonths(ctx context.Context) error {
	return db.Transact(ctx, func(tx *Tx) error {
		if db.dialect == postgres {
			if _, err := tx.Exec(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`); err != nil {
				return internal("sum report months", err)
			}
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM feed_cursors WHERE name = ?`, reportMonthsCursor).Scan(&n); err != nil {
			return internal("read report months cursor", err)
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM report_months`); err != nil {
			return internal("sum report months", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO report_months (lab_cma_no, month, n)
			SELECT lab_cma_no, substr(issued_on, 1, 7), COUNT(*) FROM reports GROUP BY lab_cma_no, substr(issued_on, 1, 7)`); err != nil {
			return internal("sum report months", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO feed_cursors (name, seq, updated_at) SELECT ?, value - 1, ? FROM counters WHERE name = 'event_seq'`,
			reportMonthsCursor, micros(tx.Now())); err != nil {
			return internal("set report months cursor", err)
		}
		return nil
	})
}

// followReports moves the report_months sums by a batch of events: a new
// report adds one to its month; a changed one moves from the month of its
// state before (the event before it) to its new month.
func (db *DB) followReports(ctx context.Context, batch []trustmark.Change) error {
	type lm struct{ lab, month string }
	delta := map[lm]int64{}
	return db.followerTransact(ctx, func(tx *Tx) error {
		for _, ch := range batch {
			if ch.Entity != trustmark.EntityReport || ch.Report == nil {
				continue
			}
			if ch.Action != trustmark.ActionCreated {
				prev, ok, err := tx.reportBefore(ctx, ch.Key, ch.Seq)
				if err != nil {
					return err
				}
				if !ok {
					continue // no state to move from: leave the sums as they are
				}
				delta[lm{prev.LabCMANo, statistics.MonthOf(prev.IssuedOn)}]--
			}
			delta[lm{ch.Report.LabCMANo, statistics.MonthOf(ch.Report.IssuedOn)}]++
		}
		for k, n := range delta {
			if n == 0 {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO report_months (lab_cma_no, month, n) VALUES (?, ?, ?)
				ON CONFLICT (lab_cma_no, month) DO UPDATE SET n = report_months.n + excluded.n`, k.lab, k.month, n); err != nil {
				return internal("move report months", err)
			}
		}
		return nil
	})
}

// reportBefore returns the state of report key after its last event before
// seq; ok is false when there is none or it holds no state.
func (tx *Tx) reportBefore(ctx context.Context, key string, seq int64) (r *trustmark.Report, ok bool, err error) {
	var data []byte
	err = tx.QueryRow(ctx, `SELECT data FROM events WHERE entity = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT 1`,
		trustmark.EntityReport, key, seq).Scan(&data)
	if err == sql.ErrNoRows {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, internal("read report before", err)
	}
	r = trustmark.NewChange(trustmark.Event{Entity: trustmark.EntityReport, Key: key, Data: data}).Report
	return r, r != nil, nil
}
