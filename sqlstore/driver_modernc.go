//go:build !cgo || sqlite_modernc || sqlite_both

package sqlstore

import _ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

// modernc.org/sqlite (SQLite translated to pure Go) is used when cgo is off
// or with -tags sqlite_modernc; -tags sqlite_both builds it beside the
// default for the side-by-side benchmark.
func init() {
	sqliteDrivers["modernc"] = sqliteDriver{name: "sqlite", dsn: func(path string, writer bool) string {
		q := "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)"
		if writer {
			q += "&_pragma=cache_size(-262144)&_pragma=journal_mode(WAL)&_pragma=wal_autocheckpoint(16384)&_txlock=immediate"
		} else {
			q += "&_pragma=cache_size(-16384)&_pragma=query_only(1)"
		}
		return fileURI(path) + q
	}}
}
