package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"trustmark"
)

const orgCols = `o.uscc, o.name, o.name_en, o.region_code, o.address, o.lat, o.lng, o.employees, o.updated_at`

func scanOrg(s interface{ Scan(...any) error }) (*trustmark.Org, error) {
	var (
		o        trustmark.Org
		uscc     string
		lat, lng sql.NullFloat64
		emp, upd int64
	)
	if err := s.Scan(&uscc, &o.Name, &o.NameEn, &o.RegionCode, &o.Address, &lat, &lng, &emp, &upd); err != nil {
		return nil, err
	}
	o.USCC = trustmark.USCC(uscc)
	if lat.Valid {
		o.Lat = &lat.Float64
	}
	if lng.Valid {
		o.Lng = &lng.Float64
	}
	o.Employees = int(emp)
	o.UpdatedAt = fromMicros(upd)
	return &o, nil
}

// Org implements trustmark.Store.
func (db *DB) Org(ctx context.Context, uscc trustmark.USCC) (*trustmark.Org, error) {
	return getOrg(ctx, db.reads(), db.dialect, uscc)
}

func getOrg(ctx context.Context, q querier, d dialect, uscc trustmark.USCC) (*trustmark.Org, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, d.rebind(`SELECT `+orgCols+` FROM orgs o WHERE o.uscc = ?`), string(uscc)))
	if err == sql.ErrNoRows {
		return nil, notFound("uscc", "no organisation with unified social credit code %s", uscc)
	}
	if err != nil {
		return nil, internal("read org", err)
	}
	return o, nil
}

// Orgs implements trustmark.Store. Status does not apply to organisations.
func (db *DB) Orgs(ctx context.Context, f trustmark.PartyFilter) (trustmark.Page[trustmark.Org], error) {
	var page trustmark.Page[trustmark.Org]
	cur, err := decodeCursor(f.Cursor, 1)
	if err != nil {
		return page, err
	}
	var w where
	if cur != nil {
		w.add(`o.uscc > ?`, cur[0])
	}
	if f.Q != "" {
		w.add(`(o.name `+db.dialect.ilike+` ? ESCAPE '\' OR o.uscc = ?)`, "%"+likeEscape(f.Q)+"%", f.Q)
	}
	if f.Region != "" {
		w.add(`o.region_code LIKE ?`, likeEscape(trustmark.RegionPrefix(f.Region))+"%")
	}
	n := limit(f.Limit)
	return listPage(ctx, db, "orgs", `SELECT `+orgCols+` FROM orgs o`+w.String()+fmt.Sprintf(` ORDER BY o.uscc LIMIT %d`, n+1), w.args, n,
		scanOrg,
		func(it *trustmark.Org) []string { return []string{string(it.USCC)} })
}

// orgsByKey loads the organisations with the given codes.
func (tx *Tx) orgsByKey(ctx context.Context, keys []string) (map[string]*trustmark.Org, error) {
	return byKey(ctx, tx, `SELECT `+orgCols+` FROM orgs o WHERE o.uscc IN (%s)`, keys, scanOrg)
}

func sameOrg(a, b *trustmark.Org) bool {
	eqf := func(x, y *float64) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	return a.USCC == b.USCC && a.Name == b.Name && a.NameEn == b.NameEn && a.RegionCode == b.RegionCode &&
		a.Address == b.Address && eqf(a.Lat, b.Lat) && eqf(a.Lng, b.Lng) && a.Employees == b.Employees
}

func (tx *Tx) importOrgs(ctx context.Context, actor trustmark.Party, items []trustmark.Record) ([]trustmark.Outcome, error) {
	recs, out := castAll[trustmark.Org](items)
	existing, err := tx.orgsByKey(ctx, keysOf(recs))
	if err != nil {
		return nil, internal("read orgs", err)
	}
	fresh, changed, err := judgeAll(tx, actor, trustmark.EntityOrg, recs, out, existing,
		func(old, in *trustmark.Org) (*trustmark.Org, *trustmark.Event, error) {
			next := *in
			next.UpdatedAt = tx.now
			if old != nil && sameOrg(old, in) {
				return old, nil, nil
			}
			return &next, &trustmark.Event{Data: mustJSON(next)}, nil
		})
	if err != nil {
		return nil, err
	}
	row := func(o *trustmark.Org) []any {
		var lat, lng any
		if o.Lat != nil {
			lat = *o.Lat
		}
		if o.Lng != nil {
			lng = *o.Lng
		}
		return []any{string(o.USCC), o.Name, o.NameEn, o.RegionCode, o.Address, lat, lng, int64(o.Employees), micros(o.UpdatedAt)}
	}
	return out, tx.write(ctx, "orgs", []string{"uscc", "name", "name_en", "region_code", "address", "lat", "lng", "employees", "updated_at"}, 1,
		rowsOf(fresh, row), rowsOf(changed, row))
}

// mustJSON encodes a domain record for an event; domain records always encode.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sqlstore: encode %T: %v", v, err))
	}
	return b
}
