package sqlstore

import (
	"context"
	"encoding/json"
	"slices"

	"trustmark"
	"trustmark/audit"
)

// ChangeAudit decides a change to the plan of audit id
// (audit.Rules.DecidePlan with the audit as it stands) on the registry's
// facts, in one transaction: it loads the audit, asks allow whether the
// caller may change it (allow returns the refusal, or nil), decides, and
// stores the new plan and revision with its event. Before the opening
// meeting the event is an amendment, after it a change; either way it
// keeps the previous plan, and every revision stays in audit_revisions.
// The certificate, holder, type and kind never change (conflict). The
// audit's links are brought up to date both ways, and it is swept again
// once its new last day has passed.
func (db *DB) ChangeAudit(ctx context.Context, id string, p audit.Plan, actor string, allow func(*audit.Audit) error) (audit.Decision, error) {
	var d audit.Decision
	err := db.Transact(ctx, func(tx *Tx) error {
		as, err := tx.audits(ctx, `WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if len(as) == 0 {
			return notFound("id", "no audit %s", id)
		}
		old := as[0]
		if err := allow(&old); err != nil {
			return err
		}
		f, err := tx.planFacts(ctx, old.Body, p)
		if err != nil {
			return err
		}
		if err := tx.teamRefused(ctx, p); err != nil {
			return err // a member banned or listed (credit.Standing)
		}
		d, err = auditRules().DecidePlan(&old, audit.Request{ID: old.ID, Actor: actor, Plan: p}, f, tx.Now())
		if err != nil {
			return err
		}
		if err := tx.updateAudit(ctx, old, d.Audit, d.Event); err != nil {
			return err
		}
		return tx.raise(ctx, d.Anomalies)
	})
	return d, err
}

// updateAudit stores audit a, changed from old: its document and times
// (only if no one changed it since it was read: the revision is the
// guard), its team, its links both ways, and the change's event.
func (tx *Tx) updateAudit(ctx context.Context, old, a audit.Audit, ev audit.Event) error {
	doc, err := json.Marshal(a)
	if err != nil {
		return internal("encode audit", err)
	}
	res, err := tx.Exec(ctx, `UPDATE audits SET start_at = ?, end_at = ?, revision = ?, doc = ?, swept = 0 WHERE id = ? AND revision = ?`,
		micros(a.Start()), micros(a.End()), a.Revision, string(doc), a.ID, old.Revision)
	if err != nil {
		return internal("update audit", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return internal("update audit", err)
	}
	if n != 1 {
		return trustmark.Errorf(trustmark.EConflict, "revision", "audit %s was changed meanwhile (revision %d is no longer the latest); read it again", a.ID, old.Revision)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM audit_members WHERE audit_id = ?`, a.ID); err != nil {
		return internal("replace audit members", err)
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
	for _, id := range old.Links {
		if !slices.Contains(a.Links, id) {
			if err := tx.unlink(ctx, id, a.ID); err != nil {
				return err
			}
		}
	}
	return tx.auditEvent(ctx, ev)
}

// unlink removes other from the links of audit id, when a change moved
// other out of its half day.
func (tx *Tx) unlink(ctx context.Context, id, other string) error {
	as, err := tx.audits(ctx, `WHERE id = ?`, id)
	if err != nil || len(as) == 0 {
		return err
	}
	a := as[0]
	i := slices.Index(a.Links, other)
	if i < 0 {
		return nil
	}
	a.Links = slices.Delete(a.Links, i, i+1)
	doc, err := json.Marshal(a)
	if err != nil {
		return internal("encode audit", err)
	}
	_, err = tx.Exec(ctx, `UPDATE audits SET doc = ? WHERE id = ?`, string(doc), id)
	return internal("unlink audits", err)
}
