package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"trustmark"
)

// LabReports lists one page of a laboratory's reports, newest first (date of
// issue, then number, both descending), for the laboratory's own workbench.
// The laboratory is required: the query reads the primary key's range for
// it and sorts that laboratory's reports only. A report without a date of
// issue sorts last.
func (db *DB) LabReports(ctx context.Context, f trustmark.LabReportFilter) (trustmark.Page[trustmark.Report], error) {
	var page trustmark.Page[trustmark.Report]
	if f.LabCMANo == "" {
		return page, trustmark.Errorf(trustmark.EInvalid, "lab_cma_no", "a laboratory's reports are listed by its CMA number; none given")
	}
	cur, err := decodeCursor(f.Cursor, 2)
	if err != nil {
		return page, err
	}
	var w where
	w.add(`r.lab_cma_no = ?`, f.LabCMANo)
	if cur != nil {
		w.add(`(r.issued_on < ? OR (r.issued_on = ? AND r.number < ?))`, cur[0], cur[0], cur[1])
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		name := `r.client_uscc IN (SELECT uscc FROM orgs WHERE name ` + db.dialect.ilike + ` ? ESCAPE '\')`
		frag := "%" + likeEscape(q) + "%"
		if isASCII(q) {
			prefix := likeEscape(strings.ToUpper(q)) + "%"
			w.add(`(r.number LIKE ? ESCAPE '\' OR r.client_uscc LIKE ? ESCAPE '\' OR `+name+`)`, prefix, prefix, frag)
		} else {
			w.add(name, frag)
		}
	}
	n := limit(f.Limit)
	return listPage(ctx, db, "reports", reportSelect+w.String()+fmt.Sprintf(` ORDER BY r.issued_on DESC, r.number DESC LIMIT %d`, n+1), w.args, n,
		func(s interface{ Scan(...any) error }) (*trustmark.Report, error) { return scanReport(s, true) },
		func(it *trustmark.Report) []string { return []string{it.IssuedOn.String(), it.Number} })
}
