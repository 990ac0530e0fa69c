package sqlstore

import (
	"context"
	"database/sql"

	"trustmark"
)

// Report implements trustmark.Store. The reference is read as
// trustmark.NewReportRef reads it, so a report is found however the case of
// its number is typed: imports store report numbers in that canonical form
// (and migration 009 brought earlier rows to it).
func (db *DB) Report(ctx context.Context, cmaNo, number string) (*trustmark.Report, error) {
	ref, err := trustmark.NewReportRef(cmaNo, number)
	if err != nil {
		// No report has a reference that breaks the rules.
		return nil, notFound("number", "laboratory %s has no test report with number %s", cmaNo, number)
	}
	r, err := scanReport(db.queryRow(ctx, reportSelect+` WHERE r.lab_cma_no = ? AND r.number = ?`, string(ref.Lab), ref.Number), true)
	if err == sql.ErrNoRows {
		return nil, notFound("number", "laboratory %s has no test report with number %s", ref.Lab, ref.Number)
	}
	if err != nil {
		return nil, internal("read report", err)
	}
	return r, nil
}
