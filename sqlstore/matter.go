package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"trustmark"
	"trustmark/audit"
	"trustmark/matter"
)

// raise stores anomalies that are new (an anomaly's key is unique per audit
// and cause, so evaluating the same facts twice raises nothing new), opens
// the matter of each, and records both in the public log.
func (tx *Tx) raise(ctx context.Context, as []audit.Anomaly) error {
	for _, an := range as {
		ev, err := json.Marshal(an.Evidence)
		if err != nil {
			return internal("encode evidence", err)
		}
		res, err := tx.Exec(ctx, `INSERT INTO anomalies (key, audit_id, rule, severity, evidence, raised_at, matter_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
			an.Key, an.Audit, string(an.Rule), string(an.Severity), string(ev), micros(an.RaisedAt), an.Matter.ID)
		if err != nil {
			return internal("insert anomaly", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		data, err := json.Marshal(an)
		if err != nil {
			return internal("encode anomaly", err)
		}
		tx.Record(trustmark.Event{Actor: "system", Entity: EntityAnomaly, Key: an.Key, Action: "raised", Data: data})
		if err := tx.openMatter(ctx, an.Matter); err != nil {
			return err
		}
	}
	return nil
}

// openMatter opens a matter (matter.Rules.Open) and stores it with its
// first step.
func (tx *Tx) openMatter(ctx context.Context, o matter.Opening) error {
	m, ev, err := matterRules().Open(o)
	if err != nil {
		return err
	}
	doc, err := json.Marshal(m)
	if err != nil {
		return internal("encode matter", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO matters (id, kind, subject, party_kind, party_id, region, state, opened_at, due_on, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.Kind, m.Subject, string(m.Party.Kind), m.Party.ID, m.Region, string(m.State), micros(m.OpenedAt), m.Due.Date.String(), string(doc)); err != nil {
		return internal("insert matter", err)
	}
	return tx.matterStep(ctx, 1, ev)
}

// matterStep keeps one step of a matter and records it in the public log.
func (tx *Tx) matterStep(ctx context.Context, n int, ev matter.Event) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return internal("encode matter step", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO matter_steps (matter_id, step, event) VALUES (?, ?, ?)`, ev.Matter, n, string(data)); err != nil {
		return internal("insert matter step", err)
	}
	tx.Record(trustmark.Event{Actor: ev.Actor, Entity: EntityMatter, Key: ev.Matter, Action: string(ev.Action),
		From: string(ev.From), To: string(ev.To), Data: data})
	return nil
}

// Matter returns the matter of id, or not_found.
func (db *DB) Matter(ctx context.Context, id string) (*matter.Matter, error) {
	var doc string
	if err := db.queryRow(ctx, `SELECT doc FROM matters WHERE id = ?`, id).Scan(&doc); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("id", "no matter %s", id)
		}
		return nil, internal("read matter", err)
	}
	var m matter.Matter
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		return nil, internal("decode matter", err)
	}
	return &m, nil
}

// AuditAnomalies returns the anomalies of an audit in the order they were
// raised, each with its matter.
func (db *DB) AuditAnomalies(ctx context.Context, auditID string) ([]audit.AnomalyRecord, error) {
	return auditAnomalies(ctx, db.reads(), db.dialect, auditID)
}

func auditAnomalies(ctx context.Context, q querier, d dialect, auditID string) ([]audit.AnomalyRecord, error) {
	rows, err := q.QueryContext(ctx, d.rebind(`SELECT a.key, a.rule, a.severity, a.evidence, a.raised_at, m.doc FROM anomalies a
		JOIN matters m ON m.id = a.matter_id WHERE a.audit_id = ? ORDER BY a.raised_at, a.key`), auditID)
	if err != nil {
		return nil, internal("read anomalies", err)
	}
	defer rows.Close()
	out := []audit.AnomalyRecord{}
	for rows.Next() {
		var r audit.AnomalyRecord
		var rule, sev, ev, doc string
		var at int64
		if err := rows.Scan(&r.Key, &rule, &sev, &ev, &at, &doc); err != nil {
			return nil, internal("scan anomaly", err)
		}
		r.Audit, r.Rule, r.Severity, r.RaisedAt = auditID, audit.Rule(rule), audit.Severity(sev), fromMicros(at)
		if err := json.Unmarshal([]byte(ev), &r.Evidence); err != nil {
			return nil, internal("decode evidence", err)
		}
		if err := json.Unmarshal([]byte(doc), &r.Matter); err != nil {
			return nil, internal("decode matter", err)
		}
		out = append(out, r)
	}
	return out, internal("read anomalies", rows.Err())
}
