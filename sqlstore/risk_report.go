package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"trustmark"
	"trustmark/credit"
	"trustmark/risk"
)

// EntityRiskReport is the entity of a risk report's event in the public
// log; Key is the report's id, Action its kind.
const EntityRiskReport = "risk_report"

// RecordRiskReport records the risk report req files. In one transaction
// it reads what the registry holds about the subject, refuses a subject it
// does not hold, asks allow whether the caller may record a report there
// (allow returns the regulator unit that records it, or the refusal),
// lets risk.DecideReport decide, and stores the report with its event.
func (db *DB) RecordRiskReport(ctx context.Context, req risk.ReportRequest, allow func(risk.ReportFacts) (string, error)) (risk.Report, error) {
	var out risk.Report
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		req, err := req.Check(tx.Today())
		if err != nil {
			return err
		}
		f, err := tx.reportFacts(ctx, req)
		if err != nil {
			return err
		}
		if err := f.CheckSubject(req); err != nil {
			return err
		}
		by, err := allow(f)
		if err != nil {
			return err
		}
		r, err := risk.DecideReport(req, f, by, tx.Now())
		if err != nil {
			return err
		}
		out = r
		return tx.storeReport(ctx, r)
	})
	return out, err
}

func (tx *Tx) storeReport(ctx context.Context, r risk.Report) error {
	data := mustJSON(r)
	if _, err := tx.Exec(ctx, `INSERT INTO risk_reports (id, kind, subject_kind, subject_id, on_day, recorded_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.ID, string(r.Kind), r.SubjectKind, r.SubjectID, r.On.String(), r.RecordedAt.UnixMicro(), string(data)); err != nil {
		return internal("store risk report", err)
	}
	for _, p := range r.Parties {
		if _, err := tx.Exec(ctx, `INSERT INTO risk_report_parties (subject_kind, subject_id, on_day, report_id) VALUES (?, ?, ?, ?)`,
			string(p.Subject.Kind), p.Subject.ID, r.On.String(), r.ID); err != nil {
			return internal("store risk report", err)
		}
	}
	tx.Record(trustmark.Event{Actor: r.RecordedBy, Entity: EntityRiskReport, Key: r.ID, Action: string(r.Kind), EffectiveOn: r.On, Data: data})
	return nil
}

// reportFacts reads what the registry holds about req's subject (req in
// canonical form): its region, a certificate's organisation and body, and
// whether the report is already on record.
func (tx *Tx) reportFacts(ctx context.Context, req risk.ReportRequest) (risk.ReportFacts, error) {
	f, err := subjectFacts(ctx, tx.tx, tx.db.dialect, req.SubjectKind, req.SubjectID)
	if err != nil || !f.Found {
		return f, err
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM risk_reports WHERE id = ?`, risk.ReportID(req)).Scan(&n); err != nil {
		return f, internal("risk report", err)
	}
	f.Recorded = n > 0
	return f, nil
}

// rowQueryer is what both the reader pool and a transaction read one row
// with.
type rowQueryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// subjectFacts reads the region of a subject of kind (risk.OnCertificate,
// OnBody, OnLab, OnOrg) by its canonical id; a certificate's organisation
// and body too. A number several types of certificate share names the
// first in trustmark.CertTypes order, as Certificate does.
func subjectFacts(ctx context.Context, q rowQueryer, d dialect, kind, id string) (risk.ReportFacts, error) {
	var f risk.ReportFacts
	if kind != risk.OnCertificate {
		sq := regionSQL(credit.SubjectKind(kind))
		if sq == "" {
			return f, nil
		}
		err := q.QueryRowContext(ctx, d.rebind(sq), id).Scan(&f.Region)
		if errors.Is(err, sql.ErrNoRows) {
			return f, nil
		}
		f.Found = err == nil
		return f, internal("risk report subject", err)
	}
	rows, err := q.QueryContext(ctx, d.rebind(`SELECT c.type, c.holder_uscc, c.body_approval_no, COALESCE(o.region_code, ''), COALESCE(b.region_code, '')
		FROM certificates c LEFT JOIN orgs o ON o.uscc = c.holder_uscc LEFT JOIN bodies b ON b.approval_no = c.body_approval_no
		WHERE c.number = ?`), id)
	if err != nil {
		return f, internal("risk report subject", err)
	}
	defer rows.Close()
	byType := map[trustmark.CertType]risk.ReportFacts{}
	for rows.Next() {
		var t string
		g := risk.ReportFacts{Found: true}
		if err := rows.Scan(&t, &g.Org, &g.Body, &g.Region, &g.BodyRegion); err != nil {
			return f, internal("risk report subject", err)
		}
		byType[trustmark.CertType(t)] = g
	}
	if err := rows.Err(); err != nil {
		return f, internal("risk report subject", err)
	}
	for _, t := range trustmark.CertTypes {
		if g, ok := byType[t]; ok {
			return g, nil
		}
	}
	for _, g := range byType {
		return g, nil // a type no longer listed: still the registry's certificate
	}
	return f, nil
}

