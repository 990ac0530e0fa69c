package sqlstore

import (
	"context"

	"trustmark/credit"
)

// ExpireListings runs the listing expiry job on day s.On: it removes from
// the serious-violation list, in one transaction, up to limit listings
// whose period ended before that day, as credit.Rules.ExpireDue decides,
// and records each step in the public log. It returns how many it removed;
// fewer than limit means none is left. The public list stops showing a
// listing the day after its last day whether or not the job has run
// (SeriousViolations compares the dates), so the job only records it.
func (db *DB) ExpireListings(ctx context.Context, rules *credit.Rules, s credit.Step, limit int) (int, error) {
	n := 0
	err := db.Transact(ctx, func(tx *Tx) error {
		n = 0
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id FROM credit_listings WHERE state = ? AND until_on <> '' AND until_on < ? ORDER BY id LIMIT ?`,
			string(credit.Listed), s.On.String(), limit)
		if err != nil {
			return internal("due listings", err)
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return internal("due listings", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return internal("due listings", err)
		}
		due := make([]credit.Listing, 0, len(ids))
		versions := map[string]int64{}
		for _, id := range ids {
			l, v, err := tx.listing(ctx, id)
			if err != nil {
				return err
			}
			due, versions[id] = append(due, l), v
		}
		next, evs := rules.ExpireDue(due, s)
		for i, l := range next {
			if err := tx.saveListing(ctx, l, versions[l.ID]); err != nil {
				return err
			}
			if err := tx.saveStep(ctx, l, evs[i], versions[l.ID]+1); err != nil {
				return err
			}
		}
		n = len(next)
		return nil
	})
	return n, err
}
