package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"trustmark"
)

// A large first load (a registry's million certificates) spends most of
// its time maintaining secondary indexes: every row goes into the holder's,
// the body's, the status date's and the events' B-trees at a random place,
// and every batch dirties most of their pages again. SQLite builds an index
// from the finished table by sorting, several times faster
// (docs/BENCHMARKS.md, "Import"). So BulkLoad drops the secondary indexes of
// the tables a load fills and builds them once when it is done. Readers get
// the same answers meanwhile, more slowly; writers other than the load get
// no reference check from the database either, only their decisions'. The
// definitions of the dropped indexes are kept in deferred_indexes, written
// in the transaction that drops them: a load killed before it built them
// again leaves them there, and the next Open builds them, unless a load
// holds the bulk-load lease.

var _ trustmark.BulkLoader = (*DB)(nil)

// bulkMin is the smallest load whose indexes are worth building at its end.
const bulkMin = 100_000

// bulkTables are the tables an import of each kind fills; the first is the
// kind's own, whose row count decides.
var bulkTables = map[trustmark.Kind][]string{
	trustmark.KindCertificates: {"certificates", "events"},
}

// bulkLease is the lease a load holds while indexes are deferred, renewed
// every third of bulkLeaseTTL.
const (
	bulkLease    = "bulk-load"
	bulkLeaseTTL = time.Minute
)

// BulkLoad implements trustmark.BulkLoader. On SQLite, when the load of
// about rows records of kind is large (bulkMin) and more than twice what
// the kind's table holds already (a first load, or one that grows the table
// severalfold, but not a file imported again), the indexes are built at its
// end; otherwise, and on PostgreSQL (whose loads go by COPY), it only runs
// load.
func (db *DB) BulkLoad(ctx context.Context, kind trustmark.Kind, rows int, load func(context.Context) error) (err error) {
	tables := bulkTables[kind]
	if db.dialect != sqlite || len(tables) == 0 || rows < bulkMin {
		return load(ctx)
	}
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM `+tables[0]).Scan(&n); err != nil {
		return internal("count "+tables[0], err)
	}
	if rows <= 2*n {
		return load(ctx)
	}
	holder := leaseHolder("load")
	if ok, err := db.AcquireLease(ctx, bulkLease, holder, time.Now(), bulkLeaseTTL); err != nil || !ok {
		// Another load defers the indexes: this one runs beside it as usual.
		return load(ctx)
	}
	done := make(chan struct{})
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		t := time.NewTicker(bulkLeaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				db.AcquireLease(context.WithoutCancel(ctx), bulkLease, holder, time.Now(), bulkLeaseTTL)
			}
		}
	}()
	defer func() {
		close(done)
		<-renewed
		// Built even when the load failed: the batches it committed stay.
		if berr := db.buildDeferredIndexes(context.WithoutCancel(ctx)); err == nil {
			err = berr
		}
		db.ReleaseLease(context.WithoutCancel(ctx), bulkLease, holder)
	}()
	if err := db.deferIndexes(ctx, tables); err != nil {
		return err
	}
	// Nor does the database check each row's references during the load:
	// the decisions have (trustmark.DecideImport finds the body and the
	// holder before a certificate is written), and the check is a lookup
	// per row, a tenth of the load's time.
	if _, err := db.w.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return internal("defer reference checks", err)
	}
	defer db.w.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	return load(ctx)
}

// deferIndexes drops the secondary indexes of tables, recording them.
func (db *DB) deferIndexes(ctx context.Context, tables []string) error {
	return db.Transact(ctx, func(tx *Tx) error {
		// Unique indexes stay: they are rules, not only ways to read.
		idx, err := tx.indexes(ctx, `SELECT m.name, m.sql FROM sqlite_master m JOIN pragma_index_list(m.tbl_name) l ON l.name = m.name
			WHERE m.type = 'index' AND m.sql IS NOT NULL AND NOT l."unique" AND m.tbl_name IN (`+placeholders(len(tables))+`)`,
			stringArgs(tables)...)
		if err != nil {
			return err
		}
		for _, ix := range idx {
			if _, err := tx.Exec(ctx, `INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)`, ix[0], ix[1]); err != nil {
				return internal("record deferred index", err)
			}
			if _, err := tx.Exec(ctx, `DROP INDEX `+quoteIdent(ix[0])); err != nil {
				return internal("drop index", err)
			}
		}
		db.log.Info("deferring indexes to the end of a bulk load", "tables", strings.Join(tables, ", "), "indexes", len(idx))
		return nil
	})
}

// buildDeferredIndexes builds the indexes deferred_indexes records, in one
// transaction, and forgets them.
func (db *DB) buildDeferredIndexes(ctx context.Context) error {
	start := time.Now()
	var n int
	err := db.Transact(ctx, func(tx *Tx) error {
		idx, err := tx.indexes(ctx, `SELECT name, sql FROM deferred_indexes ORDER BY name`)
		if err != nil {
			return err
		}
		for _, ix := range idx {
			if _, err := tx.Exec(ctx, ix[1]); err != nil {
				return internal("build index "+ix[0], err)
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM deferred_indexes`); err != nil {
			return internal("forget deferred indexes", err)
		}
		n = len(idx)
		return nil
	})
	if err == nil && n > 0 {
		db.log.Info("built deferred indexes", "indexes", n, "seconds", time.Since(start).Seconds())
	}
	return err
}

// indexes reads the names and definitions of indexes a query selects.
func (tx *Tx) indexes(ctx context.Context, query string, args ...any) ([][2]string, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, internal("read indexes", err)
	}
	defer rows.Close()
	var idx [][2]string
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			return nil, internal("read indexes", err)
		}
		idx = append(idx, [2]string{name, sql})
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read indexes", err)
	}
	return idx, nil
}

// buildLeftIndexes builds at Open the indexes a killed bulk load left
// deferred, unless a load running elsewhere holds the lease.
func (db *DB) buildLeftIndexes(ctx context.Context) error {
	var n int
	if err := db.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM deferred_indexes`).Scan(&n); err != nil || n == 0 {
		if err != nil {
			return internal("read deferred indexes", err)
		}
		return nil
	}
	holder := leaseHolder("open")
	ok, err := db.AcquireLease(ctx, bulkLease, holder, time.Now(), bulkLeaseTTL)
	if err != nil || !ok {
		return err
	}
	defer db.ReleaseLease(ctx, bulkLease, holder)
	db.log.Warn("a bulk load ended before building its indexes; building them now", "indexes", n)
	return db.buildDeferredIndexes(ctx)
}

// leaseHolder names a holder of the bulk-load lease uniquely.
func leaseHolder(role string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return role + "-" + hex.EncodeToString(b)
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
