package main

import (
	"os"

	"trustmark/sqlstore"
)

// logKeyFile returns where the signing key of the log kept in the database
// dsn lives: $TRUSTMARK_LOG_KEY_FILE when set; otherwise next to an SQLite
// database file (DB.logkey), or ./trustmark-log.key for PostgreSQL.
//
// The key is deliberately never kept in the database: whoever can write the
// database could otherwise rewrite events, rebuild the tree and sign it, and
// neither `trustmark audit` nor a verifier without saved state could tell.
func logKeyFile(dsn string) string {
	if f := os.Getenv("TRUSTMARK_LOG_KEY_FILE"); f != "" {
		return f
	}
	if path, ok := sqlstore.SQLitePath(dsn); ok {
		return path + ".logkey"
	}
	return "trustmark-log.key"
}

// searchDir returns the search index's directory for the database dsn:
// beside an SQLite file ("trustmark.db" → "trustmark.db.search"), and
// ./trustmark.search for PostgreSQL.
func searchDir(dsn string) string {
	if path, ok := sqlstore.SQLitePath(dsn); ok {
		return path + ".search"
	}
	return "trustmark.search"
}
