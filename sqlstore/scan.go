package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"trustmark"
)

// The state audit's reads (trustmark.StateSource): each record's events in
// order of event key, and the rows of the tables the public sees in their
// primary key's order, a chunk at a time, each chunk from one snapshot. Every
// query is a range read on an index (events_entity_key, the primary keys),
// so a chunk costs the same at any size of the registry.

var _ trustmark.StateSource = (*DB)(nil)

// stateTable is how the state audit reads the table of one entity.
type stateTable struct {
	table string
	alias string
	cols  string   // the columns scan reads, qualified by alias
	pk    []string // the primary key's columns, in its order
	// eventKey is the SQL expression of a row's event key (Record.RecordKey).
	eventKey string
	// lookup is the indexed column Records finds rows by, and of returns
	// its value in an event key ("" when the key cannot name a row).
	lookup string
	of     func(key string) string
	// after returns the primary key values of the row an event key names.
	after func(key string) []any
	scan  func(scanner) (trustmark.Record, error)
}

type scanner = interface{ Scan(...any) error }

// stateTables are the tables the public sees, by the events' entity. The
// supervision side's tables (audits, check-ins, matters, credit listings,
// campaigns) join here as they arrive, with their entity's fold in
// trustmark.Replay and a line in stateaudit.Tables.
var stateTables = map[string]stateTable{
	trustmark.EntityOrg: {table: "orgs", alias: "o", cols: orgCols, pk: []string{"uscc"}, eventKey: "o.uscc",
		lookup: "o.uscc", of: whole, after: oneKey,
		scan: func(s scanner) (trustmark.Record, error) { return scanOrg(s) }},
	trustmark.EntityBody: {table: "bodies", alias: "b", cols: bodyCols, pk: []string{"approval_no"}, eventKey: "b.approval_no",
		lookup: "b.approval_no", of: whole, after: oneKey,
		scan: func(s scanner) (trustmark.Record, error) { return scanBody(s) }},
	trustmark.EntityLab: {table: "labs", alias: "l", cols: labCols, pk: []string{"cma_no"}, eventKey: "l.cma_no",
		lookup: "l.cma_no", of: whole, after: oneKey,
		scan: func(s scanner) (trustmark.Record, error) { return scanLab(s) }},
	trustmark.EntityPerson: {table: "persons", alias: "p", cols: personCols, pk: []string{"registration_no"}, eventKey: "p.registration_no",
		lookup: "p.registration_no", of: whole, after: oneKey,
		scan: func(s scanner) (trustmark.Record, error) { return scanPerson(s) }},
	// Certificates are keyed TYPE/NUMBER in events and (number, type) in
	// their table; rows are found by number (the primary key's prefix).
	trustmark.EntityCertificate: {table: "certificates", alias: "c", cols: certCols, pk: []string{"number", "type"},
		eventKey: "c.type || '/' || c.number", lookup: "c.number",
		of:    func(key string) string { _, n, _ := strings.Cut(key, "/"); return n },
		after: func(key string) []any { t, n, _ := strings.Cut(key, "/"); return []any{n, t} },
		scan:  func(s scanner) (trustmark.Record, error) { return scanCert(s, false) }},
	// Reports are keyed CMA_NO/NUMBER in both; rows are found by number
	// (index reports_number), as imports find them.
	trustmark.EntityReport: {table: "reports", alias: "r", cols: reportCols, pk: []string{"lab_cma_no", "number"},
		eventKey: "r.lab_cma_no || '/' || r.number", lookup: "r.number",
		of:    func(key string) string { _, n, _ := strings.Cut(key, "/"); return n },
		after: func(key string) []any { l, n, _ := strings.Cut(key, "/"); return []any{l, n} },
		scan:  func(s scanner) (trustmark.Record, error) { return scanReport(s, false) }},
}

func whole(key string) string { return key }
func oneKey(key string) []any { return []any{key} }

// tableOf returns how to read the table of entity.
func tableOf(entity string) (stateTable, error) {
	t, ok := stateTables[entity]
	if !ok {
		return t, trustmark.Errorf(trustmark.EInvalid, "entity", "the registry keeps no table of %q records", entity)
	}
	return t, nil
}

// ReadSnapshot implements trustmark.StateSource: fn reads in one read
// transaction on the reader pool (SQLite's WAL gives it a snapshot;
// PostgreSQL's REPEATABLE READ does).
func (db *DB) ReadSnapshot(ctx context.Context, fn func(trustmark.StateSnapshot) error) error {
	var opts *sql.TxOptions
	if db.dialect == postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	sqlTx, err := db.r.BeginTx(ctx, opts)
	if err != nil {
		return internal("begin snapshot", err)
	}
	tx := &Tx{tx: sqlTx, db: db}
	defer func() {
		for _, s := range tx.stmts {
			s.Close()
		}
		sqlTx.Rollback() // it only read
	}()
	if db.dialect == postgres {
		// Every read here is a range of an index in its order. A planner
		// without statistics (a registry just loaded, not yet analysed)
		// may instead collect a whole entity and sort it, for each chunk:
		// the audit would take time in the square of the registry's size.
		if _, err := sqlTx.ExecContext(ctx, `SET LOCAL enable_sort = off`); err != nil {
			return internal("begin snapshot", err)
		}
	}
	return fn(snapshot{tx})
}

