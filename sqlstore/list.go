package sqlstore

import (
	"context"
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
