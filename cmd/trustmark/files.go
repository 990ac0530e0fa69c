package main

import (
	"context"
	"fmt"
	"os"

	"trustmark/sqlstore"
)

// requireRegistry refuses, naming where it looked, when dsn holds no
// registry. Commands that read an existing registry (log key, token
// create, audit) call it first: run from a directory without trustmark.db
// they would otherwise create an empty database there (and log key a new
// signing key beside it) and report nonsense instead of the mistake. A
// PostgreSQL database without the registry's tables counts as none.
func requireRegistry(ctx context.Context, dsn string) error {
	where, ok, err := sqlstore.HasRegistry(ctx, dsn)
	if err != nil {
		return fmt.Errorf("cannot look for the registry at %s: %s", where, cliMessage(err))
	}
	if !ok {
		return fmt.Errorf("no registry at %s: run the command where the registry is, or name it with --db or $TRUSTMARK_DB", where)
	}
	return nil
}

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
