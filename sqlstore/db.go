// Package sqlstore implements trustmark.Store on SQLite (a file path DSN) and
// PostgreSQL (a postgres:// DSN) with hand-written SQL shared between the two
// dialects, embedded numbered migrations and one Transact helper.
package sqlstore

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"trustmark"
)

var _ trustmark.Store = (*DB)(nil)

// DB is the registry's storage. It is safe for concurrent use.
//
// On SQLite it keeps two pools on one file: a single writer connection (SQLite
// allows one writer at a time, so queueing in the pool is cheaper than
// SQLITE_BUSY) and a pool of readers that see the last committed state (WAL).
// On PostgreSQL both are the same pool.
type DB struct {
	w, r    *sql.DB
	dialect dialect
	clock   trustmark.Clock
	policy  *trustmark.Policy
	log     *slog.Logger
	dsn     string
	driver  string // SQLite driver name, "" on PostgreSQL

	hooks      []EventHook
	statsCache statsCache
	tallies    tallyCache    // the plan's indicators (statistics.go)
	commits    commitSignal  // fired after a commit that stored events (feed.go)
	secrets    cipher.AEAD   // seals TOTP secrets at rest, nil without a key (account_secret.go)
	stmts      stmtCache     // prepared statements of the hottest reads (certlookup.go)
	checkins   checkInQueue  // group commit of check-ins (audit_group.go)
	ids        idSeq         // time-ordered check-in ids (audit_ids.go)
	ckpt       *checkpointer // SQLite's WAL checkpoints, off the writer (checkpoint.go)
}

// EventHook is called inside a write transaction after its events have been
// numbered and stored, before the commit: a hook that fails rolls the whole
// transaction back. The traceability log uses it to stay in step with the
// events.
type EventHook func(ctx context.Context, tx *Tx, events []trustmark.Event) error

// Option configures Open.
type Option func(*DB)

// WithClock sets the clock that fixes "now" for each transaction and "today"
// for effective statuses; tests fix it.
func WithClock(c trustmark.Clock) Option { return func(db *DB) { db.clock = c } }

// WithPolicy sets the regime's policy (default trustmark.DefaultPolicy()).
func WithPolicy(p *trustmark.Policy) Option { return func(db *DB) { db.policy = p } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(db *DB) { db.log = l } }

// WithSQLiteDriver selects a registered SQLite driver by name (see
// SQLiteDrivers); the default is the one chosen by measurement
// (docs/BENCHMARKS.md).
func WithSQLiteDriver(name string) Option { return func(db *DB) { db.driver = name } }

// WithEventHook adds a hook run in every write transaction that records
// events (see EventHook).
func WithEventHook(h EventHook) Option { return func(db *DB) { db.hooks = append(db.hooks, h) } }

// Open opens (creating if needed) the database named by dsn, a file path for
// SQLite or a postgres:// URL, and applies any pending migrations.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	db := &DB{clock: time.Now, policy: trustmark.DefaultPolicy(), log: slog.Default(), dsn: dsn}
	for _, o := range opts {
		o(db)
	}
	var err error
	if isPostgres(dsn) {
		err = db.openPostgres(dsn)
	} else {
		err = db.openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := db.prepare(ctx, dsn); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openPostgres opens the one pool that both writes and reads on
// PostgreSQL.
func (db *DB) openPostgres(dsn string) error {
	db.driver = ""
	db.dialect = postgres
	var err error
	db.w, err = sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("sqlstore: open %s: %w", redact(dsn), err)
	}
	db.w.SetMaxOpenConns(4 * runtime.GOMAXPROCS(0))
	db.w.SetMaxIdleConns(4 * runtime.GOMAXPROCS(0))
	db.w.SetConnMaxIdleTime(5 * time.Minute)
	db.r = db.w
	return nil
}

