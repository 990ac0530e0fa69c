package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"trustmark"
	"trustmark/audit"
	"trustmark/matter"
)

// Entities of the supervision side in the public log.
const (
	EntityAudit   = "audit"
	EntityCheckIn = "checkin"
	EntityAnomaly = "anomaly"
	EntityMatter  = "matter"
)

// auditRules and matterRules are the rules the store decides with; the
// adapters decide nothing themselves.
var (
	auditRules  = sync.OnceValue(audit.DefaultRules)
	matterRules = sync.OnceValue(matter.Official)
)

// newID returns a random identifier with a prefix naming what it is.
func newID(prefix string) string {
	b := make([]byte, 10)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// ReportAudit decides a body's report of an audit plan (audit.Rules.DecidePlan)
// on the registry's facts and stores the audit, its event and any anomaly
// it raises (a late report) with the matter that anomaly opens. It is
// ReportAuditOnce without a request key: every call is a new plan.
func (db *DB) ReportAudit(ctx context.Context, body, actor string, p audit.Plan) (audit.Decision, error) {
	return db.ReportAuditOnce(ctx, body, actor, "", p)
}

// ReportAuditOnce is ReportAudit with the client's request key (its
// request_id or Idempotency-Key, "" for none), the body's own: a key
// that already reported a plan of the body answers that audit again when
// the plan is the same (audit.ReplayPlan: Decision.Replayed, nothing
// written, no event) and refuses another plan (conflict, field
// request_id). Two reports racing with one key store one audit: the
// unique index on (body, request_key) refuses the second insert, and its
// transaction, run again (Transact), finds the first.
func (db *DB) ReportAuditOnce(ctx context.Context, body, actor, requestKey string, p audit.Plan) (audit.Decision, error) {
	key := planKey{key: requestKey}
	if err := audit.CheckRequestKey(requestKey); err != nil {
		return audit.Decision{}, err
	}
	if requestKey != "" {
		var err error
		if key.digest, err = audit.PlanDigest(p); err != nil {
			return audit.Decision{}, err
		}
	}
	var d audit.Decision
	err := db.Transact(ctx, func(tx *Tx) error {
		stored, found, err := tx.auditByKey(ctx, body, requestKey)
		if err != nil {
			return err
		}
		if found {
			d, err = tx.replayPlan(ctx, stored, requestKey, p)
			return err
		}
		f, err := tx.planFacts(ctx, body, p)
		if err != nil {
			return err
		}
		if err := tx.teamRefused(ctx, p); err != nil {
			return err // a member banned or listed (credit.Standing)
		}
		d, err = auditRules().DecidePlan(nil, audit.Request{ID: newID("A"), Actor: actor, Plan: p}, f, tx.Now())
		if err != nil {
			return err
		}
		if err := tx.insertAudit(ctx, d.Audit, d.Event, key); err != nil {
			return err
		}
		return tx.raise(ctx, d.Anomalies)
	})
	return d, err
}

// planKey is the request key a plan was reported with and the digest of
// that plan (audit.PlanDigest); both "" for a plan reported without one.
type planKey struct{ key, digest string }

// keyedAudit is an audit that a request key reported, with the digest of
// the plan it reported.
type keyedAudit struct {
	audit.Audit
	digest string
}

// auditByKey returns the audit body's request key reported; found is
// false when none did (or the key is ""): a report to make, not a
// refusal.
func (tx *Tx) auditByKey(ctx context.Context, body, key string) (a keyedAudit, found bool, err error) {
	if key == "" {
		return a, false, nil
	}
	var doc string
	err = tx.QueryRow(ctx, `SELECT doc, request_digest FROM audits WHERE body = ? AND request_key = ?`, body, key).Scan(&doc, &a.digest)
	if err == sql.ErrNoRows {
		return a, false, nil
	}
	if err != nil {
		return a, false, internal("read audit by request key", err)
	}
	if err := json.Unmarshal([]byte(doc), &a.Audit); err != nil {
		return a, false, internal("decode audit", err)
	}
	return a, true, nil
}

// replayPlan answers a report of p repeating the request key that
// reported a, as audit.ReplayPlan decides, with a's anomalies as stored.
func (tx *Tx) replayPlan(ctx context.Context, a keyedAudit, key string, p audit.Plan) (audit.Decision, error) {
	recs, err := auditAnomalies(ctx, tx.tx, tx.db.dialect, a.ID)
	if err != nil {
		return audit.Decision{}, err
	}
	anomalies := make([]audit.Anomaly, len(recs))
	for i, r := range recs {
		anomalies[i] = r.Anomaly
	}
	return audit.ReplayPlan(a.Audit, a.digest, key, p, anomalies)
}

// planFacts loads what the registry says that a plan is decided on,
// through the transaction's own connection: a read through the pool
// while the transaction holds a connection of it waits for another, and
// as many reports at once as the pool has connections would wait for
// ever (PostgreSQL, TestReportAuditOnceConcurrent).
func (tx *Tx) planFacts(ctx context.Context, body string, p audit.Plan) (audit.Facts, error) {
	var f audit.Facts
	b, err := getBody(ctx, tx.tx, tx.db.dialect, body)
	if err != nil {
		return f, err
	}
	f.Body = *b
	holder := p.HolderUSCC
	if p.Certificate != "" {
		c, err := getCertificate(ctx, tx.tx, tx.db.dialect, p.Certificate)
		if err != nil {
			return f, err
		}
		f.Certificate, holder = c, c.HolderUSCC
	} else if holder, err = trustmark.ParseUSCC(string(holder)); err != nil {
		return f, err
	}
	o, err := getOrg(ctx, tx.tx, tx.db.dialect, holder)
	if err != nil {
		return f, err
	}
	f.Holder = *o
	f.Persons = map[string]trustmark.Person{}
	for _, m := range p.Team {
		if pe, err := getPerson(ctx, tx.tx, tx.db.dialect, m.RegistrationNo); err == nil {
			f.Persons[pe.RegistrationNo] = *pe
		} else if !trustmark.IsNotFound(err) {
			return f, err
		}
	}
	day := 24 * time.Hour
	f.SameHolder, err = tx.audits(ctx, `WHERE holder = ? AND start_at >= ? AND start_at < ?`,
		string(holder), micros(p.OpeningAt.Add(-day)), micros(p.OpeningAt.Add(day)))
	return f, err
}

// insertAudit stores a new audit, under the request key it was reported
// with, its team, its first revision and its event, and adds its id to
// the audits it is linked with.
func (tx *Tx) insertAudit(ctx context.Context, a audit.Audit, ev audit.Event, key planKey) error {
	doc, err := json.Marshal(a)
	if err != nil {
		return internal("encode audit", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audits (id, body, region, holder, start_at, end_at, revision, doc, certificate, kind, request_key, request_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Body, a.Region, string(a.Plan.HolderUSCC), micros(a.Start()), micros(a.End()), a.Revision, string(doc),
		a.Plan.Certificate, string(a.Plan.Kind), key.key, key.digest); err != nil {
		return internal("insert audit", err)
	}
	for _, m := range a.Plan.Team {
		if _, err := tx.Exec(ctx, `INSERT INTO audit_members (audit_id, registration_no, role, start_at, end_at) VALUES (?, ?, ?, ?, ?)`,
			a.ID, m.RegistrationNo, string(m.Role), micros(a.Start()), micros(a.End())); err != nil {
			return internal("insert audit member", err)
		}
	}
	for _, id := range a.Links {
		if err := tx.link(ctx, id, a.ID); err != nil {
			return err
		}
	}
	return tx.auditEvent(ctx, ev)
}

// auditEvent keeps an audit's revision and records it in the public log.
func (tx *Tx) auditEvent(ctx context.Context, ev audit.Event) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return internal("encode audit event", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit_revisions (audit_id, revision, event) VALUES (?, ?, ?)`, ev.Audit, ev.Revision, string(data)); err != nil {
		return internal("insert audit revision", err)
	}
	tx.Record(trustmark.Event{Actor: ev.Actor, Entity: EntityAudit, Key: ev.Audit, Action: ev.Action, Data: data})
	return nil
}

// link adds other to the links of audit id: a link is mutual.
func (tx *Tx) link(ctx context.Context, id, other string) error {
	as, err := tx.audits(ctx, `WHERE id = ?`, id)
	if err != nil || len(as) == 0 {
		return err
	}
	a := as[0]
	if slices.Contains(a.Links, other) {
		return nil
	}
	a.Links = append(a.Links, other)
	doc, err := json.Marshal(a)
	if err != nil {
		return internal("encode audit", err)
	}
	_, err = tx.Exec(ctx, `UPDATE audits SET doc = ? WHERE id = ?`, string(doc), id)
	return internal("link audits", err)
}

// audits reads the audits a WHERE clause selects, in the transaction.
func (tx *Tx) audits(ctx context.Context, where string, args ...any) ([]audit.Audit, error) {
	rows, err := tx.Query(ctx, `SELECT doc FROM audits `+where, args...)
	if err != nil {
		return nil, internal("read audits", err)
	}
	return scanAudits(rows)
}

func scanAudits(rows *sql.Rows) ([]audit.Audit, error) {
	defer rows.Close()
	var out []audit.Audit
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, internal("scan audit", err)
		}
		var a audit.Audit
		if err := json.Unmarshal([]byte(doc), &a); err != nil {
			return nil, internal("decode audit", err)
		}
		out = append(out, a)
	}
	return out, internal("read audits", rows.Err())
}

// Audit returns the audit of id, or not_found.
func (db *DB) Audit(ctx context.Context, id string) (*audit.Audit, error) {
	rows, err := db.query(ctx, `SELECT doc FROM audits WHERE id = ?`, id)
	if err != nil {
		return nil, internal("read audit", err)
	}
	as, err := scanAudits(rows)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, notFound("id", "no audit %s", id)
	}
	return &as[0], nil
}

// AuditRevisions returns the events of an audit, first to last: every plan
// and change as reported, none overwritten.
func (db *DB) AuditRevisions(ctx context.Context, id string) ([]audit.Event, error) {
	rows, err := db.query(ctx, `SELECT event FROM audit_revisions WHERE audit_id = ? ORDER BY revision`, id)
	if err != nil {
		return nil, internal("read audit revisions", err)
	}
	defer rows.Close()
	var out []audit.Event
	for rows.Next() {
		var s string
		var e audit.Event
		if err := rows.Scan(&s); err != nil {
			return nil, internal("scan audit revision", err)
		}
		if err := json.Unmarshal([]byte(s), &e); err != nil {
			return nil, internal("decode audit revision", err)
		}
		out = append(out, e)
	}
	return out, internal("read audit revisions", rows.Err())
}
