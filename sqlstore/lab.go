package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"trustmark"
	"trustmark/credit"
)

const labCols = `l.cma_no, l.uscc, l.name, l.region_code, l.status, l.valid_until, l.status_since, l.last_submission, l.scope`

func scanLab(s interface{ Scan(...any) error }) (*trustmark.Lab, error) {
	var (
		l                       trustmark.Lab
		uscc, status, until, ss string
		last                    int64
	)
	if err := s.Scan(&l.CMANo, &uscc, &l.Name, &l.RegionCode, &status, &until, &ss, &last, &l.Scope); err != nil {
		return nil, err
	}
	l.USCC, l.Status = trustmark.USCC(uscc), trustmark.PartyStatus(status)
	var err error
	if l.ValidUntil, err = parseDate(until); err != nil {
		return nil, err
	}
	if l.StatusSince, err = parseDate(ss); err != nil {
		return nil, err
	}
	l.LastSubmission = fromMicros(last)
	return &l, nil
}

// Lab implements trustmark.Store.
func (db *DB) Lab(ctx context.Context, cmaNo string) (*trustmark.Lab, error) {
	l, err := scanLab(db.queryRow(ctx, `SELECT `+labCols+` FROM labs l WHERE l.cma_no = ?`, cmaNo))
	if err == sql.ErrNoRows {
		return nil, notFound("cma_no", "no laboratory with CMA number %s", cmaNo)
	}
	if err != nil {
		return nil, internal("read lab", err)
	}
	return l, nil
}

// Labs implements trustmark.Store.
func (db *DB) Labs(ctx context.Context, f trustmark.PartyFilter) (trustmark.Page[trustmark.Lab], error) {
	var page trustmark.Page[trustmark.Lab]
	cur, err := decodeCursor(f.Cursor, 1)
	if err != nil {
		return page, err
	}
	var w where
	if cur != nil {
		w.add(`l.cma_no > ?`, cur[0])
	}
	if f.Q != "" {
		w.add(`(l.name `+db.dialect.ilike+` ? ESCAPE '\' OR l.cma_no = ?)`, "%"+likeEscape(f.Q)+"%", f.Q)
	}
	if f.Region != "" {
		w.add(`l.region_code LIKE ?`, likeEscape(trustmark.RegionPrefix(f.Region))+"%")
	}
	if f.Status != "" {
		w.add(`l.status = ?`, string(f.Status))
	}
	if q := strings.TrimSpace(f.Scope); q != "" {
		like := "%" + likeEscape(q) + "%"
		w.add(`EXISTS (SELECT 1 FROM lab_scope_items s WHERE s.cma_no = l.cma_no AND (s.field `+db.dialect.ilike+` ? ESCAPE '\' OR s.item `+
			db.dialect.ilike+` ? ESCAPE '\'))`, like, like)
	}
	n := limit(f.Limit)
	return listPage(ctx, db, "labs", `SELECT `+labCols+` FROM labs l`+w.String()+fmt.Sprintf(` ORDER BY l.cma_no LIMIT %d`, n+1), w.args, n,
		scanLab,
		func(it *trustmark.Lab) []string { return []string{it.CMANo} })
}

func (tx *Tx) labsByKey(ctx context.Context, keys []string) (map[string]*trustmark.Lab, error) {
	labs, err := byKey(ctx, tx, `SELECT `+labCols+` FROM labs l WHERE l.cma_no IN (%s)`, keys, scanLab)
	if err != nil {
		return nil, err
	}
	return labs, withRefusals(ctx, tx, credit.Lab, credit.IssueReport, labs, func(l *trustmark.Lab, err error) { l.CreditRefusal = err })
}

func sameLab(a, b *trustmark.Lab) bool {
	return a.CMANo == b.CMANo && a.USCC == b.USCC && a.Name == b.Name && a.RegionCode == b.RegionCode &&
		a.Status == b.Status && a.ValidUntil == b.ValidUntil && a.Scope == b.Scope
}

