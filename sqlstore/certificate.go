package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"trustmark"
)

const certCols = `c.number, c.type, c.body_approval_no, c.holder_uscc, c.scope, c.standard, c.product, c.ccc_category,
	c.issued_on, c.expires_on, c.status, c.status_since, c.updated_at`

// certSelect reads certificates with their holder's and body's names and
// the body's standing.
const certSelect = `SELECT ` + certCols + `, COALESCE(o.name, ''), COALESCE(b.name, ''), COALESCE(b.status, ''), COALESCE(b.status_since, '')
	FROM certificates c
	LEFT JOIN orgs o ON o.uscc = c.holder_uscc
	LEFT JOIN bodies b ON b.approval_no = c.body_approval_no`

func scanCert(s interface{ Scan(...any) error }, names bool) (*trustmark.Certificate, error) {
	var (
		c                                       trustmark.Certificate
		typ, holder, issued, expires, st, since string
		bodyStatus, bodySince                   string
		upd                                     int64
	)
	dest := []any{&c.Number, &typ, &c.BodyApprovalNo, &holder, &c.Scope, &c.Standard, &c.Product, &c.CCCCategory,
		&issued, &expires, &st, &since, &upd}
	if names {
		dest = append(dest, &c.HolderName, &c.BodyName, &bodyStatus, &bodySince)
	}
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	c.Type, c.HolderUSCC, c.Status = trustmark.CertType(typ), trustmark.USCC(holder), trustmark.CertStatus(st)
	c.BodyStatus = trustmark.PartyStatus(bodyStatus)
	var err error
	if c.BodyStatusSince, err = parseDate(bodySince); err != nil {
		return nil, err
	}
	if c.IssuedOn, err = parseDate(issued); err != nil {
		return nil, err
	}
	if c.ExpiresOn, err = parseDate(expires); err != nil {
		return nil, err
	}
	if c.StatusSince, err = parseDate(since); err != nil {
		return nil, err
	}
	c.UpdatedAt = fromMicros(upd)
	return &c, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// The effective status in SQL (trustmark.Certificate.EffectiveStatus): a
// certificate whose status lapses has lapsed when its expiry date is on or
// before the cutoff, trustmark.ExpiryCutoff of today, the one parameter every
// such query binds. The storage conformance suite (storetest, "effective
// status") holds these queries to the Go rule at the edges.

// lapsedSQL is the condition "the certificate of table alias a has lapsed",
// with one parameter: the cutoff.
func lapsedSQL(a string) string {
	return a + `status IN (` + quoted(trustmark.LapsingStatuses) + `) AND ` + a + `expires_on <> '' AND ` + a + `expires_on <= ?`
}

// effectiveStatusSQL is the expression of the effective status of the
// certificate of table alias a, with the cutoff as its one parameter.
func effectiveStatusSQL(a string) string {
	return `CASE WHEN ` + lapsedSQL(a) + ` THEN '` + string(trustmark.StatusExpired) + `' ELSE ` + a + `status END`
}

// cutoff returns the parameter of lapsedSQL on today.
func cutoff(today trustmark.Date) string { return dateString(trustmark.ExpiryCutoff(today)) }

// quoted lists statuses as SQL string literals.
func quoted(ss []trustmark.CertStatus) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + string(s) + "'"
	}
	return strings.Join(q, ", ")
}

// effectiveStatus adds the condition "effective status is st on today".
func effectiveStatus(w *where, st trustmark.CertStatus, today trustmark.Date) {
	switch {
	case st == trustmark.StatusExpired:
		w.add(`(c.status = 'expired' OR (`+lapsedSQL("c.")+`))`, cutoff(today))
	case st.Lapses():
		// status <> 'valid' for suspended lets the planner use the partial
		// index certificates_not_valid (migration 004).
		cond := `c.status = ? AND NOT (` + lapsedSQL("c.") + `)`
		if st != trustmark.StatusValid {
			cond += ` AND c.status <> 'valid'`
		}
		w.add(cond, string(st), cutoff(today))
	default:
		w.add(`c.status = ? AND c.status <> 'valid'`, string(st))
	}
}

