package sqlstore

import (
	"context"
	"time"

	"trustmark"
	"trustmark/audit"
)

// sweepChunk is how many audits or certificates one sweep transaction
// judges.
const sweepChunk = 500

// SweepResult counts what one sweep did.
type SweepResult struct {
	Audits       int // audits whose last day had passed, judged once
	Certificates int // audited certificates whose surveillance was judged
	Raised       int // anomalies raised now (none for one already raised)
}

// SweepAudits raises, at the store's clock, what no check-in raises
// (audit.Rules.Sweep): missing_checkin for each audit whose last day in
// China has passed without both check-ins, and surveillance_overdue for
// each valid certificate with audits in the store whose surveillance audit
// is overdue. Each anomaly is an event in the public log and opens its
// matter, as every anomaly does. An audit is judged once, after its last
// day (audits.swept); a certificate is judged on each sweep, and the
// anomaly's key (the certificate and its due day) keeps a repeated sweep
// from raising it twice.
func (db *DB) SweepAudits(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	for {
		n, raised, err := db.sweepEnded(ctx)
		res.Audits, res.Raised = res.Audits+n, res.Raised+raised
		if err != nil || n < sweepChunk {
			if err != nil {
				return res, err
			}
			break
		}
	}
	after := ""
	for {
		certs, raised, last, err := db.sweepSurveillance(ctx, after)
		res.Certificates, res.Raised = res.Certificates+certs, res.Raised+raised
		if err != nil || last == "" {
			return res, err
		}
		after = last
	}
}

// sweepEnded judges a chunk of the audits not yet swept whose last day has
// passed, in one transaction.
func (db *DB) sweepEnded(ctx context.Context) (judged, raised int, err error) {
	err = db.Transact(ctx, func(tx *Tx) error {
		judged, raised = 0, 0
		todayStart := tx.Today().Time().Add(-8 * time.Hour) // 00:00 in China
		as, err := tx.audits(ctx, `WHERE swept = 0 AND end_at < ? ORDER BY end_at, id LIMIT ?`, micros(todayStart), sweepChunk)
		if err != nil || len(as) == 0 {
			return err
		}
		swept, err := tx.withCheckIns(ctx, as)
		if err != nil {
			return err
		}
		before := len(tx.events)
		if err := tx.raise(ctx, auditRules().Sweep(swept, nil, tx.Now())); err != nil {
			return err
		}
		raised = countAnomalyEvents(tx.events[before:])
		ids := make([]any, len(as))
		for i := range as {
			ids[i] = as[i].ID
		}
		if _, err := tx.Exec(ctx, `UPDATE audits SET swept = 1 WHERE id IN (`+placeholders(len(ids))+`)`, ids...); err != nil {
			return internal("mark audits swept", err)
		}
		judged = len(as)
		return nil
	})
	return judged, raised, err
}

// sweepSurveillance judges the surveillance of a chunk of the certificates
// with audits in the store, in certificate order after after; last is the
// chunk's last certificate, "" when there was none.
func (db *DB) sweepSurveillance(ctx context.Context, after string) (certs, raised int, last string, err error) {
	err = db.Transact(ctx, func(tx *Tx) error {
		certs, raised, last = 0, 0, ""
		numbers, err := tx.stringColumn(ctx, `SELECT DISTINCT certificate FROM audits WHERE certificate > ? ORDER BY certificate LIMIT ?`, after, sweepChunk)
		if err != nil || len(numbers) == 0 {
			return err
		}
		var facts []audit.CertificateFacts
		for _, no := range numbers {
			f, ok, err := tx.certificateFacts(ctx, no)
			if err != nil {
				return err
			}
			if ok {
				facts = append(facts, f)
			}
		}
		before := len(tx.events)
		if err := tx.raise(ctx, auditRules().Sweep(nil, facts, tx.Now())); err != nil {
			return err
		}
		certs, raised, last = len(numbers), countAnomalyEvents(tx.events[before:]), numbers[len(numbers)-1]
		return nil
	})
	return certs, raised, last, err
}

// certificateFacts loads what the surveillance rule needs of certificate
// no: its issue and status from the registry, its audits and their
// check-ins from the store. ok is false when the registry does not hold it.
func (tx *Tx) certificateFacts(ctx context.Context, no string) (audit.CertificateFacts, bool, error) {
	c, err := getCertificate(ctx, tx.tx, tx.db.dialect, no)
	if trustmark.IsNotFound(err) {
		return audit.CertificateFacts{}, false, nil
	}
	if err != nil {
		return audit.CertificateFacts{}, false, err
	}
	as, err := tx.audits(ctx, `WHERE certificate = ? ORDER BY end_at`, no)
	if err != nil || len(as) == 0 {
		return audit.CertificateFacts{}, false, err
	}
	swept, err := tx.withCheckIns(ctx, as)
	if err != nil {
		return audit.CertificateFacts{}, false, err
	}
	return audit.CertificateFacts{Number: no, Body: c.BodyApprovalNo, Region: as[len(as)-1].Region, Status: c.Status,
		IssuedOn: c.IssuedOn, LastAudit: audit.LastSurveillance(no, swept, tx.Today())}, true, nil
}

// withCheckIns pairs each audit with its check-ins.
func (tx *Tx) withCheckIns(ctx context.Context, as []audit.Audit) ([]audit.Swept, error) {
	out := make([]audit.Swept, len(as))
	for i, a := range as {
		cs, err := tx.checkIns(ctx, `WHERE audit_id = ? ORDER BY at, id`, a.ID)
		if err != nil {
			return nil, err
		}
		out[i] = audit.Swept{Audit: a, CheckIns: cs}
	}
	return out, nil
}

// stringColumn reads a one-column query of strings.
func (tx *Tx) stringColumn(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, internal("read", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, internal("scan", err)
		}
		out = append(out, s)
	}
	return out, internal("read", rows.Err())
}

func countAnomalyEvents(evs []trustmark.Event) int {
	n := 0
	for _, e := range evs {
		if e.Entity == EntityAnomaly {
			n++
		}
	}
	return n
}
