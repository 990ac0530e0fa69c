package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"trustmark"
)

const reportCols = `r.number, r.lab_cma_no, r.client_uscc, r.product, r.conclusion, r.issued_on, r.signer_registration_no, r.updated_at`

// reportSelect reads reports with their laboratory's and client's names and
// the laboratory's standing.
const reportSelect = `SELECT ` + reportCols + `, COALESCE(l.name, ''), COALESCE(o.name, ''), COALESCE(l.status, ''), COALESCE(l.status_since, '')
	FROM reports r
	LEFT JOIN labs l ON l.cma_no = r.lab_cma_no
	LEFT JOIN orgs o ON o.uscc = r.client_uscc`

func scanReport(s interface{ Scan(...any) error }, names bool) (*trustmark.Report, error) {
	var (
		r                     trustmark.Report
		client, concl, issued string
		labStatus, labSince   string
		upd                   int64
	)
	dest := []any{&r.Number, &r.LabCMANo, &client, &r.Product, &concl, &issued, &r.SignerRegistrationNo, &upd}
	if names {
		dest = append(dest, &r.LabName, &r.ClientName, &labStatus, &labSince)
	}
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	r.ClientUSCC, r.Conclusion = trustmark.USCC(client), trustmark.Conclusion(concl)
	r.LabStatus = trustmark.PartyStatus(labStatus)
	var err error
	if r.LabStatusSince, err = parseDate(labSince); err != nil {
		return nil, err
	}
	if r.IssuedOn, err = parseDate(issued); err != nil {
		return nil, err
	}
	r.UpdatedAt = fromMicros(upd)
	return &r, nil
}

// Reports implements trustmark.Store, in (laboratory, number) order.
func (db *DB) Reports(ctx context.Context, f trustmark.ReportFilter) (trustmark.Page[trustmark.Report], error) {
	var page trustmark.Page[trustmark.Report]
	cur, err := decodeCursor(f.Cursor, 2)
	if err != nil {
		return page, err
	}
	var w where
	if cur != nil {
		w.add(`(r.lab_cma_no > ? OR (r.lab_cma_no = ? AND r.number > ?))`, cur[0], cur[0], cur[1])
	}
	if f.LabCMANo != "" {
		w.add(`r.lab_cma_no = ?`, f.LabCMANo)
	}
	if f.ClientUSCC != "" {
		w.add(`r.client_uscc = ?`, string(f.ClientUSCC))
	}
	n := limit(f.Limit)
	return listPage(ctx, db, "reports", reportSelect+w.String()+fmt.Sprintf(` ORDER BY r.lab_cma_no, r.number LIMIT %d`, n+1), w.args, n,
		func(s interface{ Scan(...any) error }) (*trustmark.Report, error) { return scanReport(s, true) },
		func(it *trustmark.Report) []string { return []string{it.LabCMANo, it.Number} })
}

func sameReport(a, b *trustmark.Report) bool {
	return a.Number == b.Number && a.LabCMANo == b.LabCMANo && a.ClientUSCC == b.ClientUSCC && a.Product == b.Product &&
		a.Conclusion == b.Conclusion && a.IssuedOn == b.IssuedOn && a.SignerRegistrationNo == b.SignerRegistrationNo
}

func (tx *Tx) importReports(ctx context.Context, actor trustmark.Party, items []trustmark.Record) ([]trustmark.Outcome, error) {
	recs, out := castAll[trustmark.Report](items)
	labs, err := tx.labsByKey(ctx, distinct(recs, func(r *trustmark.Report) string { return r.LabCMANo }))
	if err != nil {
		return nil, internal("read labs", err)
	}
	existing := map[string]*trustmark.Report{}
	err = tx.forChunks(ctx, `SELECT `+reportCols+` FROM reports r WHERE r.number IN (%s)`,
		distinct(recs, func(r *trustmark.Report) string { return r.Number }),
		func(rows *sql.Rows) error {
			r, err := scanReport(rows, false)
			if err == nil {
				existing[r.Key()] = r
			}
			return err
		})
	if err != nil {
		return nil, internal("read reports", err)
	}
	submitted := map[string]bool{}
	fresh, changed, err := judgeAll(tx, actor, trustmark.EntityReport, recs, out, existing,
		func(old, in *trustmark.Report) (*trustmark.Report, *trustmark.Event, error) {
			if labs[in.LabCMANo] == nil {
				return nil, nil, trustmark.Errorf(trustmark.ENotFound, "lab_cma_no", "laboratory %s is not in the registry; import labs first", in.LabCMANo)
			}
			if err := actor.CanWriteReport(in); err != nil {
				return nil, nil, err
			}
			if lab := labs[in.LabCMANo]; old == nil && lab.CreditRefusal != nil {
				return nil, nil, lab.CreditRefusal // a new report of a listed or banned laboratory
			}
			submitted[in.LabCMANo] = true
			next := *in
			next.LabName, next.ClientName = "", ""
			if old != nil && sameReport(old, &next) {
				return old, nil, nil
			}
			return &next, &trustmark.Event{Data: mustJSON(next)}, nil
		})
	if err != nil {
		return nil, err
	}
	row := func(r *trustmark.Report) []any {
		return []any{r.LabCMANo, r.Number, string(r.ClientUSCC), r.Product, string(r.Conclusion), r.IssuedOn.String(), r.SignerRegistrationNo, micros(tx.now)}
	}
	if err := tx.write(ctx, "reports", []string{"lab_cma_no", "number", "client_uscc", "product", "conclusion", "issued_on", "signer_registration_no", "updated_at"}, 2,
		rowsOf(fresh, row), rowsOf(changed, row)); err != nil {
		return nil, err
	}
	return out, tx.touchSubmission(ctx, "labs", "cma_no", mapKeys(submitted))
}