// Certificates implements trustmark.Store, in (number, type) order.
func (db *DB) Certificates(ctx context.Context, f trustmark.CertificateFilter) (trustmark.Page[trustmark.Certificate], error) {
	var page trustmark.Page[trustmark.Certificate]
	cur, err := decodeCursor(f.Cursor, 2)
	if err != nil {
		return page, err
	}
	var w where
	if cur != nil {
		w.add(`(c.number > ? OR (c.number = ? AND c.type > ?))`, cur[0], cur[0], cur[1])
	}
	if f.HolderUSCC != "" {
		w.add(`c.holder_uscc = ?`, string(f.HolderUSCC))
	}
	if f.BodyApprovalNo != "" {
		w.add(`c.body_approval_no = ?`, f.BodyApprovalNo)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		// Both terms can use an index (the primary key's number range, the
		// holder index for the matching organisations), so that the search
		// does not scan every certificate. Numbers are matched as given and
		// upper-cased, as stored; a query with Chinese in it is a name.
		name := `c.holder_uscc IN (SELECT uscc FROM orgs WHERE name ` + db.dialect.ilike + ` ? ESCAPE '\')`
		if isASCII(q) {
			var cond []string
			var args []any
			for _, p := range slices.Compact([]string{q, strings.ToUpper(q)}) {
				if db.dialect == sqlite {
					// A range on the primary key: SQLite's LIKE ignores case
					// and so cannot use the index.
					cond = append(cond, `(c.number >= ? AND c.number < ?)`)
					args = append(args, p, p+"\U0010FFFF")
				} else {
					cond = append(cond, `c.number LIKE ? ESCAPE '\'`)
					args = append(args, likeEscape(p)+"%")
				}
			}
			w.add(`(`+strings.Join(cond, " OR ")+` OR `+name+`)`, append(args, "%"+likeEscape(q)+"%")...)
		} else {
			w.add(name, "%"+likeEscape(q)+"%")
		}
	}
	if f.Type != "" {
		w.add(`c.type = ?`, string(f.Type))
	}
	if f.Status != "" {
		effectiveStatus(&w, f.Status, db.today())
	}
	if f.Region != "" {
		w.add(`o.region_code LIKE ?`, likeEscape(trustmark.RegionPrefix(f.Region))+"%")
	}
	if !f.ChangedSince.IsZero() {
		w.add(`c.status_since >= ?`, f.ChangedSince.String())
	}
	n := limit(f.Limit)
	return listPage(ctx, db, "certificates", certSelect+w.String()+fmt.Sprintf(` ORDER BY c.number, c.type LIMIT %d`, n+1), w.args, n,
		func(s interface{ Scan(...any) error }) (*trustmark.Certificate, error) { return scanCert(s, true) },
		func(it *trustmark.Certificate) []string { return []string{it.Number, string(it.Type)} })
}

// IssueCertificate implements trustmark.Store: it loads what
// trustmark.DecideIssue needs and stores what it decides.
func (db *DB) IssueCertificate(ctx context.Context, actor trustmark.Party, req trustmark.IssueRequest) (*trustmark.Certificate, error) {
	var issued *trustmark.Certificate
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		existing, err := tx.certificateByKey(ctx, string(req.Number), req.Type)
		if err != nil && !trustmark.IsNotFound(err) {
			return err
		}
		body, err := getBody(ctx, tx.tx, db.dialect, req.Issuer(actor))
		if err != nil && !trustmark.IsNotFound(err) {
			return err
		}
		if err := tx.withBodyRefusal(ctx, body); err != nil {
			return err
		}
		holderKnown, err := tx.orgExists(ctx, req.HolderUSCC)
		if err != nil {
			return err
		}
		c, ev, err := trustmark.DecideIssue(existing, body, holderKnown, req, db.policy, tx.today, actor)
		if err != nil {
			return err
		}
		if err := tx.writeCerts(ctx, []*trustmark.Certificate{c}); err != nil {
			return err
		}
		ev.Data = certJSON(c)
		tx.Record(ev)
		if err := tx.touchSubmission(ctx, "bodies", "approval_no", []string{body.ApprovalNo}); err != nil {
			return err
		}
		issued, err = tx.certificateByKey(ctx, c.Number, c.Type)
		return err
	})
	if err != nil {
		return nil, err
	}
	return issued, nil
}

// orgExists reports whether the organisation uscc is registered.
func (tx *Tx) orgExists(ctx context.Context, uscc trustmark.USCC) (bool, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM orgs WHERE uscc = ?`, string(uscc)).Scan(&n); err != nil {
		return false, internal("read holder", err)
	}
	return n > 0, nil
}

// TransitionCertificate implements trustmark.Store: it loads what
// trustmark.DecideTransition needs and stores what it decides.
func (db *DB) TransitionCertificate(ctx context.Context, actor trustmark.Party, number string, t trustmark.Transition) (*trustmark.Certificate, error) {
	var out *trustmark.Certificate
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		old, err := getCertificate(ctx, tx.tx, db.dialect, number)
		if err != nil {
			return err
		}
		body, err := getBody(ctx, tx.tx, db.dialect, old.BodyApprovalNo)
		if err != nil {
			return err
		}
		next, ev, err := trustmark.DecideTransition(old, body, t, tx.today, actor)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE certificates SET status = ?, status_since = ?, updated_at = ? WHERE number = ? AND type = ?`,
			string(next.Status), dateString(next.StatusSince), micros(tx.now), next.Number, string(next.Type)); err != nil {
			return internal("update certificate", err)
		}
		ev.Data = certJSON(next)
		tx.Record(ev)
		if actor.Kind == trustmark.PartyBody {
			if err := tx.touchSubmission(ctx, "bodies", "approval_no", []string{body.ApprovalNo}); err != nil {
				return err
			}
		}
		out, err = tx.certificateByKey(ctx, next.Number, next.Type)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ExpireCertificates implements trustmark.Store: the certificates
