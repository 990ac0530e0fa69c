package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"trustmark"
)

// TestInternalClassifiesUnavailability checks that a database failure is
// unavailable when the database cannot be reached or cannot answer now, and
// internal otherwise (the product's own bugs).
func TestInternalClassifiesUnavailability(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{}}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"a refused connection is unavailable", fmt.Errorf("query: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), trustmark.EUnavailable},
		{"a failed name lookup is unavailable", refused, trustmark.EUnavailable},
		{"a connection found broken is unavailable", driver.ErrBadConn, trustmark.EUnavailable},
		{"a closed pgx connection is unavailable", fmt.Errorf("x: %w", pgconn.ErrConnClosed), trustmark.EUnavailable},
		{"an answer cut short is unavailable", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), trustmark.EUnavailable},
		{"a deadline while waiting for the database is unavailable", context.DeadlineExceeded, trustmark.EUnavailable},
		{"a server shutting down (57P01) is unavailable", &pgconn.PgError{Code: "57P01"}, trustmark.EUnavailable},
		{"a server out of connections (53300) is unavailable", &pgconn.PgError{Code: "53300"}, trustmark.EUnavailable},
		{"a connection failure (08006) is unavailable", &pgconn.PgError{Code: "08006"}, trustmark.EUnavailable},
		{"a SQLite database locked past its busy timeout is unavailable", errors.New("database is locked (5) (SQLITE_BUSY)"), trustmark.EUnavailable},
		{"a SQLite file that cannot be opened is unavailable", errors.New("unable to open database file: no such file or directory"), trustmark.EUnavailable},
		{"a syntax error is internal", &pgconn.PgError{Code: "42601"}, trustmark.EInternal},
		{"a constraint violation is internal", &pgconn.PgError{Code: "23503"}, trustmark.EInternal},
		{"a SQLite constraint failure is internal", errors.New("FOREIGN KEY constraint failed"), trustmark.EInternal},
		{"a scan of the wrong type is internal", errors.New(`sql: Scan error on column index 0, name "x": converting`), trustmark.EInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := internal("read certificate", tt.err)
			if got := trustmark.ErrorCode(err); got != tt.want {
				t.Errorf("internal(%v) has code %s, want %s", tt.err, got, tt.want)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("internal(%v) = %v, which does not wrap the cause", tt.err, err)
			}
		})
	}
}
