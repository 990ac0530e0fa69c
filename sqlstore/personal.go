package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"trustmark"
)

// The access log of personal data (trustmark.PersonalAccessLog), in the
// append-only table personal_access of 019_personal_access. It is not the
// public log: nothing here is published or hashed into the tree.

var _ trustmark.PersonalAccessLog = (*DB)(nil)

// RecordPersonalAccess implements trustmark.PersonalAccessLog.
func (db *DB) RecordPersonalAccess(ctx context.Context, rs []trustmark.PersonalAccess) error {
	if len(rs) == 0 {
		return nil
	}
	return db.Transact(ctx, func(tx *Tx) error {
		for _, r := range rs {
			at := r.At
			if at.IsZero() {
				at = tx.now
			}
			if _, err := tx.Exec(ctx, `INSERT INTO personal_access (at, viewer, role, subject, fields, region, route, context) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				micros(at), r.Viewer.String(), r.Role, r.Subject, strings.Join(r.Fields, ","), r.Region, r.Route, r.Context); err != nil {
				return internal("record personal data access", err)
			}
		}
		return nil
	})
}

// PersonalAccesses implements trustmark.PersonalAccessLog. A region is
// selected by its province's prefix in SQL, then exactly by
// trustmark.RegionCovers, the one rule of what a region covers.
func (db *DB) PersonalAccesses(ctx context.Context, f trustmark.PersonalAccessFilter) ([]trustmark.PersonalAccess, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q := `SELECT id, at, viewer, role, subject, fields, region, route, context FROM personal_access WHERE 1 = 1`
	var args []any
	if f.Subject != "" {
		q += ` AND subject = ?`
		args = append(args, f.Subject)
	}
	regional := f.Region != "" && f.Region != trustmark.NationalRegion
	if regional {
		q += ` AND region LIKE ?`
		args = append(args, f.Region[:min(2, len(f.Region))]+"%")
	}
	if f.Before > 0 {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	q += ` ORDER BY id DESC`
	if !regional {
		q += ` LIMIT ` + strconv.Itoa(limit)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, internal("read personal data access", err)
	}
	defer rows.Close()
	var out []trustmark.PersonalAccess
	for rows.Next() && len(out) < limit {
		var r trustmark.PersonalAccess
		var at int64
		var viewer, fields string
		if err := rows.Scan(&r.ID, &at, &viewer, &r.Role, &r.Subject, &fields, &r.Region, &r.Route, &r.Context); err != nil {
			return nil, internal("read personal data access", err)
		}
		if regional && !trustmark.RegionCovers(f.Region, r.Region) {
			continue
		}
		r.At = fromMicros(at)
		r.Viewer.Kind, r.Viewer.ID, _ = strings.Cut(viewer, ":")
		if fields != "" {
			r.Fields = strings.Split(fields, ",")
		}
		out = append(out, r)
	}
	return out, internal("read personal data access", rows.Err())
}
