package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"trustmark/credit"
)

// CreditSubjectRegion returns the region of subject s as the registry holds
// it (a person's is the region of the body it is registered with), or a
// not_found error when the registry does not hold s.
func (db *DB) CreditSubjectRegion(ctx context.Context, s credit.Subject) (string, error) {
	return subjectRegion(ctx, db.r, db.dialect, s)
}

// RecordCreditEntryBy records the entry decide returns in the archive of s,
// in one transaction: it loads the subject's region from the registry (not
// found when the registry does not hold s) and its archive, and decide
// (the caller's access check and credit.Archive.RecordRequest) says what
// to record, or refuses. The entry becomes an event in the public log as
// with RecordCreditEntry.
func (db *DB) RecordCreditEntryBy(ctx context.Context, s credit.Subject, decide func(region string, a credit.Archive) (credit.Entry, error)) (credit.Entry, error) {
	var out credit.Entry
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		region, err := subjectRegion(ctx, tx.tx, tx.db.dialect, s)
		if err != nil {
			return err
		}
		a, err := creditArchive(ctx, tx.tx, tx.db.dialect, s)
		if err != nil {
			return err
		}
		e, err := decide(region, a)
		if err != nil {
			return err
		}
		if e.Subject != s {
			return internal("record credit entry", errors.New("decide returned an entry of another subject"))
		}
		out = e
		return tx.recordCreditEntry(ctx, e)
	})
	return out, err
}

func subjectRegion(ctx context.Context, q queryer, d dialect, s credit.Subject) (string, error) {
	query := regionSQL(s.Kind)
	if query == "" {
		return "", notFound("subject_kind", "%q is not a kind of subject", s.Kind)
	}
	rows, err := q.QueryContext(ctx, d.rebind(query), s.ID)
	if err != nil {
		return "", internal("subject region", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return "", internal("subject region", err)
		}
		return "", notFound("subject_id", "the registry holds no %s %s", s.Kind, s.ID)
	}
	var region sql.NullString
	if err := rows.Scan(&region); err != nil {
		return "", internal("subject region", err)
	}
	return region.String, nil
}
