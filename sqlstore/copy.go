package sqlstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyMin is the number of new rows from which PostgreSQL gets them by COPY
// rather than INSERT: COPY skips per-statement parsing and planning.
const copyMin = 64

// copyRows writes new rows with PostgreSQL's COPY, on the transaction's own
// connection.
func (tx *Tx) copyRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	err := tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("connection is a %T, not pgx", dc)
		}
		n, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err == nil && n != int64(len(rows)) {
			err = fmt.Errorf("copied %d rows of %d", n, len(rows))
		}
		return err
	})
	if err != nil {
		return internal("copy into "+table, err)
	}
	return nil
}

// write stores the rows an import judged: fresh ones (new to the database)
// and changed ones. On PostgreSQL a large set of fresh rows goes by COPY.
func (tx *Tx) write(ctx context.Context, table string, cols []string, nkey int, fresh, changed [][]any) error {
	if tx.conn != nil && len(fresh) >= copyMin {
		if err := tx.copyRows(ctx, table, cols, fresh); err != nil {
			return err
		}
		return tx.upsert(ctx, table, cols, nkey, changed)
	}
	if err := tx.insertRows(ctx, table, cols, fresh); err != nil {
		return err
	}
	return tx.upsert(ctx, table, cols, nkey, changed)
}