// snapshot implements trustmark.StateSnapshot in a read transaction.
type snapshot struct{ tx *Tx }

// RecordEvents implements trustmark.StateSnapshot: one range of the index
// events_entity_key, in its order (SQLite's index ends with the rowid,
// which is seq; PostgreSQL's is (entity, key, seq)). The events of the last
// key read may be cut off by the limit: they are left for the next call,
// unless they are all there is, when the rest of that record is read.
func (s snapshot) RecordEvents(ctx context.Context, entity, after string, max int) ([]trustmark.Event, bool, error) {
	if _, err := tableOf(entity); err != nil {
		return nil, false, err
	}
	evs, err := s.events(ctx, `entity = ? AND key > ? ORDER BY key, seq LIMIT `+fmt.Sprint(max+1), entity, after)
	if err != nil || len(evs) <= max {
		return evs, false, err
	}
	last := evs[max].Key
	whole := len(evs) - 1
	for whole > 0 && evs[whole-1].Key == last {
		whole--
	}
	if whole > 0 {
		return evs[:whole], true, nil
	}
	evs, err = s.events(ctx, `entity = ? AND key = ? ORDER BY seq`, entity, last)
	return evs, true, err
}

// events reads the events a condition (and order) selects.
func (s snapshot) events(ctx context.Context, cond string, args ...any) ([]trustmark.Event, error) {
	return readEvents(s.tx.Query(ctx, `SELECT `+eventSelect+` FROM events WHERE `+cond, args...))
}

// Records implements trustmark.StateSnapshot.
func (s snapshot) Records(ctx context.Context, entity string, keys []string) ([]trustmark.Record, error) {
	t, err := tableOf(entity)
	if err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(keys))
	var vals []string
	for _, k := range keys {
		if v := t.of(k); v != "" && !want[k] {
			vals = append(vals, v)
		}
		want[k] = true
	}
	var out []trustmark.Record
	err = s.tx.forChunks(ctx, `SELECT `+t.cols+` FROM `+t.table+` `+t.alias+` WHERE `+t.lookup+` IN (%s)`, vals, func(rows *sql.Rows) error {
		r, err := t.scan(rows)
		if err != nil {
			return err
		}
		if want[r.RecordKey()] {
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, internal("read "+t.table, err)
	}
	return out, nil
}

// Rows implements trustmark.StateSnapshot: one range of the primary key,
// then the keys probed in the index events_entity_key. (A correlated
// EXISTS would say the same in one query, but a planner may run it as a
// hash of every event of the entity, for each chunk.)
func (s snapshot) Rows(ctx context.Context, entity, after string, max int) ([]trustmark.StoredRow, error) {
	t, err := tableOf(entity)
	if err != nil {
		return nil, err
	}
	a := t.alias + "."
	pk := a + strings.Join(t.pk, ", "+a)
	var w where
	if after != "" {
		// A row value, which both databases compare in the index's order.
		k := t.after(after)
		w.add(`(`+pk+`) > (`+placeholders(len(k))+`)`, k...)
	}
	rows, err := s.tx.Query(ctx, `SELECT `+t.eventKey+` FROM `+t.table+` `+t.alias+w.String()+` ORDER BY `+pk+` LIMIT `+fmt.Sprint(max), w.args...)
	if err != nil {
		return nil, internal("read "+t.table, err)
	}
	var out []trustmark.StoredRow
	for rows.Next() {
		var r trustmark.StoredRow
		if err := rows.Scan(&r.Key); err != nil {
			rows.Close()
			return nil, internal("read "+t.table, err)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("read "+t.table, err)
	}
	probe := make([]string, 0, 2*len(out))
	for _, r := range out {
		probe = append(probe, r.Key)
		if legacy := legacyKey(entity, r.Key); legacy != r.Key {
			probe = append(probe, legacy)
		}
	}
	named := map[string]bool{}
	// entity is one of stateTables' keys (tableOf), safe to write as text.
	err = s.tx.forChunks(ctx, `SELECT DISTINCT key FROM events WHERE entity = '`+entity+`' AND key IN (%s)`, probe, func(rows *sql.Rows) error {
		var k string
		err := rows.Scan(&k)
		named[k] = true
		return err
	})
	if err != nil {
		return nil, internal("read events", err)
	}
	for i, r := range out {
		out[i].HasEvents = named[r.Key] || named[legacyKey(entity, r.Key)]
	}
	return out, nil
}

// legacyKey returns the key under which a version before canonical report
// numbers recorded the events of the report of key: reports imported in
// lower case were upper-cased by migration 009, without an event, and their
// events name them as they were imported. Other keys are their own.
func legacyKey(entity, key string) string {
	if entity != trustmark.EntityReport {
		return key
	}
	lab, number, _ := strings.Cut(key, "/")
	return lab + "/" + strings.ToLower(number)
}