// RiskReportRegions returns the regions of the subject a query of reports
// names (risk.ParseReportSubject's kind and id), whose regulators may read
// them; not_found when the registry does not hold it.
func (db *DB) RiskReportRegions(ctx context.Context, kind, id string) ([]string, error) {
	f, err := subjectFacts(ctx, db.r, db.dialect, kind, id)
	if err != nil {
		return nil, err
	}
	if !f.Found {
		return nil, notFound("subject", "the registry holds no %s %s", kind, id)
	}
	return f.Regions(), nil
}

// RiskReports returns the reports on a subject, latest day first, after
// the cursor (the previous page's NextCursor), at most limit, and the next
// page's cursor ("" at the end): for a certificate those filed against it,
// for a body, laboratory or organisation every report that bears on it.
func (db *DB) RiskReports(ctx context.Context, kind, id, cursor string, limit int) ([]risk.Report, string, error) {
	q := `SELECT p.on_day, p.report_id, r.data FROM risk_report_parties p JOIN risk_reports r ON r.id = p.report_id
		WHERE p.subject_kind = ? AND p.subject_id = ?`
	if kind == risk.OnCertificate {
		q = `SELECT r.on_day, r.id, r.data FROM risk_reports r WHERE r.subject_kind = ? AND r.subject_id = ?`
	}
	day, col := "p.on_day", "p.report_id"
	if kind == risk.OnCertificate {
		day, col = "r.on_day", "r.id"
	}
	args := []any{kind, id}
	if cursor != "" {
		on, after, ok := strings.Cut(cursor, "/")
		if _, err := trustmark.ParseDate(on); !ok || err != nil || after == "" {
			return nil, "", trustmark.Invalidf("risk.cursor", "cursor", "cursor %q is not one this list gave", cursor)
		}
		q += ` AND (` + day + ` < ? OR (` + day + ` = ? AND ` + col + ` < ?))`
		args = append(args, on, on, after)
	}
	q += ` ORDER BY ` + day + ` DESC, ` + col + ` DESC LIMIT ?`
	rows, err := db.query(ctx, q, append(args, limit+1)...)
	if err != nil {
		return nil, "", internal("risk reports", err)
	}
	defer rows.Close()
	out := []risk.Report{}
	next := ""
	for rows.Next() {
		var on, rid, data string
		if err := rows.Scan(&on, &rid, &data); err != nil {
			return nil, "", internal("risk reports", err)
		}
		if len(out) == limit {
			last := out[len(out)-1]
			next = last.On.String() + "/" + last.ID
			break
		}
		var r risk.Report
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			return nil, "", internal("risk reports: decode", err)
		}
		out = append(out, r)
	}
	return out, next, internal("risk reports", rows.Err())
}

// reportSignals are the signals of a risk report's event (risk.Report.Signals),
// each with its subject's region; a party the registry does not hold is
// not scored.
func (tx *Tx) reportSignals(ctx context.Context, c trustmark.Change, f *riskFacts) ([]risk.Signal, error) {
	var r risk.Report
	if json.Unmarshal(c.Data, &r) != nil || r.ID != c.Key {
		return nil, nil
	}
	var out []risk.Signal
	for _, s := range r.Signals() {
		region, err := tx.subjectRegion(ctx, s.Subject, f)
		if err != nil {
			return nil, err
		}
		if region != "" {
			s.Region = region
			out = append(out, s)
		}
	}
	return out, nil
}
