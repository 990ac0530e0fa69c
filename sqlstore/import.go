package sqlstore

import (
	"context"
	"database/sql"
	"math/bits"
	"strings"

	"trustmark"
	"trustmark/internal/jsonw"
)

// Import implements trustmark.Store. The whole batch is one transaction:
// every record is judged first against the stored state (and against the
// records before it in the batch, so a key given twice behaves as two
// imports), rejected records are only reported, and what changed is written
// at the end with a few multi-row statements.
func (db *DB) Import(ctx context.Context, actor trustmark.Party, kind trustmark.Kind, items []trustmark.Record) ([]trustmark.Outcome, error) {
	if len(items) == 0 {
		return []trustmark.Outcome{}, nil
	}
	var out []trustmark.Outcome
	err := db.Transact(ctx, func(tx *Tx) error {
		tx.events = make([]trustmark.Event, 0, len(items)) // about one event an item
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		var err error
		switch kind {
		case trustmark.KindOrgs:
			out, err = tx.importOrgs(ctx, actor, items)
		case trustmark.KindBodies:
			out, err = tx.importBodies(ctx, actor, items)
		case trustmark.KindLabs:
			out, err = tx.importLabs(ctx, actor, items)
		case trustmark.KindPersons:
			out, err = tx.importPersons(ctx, actor, items)
		case trustmark.KindCertificates:
			out, err = tx.importCertificates(ctx, actor, items)
		case trustmark.KindReports:
			out, err = tx.importReports(ctx, actor, items)
		default:
			err = trustmark.Errorf(trustmark.EInvalid, "kind", "kind %q is not one of orgs, bodies, persons, labs, certificates, reports", kind)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// castAll checks that every item is a *T; others are rejected.
func castAll[T any](items []trustmark.Record) ([]*T, []trustmark.Outcome) {
	recs := make([]*T, len(items))
	out := make([]trustmark.Outcome, len(items))
	for i, it := range items {
		r, ok := any(it).(*T)
		if !ok || r == nil {
			var want *T
			out[i] = trustmark.Outcome{Result: trustmark.Rejected, Err: trustmark.Errorf(trustmark.EInvalid, "", "record is a %T, want a %T", it, want)}
			continue
		}
		recs[i] = r
	}
	return recs, out
}

// keysOf returns the distinct natural keys of recs.
func keysOf[T any](recs []*T) []string {
	seen := map[string]bool{}
	var keys []string
	for _, r := range recs {
		if r == nil {
			continue
		}
		k := any(r).(trustmark.Record).RecordKey()
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// distinct returns the distinct non-empty values of f over recs.
func distinct[T any](recs []*T, f func(*T) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range recs {
		if r == nil {
			continue
		}
		if v := f(r); v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// judgeFunc decides one record against its current state (nil when new): it
// returns the state to store and the event to record, a nil event when
// nothing changed, or a *trustmark.Error rejecting the record. Any other
// error aborts the batch.
type judgeFunc[T any] func(old, in *T) (*T, *trustmark.Event, error)

// judgeAll judges recs in order, filling out and recording events, and
// returns the final state of every record that changed, in first-change
// order: fresh ones were not in the database before, changed ones were.
func judgeAll[T any](tx *Tx, actor trustmark.Party, entity string, recs []*T, out []trustmark.Outcome, state map[string]*T, judge judgeFunc[T]) (fresh, changed []*T, err error) {
	var order []string
	dirty := map[string]bool{}
	isNew := map[string]bool{}
	for i, r := range recs {
		if r == nil {
			continue
		}
		key := any(r).(trustmark.Record).RecordKey()
		old := state[key]
		next, ev, err := judge(old, r)
		if err != nil {
			if _, ok := err.(*trustmark.Error); !ok || trustmark.ErrorCode(err) == trustmark.EInternal {
				return nil, nil, err
			}
			out[i] = trustmark.Outcome{Result: trustmark.Rejected, Err: err}
			continue
		}
		if ev == nil {
			out[i] = trustmark.Outcome{Result: trustmark.Unchanged}
			continue
		}
		ev.Actor, ev.Entity, ev.Key = actor.String(), entity, key
		if ev.Action == "" {
			ev.Action = trustmark.ActionUpdated
			if old == nil {
				ev.Action = trustmark.ActionCreated
			}
		}
		tx.Record(*ev)
		out[i] = trustmark.Outcome{Result: trustmark.Updated}
		if old == nil {
			out[i].Result = trustmark.Created
		}
		state[key] = next
		if !dirty[key] {
			dirty[key] = true
			isNew[key] = old == nil
			order = append(order, key)
		}
	}
	for _, k := range order {
		if isNew[k] {
			fresh = append(fresh, state[k])
		} else {
			changed = append(changed, state[k])
		}
	}
	return fresh, changed, nil
}

// rowsOf turns records into column values.
func rowsOf[T any](recs []*T, row func(*T) []any) [][]any {
	rows := make([][]any, len(recs))
	for i, r := range recs {
		rows[i] = row(r)
	}
	return rows
}

// keysChunk is how many keys go into one IN (...) lookup.
const keysChunk = 5000

// byKey reads the records query selects (one %s for the IN list of keys)
// into a map by their RecordKey.
func byKey[T any](ctx context.Context, tx *Tx, query string, keys []string, scan func(interface{ Scan(...any) error }) (*T, error)) (map[string]*T, error) {
	out := map[string]*T{}
	err := tx.forChunks(ctx, query, keys, func(rows *sql.Rows) error {
		r, err := scan(rows)
		if err == nil {
			out[any(r).(trustmark.Record).RecordKey()] = r
		}
		return err
	})
	return out, err
}

// forChunks runs query (with one %s for the IN list) over keys in chunks
// and calls fn for every row.
func (tx *Tx) forChunks(ctx context.Context, query string, keys []string, fn func(*sql.Rows) error) error {
	if len(keys) == 0 {
		return nil
	}
	if tx.db.dialect == postgres {
		// One array parameter: a single statement to plan whatever the count.
		rows, err := tx.Query(ctx, strings.Replace(query, "IN (%s)", "= ANY(?)", 1), keys)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	// On SQLite a chunk of keys is one JSON array parameter unpacked by
	// json_each: one value to bind instead of one per key (a call into C
	// each), and one statement whatever the chunk's length.
	s, err := tx.stmt(ctx, strings.Replace(query, "%s", "SELECT value FROM json_each(?)", 1))
	if err != nil {
		return err
	}
	var list []byte
	for len(keys) > 0 {
		k := min(len(keys), keysChunk)
		list = appendJSONStrings(list[:0], keys[:k])
		rows, err := s.QueryContext(ctx, string(list))
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := fn(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		keys = keys[k:]
	}
	return nil
}

// missing returns those of keys that no row of table has in column col:
// the rows that exist cost nothing to send back, and usually they all do.
func (tx *Tx) missing(ctx context.Context, table, col string, keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(keys) == 0 {
		return out, nil
	}
	scan := func(rows *sql.Rows) error {
		defer rows.Close()
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				return err
			}
			out[k] = true
		}
		return rows.Err()
	}
	absent := ` WHERE NOT EXISTS (SELECT 1 FROM ` + table + ` WHERE ` + col + ` = k)`
	if tx.db.dialect == postgres {
		rows, err := tx.Query(ctx, `SELECT k FROM unnest(CAST(? AS text[])) AS k`+absent, keys)
		if err != nil {
			return nil, err
		}
		return out, scan(rows)
	}
	s, err := tx.stmt(ctx, `SELECT k FROM (SELECT value AS k FROM json_each(?))`+absent)
	if err != nil {
		return nil, err
	}
	var list []byte
	for len(keys) > 0 {
		n := min(len(keys), keysChunk)
		list = appendJSONStrings(list[:0], keys[:n])
		rows, err := s.QueryContext(ctx, string(list))
		if err != nil {
			return nil, err
		}
		if err := scan(rows); err != nil {
			return nil, err
		}
		keys = keys[n:]
	}
	return out, nil
}

// appendJSONStrings appends keys as a JSON array of strings.
func appendJSONStrings(b []byte, keys []string) []byte {
	b = append(b, '[')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendString(b, k, true)
	}
	return append(b, ']')
}

// upsert writes rows into table with multi-row INSERT ... ON CONFLICT DO
// UPDATE statements; the first nkey columns are the primary key.
func (tx *Tx) upsert(ctx context.Context, table string, cols []string, nkey int, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	var set []string
	for _, c := range cols[nkey:] {
		set = append(set, c+" = excluded."+c)
	}
	prefix := tx.db.dialect.insert + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	suffix := " ON CONFLICT (" + strings.Join(cols[:nkey], ", ") + ") DO UPDATE SET " + strings.Join(set, ", ")
	chunk := max(1, 2000/len(cols))
	args := make([]any, 0, chunk*len(cols))
	for len(rows) > 0 {
		k := min(len(rows), chunk)
		args = args[:0]
		for _, r := range rows[:k] {
			args = append(args, r...)
		}
		s, err := tx.stmt(ctx, prefix+rowsPlaceholders(k, len(cols))+suffix)
		if err != nil {
			return internal("prepare "+table+" upsert", err)
		}
		if _, err := s.ExecContext(ctx, args...); err != nil {
			return internal("write "+table, err)
		}
		rows = rows[k:]
	}
	return nil
}

// insertRows writes new rows with multi-row INSERT statements.
func (tx *Tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	return tx.insertEach(ctx, table, cols, len(rows), func(args []any, i int) []any { return append(args, rows[i]...) })
}

// insertEach writes n new rows with multi-row INSERT statements; add
// appends the values of row i to the statement's arguments.
func (tx *Tx) insertEach(ctx context.Context, table string, cols []string, n int, add func(args []any, i int) []any) error {
	prefix := tx.db.dialect.insert + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	chunk := max(1, 4000/len(cols))
	args := make([]any, 0, min(n, chunk)*len(cols))
	start := 0
	for _, k := range statementRows(n, chunk) {
		args = args[:0]
		for i := start; i < start+k; i++ {
			args = add(args, i)
		}
		s, err := tx.stmt(ctx, prefix+rowsPlaceholders(k, len(cols)))
		if err != nil {
			return internal("prepare "+table+" insert", err)
		}
		if _, err := s.ExecContext(ctx, args...); err != nil {
			return internal("write "+table, err)
		}
		start += k
	}
	return nil
}

// statementRows splits n rows into the row counts of multi-row
// statements of at most max rows each: as many of max as fit, then the
// rest in powers of two. A table's writes then take a few statements of
// the same few shapes whatever n is, which the SQLite writer's cache of
// prepared statements keeps: preparing an INSERT of thousands of
// parameters costs a millisecond or more, and a statement per remainder
// (n % max) missed the cache nearly every time.
func statementRows(n, max int) []int {
	var out []int
	for ; n >= max; n -= max {
		out = append(out, max)
	}
	for p := 1 << bits.Len(uint(n)); n > 0; p >>= 1 {
		if n >= p {
			out = append(out, p)
			n -= p
		}
	}
	return out
}

// touchSubmission records that parties sent data now.
func (tx *Tx) touchSubmission(ctx context.Context, table, keyCol string, keys []string) error {
	for len(keys) > 0 {
		k := min(len(keys), keysChunk)
		args := []any{micros(tx.now)}
		for _, key := range keys[:k] {
			args = append(args, key)
		}
		if _, err := tx.Exec(ctx, `UPDATE `+table+` SET last_submission = ? WHERE `+keyCol+` IN (`+placeholders(k)+`)`, args...); err != nil {
			return internal("record submission", err)
		}
		keys = keys[k:]
	}
	return nil
}
