package sqlstore

import (
	"context"
	"time"

	"trustmark"
	"trustmark/audit"
)

// ImportAudit stores an audit plan that was reported at reportedAt, before
// now: a plan kept by another system (the CNCA's check-in system) brought
// over with its history, or the demo's season. It is decided as
// ReportAudit decides it, at reportedAt (a plan reported after its opening
// meeting is late), and recorded now in the public log.
func (db *DB) ImportAudit(ctx context.Context, body, actor string, p audit.Plan, reportedAt time.Time) (audit.Decision, error) {
	var d audit.Decision
	err := db.Transact(ctx, func(tx *Tx) error {
		if reportedAt.After(tx.Now()) {
			return trustmark.Invalidf("audit.reported_at", "reported_at", "a plan imported as reported at %s, after now", reportedAt.UTC().Format(time.RFC3339))
		}
		f, err := tx.planFacts(ctx, body, p)
		if err != nil {
			return err
		}
		d, err = auditRules().DecidePlan(nil, audit.Request{ID: newID("A"), Actor: actor, Plan: p}, f, reportedAt.UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		if err := tx.insertAudit(ctx, d.Audit, d.Event, planKey{}); err != nil {
			return err
		}
		return tx.raise(ctx, d.Anomalies)
	})
	return d, err
}

// ImportCheckIns stores check-ins another system recorded, each at its own
// time of record (CheckInItem.At, not after now), in one transaction, in
// order: decided, evaluated and stored as CheckInBatch does it, with
// their anomalies raised as of that time and recorded now in the public
// log.
func (db *DB) ImportCheckIns(ctx context.Context, items []audit.CheckInItem) (res []audit.CheckInResult, errs []error, err error) {
	now := db.clock()
	for i := range items {
		if items[i].At.IsZero() || items[i].At.After(now) {
			return nil, nil, trustmark.Invalidf("audit.imported_at", "at", "check-in %d: an imported check-in needs its time of record, not after now", i+1)
		}
		if items[i], err = prepareCheckIn(items[i]); err != nil {
			return nil, nil, err
		}
	}
	return db.checkInTx(ctx, items)
}