// trustmark.DecideExpiry finds due are stored expired, with their events. A
// limit of 0 or less means 10,000, to keep transactions short.
//
// The candidates are found by a read outside the write transaction: with no
// index on expiry dates (one would slow every import of valid
// certificates), the search reads the whole table, and writers must not
// wait for it. The transaction then re-reads each candidate by its key and
// decides again, so a certificate renewed or revoked in between is left
// alone.
func (db *DB) ExpireCertificates(ctx context.Context, today trustmark.Date, limit int) (int, error) {
	if limit <= 0 {
		limit = 10000
	}
	type key struct{ number, typ, expires string }
	var cand []key
	rows, err := db.query(ctx, `SELECT c.number, c.type, c.expires_on FROM certificates c WHERE `+lapsedSQL("c.")+`
		LIMIT `+fmt.Sprint(limit), cutoff(today))
	if err != nil {
		return 0, internal("find expired certificates", err)
	}
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.number, &k.typ, &k.expires); err != nil {
			rows.Close()
			return 0, internal("scan certificate", err)
		}
		cand = append(cand, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, internal("find expired certificates", err)
	}
	if len(cand) == 0 {
		return 0, nil
	}
	// Events in a deterministic order: by expiry date, then key.
	slices.SortFunc(cand, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.expires, b.expires), cmp.Compare(a.number, b.number), cmp.Compare(a.typ, b.typ))
	})
	var n int
	err = db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		numbers := make([]string, len(cand))
		for i, k := range cand {
			numbers[i] = k.number
		}
		now := map[key]*trustmark.Certificate{}
		err := tx.forChunks(ctx, `SELECT `+certCols+` FROM certificates c WHERE c.number IN (%s)`, slices.Compact(slices.Sorted(slices.Values(numbers))), func(rows *sql.Rows) error {
			c, err := scanCert(rows, false)
			if err == nil {
				now[key{c.Number, string(c.Type), c.ExpiresOn.String()}] = c
			}
			return err
		})
		if err != nil {
			return internal("read certificates", err)
		}
		var due []*trustmark.Certificate
		for _, k := range cand { // in the candidates' order: by expiry, then key
			c := now[k]
			if c == nil {
				continue
			}
			if next, ev := trustmark.DecideExpiry(c, today); next != nil {
				ev.Data = certJSON(next)
				tx.Record(ev)
				due = append(due, next)
			}
		}
		n = len(due)
		return tx.writeCerts(ctx, due)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// certificateByKey reads one certificate, with names, in the transaction.
func (tx *Tx) certificateByKey(ctx context.Context, number string, t trustmark.CertType) (*trustmark.Certificate, error) {
	c, err := scanCert(tx.QueryRow(ctx, certSelect+` WHERE c.number = ? AND c.type = ?`, number, string(t)), true)
	if err == sql.ErrNoRows {
		return nil, notFound("number", "no %s certificate with number %s", t, number)
	}
	if err != nil {
		return nil, internal("read certificate", err)
	}
	return c, nil
}

var certWriteCols = []string{"number", "type", "body_approval_no", "holder_uscc", "scope", "standard", "product", "ccc_category",
	"issued_on", "expires_on", "status", "status_since", "updated_at"}

// certRow returns the column values of a certificate.
func (tx *Tx) certRow(c *trustmark.Certificate) []any {
	return tx.appendCertArgs(make([]any, 0, len(certWriteCols)), c)
}

// appendCertArgs appends the column values of a certificate.
func (tx *Tx) appendCertArgs(args []any, c *trustmark.Certificate) []any {
	return append(args, c.Number, string(c.Type), c.BodyApprovalNo, string(c.HolderUSCC), c.Scope, c.Standard, c.Product, c.CCCCategory,
		dateString(c.IssuedOn), dateString(c.ExpiresOn), string(c.Status), dateString(c.StatusSince), micros(tx.now))
}

// writeCerts upserts certificates.
func (tx *Tx) writeCerts(ctx context.Context, cs []*trustmark.Certificate) error {
	return tx.upsert(ctx, "certificates", certWriteCols, 2, rowsOf(cs, tx.certRow))
}
