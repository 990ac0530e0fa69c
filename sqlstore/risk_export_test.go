package sqlstore

import (
	"context"

	"trustmark/credit"
	"trustmark/risk"
)

// ForgetRiskScores deletes the risk follower's scores, their history and
// signals and sets its cursor back to the start, as an operator rebuilding
// them from the log would: the follower then derives them again from the
// events.
func (db *DB) ForgetRiskScores(ctx context.Context) error {
	err := db.Transact(ctx, func(tx *Tx) error {
		for _, q := range []string{`DELETE FROM risk_scores`, `DELETE FROM risk_score_history`, `DELETE FROM risk_signals`} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return db.SetCursor(ctx, RiskCursor, -1)
}

// RiskSignals returns the stored signals of s.
func (db *DB) RiskSignals(ctx context.Context, s credit.Subject) ([]risk.Signal, error) {
	var out []risk.Signal
	err := db.Transact(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.subjectSignals(ctx, s)
		return err
	})
	return out, err
}
