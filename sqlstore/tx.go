package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"trustmark"
)

// Tx is one write transaction. Its Now is fixed when it begins, so that every
// row and event it writes carries the same instant.
type Tx struct {
	tx      *sql.Tx
	conn    *sql.Conn // the transaction's connection, on PostgreSQL (for COPY)
	db      *DB
	now     time.Time
	today   trustmark.Date
	events  []trustmark.Event
	stmts   map[string]*sql.Stmt
	written []trustmark.Event // events stored by this transaction, with Seq
}

// Now is the transaction's instant, UTC, microsecond precision.
func (tx *Tx) Now() time.Time { return tx.now }

// Today is the day of Now in China.
func (tx *Tx) Today() trustmark.Date { return tx.today }

// Dialect returns "sqlite" or "postgres".
func (tx *Tx) Dialect() string { return tx.db.dialect.name }

// Exec runs a statement written with ? placeholders.
func (tx *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, tx.db.dialect.rebind(q), args...)
}

// Query runs a query written with ? placeholders.
func (tx *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.db.dialect.rebind(q), args...)
}

// QueryRow runs a one-row query written with ? placeholders.
func (tx *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.db.dialect.rebind(q), args...)
}

// stmt returns a statement prepared once per transaction.
func (tx *Tx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if s, ok := tx.stmts[q]; ok {
		return s, nil
	}
	s, err := tx.tx.PrepareContext(ctx, tx.db.dialect.rebind(q))
	if err != nil {
		return nil, err
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[q] = s
	return s, nil
}

// Record adds an event to the transaction. At is set to the transaction's
// instant and a salt is drawn when the event holds personal data; Seq is
// assigned at commit.
func (tx *Tx) Record(e trustmark.Event) {
	e.At = tx.now
	if len(e.Personal) > 0 && e.Salt == nil {
		e.Salt = make([]byte, 16)
		rand.Read(e.Salt)
	}
	tx.events = append(tx.events, e)
}

// lockRegistry makes registry writers take turns. SQLite has one writer at
// a time already; on PostgreSQL locking the event counter row (which every
// registry write updates at its end anyway) gives the same behaviour, so
// that two imports of the same key, or two transitions of the same
// certificate, cannot both judge against the state before the other. A row
// lock, unlike an advisory lock, is private to the database schema.
func (tx *Tx) lockRegistry(ctx context.Context) error {
	if tx.db.dialect != postgres {
		return nil
	}
	if _, err := tx.tx.ExecContext(ctx, `SELECT value FROM counters WHERE name = 'event_seq' FOR UPDATE`); err != nil {
		return internal("lock registry", err)
	}
	return nil
}

// maxAttempts bounds retries of a transaction that lost a race.
const maxAttempts = 8

// Transact runs fn in a write transaction and commits it, or rolls it back
// when fn returns an error or panics. A transaction that fails only because
// another one got in its way (SQLITE_BUSY, a PostgreSQL serialization failure
// or deadlock, or a unique key taken by a concurrent insert) is run again
// from the start, so fn must have no effects outside tx.
func (db *DB) Transact(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = db.transactOnce(ctx, fn)
		if err == nil || !retryable(err) || attempt == maxAttempts || ctx.Err() != nil {
			return err
		}
		db.log.Debug("retrying transaction", "attempt", attempt, "err", err)
		time.Sleep(time.Duration(attempt*attempt) * time.Millisecond)
	}
}

func (db *DB) transactOnce(ctx context.Context, fn func(tx *Tx) error) (err error) {
	var conn *sql.Conn
	var sqlTx *sql.Tx
	if db.dialect == postgres {
		// A dedicated connection, so that COPY can run inside the transaction.
		if conn, err = db.w.Conn(ctx); err != nil {
			return internal("connect", err)
		}
		defer conn.Close()
		sqlTx, err = conn.BeginTx(ctx, nil)
	} else {
		sqlTx, err = db.w.BeginTx(ctx, nil)
	}
	if err != nil {
		return internal("begin", err)
	}
	now := db.clock().UTC().Truncate(time.Microsecond)
	tx := &Tx{tx: sqlTx, conn: conn, db: db, now: now, today: trustmark.DateOf(now)}
	defer func() {
		for _, s := range tx.stmts {
			s.Close()
		}
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			sqlTx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.flushEvents(ctx); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return internal("commit", err)
	}
	if len(tx.written) > 0 {
		db.commits.fire() // wakes the event feed's followers (feed.go)
	}
	return nil
}

