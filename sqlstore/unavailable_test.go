package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// TestUnreachablePostgreSQLIsUnavailable checks that a store whose
// PostgreSQL server cannot be reached answers unavailable, never internal:
// at Open against a closed port, and on reads after the server went away
// (a stopped listener, and the database's connections terminated while it
// accepts no new ones).
func TestUnreachablePostgreSQLIsUnavailable(t *testing.T) {
	dsn := storetest.PostgresDSN(t, "unavail")
	ctx := context.Background()

	t.Run("opening a closed port is unavailable", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		u, _ := url.Parse(dsn)
		u.Host = addr
		_, err = sqlstore.Open(ctx, u.String())
		if got := trustmark.ErrorCode(err); got != trustmark.EUnavailable {
			t.Errorf("Open(closed port) = %v (code %s), want unavailable", err, got)
		}
	})

	t.Run("reads after the listener stopped are unavailable", func(t *testing.T) {
		u, _ := url.Parse(dsn)
		proxy := storetest.NewProxy(t, u.Host)
		db, err := sqlstore.Open(ctx, proxy.DSN(t, dsn))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Certificate(ctx, "00124Q0000001R0M"); !trustmark.IsNotFound(err) {
			t.Fatalf("Certificate before the outage = %v, want not_found", err)
		}
		proxy.Stop()
		checkUnavailable(t, db)
	})

	t.Run("reads after the database's connections were terminated are unavailable", func(t *testing.T) {
		name, dbDSN := ownDatabase(t)
		db, err := sqlstore.Open(ctx, dbDSN)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		admin := adminDB(t)
		// No new connections, then end the ones the store holds: the
		// database is there but answers no one, as during a restart.
		mustExec(t, admin, `ALTER DATABASE `+name+` ALLOW_CONNECTIONS false`)
		defer admin.Exec(`ALTER DATABASE ` + name + ` ALLOW_CONNECTIONS true`)
		mustExec(t, admin, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name)
		checkUnavailable(t, db)
	})
}

// checkUnavailable checks that a read and a write of db are unavailable.
func checkUnavailable(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := db.Certificate(ctx, "00124Q0000001R0M")
	if got := trustmark.ErrorCode(err); got != trustmark.EUnavailable {
		t.Errorf("Certificate during the outage = %v (code %s), want unavailable", err, got)
	}
	_, err = db.CreateToken(ctx, trustmark.Party{Kind: trustmark.PartyRegulator, ID: "000000"})
	if got := trustmark.ErrorCode(err); got != trustmark.EUnavailable {
		t.Errorf("CreateToken during the outage = %v (code %s), want unavailable", err, got)
	}
}

// ownDatabase creates a database of its own on TRUSTMARK_TEST_PG's server
// (terminating connections must touch no other test's) and drops it when
// the test ends.
func ownDatabase(t *testing.T) (name, dsn string) {
	t.Helper()
	admin := adminDB(t)
	name = fmt.Sprintf("trustmark_unavail_%d", time.Now().UnixNano())
	mustExec(t, admin, `CREATE DATABASE `+name)
	t.Cleanup(func() {
		admin := adminDB(t)
		admin.Exec(`ALTER DATABASE ` + name + ` ALLOW_CONNECTIONS true`)
		admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name)
		admin.Exec(`DROP DATABASE IF EXISTS ` + name)
	})
	u, _ := url.Parse(os.Getenv("TRUSTMARK_TEST_PG"))
	u.Path = "/" + name
	return name, u.String()
}

func adminDB(t *testing.T) *sql.DB {
	t.Helper()
	admin, err := sqlstore.OpenRaw(os.Getenv("TRUSTMARK_TEST_PG"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	return admin
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil && !strings.Contains(err.Error(), "terminating connection") {
		t.Fatalf("%s: %v", q, err)
	}
}
