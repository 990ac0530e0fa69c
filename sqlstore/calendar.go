package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"trustmark"
	"trustmark/calendar"
)

// LoadNotices implements calendar.Store: each notice is decided on
// (calendar.DecideLoad, against the notices the product ships), kept, and
// recorded in the public log, all in one transaction, so either every
// year of a file is loaded or none is.
func (db *DB) LoadNotices(ctx context.Context, actor trustmark.Party, ns []*calendar.Notice) error {
	shipped := calendar.Official()
	for _, n := range ns {
		if err := calendar.DecideLoad(shipped, n); err != nil {
			return err
		}
	}
	return db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		for _, n := range ns {
			var had int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM calendar_notices WHERE year = ?`, n.Year).Scan(&had); err != nil {
				return internal("read calendar notice", err)
			}
			doc := calendar.EncodeNotice(n)
			if _, err := tx.Exec(ctx, `INSERT INTO calendar_notices (year, title, notice, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (year) DO UPDATE SET title = excluded.title, notice = excluded.notice, loaded_by = excluded.loaded_by, loaded_at = excluded.loaded_at`,
				n.Year, n.Title, string(doc), actor.String(), micros(tx.now)); err != nil {
				return internal("store calendar notice", err)
			}
			action := trustmark.ActionCreated
			if had > 0 {
				action = trustmark.ActionUpdated
			}
			tx.Record(trustmark.Event{Actor: actor.String(), Entity: calendar.EntityNotice, Key: strconv.Itoa(n.Year), Action: action, Data: doc})
		}
		return nil
	})
}

// LoadedNotices implements calendar.Store.
func (db *DB) LoadedNotices(ctx context.Context) ([]calendar.Loaded, error) {
	rows, err := db.query(ctx, `SELECT year, notice, loaded_by, loaded_at FROM calendar_notices ORDER BY year`)
	if err != nil {
		return nil, internal("read calendar notices", err)
	}
	defer rows.Close()
	var out []calendar.Loaded
	for rows.Next() {
		var (
			year    int
			doc, by string
			at      int64
		)
		if err := rows.Scan(&year, &doc, &by, &at); err != nil {
			return nil, internal("read calendar notice", err)
		}
		ns, err := calendar.ParseNotices(strings.NewReader(doc))
		if err == nil && (len(ns) != 1 || ns[0].Year != year) {
			err = fmt.Errorf("the row of %d holds another year", year)
		}
		if err != nil {
			return nil, internal("read calendar notice "+strconv.Itoa(year), err)
		}
		out = append(out, calendar.Loaded{Notice: ns[0], By: by, At: fromMicros(at)})
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read calendar notices", err)
	}
	return out, nil
}
