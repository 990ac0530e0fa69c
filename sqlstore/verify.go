package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"trustmark"
)

// Batch lookups for bulk verification (verify.Finder): one query per chunk
// of keys instead of one per key, on the reader pool. The keys travel as
// one JSON array parameter, unpacked by the database (json_each, jsonb
// functions): binding hundreds of separate parameters cost more than the
// lookups themselves (docs/BENCHMARKS.md, "Verification").

// verifyChunk bounds the keys of one query.
const verifyChunk = 1000

// keyList returns the subquery that yields the rows of a JSON array
// parameter: its strings (arity 1) or the first two elements of its arrays
// (arity 2).
func (d dialect) keyList(arity int) string {
	switch {
	case d == postgres && arity == 1:
		return `SELECT jsonb_array_elements_text(CAST(? AS jsonb))`
	case d == postgres:
		return `SELECT e->>0, e->>1 FROM jsonb_array_elements(CAST(? AS jsonb)) AS e`
	case arity == 1:
		return `SELECT value FROM json_each(?)`
	}
	return `SELECT value->>0, value->>1 FROM json_each(?)`
}

// queryIn runs q, whose %s is replaced by the key-list subquery of one
// chunk of keys (each a row of arity values), for every chunk, with extra
// bound before the keys, and calls scan for every row.
func (db *DB) queryIn(ctx context.Context, what, q string, arity int, keys []any, extra []any, scan func(*sql.Rows) error) error {
	q = fmt.Sprintf(q, db.dialect.keyList(arity))
	for start := 0; start < len(keys); start += verifyChunk {
		list, err := json.Marshal(keys[start:min(start+verifyChunk, len(keys))])
		if err != nil {
			return internal(what, err)
		}
		rows, err := db.query(ctx, q, append(extra[:len(extra):len(extra)], string(list))...)
		if err != nil {
			return internal(what, err)
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return internal(what, err)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return internal(what, err)
		}
	}
	return nil
}

func stringArgs[T ~string](keys []T) []any {
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = string(k)
	}
	return out
}

// CertificatesByNumber returns every certificate, of any type, whose number
// is one of numbers, with the fields an answer of bulk verification reads
// (bulk.Finder): number, type, holder and body with their names, expiry,
// status and the body's standing. Scope, standard, product, CCC category,
// issue date and update time stay zero: each column costs the driver an
// allocation or two per row, and a hundred-item call reads a hundred rows.
func (db *DB) CertificatesByNumber(ctx context.Context, numbers []string) ([]*trustmark.Certificate, error) {
	var (
		out  []*trustmark.Certificate
		scan certAnswerScanner
	)
	err := db.queryIn(ctx, "read certificates by number", certAnswerSelect+` WHERE c.number IN (%s)`, 1, stringArgs(numbers), nil,
		func(rows *sql.Rows) error {
			c, err := scan.scan(rows)
			if err == nil {
				out = append(out, c)
			}
			return err
		})
	return out, err
}

// certAnswerSelect reads the columns of certificates that a verification
// answer shows (CertificatesByNumber).
const certAnswerSelect = `SELECT c.number, c.type, c.body_approval_no, c.holder_uscc, c.expires_on, c.status, c.status_since,
	COALESCE(o.name, ''), COALESCE(b.name, ''), COALESCE(b.status, ''), COALESCE(b.status_since, '')
	FROM certificates c
	LEFT JOIN orgs o ON o.uscc = c.holder_uscc
	LEFT JOIN bodies b ON b.approval_no = c.body_approval_no`

// certAnswerScanner scans rows of certAnswerSelect, its destinations made
// once for all the rows of a query.
type certAnswerScanner struct {
	c                                           trustmark.Certificate
	typ, holder, expires, st, since, bs, bsince string
	dest                                        []any
}

