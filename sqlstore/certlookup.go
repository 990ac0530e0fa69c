package sqlstore

import (
	"context"
	"database/sql"

	"trustmark"
)

// Certificate lookups. Every write stores a certificate number in its
// canonical form (trustmark.ParseCertNumber: folded and upper-cased), so a
// lookup canonicalises the number it is given and probes once.

// Certificate implements trustmark.Store.
func (db *DB) Certificate(ctx context.Context, number string) (*trustmark.Certificate, error) {
	return getCertificate(ctx, db.r, db.dialect, number)
}

// getCertificate reads the certificate with number, of the first type in
// CertTypes order when types share it.
func getCertificate(ctx context.Context, q querier, d dialect, number string) (*trustmark.Certificate, error) {
	n, err := trustmark.ParseCertNumber(number)
	if err != nil {
		// No certificate has a number that breaks the rule every number meets.
		return nil, notFound("number", "no certificate with number %q", number)
	}
	rows, err := q.QueryContext(ctx, d.rebind(certSelect+` WHERE c.number = ?`), string(n))
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
	for _, t := range trustmark.CertTypes {
		for _, c := range found {
			if c.Type == t {
				return c, nil
			}
		}
	}
	return nil, notFound("number", "no certificate with number %s", n)
}

// CertificateByKey implements trustmark.Store.
func (db *DB) CertificateByKey(ctx context.Context, k trustmark.CertKey) (*trustmark.Certificate, error) {
	n, err := trustmark.ParseCertNumber(string(k.Number))
	if err != nil {
		return nil, notFound("number", "no %s certificate with number %q", k.Type, k.Number)
	}
	c, err := scanCert(db.queryRow(ctx, certSelect+` WHERE c.number = ? AND c.type = ?`, string(n), string(k.Type)), true)
	if err == sql.ErrNoRows {
		return nil, notFound("number", "no %s certificate with number %s", k.Type, n)
	}
	if err != nil {
		return nil, internal("read certificate", err)
	}
	return c, nil
}
