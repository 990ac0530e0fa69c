package sqlstore

import (
	"context"
	"database/sql"

	"trustmark"
)

// importCertificates is the hot path of bulk loading: the bodies, holders
// and existing certificates a batch refers to are read with a few IN (...)
// queries, every row is judged in memory, and the changes are written with
// multi-row statements.
func (tx *Tx) importCertificates(ctx context.Context, actor trustmark.Party, items []trustmark.Record) ([]trustmark.Outcome, error) {
	recs, out := castAll[trustmark.Certificate](items)
	bodies, err := tx.bodiesByKey(ctx, distinct(recs, func(c *trustmark.Certificate) string { return c.BodyApprovalNo }))
	if err != nil {
		return nil, internal("read bodies", err)
	}
	holders := map[string]bool{}
	err = tx.forChunks(ctx, `SELECT uscc FROM orgs WHERE uscc IN (%s)`,
		distinct(recs, func(c *trustmark.Certificate) string { return string(c.HolderUSCC) }),
		func(rows *sql.Rows) error {
			var u string
			err := rows.Scan(&u)
			holders[u] = true
			return err
		})
	if err != nil {
		return nil, internal("read holders", err)
	}
	existing := map[string]*trustmark.Certificate{}
	err = tx.forChunks(ctx, `SELECT `+certCols+` FROM certificates c WHERE c.number IN (%s)`,
		distinct(recs, func(c *trustmark.Certificate) string { return c.Number }),
		func(rows *sql.Rows) error {
			c, err := scanCert(rows, false)
			if err == nil {
				existing[c.Key()] = c
			}
			return err
		})
	if err != nil {
		return nil, internal("read certificates", err)
	}

	// The events' Data is encoded after judging, on another core while the
	// certificates are written: pending[k] is the state of the k-th event
	// this judgeAll records.
	base := len(tx.events)
	var pending []*trustmark.Certificate
	submitted := map[string]bool{}
	fresh, changed, err := judgeAll(tx, actor, trustmark.EntityCertificate, recs, out, existing,
		func(old, in *trustmark.Certificate) (*trustmark.Certificate, *trustmark.Event, error) {
			body := bodies[in.BodyApprovalNo]
			next, ev, _, err := trustmark.DecideImport(old, in, body, holders[string(in.HolderUSCC)], tx.db.policy, tx.today, actor)
			if err != nil {
				return nil, nil, err
			}
			submitted[body.ApprovalNo] = true
			if ev != nil {
				pending = append(pending, next)
			}
			return next, ev, nil
		})
	if err != nil {
		return nil, err
	}
	if len(pending) != len(tx.events)-base {
		panic("sqlstore: certificate events and their states are out of step")
	}
	encoded := make(chan struct{})
	go func() {
		defer close(encoded)
		for k, c := range pending {
			tx.events[base+k].Data = certJSON(c)
		}
	}()
	defer func() { <-encoded }()
	if tx.db.dialect == sqlite {
		// The bulk path: values straight into the statements' arguments.
		if err := tx.insertEach(ctx, "certificates", certWriteCols, len(fresh), func(args []any, i int) []any {
			return tx.appendCertArgs(args, fresh[i])
		}); err != nil {
			return nil, err
		}
		fresh = nil
	}
	if err := tx.write(ctx, "certificates", certWriteCols, 2, rowsOf(fresh, tx.certRow), rowsOf(changed, tx.certRow)); err != nil {
		return nil, err
	}
	return out, tx.touchSubmission(ctx, "bodies", "approval_no", mapKeys(submitted))
}