// retryable reports whether err is a lost race worth running again.
func retryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "40001", "40P01", "23505":
			return true
		}
		return false
	}
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked") ||
		strings.Contains(s, "(5)") && strings.Contains(s, "locked")
}

// flushEvents numbers the transaction's events and stores them. The counter
// row is updated in this transaction, so writers of events queue on it and
// commit in Seq order, and a rollback gives its numbers back: Seq stays
// gapless in commit order.
func (tx *Tx) flushEvents(ctx context.Context) error {
	n := len(tx.events)
	if n == 0 {
		return nil
	}
	var end int64
	if err := tx.QueryRow(ctx, `UPDATE counters SET value = value + ? WHERE name = 'event_seq' RETURNING value`, n).Scan(&end); err != nil {
		return internal("allocate event numbers", err)
	}
	first := end - int64(n)
	for i := range tx.events {
		tx.events[i].Seq = first + int64(i)
	}
	if err := tx.insertEvents(ctx, tx.events); err != nil {
		return err
	}
	tx.written, tx.events = tx.events, nil
	for _, h := range tx.db.hooks {
		if err := h(ctx, tx, tx.written); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) insertEvents(ctx context.Context, evs []trustmark.Event) error {
	if tx.conn != nil && len(evs) >= copyMin {
		rows := make([][]any, len(evs))
		for i, e := range evs {
			r, err := eventRow(e)
			if err != nil {
				return err
			}
			rows[i] = r
		}
		return tx.copyRows(ctx, "events", eventColumns, rows)
	}
	// Events without a status change or personal data (most of a bulk
	// import) leave six columns at their defaults; runs of them by the same
	// actor with the same entity and action (a batch of creations) share
	// those values and their instant, so that each row binds only its key
	// and data (seq is the run's first plus the row's place). Binding a
	// value is a call into C: at a million rows, each one saved is about a
	// tenth of a second. (Passing rows as one JSON parameter to json_each
	// was measured slower.)
	var full [][]any
	var run shortEvents
	for i := range evs {
		e := &evs[i]
		if e.From != "" || e.To != "" || e.Reason != "" || !e.EffectiveOn.IsZero() || len(e.Personal) > 0 || e.Salt != nil {
			r, err := eventRow(*e)
			if err != nil {
				return err
			}
			full = append(full, r)
			continue
		}
		if !run.takes(e) {
			if err := tx.insertShortEvents(ctx, &run); err != nil {
				return err
			}
			run.start(e)
		}
		run.add(e)
	}
	if err := tx.insertShortEvents(ctx, &run); err != nil {
		return err
	}
	return tx.insertRows(ctx, "events", eventColumns, full)
}

// shortEvents is a run of consecutive events with no status change or
// personal data, at one instant by one actor, of one entity and action.
type shortEvents struct {
	first *trustmark.Event
	n     int
	args  []any // first seq, at, actor, entity, action, then key and data of each
}

// shortEventRows bounds a run's rows in one statement.
const shortEventRows = 2000

func (r *shortEvents) takes(e *trustmark.Event) bool {
	f := r.first
	return f != nil && r.n < shortEventRows && e.Seq == f.Seq+int64(r.n) && e.At.Equal(f.At) &&
		e.Actor == f.Actor && e.Entity == f.Entity && e.Action == f.Action
}

func (r *shortEvents) start(e *trustmark.Event) {
	r.first, r.n = e, 0
	r.args = append(r.args[:0], e.Seq, micros(e.At), e.Actor, e.Entity, e.Action)
}

func (r *shortEvents) add(e *trustmark.Event) {
	var data any
	if e.Data != nil {
		data = []byte(e.Data)
	}
	r.args = append(r.args, e.Key, data)
	r.n++
}

// insertShortEvents writes a run and empties it. The statement numbers its
// parameters (?1 is the first seq), which only SQLite's dialect reads; on
// PostgreSQL a run is written row by row with the full columns.
func (tx *Tx) insertShortEvents(ctx context.Context, r *shortEvents) error {
	if r.n == 0 {
		return nil
	}
	defer func() { r.first, r.n = nil, 0 }()
	if tx.db.dialect != sqlite {
		rows := make([][]any, r.n)
		for i := range rows {
			rows[i] = []any{r.args[0].(int64) + int64(i), r.args[1], r.args[2], r.args[3], r.args[5+2*i], r.args[4],
				"", "", "", "", r.args[6+2*i], nil, nil} // in eventColumns' order: data is the 11th
		}
		return tx.insertRows(ctx, "events", eventColumns, rows)
	}
	st, err := tx.stmt(ctx, shortEventsInsert(r.n))
	if err != nil {
		return internal("prepare event insert", err)
	}
	if _, err := st.ExecContext(ctx, r.args...); err != nil {
		return internal("insert events", err)
	}
	return nil
}

// shortEventsInsert returns the INSERT of a run of n short events.
func shortEventsInsert(n int) string {
	if n == shortEventRows {
		return fullShortEventsInsert()
	}
	return buildShortEventsInsert(n)
}

// fullShortEventsInsert is the statement of a full run, built once.
var fullShortEventsInsert = sync.OnceValue(func() string { return buildShortEventsInsert(shortEventRows) })

func buildShortEventsInsert(n int) string {
	var b strings.Builder
	b.WriteString(sqlite.insert + "events (seq, at, actor, entity, key, action, data) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(?1 + %d, ?2, ?3, ?4, ?%d, ?5, ?%d)", i, 6+2*i, 7+2*i)
	}
	return b.String()
}

