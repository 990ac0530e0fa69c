//go:build mattn

package sqlstore

import _ "github.com/mattn/go-sqlite3" // registers the "sqlite3" database/sql driver (cgo)

// The cgo driver is built only with -tags mattn, to compare it with the
// default (docs/BENCHMARKS.md, "Storage").
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
