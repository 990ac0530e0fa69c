package sqlstore

import (
	"context"

	"trustmark"
	"trustmark/risk"
)

// RescoreRisk scores again, as of day on, up to limit stored scores last
// computed before that day, in one transaction, and returns how many it
// scored; fewer than limit means none is left. Signals decay with time,
// and a new version of the rule set may take effect on a later day, so a
// class must move without a new event: serve runs it once a day with the
// expiry job. The score's history and warnings follow as for the risk
// follower (a class that rises opens a risk_warning matter); the event
// the score follows (seq) stays the same.
func (db *DB) RescoreRisk(ctx context.Context, on trustmark.Date, limit int) (int, error) {
	n := 0
	err := db.Transact(ctx, func(tx *Tx) error {
		n = 0
		rules, err := tx.riskRules(ctx)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT region, seq, data FROM risk_scores WHERE on_day < ? ORDER BY subject_kind, subject_id LIMIT ?`, on.String(), limit)
		if err != nil {
			return internal("risk: due scores", err)
		}
		var due []risk.Record
		for rows.Next() {
			r, err := scanRecord(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return internal("risk: due scores", err)
		}
		for _, r := range due {
			if err := tx.rescoreAsOf(ctx, rules, r, on); err != nil {
				return err
			}
		}
		n = len(due)
		return nil
	})
	return n, err
}

func (tx *Tx) rescoreAsOf(ctx context.Context, rules *risk.Rules, r risk.Record, on trustmark.Date) error {
	s := r.Score.Subject
	signals, err := tx.subjectSignals(ctx, s)
	if err != nil {
		return err
	}
	next := rules.ScoreOn(s, signals, on)
	if _, err := tx.Exec(ctx, `UPDATE risk_scores SET class = ?, total = ?, version = ?, on_day = ?, data = ? WHERE subject_kind = ? AND subject_id = ?`,
		string(next.Class), next.Total, next.Version, next.On.String(), string(mustJSON(next)), string(s.Kind), s.ID); err != nil {
		return internal("risk: store score", err)
	}
	for _, w := range risk.ClassUp(r.Score, next, r.Region) {
		if err := tx.raiseWarning(ctx, w); err != nil {
			return err
		}
	}
	return nil
}
