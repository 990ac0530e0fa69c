//go:build !cgo || sqlite_modernc || sqlite_both

package sqlstore

import (
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// modernc.org/sqlite (SQLite translated to pure Go) is used when cgo is off
// or with -tags sqlite_modernc; -tags sqlite_both builds it beside the
// default for the side-by-side benchmark.
func init() {
	var drv sqliteDriver
	drv.name = "sqlite"
	drv.writer = func(path string) (string, string) {
		// The store's writer checkpoints never: its checkpointer does (checkpoint.go).
		return "sqlite", strings.Replace(drv.dsn(path, true), "wal_autocheckpoint(16384)", "wal_autocheckpoint(0)", 1)
	}
	drv.dsn = func(path string, writer bool) string {
		q := "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)"
		if writer {
			q += "&_pragma=cache_size(-262144)&_pragma=journal_mode(WAL)&_pragma=wal_autocheckpoint(16384)&_txlock=immediate"
		} else {
			q += "&_pragma=cache_size(-16384)&_pragma=query_only(1)"
		}
		return fileURI(path) + q
	}
	sqliteDrivers["modernc"] = drv
}
