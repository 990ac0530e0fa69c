package sqlstore

import (
	"context"
	"database/sql"
	"sync"

	"trustmark"
)

// Certificate lookups. Every write stores a certificate number in its
// canonical form (trustmark.ParseCertNumber: folded and upper-cased), so a
// lookup canonicalises the number it is given and probes once.

// Certificate implements trustmark.Store. It is the registry's hottest
// read (every API lookup, every certificate page, the health check).
//
// The lookup is not cancelled with its request: one indexed row takes
// microseconds, less than watching the context would (database/sql starts
// a goroutine per query to watch a cancellable one).
func (db *DB) Certificate(ctx context.Context, number string) (*trustmark.Certificate, error) {
	return getCertificate(context.WithoutCancel(ctx), db.reads(), db.dialect, number)
}

// reads returns the querier of reads outside transactions. On SQLite it
// runs them as statements prepared once per connection: preparing the
// certificate lookup with its two joins cost more than running it (issue
// 16). PostgreSQL's driver keeps its own statement cache.
func (db *DB) reads() querier {
	if db.dialect != sqlite {
		return db.r
	}
	return db.stmts.querier(db.r)
}

// maxPrepared bounds the statements kept: the store's queries are a fixed
// set of texts, with a few variants per filter; past the bound, queries run
// unprepared.
const maxPrepared = 512

// stmtCache keeps prepared statements of a DB's read pool by query text.
// database/sql prepares a statement again on each connection that runs it
// and keeps it there, so each connection prepares each query once.
type stmtCache struct {
	mu    sync.RWMutex
	pool  *sql.DB
	stmts map[string]*sql.Stmt
}

// querier returns a querier that runs its queries as prepared statements
// of pool.
func (c *stmtCache) querier(pool *sql.DB) querier {
	c.mu.RLock()
	ok := c.pool == pool
	c.mu.RUnlock()
	if !ok {
		c.mu.Lock()
		if c.pool != pool {
			c.pool, c.stmts = pool, map[string]*sql.Stmt{}
		}
		c.mu.Unlock()
	}
	return preparedQuerier{c}
}

// preparedQuerier is a querier over a stmtCache; a query whose preparation
// fails (a cancelled context, a closed pool) runs unprepared, and is
// prepared again next time. Exec is for writes, which go through
// transactions: it runs unprepared.
type preparedQuerier struct{ c *stmtCache }

func (p preparedQuerier) stmt(ctx context.Context, q string) *sql.Stmt {
	c := p.c
	c.mu.RLock()
	st, full := c.stmts[q], len(c.stmts) >= maxPrepared
	c.mu.RUnlock()
	if st != nil || full {
		return st
	}
	// Prepared without the lock held: preparing takes a connection, and a
	// reader holding one may be waiting for the lock.
	st, err := c.pool.PrepareContext(context.WithoutCancel(ctx), q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.stmts[q]; prev != nil {
		st.Close() // another request prepared it meanwhile
		return prev
	}
	c.stmts[q] = st
	return st
}

func (p preparedQuerier) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.c.pool.QueryContext(ctx, q, args...)
}

func (p preparedQuerier) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := p.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.c.pool.QueryRowContext(ctx, q, args...)
}

func (p preparedQuerier) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.c.pool.ExecContext(ctx, q, args...)
}

// getCertificate reads the certificate with number, of the first type in
// CertTypes order when types share it.
func getCertificate(ctx context.Context, q querier, d dialect, number string) (*trustmark.Certificate, error) {
	n, err := trustmark.ParseCertNumber(number)
	if err != nil {
		// No certificate has a number that breaks the rule every number meets.
		return nil, notFound("number", "no certificate with number %q", number)
	}
	rows, err := q.QueryContext(ctx, d.rebind(certSelect+` WHERE c.number = ?`), string(n))
	if err != nil {
		return nil, internal("read certificate", err)
	}
	defer rows.Close()
	var found []*trustmark.Certificate
	for rows.Next() {
		c, err := scanCert(rows, true)
		if err != nil {
			return nil, internal("scan certificate", err)
		}
		found = append(found, c)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read certificate", err)
	}
	for _, t := range trustmark.CertTypes {
		for _, c := range found {
			if c.Type == t {
				return c, nil
			}
		}
	}
	return nil, notFound("number", "no certificate with number %s", n)
}

// CertificateByKey implements trustmark.Store.
func (db *DB) CertificateByKey(ctx context.Context, k trustmark.CertKey) (*trustmark.Certificate, error) {
	n, err := trustmark.ParseCertNumber(string(k.Number))
	if err != nil {
		return nil, notFound("number", "no %s certificate with number %q", k.Type, k.Number)
	}
	c, err := scanCert(db.queryRow(ctx, certSelect+` WHERE c.number = ? AND c.type = ?`, string(n), string(k.Type)), true)
	if err == sql.ErrNoRows {
		return nil, notFound("number", "no %s certificate with number %s", k.Type, n)
	}
	if err != nil {
		return nil, internal("read certificate", err)
	}
	return c, nil
}
