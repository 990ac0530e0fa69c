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

// certSelect reads certificates with their holder's and body's names.
const certSelect = `SELECT ` + certCols + `, COALESCE(o.name, ''), COALESCE(b.name, '')
	FROM certificates c
	LEFT JOIN orgs o ON o.uscc = c.holder_uscc
	LEFT JOIN bodies b ON b.approval_no = c.body_approval_no`

func scanCert(s interface{ Scan(...any) error }, names bool) (*trustmark.Certificate, error) {
	var (
		c                                       trustmark.Certificate
		typ, holder, issued, expires, st, since string
		upd                                     int64
	)
	dest := []any{&c.Number, &typ, &c.BodyApprovalNo, &holder, &c.Scope, &c.Standard, &c.Product, &c.CCCCategory,
		&issued, &expires, &st, &since, &upd}
	if names {
		dest = append(dest, &c.HolderName, &c.BodyName)
	}
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	c.Type, c.HolderUSCC, c.Status = trustmark.CertType(typ), trustmark.USCC(holder), trustmark.CertStatus(st)
	var err error
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

// Certificate implements trustmark.Store. Numbers are matched as given and
// upper-cased, as the import stores them.
func (db *DB) Certificate(ctx context.Context, number string) (*trustmark.Certificate, error) {
	return getCertificate(ctx, db.r, db.dialect, number)
}

func getCertificate(ctx context.Context, q querier, d dialect, number string) (*trustmark.Certificate, error) {
	number = strings.TrimSpace(number)
	rows, err := q.QueryContext(ctx, d.rebind(certSelect+` WHERE c.number IN (?, ?)`), number, strings.ToUpper(number))
	if err != nil {
		return nil, internal("read certificate", err)
	}
	defer rows.Close()
	var found []*trustmark.Certificate
	for rows.Next() {
		c, err := scanCert(rows, true)
		if err != nil {
			return nil, internal("scan certificate", err)
		}
		found = append(found, c)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read certificate", err)
	}
	for _, exact := range []bool{true, false} {
		for _, t := range trustmark.CertTypes {
			for _, c := range found {
				if c.Type == t && (!exact || c.Number == number) {
					return c, nil
				}
			}
		}
	}
	return nil, notFound("number", "no certificate with number %s", number)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// effectiveStatus adds the condition "effective status is st on today".
func effectiveStatus(w *where, st trustmark.CertStatus, today string) {
	switch st {
	case trustmark.StatusExpired:
		w.add(`(c.status = 'expired' OR (c.status IN ('valid', 'suspended') AND c.expires_on <> '' AND c.expires_on <= ?))`, today)
	case trustmark.StatusValid:
		w.add(`c.status = 'valid' AND (c.expires_on = '' OR c.expires_on > ?)`, today)
	case trustmark.StatusSuspended:
		// status <> 'valid' lets the planner use the partial index
		// certificates_not_valid (migration 004).
		w.add(`c.status = 'suspended' AND c.status <> 'valid' AND (c.expires_on = '' OR c.expires_on > ?)`, today)
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
		effectiveStatus(&w, f.Status, db.today().String())
	}
	if f.Region != "" {
		w.add(`o.region_code LIKE ?`, likeEscape(regionPrefix(f.Region))+"%")
	}
	if !f.ChangedSince.IsZero() {
		w.add(`c.status_since >= ?`, f.ChangedSince.String())
	}
	n := limit(f.Limit)
	return listPage(ctx, db, "certificates", certSelect+w.String()+fmt.Sprintf(` ORDER BY c.number, c.type LIMIT %d`, n+1), w.args, n,
		func(s interface{ Scan(...any) error }) (*trustmark.Certificate, error) { return scanCert(s, true) },
		func(it *trustmark.Certificate) []string { return []string{it.Number, string(it.Type)} })
}

// IssueCertificate implements trustmark.Store.
func (db *DB) IssueCertificate(ctx context.Context, actor trustmark.Party, in *trustmark.Certificate) (*trustmark.Certificate, error) {
	var issued *trustmark.Certificate
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		c := *in
		c.HolderName, c.BodyName, c.UpdatedAt = "", "", tx.now
		switch c.Status {
		case "":
			c.Status = trustmark.StatusValid
		case trustmark.StatusValid:
		default:
			return trustmark.Errorf(trustmark.EInvalid, "status", "a new certificate is valid, not %s; change its status by a transition", c.Status)
		}
		body, err := getBody(ctx, tx.tx, db.dialect, c.BodyApprovalNo)
		if err != nil {
			if trustmark.IsNotFound(err) {
				return trustmark.Errorf(trustmark.ENotFound, "body_approval_no", "certification body %s is not in the registry", c.BodyApprovalNo)
			}
			return err
		}
		if err := actor.CanIssueCertificate(&c, body.RegionCode); err != nil {
			return err
		}
		if err := db.policy.CheckIssueOn(body, &c, tx.today); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM orgs WHERE uscc = ?`, string(c.HolderUSCC)).Scan(&n); err != nil {
			return internal("read holder", err)
		}
		if n == 0 {
			return trustmark.Errorf(trustmark.ENotFound, "holder_uscc", "holder %s is not in the registry; register the organisation first", c.HolderUSCC)
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM certificates WHERE number = ? AND type = ?`, c.Number, string(c.Type)).Scan(&n); err != nil {
			return internal("read certificate", err)
		}
		if n > 0 {
			return trustmark.Errorf(trustmark.EConflict, "number", "a %s certificate with number %s already exists", c.Type, c.Number)
		}
		c.StatusSince = c.IssuedOn
		if err := tx.writeCerts(ctx, []*trustmark.Certificate{&c}); err != nil {
			return err
		}
		tx.Record(trustmark.Event{Actor: actor.String(), Entity: trustmark.EntityCertificate, Key: c.Key(), Action: trustmark.ActionIssued,
			To: string(c.Status), EffectiveOn: c.StatusSince, Data: certJSON(&c)})
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

// TransitionCertificate implements trustmark.Store.
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
		if err := actor.CanWriteCertificate(old, body.RegionCode); err != nil {
			return err
		}
		from, _ := old.EffectiveStatus(tx.today)
		next, err := old.Apply(t, tx.today)
		if err != nil {
			return err
		}
		next.HolderName, next.BodyName, next.UpdatedAt = "", "", tx.now
		if _, err := tx.Exec(ctx, `UPDATE certificates SET status = ?, status_since = ?, updated_at = ? WHERE number = ? AND type = ?`,
			string(next.Status), next.StatusSince.String(), micros(tx.now), next.Number, string(next.Type)); err != nil {
			return internal("update certificate", err)
		}
		tx.Record(trustmark.Event{Actor: actor.String(), Entity: trustmark.EntityCertificate, Key: next.Key(), Action: trustmark.ActionStatusChanged,
			From: string(from), To: string(next.Status), Reason: t.Reason, EffectiveOn: next.StatusSince, Data: certJSON(&next)})
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

// ExpireCertificates implements trustmark.Store. A limit of 0 or less means
// 10,000, to keep transactions short.
//
// The due certificates are found by a read outside the write transaction:
// with no index on expiry dates (one would slow every import of valid
// certificates), the search reads the whole table, and writers must not
// wait for it. The transaction then re-reads each candidate by its key and
// expires those still due, so a certificate renewed or revoked in between
// is left alone.
func (db *DB) ExpireCertificates(ctx context.Context, today trustmark.Date, limit int) (int, error) {
	if limit <= 0 {
		limit = 10000
	}
	type key struct{ number, typ, expires string }
	var cand []key
	rows, err := db.query(ctx, `SELECT c.number, c.type, c.expires_on FROM certificates c
		WHERE c.status IN ('valid', 'suspended') AND c.expires_on <> '' AND c.expires_on <= ?
		LIMIT `+fmt.Sprint(limit), today.String())
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
		// Re-read the candidates in chunks, by number, and keep those still
		// due: a certificate renewed or revoked since the search is left alone.
		numbers := make([]string, len(cand))
		for i, k := range cand {
			numbers[i] = k.number
		}
		now := map[key]*trustmark.Certificate{}
		err := tx.forChunks(ctx, `SELECT `+certCols+` FROM certificates c WHERE c.number IN (%s)`, slices.Compact(slices.Sorted(slices.Values(numbers))), func(rows *sql.Rows) error {
			c, err := scanCert(rows, false)
			if err == nil && (c.Status == trustmark.StatusValid || c.Status == trustmark.StatusSuspended) && !c.ExpiresOn.IsZero() && !c.ExpiresOn.After(today) {
				now[key{c.Number, string(c.Type), c.ExpiresOn.String()}] = c
			}
			return err
		})
		if err != nil {
			return internal("read certificates", err)
		}
		var due []*trustmark.Certificate
		for _, k := range cand { // in the candidates' order: by expiry, then key
			if c := now[k]; c != nil {
				due = append(due, c)
			}
		}
		for _, c := range due {
			from := c.Status
			c.Status, c.StatusSince, c.UpdatedAt = trustmark.StatusExpired, c.ExpiresOn, tx.now
			tx.Record(trustmark.Event{Actor: trustmark.System.String(), Entity: trustmark.EntityCertificate, Key: c.Key(), Action: trustmark.ActionExpired,
				From: string(from), To: string(c.Status), EffectiveOn: c.StatusSince, Data: certJSON(c)})
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
