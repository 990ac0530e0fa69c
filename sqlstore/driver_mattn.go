//go:build cgo && !sqlite_modernc

package sqlstore

import (
	"database/sql"

	"github.com/mattn/go-sqlite3"
)

// mattn/go-sqlite3 (the SQLite C library through cgo) is the default: it
// imported certificates faster than modernc.org/sqlite in the side-by-side
// measurements of docs/BENCHMARKS.md ("Storage"). Builds without cgo, or
// with -tags sqlite_modernc, use modernc.
func init() {
	// The connect hook sets what the DSN cannot: checkpoint the WAL every
	// 64 MB rather than every 4 MB, so that a bulk import writes the index
	// pages it keeps touching once per checkpoint instead of once per batch.
	// The store's own writer checkpoints never (its checkpointer does,
	// checkpoint.go), so it is a driver of its own.
	autocheckpoint := func(pages string) *sqlite3.SQLiteDriver {
		return &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
			_, err := c.Exec("PRAGMA wal_autocheckpoint = "+pages, nil)
			return err
		}}
	}
	sql.Register("sqlite3_trustmark", autocheckpoint("16384"))
	sql.Register("sqlite3_trustmark_writer", autocheckpoint("0"))
	var drv sqliteDriver
	drv.name = "sqlite3_trustmark"
	drv.writer = func(path string) (string, string) { return "sqlite3_trustmark_writer", drv.dsn(path, true) }
	drv.dsn = func(path string, writer bool) string {
		// The writer keeps up to 256 MB of pages: a batch of an import
		// touches index pages all over the tables, and pages read again
		// from the file cost the writer more than their memory
		// (docs/BENCHMARKS.md, "Import"). Readers keep 16 MB each, as the
		// operating system caches the file for them anyway. The writer
		// keeps its statements prepared across transactions: an import
		// prepares the same few, of thousands of parameters, in every batch,
		// and a group of check-ins about twenty, half of them reads whose
		// key counts vary; 128 keep the writes' shapes (statementRows)
		// from being pushed out by those reads.
		q := "?_busy_timeout=10000&_foreign_keys=1&_synchronous=NORMAL"
		if writer {
			q += "&_cache_size=-262144&_journal_mode=WAL&_txlock=immediate&_stmt_cache_size=128"
		} else {
			q += "&_cache_size=-16384&_query_only=1"
		}
		return fileURI(path) + q
	}
	sqliteDrivers["mattn"] = drv
}