// openSQLite opens SQLite's two pools on the file dsn names with the
// driver chosen (see DB): the single writer connection and the readers.
func (db *DB) openSQLite(dsn string) error {
	db.dialect = sqlite
	if db.driver == "" {
		db.driver = defaultSQLiteDriver()
	}
	drv, ok := sqliteDrivers[db.driver]
	if !ok {
		return fmt.Errorf("sqlstore: SQLite driver %q is not built in (have %s)", db.driver, strings.Join(SQLiteDrivers(), ", "))
	}
	path := sqlitePath(dsn)
	var err error
	if db.w, err = sql.Open(drv.writer(path)); err != nil {
		return fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	db.w.SetMaxOpenConns(1)
	db.w.SetMaxIdleConns(1)
	db.w.SetConnMaxLifetime(0)
	db.w.SetConnMaxIdleTime(0)
	if db.r, err = sql.Open(drv.name, drv.dsn(path, false)); err != nil {
		db.w.Close()
		return fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	db.r.SetMaxOpenConns(n)
	db.r.SetMaxIdleConns(n)
	db.r.SetConnMaxIdleTime(0)
	return nil
}

// prepare makes the opened pools ready for use: it reaches the database,
// starts SQLite's checkpoints, applies the pending migrations, fills what
// rows stored before a migration lack, and on SQLite builds the indexes a
// killed bulk load left and refreshes the planner's statistics. When it
// fails, the caller closes db.
func (db *DB) prepare(ctx context.Context, dsn string) error {
	if err := db.w.PingContext(ctx); err != nil {
		return &trustmark.Error{Code: trustmark.EUnavailable, Message: "the database " + redact(dsn) + " cannot be reached",
			Err: fmt.Errorf("sqlstore: connect: %w", err)}
	}
	if db.dialect == sqlite { // before the migrations, which may write much
		var err error
		if db.ckpt, err = startCheckpointer(sqliteDrivers[db.driver], sqlitePath(dsn), db.w, db.log, checkpointEvery, walMaxBytes); err != nil {
			return err
		}
	}
	if err := db.migrate(ctx); err != nil {
		return err
	}
	if err := db.fillScopeItems(ctx); err != nil { // lab.go
		return err
	}
	if db.dialect == sqlite {
		if err := db.buildLeftIndexes(ctx); err != nil { // bulk.go
			return err
		}
		// Table statistics let the planner choose an index over the primary
		// key's order (ChangedSince, Q); SQLite recommends this at open and
		// PRAGMA optimize again at close. analysis_limit bounds the cost on
		// millions of rows.
		if _, err := db.w.ExecContext(ctx, `PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002`); err != nil {
			db.log.Warn("sqlstore: PRAGMA optimize", "err", err)
		}
	}
	return nil
}

// HasRegistry reports whether dsn holds a registry: for SQLite, a file in
// which the migrations have run; for PostgreSQL, a database (or the schema
// its search_path names) in which they have. where names the place looked
// at, for messages: the file's absolute path, or the DSN without its
// password. It creates nothing, so that a command run from the wrong
// directory can refuse instead of starting an empty registry there.
func HasRegistry(ctx context.Context, dsn string) (where string, ok bool, err error) {
	where = redact(dsn)
	if !isPostgres(dsn) {
		path := sqlitePath(dsn)
		if abs, err := filepath.Abs(path); err == nil {
			where = abs
		}
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return where, false, nil
		} else if err != nil {
			return where, false, err
		}
	}
	raw, err := OpenRaw(dsn)
	if err != nil {
		return where, false, err
	}
	defer raw.Close()
	var exists bool
	q := `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if isPostgres(dsn) {
		q = `SELECT to_regclass('schema_migrations') IS NOT NULL`
	}
	if err := raw.QueryRowContext(ctx, q).Scan(&exists); err != nil {
		return where, false, internal("look for the registry", err)
	}
	if !exists {
		return where, false, nil
	}
	var applied int
	if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil {
		return where, false, internal("look for the registry", err)
	}
	return where, applied > 0, nil
}

// Close closes the database.
func (db *DB) Close() error {
	if db.dialect == sqlite && db.w != nil {
		db.w.Exec(`PRAGMA analysis_limit = 1000; PRAGMA optimize`)
	}
	var err error
	if db.ckpt != nil {
		err = db.ckpt.stop()
	}
	if db.r != nil && db.r != db.w {
		if e := db.r.Close(); e != nil {
			err = e
		}
	}
	if db.w != nil {
		if e := db.w.Close(); e != nil {
			err = e
		}
	}
	return err
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// SQLiteDriver returns the SQLite driver in use, "" on PostgreSQL.
func (db *DB) SQLiteDriver() string { return db.driver }

// Policy returns the policy the store checks records against.
func (db *DB) Policy() *trustmark.Policy { return db.policy }

// today is the current day in China by the store's clock.
func (db *DB) today() trustmark.Date { return trustmark.DateOf(db.clock()) }

// redact hides a password in a DSN for error messages.
func redact(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	user := dsn[scheme+3 : at]
	if u, _, ok := strings.Cut(user, ":"); ok {
		return dsn[:scheme+3] + u + ":***" + dsn[at:]
	}
	return dsn
}

// dialect holds what differs between SQLite and PostgreSQL SQL.
type dialect struct {
	name   string
	dollar bool   // placeholders $1, $2 instead of ?
	ilike  string // case-insensitive LIKE operator
	// insert begins an INSERT whose failure fails its transaction, as the
	// store's bulk writes all do. On SQLite it is INSERT OR FAIL: a failing
	// statement then keeps the rows it wrote before the failure instead of
	// undoing them, so SQLite keeps no statement journal for it (a copy of
	// every page a multi-row INSERT touches, spilt to a temporary file
	// beyond 64 KiB); the transaction's rollback undoes them anyway.
	// Foreign keys still need that journal unless deferred (migration 028).
	insert string
}

var (
	sqlite   = dialect{name: "sqlite", ilike: "LIKE", insert: "INSERT OR FAIL INTO "}
	postgres = dialect{name: "postgres", dollar: true, ilike: "ILIKE", insert: "INSERT INTO "}
)

// rebind turns the ? placeholders of a query into the dialect's. Queries in
// this package never contain a literal question mark.
func (d dialect) rebind(q string) string {
	if !d.dollar || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// querier is what reads need: a pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// query runs a read on the reader pool.
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.reads().QueryContext(ctx, db.dialect.rebind(q), args...)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return db.reads().QueryRowContext(ctx, db.dialect.rebind(q), args...)
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// rowsPlaceholders returns "(?, ?), (?, ?)" for rows rows of cols values.
func rowsPlaceholders(rows, cols int) string {
	one := "(" + placeholders(cols) + ")"
	return strings.Repeat(one+", ", rows-1) + one
}

// notFound is the error of a lookup that found nothing.
func notFound(field, format string, args ...any) error {
	return trustmark.Errorf(trustmark.ENotFound, field, format, args...)
}

// internal wraps a database failure: it is logged, never shown. A failure
// to reach the database (unavailable, driver.go) is unavailable, not
// internal: the client may try again, and the operator looks at the
// database, not at the product.
func internal(what string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*trustmark.Error); ok {
		return err
	}
	if unavailable(err) {
		return &trustmark.Error{Code: trustmark.EUnavailable, Message: "the registry database does not answer; try again shortly",
			Err: fmt.Errorf("sqlstore: %s: %w", what, err)}
	}
	return &trustmark.Error{Code: trustmark.EInternal, Message: "internal error", Err: fmt.Errorf("sqlstore: %s: %w", what, err)}
}

// micros and fromMicros convert instants to and from stored microseconds.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

// parseDate reads a stored date; stored dates were valid when written.
func parseDate(s string) (trustmark.Date, error) {
	if s == "" {
		return trustmark.Date{}, nil
	}
	d, err := trustmark.ParseDate(s)
	if err != nil {
		return trustmark.Date{}, fmt.Errorf("stored date %q: %w", s, err)
	}
	return d, nil
}

// joinTypes and splitTypes store lists as ';'-separated text.
func joinTypes(ts []trustmark.CertType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ";")
}

func splitTypes(s string) []trustmark.CertType {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	ts := make([]trustmark.CertType, len(parts))
	for i, p := range parts {
		ts[i] = trustmark.CertType(p)
	}
	return ts
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}