func (tx *Tx) importLabs(ctx context.Context, actor trustmark.Party, items []trustmark.Record) ([]trustmark.Outcome, error) {
	recs, out := castAll[trustmark.Lab](items)
	existing, err := tx.labsByKey(ctx, keysOf(recs))
	if err != nil {
		return nil, internal("read labs", err)
	}
	fresh, changed, err := judgeAll(tx, actor, trustmark.EntityLab, recs, out, existing,
		func(old, in *trustmark.Lab) (*trustmark.Lab, *trustmark.Event, error) {
			next := *in
			if next.Status == "" {
				next.Status = trustmark.PartyActive
			}
			if old == nil {
				next.StatusSince = firstStatusSince(next.StatusSince, tx.today)
				return &next, &trustmark.Event{Data: mustJSON(next)}, nil
			}
			if sameLab(old, &next) {
				return old, nil, nil
			}
			next.StatusSince, next.LastSubmission = old.StatusSince, old.LastSubmission
			ev := &trustmark.Event{}
			if next.Status != old.Status {
				next.StatusSince = trustmark.ChangedStatusSince(in.StatusSince, old.StatusSince, tx.today)
				partyStatusEvent(ev, old.Status, next.Status, next.StatusSince)
			}
			ev.Data = mustJSON(next)
			return &next, ev, nil
		})
	if err != nil {
		return nil, err
	}
	row := func(l *trustmark.Lab) []any {
		return []any{l.CMANo, string(l.USCC), l.Name, l.RegionCode, string(l.Status), l.ValidUntil.String(), l.StatusSince.String(),
			micros(l.LastSubmission), micros(tx.now), l.Scope}
	}
	if err := tx.write(ctx, "labs", []string{"cma_no", "uscc", "name", "region_code", "status", "valid_until", "status_since",
		"last_submission", "updated_at", "scope"}, 1, rowsOf(fresh, row), rowsOf(changed, row)); err != nil {
		return nil, err
	}
	return out, tx.writeScopeItems(ctx, fresh, changed)
}

var scopeItemCols = []string{"cma_no", "n", "field", "item"}

// writeScopeItems stores the scope items (lab_scope_items) of the
// laboratories an import wrote: new ones, and changed ones in place of
// their items before.
func (tx *Tx) writeScopeItems(ctx context.Context, fresh, changed []*trustmark.Lab) error {
	keys := keysOf(changed)
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), 1000)]
		keys = keys[len(chunk):]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		if _, err := tx.Exec(ctx, `DELETE FROM lab_scope_items WHERE cma_no IN (`+placeholders(len(chunk))+`)`, args...); err != nil {
			return internal("write lab scope items", err)
		}
	}
	var rows [][]any
	for _, l := range append(fresh[:len(fresh):len(fresh)], changed...) {
		rows = append(rows, scopeItemRows(l.CMANo, l.Scope)...)
	}
	return tx.write(ctx, "lab_scope_items", scopeItemCols, 2, rows, nil)
}

func scopeItemRows(cmaNo, scope string) [][]any {
	items := trustmark.ParseLabScope(scope)
	rows := make([][]any, len(items))
	for i, it := range items {
		rows[i] = []any{cmaNo, i, it.Field, it.Item}
	}
	return rows
}

// fillScopeItems writes the scope items of every laboratory whose scope
// has none: those stored before lab_scope_items existed. It reads no more
// than an index probe per laboratory when all have theirs.
func (db *DB) fillScopeItems(ctx context.Context) error {
	return db.Transact(ctx, func(tx *Tx) error {
		rs, err := tx.Query(ctx, `SELECT l.cma_no, l.scope FROM labs l WHERE l.scope <> ''
			AND NOT EXISTS (SELECT 1 FROM lab_scope_items s WHERE s.cma_no = l.cma_no)`)
		if err != nil {
			return internal("read lab scopes", err)
		}
		defer rs.Close()
		var rows [][]any
		for rs.Next() {
			var no, scope string
			if err := rs.Scan(&no, &scope); err != nil {
				return internal("read lab scopes", err)
			}
			rows = append(rows, scopeItemRows(no, scope)...)
		}
		if err := rs.Err(); err != nil {
			return internal("read lab scopes", err)
		}
		rs.Close()
		return tx.write(ctx, "lab_scope_items", scopeItemCols, 2, rows, nil)
	})
}