func (s *certAnswerScanner) scan(rows *sql.Rows) (*trustmark.Certificate, error) {
	if s.dest == nil {
		s.dest = []any{&s.c.Number, &s.typ, &s.c.BodyApprovalNo, &s.holder, &s.expires, &s.st, &s.since,
			&s.c.HolderName, &s.c.BodyName, &s.bs, &s.bsince}
	}
	if err := rows.Scan(s.dest...); err != nil {
		return nil, err
	}
	c := s.c
	c.Type, c.HolderUSCC, c.Status = trustmark.CertType(s.typ), trustmark.USCC(s.holder), trustmark.CertStatus(s.st)
	c.BodyStatus = trustmark.PartyStatus(s.bs)
	var err error
	if c.ExpiresOn, err = parseDate(s.expires); err != nil {
		return nil, err
	}
	if c.StatusSince, err = parseDate(s.since); err != nil {
		return nil, err
	}
	if c.BodyStatusSince, err = parseDate(s.bsince); err != nil {
		return nil, err
	}
	return &c, nil
}

// OrgsByUSCC returns the organisations with the given codes.
func (db *DB) OrgsByUSCC(ctx context.Context, usccs []trustmark.USCC) ([]*trustmark.Org, error) {
	var out []*trustmark.Org
	err := db.queryIn(ctx, "read orgs by uscc", `SELECT `+orgCols+` FROM orgs o WHERE o.uscc IN (%s)`, 1, stringArgs(usccs), nil,
		func(rows *sql.Rows) error {
			o, err := scanOrg(rows)
			if err == nil {
				out = append(out, o)
			}
			return err
		})
	return out, err
}

// LabsByCMANo returns the laboratories with the given CMA numbers.
func (db *DB) LabsByCMANo(ctx context.Context, cmaNos []string) ([]*trustmark.Lab, error) {
	var out []*trustmark.Lab
	err := db.queryIn(ctx, "read labs by cma_no", `SELECT `+labCols+` FROM labs l WHERE l.cma_no IN (%s)`, 1, stringArgs(cmaNos), nil,
		func(rows *sql.Rows) error {
			l, err := scanLab(rows)
			if err == nil {
				out = append(out, l)
			}
			return err
		})
	return out, err
}

// ReportsByKey returns the reports with the given keys "CMA_NO/NUMBER",
// with the laboratory's and client's names.
func (db *DB) ReportsByKey(ctx context.Context, keys []string) ([]*trustmark.Report, error) {
	args := make([]any, 0, len(keys))
	for _, k := range keys {
		if cma, no, ok := strings.Cut(k, "/"); ok {
			args = append(args, [2]string{cma, no})
		}
	}
	var out []*trustmark.Report
	err := db.queryIn(ctx, "read reports by key", reportSelect+` WHERE (r.lab_cma_no, r.number) IN (%s)`, 2, args, nil,
		func(rows *sql.Rows) error {
			r, err := scanReport(rows, true)
			if err == nil {
				out = append(out, r)
			}
			return err
		})
	return out, err
}

// CertificateCounts counts each holder's certificates by effective status on
// today (effectiveStatusSQL).
func (db *DB) CertificateCounts(ctx context.Context, holders []trustmark.USCC, today trustmark.Date) (map[trustmark.USCC]map[trustmark.CertStatus]int, error) {
	out := map[trustmark.USCC]map[trustmark.CertStatus]int{}
	err := db.queryIn(ctx, "count certificates by holder", `SELECT holder_uscc, `+effectiveStatusSQL("")+`, COUNT(*)
		FROM certificates WHERE holder_uscc IN (%s) GROUP BY 1, 2`, 1, stringArgs(holders), []any{cutoff(today)},
		func(rows *sql.Rows) error {
			var (
				h, st string
				n     int
			)
			if err := rows.Scan(&h, &st, &n); err != nil {
				return err
			}
			m := out[trustmark.USCC(h)]
			if m == nil {
				m = map[trustmark.CertStatus]int{}
				out[trustmark.USCC(h)] = m
			}
			m[trustmark.CertStatus(st)] += n
			return nil
		})
	return out, err
}
