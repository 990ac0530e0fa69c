//go:build cgo && !sqlite_modernc

package sqlstore

import _ "github.com/mattn/go-sqlite3" // registers the "sqlite3" database/sql driver (cgo)

// mattn/go-sqlite3 (the SQLite C library through cgo) is the default: it
// imported certificates faster than modernc.org/sqlite in the side-by-side
// measurements of docs/BENCHMARKS.md ("Storage"). Builds without cgo, or
// with -tags sqlite_modernc, use modernc.
func init() {
	sqliteDrivers["mattn"] = sqliteDriver{name: "sqlite3", dsn: func(path string, writer bool) string {
		q := "?_busy_timeout=10000&_foreign_keys=1&_synchronous=NORMAL&_cache_size=-65536"
		if writer {
			q += "&_journal_mode=WAL&_txlock=immediate"
		} else {
			q += "&_query_only=1"
		}
		return fileURI(path) + q
	}}
}