var eventColumns = []string{"seq", "at", "actor", "entity", "key", "action", "from_status", "to_status", "reason", "effective_on", "data", "personal", "salt"}

// eventRow returns the column values of an event.
func eventRow(e trustmark.Event) ([]any, error) {
	var personal any
	if len(e.Personal) > 0 {
		b, err := json.Marshal(e.Personal)
		if err != nil {
			return nil, internal("encode personal data", err)
		}
		personal = string(b)
	}
	var data, salt any
	if e.Data != nil {
		data = []byte(e.Data)
	}
	if e.Salt != nil {
		salt = e.Salt
	}
	return []any{e.Seq, micros(e.At), e.Actor, e.Entity, e.Key, e.Action, e.From, e.To, e.Reason,
		dateString(e.EffectiveOn), data, personal, salt}, nil
}

// LastEventSeq returns the Seq of the last event stored, 0 when there is
// none: where a follower that needs no history starts (the lookup's cache).
func (db *DB) LastEventSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := db.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM events`).Scan(&seq); err != nil {
		return 0, internal("read the last event", err)
	}
	return seq, nil
}

// Events implements trustmark.Store.
func (db *DB) Events(ctx context.Context, f trustmark.EventFilter) ([]trustmark.Event, error) {
	q := `SELECT ` + eventSelect + ` FROM events WHERE seq > ?`
	args := []any{f.After}
	if f.Entity != "" {
		q += ` AND entity = ?`
		args = append(args, f.Entity)
	}
	if f.Key != "" {
		q += ` AND key = ?`
		args = append(args, f.Key)
	}
	q += ` ORDER BY seq`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return readEvents(db.query(ctx, q, args...))
}

// readEvents reads the events of a query selecting eventSelect: the one
// loop over event rows, for Events and the state audit's snapshots
// (scan.go).
func readEvents(rows *sql.Rows, err error) ([]trustmark.Event, error) {
	if err != nil {
		return nil, internal("query events", err)
	}
	defer rows.Close()
	var out []trustmark.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("query events", err)
	}
	return out, nil
}

// eventSelect are the columns scanEvent reads.
const eventSelect = `seq, at, actor, entity, key, action, from_status, to_status, reason, effective_on, data, personal, salt`

// scanEvent reads an event selected as eventSelect: the one reading of an
// event row, for Events and the state audit's snapshots (scan.go).
func scanEvent(s interface{ Scan(...any) error }) (trustmark.Event, error) {
	var (
		e          trustmark.Event
		at         int64
		eff        string
		data, salt []byte
		personal   sql.NullString
	)
	if err := s.Scan(&e.Seq, &at, &e.Actor, &e.Entity, &e.Key, &e.Action, &e.From, &e.To, &e.Reason, &eff, &data, &personal, &salt); err != nil {
		return e, internal("scan event", err)
	}
	e.At = time.UnixMicro(at).UTC()
	var err error
	if e.EffectiveOn, err = parseDate(eff); err != nil {
		return e, internal("scan event", err)
	}
	if data != nil {
		e.Data = json.RawMessage(data)
	}
	if personal.Valid {
		if err := json.Unmarshal([]byte(personal.String), &e.Personal); err != nil {
			return e, internal("decode personal data", err)
		}
	}
	if salt != nil {
		e.Salt = salt
	}
	return e, nil
}
