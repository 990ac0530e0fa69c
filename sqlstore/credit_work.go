package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"trustmark"
	"trustmark/credit"
)

// CreditListingsOf returns the listings of subject s, newest first.
func (db *DB) CreditListingsOf(ctx context.Context, s credit.Subject) ([]credit.Listing, error) {
	return db.listings(ctx, `WHERE subject_kind = ? AND subject_id = ?`, string(s.Kind), s.ID)
}

// CreditListingsIn returns the listings proposed by the regulators of
// region (and the regions within it) that are not closed (dropped or
// removed), at most limit, newest first.
func (db *DB) CreditListingsIn(ctx context.Context, region string, limit int) ([]credit.Listing, error) {
	return db.listings(ctx, `WHERE region LIKE ? ESCAPE '\' AND state NOT IN ('dropped', 'removed') LIMIT ?`,
		likeEscape(trustmark.RegionPrefix(region))+"%", max(1, limit))
}

func (db *DB) listings(ctx context.Context, where string, args ...any) ([]credit.Listing, error) {
	// ORDER BY goes before LIMIT: split the caller's clause.
	cond, limit := where, ""
	if i := len(where) - len(" LIMIT ?"); i > 0 && where[i:] == " LIMIT ?" {
		cond, limit = where[:i], " LIMIT ?"
	}
	rows, err := db.query(ctx, `SELECT id, data FROM credit_listings `+cond+` ORDER BY id DESC`+limit, args...)
	if err != nil {
		return nil, internal("listings", err)
	}
	defer rows.Close()
	out := []credit.Listing{}
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, internal("listings", err)
		}
		l, err := decodeListing(id, data, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, internal("listings", rows.Err())
}

// CreditStepWithFiles is CreditStep that stores files, the evidence the
// step's application cites by credit.File.Ref, in the same transaction: a
// refused step leaves no file behind.
func (db *DB) CreditStepWithFiles(ctx context.Context, id string, files []credit.File, step func(l credit.Listing, found bool) (credit.Listing, credit.Event, error)) (credit.Listing, error) {
	return db.creditStep(ctx, id, func(tx *Tx) error {
		for _, f := range files {
			if err := credit.CheckFile(f); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO credit_evidence (listing_id, sha256, name, size, data) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (listing_id, sha256) DO NOTHING`, id, f.SHA256(), f.Name, len(f.Data), f.Data); err != nil {
				return internal("store evidence", err)
			}
		}
		return nil
	}, step)
}

// CreditEvidence returns a stored evidence file of listing id by its
// SHA-256 (hex), or not_found.
func (db *DB) CreditEvidence(ctx context.Context, id, sha string) (credit.File, error) {
	var f credit.File
	err := db.queryRow(ctx, `SELECT name, data FROM credit_evidence WHERE listing_id = ? AND sha256 = ?`, id, sha).Scan(&f.Name, &f.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return f, notFound("sha256", "no evidence %s for listing %s", sha, id)
	}
	return f, internal("read evidence", err)
}
