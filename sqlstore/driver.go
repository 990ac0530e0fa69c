package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// sqliteDriver is a database/sql SQLite driver and how to spell our
// connection settings in its DSN: WAL, synchronous=NORMAL (durable across a
// killed process, and across power loss up to the last checkpoint), a busy
// timeout for other processes, foreign keys on, and BEGIN IMMEDIATE for the
// writer so that a transaction never fails upgrading its lock.
//
// name and dsn serve every connection but the store's own writer, which
// writer names: its automatic WAL checkpoint is off, as the store's
// checkpointer does the checkpoints on a connection of its own
// (checkpoint.go); tools opening the file with OpenRaw keep it on.
type sqliteDriver struct {
	name   string
	dsn    func(path string, writer bool) string
	writer func(path string) (driverName, dsn string)
}

// sqliteDrivers are the SQLite drivers built in; driver_*.go files register
// themselves here.
var sqliteDrivers = map[string]sqliteDriver{}

// SQLiteDrivers lists the SQLite drivers built into this binary.
func SQLiteDrivers() []string {
	var names []string
	for n := range sqliteDrivers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// preferredDrivers is the order in which Open picks a built-in SQLite
// driver when none is named.
var preferredDrivers = []string{"mattn", "modernc"}

// defaultSQLiteDriver returns the preferred built-in driver.
func defaultSQLiteDriver() string {
	for _, n := range preferredDrivers {
		if _, ok := sqliteDrivers[n]; ok {
			return n
		}
	}
	return ""
}

// OpenRaw opens the database named by dsn directly with database/sql, with
// the driver and connection settings the store uses but without the store:
// for tools and tests that must read or change rows behind the
// application's back (auditing, tamper tests). It applies no migrations.
func OpenRaw(dsn string) (*sql.DB, error) {
	if isPostgres(dsn) {
		return sql.Open("pgx", dsn)
	}
	drv, ok := sqliteDrivers[defaultSQLiteDriver()]
	if !ok {
		return nil, fmt.Errorf("sqlstore: no SQLite driver built in")
	}
	return sql.Open(drv.name, drv.dsn(sqlitePath(dsn), true))
}

// SQLitePath returns the file path of a SQLite DSN (a plain path, or one
// written sqlite://PATH or file:PATH; a ?query is dropped, as the store
// sets its own pragmas), and false for a PostgreSQL DSN. Whatever lives
// beside the database (the log's key, the search index) is named from it.
func SQLitePath(dsn string) (string, bool) {
	if isPostgres(dsn) {
		return "", false
	}
	for _, p := range []string{"sqlite://", "file:"} {
		dsn = strings.TrimPrefix(dsn, p)
	}
	dsn, _, _ = strings.Cut(dsn, "?")
	return dsn, true
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func sqlitePath(dsn string) string {
	p, _ := SQLitePath(dsn)
	return p
}

// fileURI makes a file: URI of a path, escaping what a URI would misread.
func fileURI(path string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath()
}

// unavailable reports whether err says that the database cannot be reached
// or cannot answer now, rather than that a statement or the product is
// wrong: a connection that cannot be made or was lost (pgx's connect
// errors, network errors, an answer cut short, a deadline while waiting
// for the database), a
// PostgreSQL server shutting down, refusing connections or out of them
// (SQLSTATE classes 08, 53 and 57P), and SQLite still locked by another
// process after its busy timeout, or unable to open or grow its file.
func unavailable(err error) bool {
	var (
		connect *pgconn.ConnectError
		netErr  net.Error
		pg      *pgconn.PgError
	)
	switch {
	case errors.As(err, &connect), errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF), // the server closed the connection mid-answer
		errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err):
		return true
	case errors.As(err, &pg):
		return strings.HasPrefix(pg.Code, "08") || strings.HasPrefix(pg.Code, "53") || strings.HasPrefix(pg.Code, "57P")
	}
	s := err.Error()
	for _, m := range sqliteUnavailable {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// sqliteUnavailable are the messages, the same in every SQLite driver, of
// the result codes SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN and
// SQLITE_FULL (sqlite3.c, sqlite3ErrStr).
var sqliteUnavailable = []string{
	"database is locked",
	"database table is locked",
	"unable to open database file",
	"database or disk is full",
}
