package sqlstore

import (
	"context"
	"time"

	"trustmark"
)

// Leases (trustmark.WatchStore's AcquireLease and ReleaseLease), table of
// migration 005_leases.

// AcquireLease implements trustmark.WatchStore. One statement decides: the
// insert takes a free lease; on conflict, the update takes the row only when
// its holder is the same or it has expired, and otherwise changes nothing,
// so the rows affected say whether holder has the lease. PostgreSQL locks
// the conflicting row and re-checks the condition against its latest
// version, so two servers racing for an expired lease cannot both win.
func (db *DB) AcquireLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	switch {
	case name == "":
		return false, trustmark.Errorf(trustmark.EInvalid, "name", "a lease needs a name")
	case holder == "":
		return false, trustmark.Errorf(trustmark.EInvalid, "holder", "a lease needs a holder")
	case ttl <= 0:
		return false, trustmark.Errorf(trustmark.EInvalid, "ttl", "lease ttl %s must be positive", ttl)
	}
	var n int64
	err := db.Transact(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
			name, holder, now.Add(ttl).UnixMicro(), now.UnixMicro())
		if err != nil {
			return internal("acquire lease", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return internal("acquire lease", err)
		}
		return nil
	})
	return n == 1, err
}

// ReleaseLease implements trustmark.WatchStore.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	return db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder); err != nil {
			return internal("release lease", err)
		}
		return nil
	})
}
