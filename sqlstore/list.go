package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"strings"

	"trustmark"
)

// Listings are ordered by natural key; a cursor is the key of the last item
// of the previous page, encoded so that clients treat it as opaque.

func encodeCursor(key ...string) string {
	b, _ := json.Marshal(key)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c string, n int) ([]string, error) {
	if c == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	var key []string
	if err == nil {
		err = json.Unmarshal(b, &key)
	}
	if err != nil || len(key) != n {
		return nil, trustmark.Errorf(trustmark.EInvalid, "cursor", "cursor %q is not one this server gave out", c)
	}
	return key, nil
}

// limit returns the page size for a requested limit: default 50, at most 1000.
func limit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 1000:
		return 1000
	}
	return n
}

// likeEscape escapes s for a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// where accumulates the conditions of a listing.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// listPage runs a listing query that asks for n+1 rows and returns a page of
// at most n items, with the cursor of the last one when more follow.
func listPage[T any](ctx context.Context, db *DB, what, query string, args []any, n int,
	scan func(interface{ Scan(...any) error }) (*T, error), cursor func(*T) []string) (trustmark.Page[T], error) {
	var page trustmark.Page[T]
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return page, internal("list "+what, err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scan(rows)
		if err != nil {
			return page, internal("scan "+what, err)
		}
		page.Items = append(page.Items, it)
	}
	if err := rows.Err(); err != nil {
		return page, internal("list "+what, err)
	}
	if len(page.Items) > n {
		page.Items = page.Items[:n]
		page.NextCursor = encodeCursor(cursor(page.Items[n-1])...)
	}
	return page, nil
}

// StatusReasons returns, by Certificate.Key, the reason of the latest
// status_changed event that took each of certs to its stored status: why
// the body suspended or revoked it, as the event says (the disclosure
// list). A certificate with no such event, or whose event gives no reason,
// is absent. One query per 1,000 certificates, on the events' (entity,
// key) index.
func (db *DB) StatusReasons(ctx context.Context, certs []*trustmark.Certificate) (map[string]string, error) {
	status := make(map[string]string, len(certs))
	keys := make([]any, 0, len(certs))
	for _, c := range certs {
		k := c.Key()
		if _, dup := status[k]; !dup {
			keys = append(keys, k)
		}
		status[k] = string(c.Status)
	}
	out := make(map[string]string, len(certs))
	err := db.queryIn(ctx, "read status reasons",
		`SELECT e.key, e.to_status, e.reason FROM events e WHERE e.entity = ? AND e.action = ? AND e.key IN (%s) ORDER BY e.seq`,
		1, keys, []any{trustmark.EntityCertificate, trustmark.ActionStatusChanged},
		func(rows *sql.Rows) error {
			var key, to, reason string
			if err := rows.Scan(&key, &to, &reason); err != nil {
				return err
			}
			if to == status[key] {
				out[key] = reason // later events overwrite earlier ones
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	for k, r := range out {
		if r == "" {
			delete(out, k)
		}
	}
	return out, nil
}
