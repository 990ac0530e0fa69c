package sqlstore

import (
	"context"
	"database/sql"
	"maps"
	"sync"

	"trustmark"
)

// statsCache keeps the last Stats: counting millions of certificates takes
// a second, and the counts change only when an event is written (every
// registry write records one) or the day changes (effective expiry).
type statsCache struct {
	mu     sync.Mutex
	events int64
	today  trustmark.Date
	stats  *trustmark.Stats
}

// Stats implements trustmark.Store. Certificates are counted by effective
// status.
func (db *DB) Stats(ctx context.Context) (trustmark.Stats, error) {
	var events int64
	if err := db.queryRow(ctx, `SELECT value FROM counters WHERE name = 'event_seq'`).Scan(&events); err != nil {
		return trustmark.Stats{}, internal("count events", err)
	}
	today := db.today()
	c := &db.statsCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stats != nil && c.today == today && c.events == events {
		return copyStats(*c.stats), nil
	}
	s, err := db.countStats(ctx, today)
	if err != nil {
		return s, err
	}
	// Keyed by the counter read before counting: a write that lands while
	// counting makes the next call count again.
	c.events, c.today, c.stats = events, today, &s
	return copyStats(s), nil
}

func copyStats(s trustmark.Stats) trustmark.Stats {
	s.Certificates = maps.Clone(s.Certificates)
	return s
}

func (db *DB) countStats(ctx context.Context, today trustmark.Date) (trustmark.Stats, error) {
	s := trustmark.Stats{Certificates: map[trustmark.CertStatus]int64{}}
	for _, c := range []struct {
		table string
		n     *int64
	}{{"orgs", &s.Orgs}, {"bodies", &s.Bodies}, {"labs", &s.Labs}, {"persons", &s.Persons}, {"reports", &s.Reports}} {
		if err := db.queryRow(ctx, `SELECT COUNT(*) FROM `+c.table).Scan(c.n); err != nil {
			return s, internal("count "+c.table, err)
		}
	}
	rows, err := db.query(ctx, `SELECT `+effectiveStatusSQL("")+` AS st, COUNT(*) FROM certificates GROUP BY st`, cutoff(today))
	if err != nil {
		return s, internal("count certificates", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			return s, internal("count certificates", err)
		}
		s.Certificates[trustmark.CertStatus(st)] += n
	}
	if err := rows.Err(); err != nil {
		return s, internal("count certificates", err)
	}
	if err := db.queryRow(ctx, `SELECT value FROM counters WHERE name = 'event_seq'`).Scan(&s.Events); err != nil {
		return s, internal("count events", err)
	}
	if s.Events > 0 {
		var at sql.NullInt64
		if err := db.queryRow(ctx, `SELECT at FROM events WHERE seq = ?`, s.Events-1).Scan(&at); err != nil && err != sql.ErrNoRows {
			return s, internal("read last event", err)
		}
		s.LastEvent = fromMicros(at.Int64)
	}
	return s, nil
}
