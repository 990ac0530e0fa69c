package sqlstore

import (
	"context"
	"encoding/json"

	"trustmark"
	"trustmark/credit"
	"trustmark/risk"
)

// RescoreRisk scores again, as of day on, up to limit stored scores last
// computed before that day that come after subject after in key order (the
// zero Subject to start), in one transaction, and returns how many it
// scored and the last one, the cursor of the next call; fewer than limit
// means none is left. Signals decay with time,
// and a new version of the rule set may take effect on a later day, so a
// class must move without a new event: serve runs it once a day with the
// expiry job. The score's history and warnings follow as for the risk
// follower (a class that rises opens a risk_warning matter); the event
// the score follows (seq) stays the same.
func (db *DB) RescoreRisk(ctx context.Context, on trustmark.Date, after credit.Subject, limit int) (int, credit.Subject, error) {
	n, last := 0, after
	err := db.Transact(ctx, func(tx *Tx) error {
		n = 0
		rules, err := tx.riskRules(ctx)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT region, seq, data FROM risk_scores WHERE `+afterSQL+` AND on_day < ? ORDER BY subject_kind, subject_id LIMIT ?`,
			string(after.Kind), string(after.Kind), after.ID, on.String(), limit)
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
		signals, err := tx.chunkSignals(ctx, on, after, limit)
		if err != nil {
			return err
		}
		upd, err := tx.stmt(ctx, `UPDATE risk_scores SET class = ?, total = ?, version = ?, on_day = ?, data = ? WHERE subject_kind = ? AND subject_id = ?`)
		if err != nil {
			return internal("risk: prepare", err)
		}
		for _, r := range due {
			s := r.Score.Subject
			next := rules.ScoreOn(s, signals[s], on)
			if _, err := upd.ExecContext(ctx, string(next.Class), next.Total, next.Version, next.On.String(), string(mustJSON(next)), string(s.Kind), s.ID); err != nil {
				return internal("risk: store score", err)
			}
			for _, w := range risk.ClassUp(r.Score, next, r.Region) {
				if err := tx.raiseWarning(ctx, w); err != nil {
					return err
				}
			}
		}
		n = len(due)
		if n > 0 {
			last = due[n-1].Score.Subject
		}
		return nil
	})
	return n, last, err
}

// afterSQL selects the scores after a subject in key order (the cursor of
// RescoreRisk), so that a day's run reads each row once.
const afterSQL = `(subject_kind > ? OR (subject_kind = ? AND subject_id > ?))`

// chunkSignals reads, in one query, the signals of the subjects the
// RescoreRisk chunk of (on, limit) selects.
func (tx *Tx) chunkSignals(ctx context.Context, on trustmark.Date, after credit.Subject, limit int) (map[credit.Subject][]risk.Signal, error) {
	rows, err := tx.Query(ctx, `SELECT g.data FROM (SELECT subject_kind, subject_id FROM risk_scores WHERE `+afterSQL+` AND on_day < ? ORDER BY subject_kind, subject_id LIMIT ?) d
		JOIN risk_signals g ON g.subject_kind = d.subject_kind AND g.subject_id = d.subject_id ORDER BY g.id`,
		string(after.Kind), string(after.Kind), after.ID, on.String(), limit)
	if err != nil {
		return nil, internal("risk: chunk signals", err)
	}
	defer rows.Close()
	out := map[credit.Subject][]risk.Signal{}
	for rows.Next() {
		var data string
		var sig risk.Signal
		if err := rows.Scan(&data); err != nil {
			return nil, internal("risk: chunk signals", err)
		}
		if err := json.Unmarshal([]byte(data), &sig); err != nil {
			return nil, internal("risk: decode signal", err)
		}
		out[sig.Subject] = append(out[sig.Subject], sig)
	}
	return out, internal("risk: chunk signals", rows.Err())
}
