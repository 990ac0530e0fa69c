package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"trustmark"
	"trustmark/credit"
	"trustmark/risk"
)

// RiskPatterns looks for the patterns across subjects that the risk
// package warns of, as they stand on day on, and raises each warning found
// (a risk_warning matter for the regulators of its region, an event in the
// public log) once: a cluster of audit anomalies in one region over the
// last p.ClusterWindowDays (risk.AnomalyClusters), and a body whose share
// of certificates suspended or revoked jumps above that of the bodies
// issuing the same type of certificate (risk.SuspensionJumps). serve runs
// it with the expiry job; running it again the same day raises nothing
// new. It returns how many warnings it raised.
func (db *DB) RiskPatterns(ctx context.Context, on trustmark.Date, p risk.Patterns) (int, error) {
	signals, err := db.anomalySignals(ctx, on.AddDate(0, 0, 1-p.ClusterWindowDays))
	if err != nil {
		return 0, err
	}
	rates, err := db.bodyRates(ctx)
	if err != nil {
		return 0, err
	}
	ws := append(risk.AnomalyClusters(signals, on, p), risk.SuspensionJumps(rates, on, p)...)
	n := 0
	err = db.Transact(ctx, func(tx *Tx) error {
		n = 0
		for _, w := range ws {
			var exists int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM risk_warnings WHERE key = ?`, w.Key()).Scan(&exists); err != nil {
				return internal("risk: read warning", err)
			}
			if exists > 0 {
				continue
			}
			if err := tx.raiseWarning(ctx, w); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// anomalySignals returns the audit anomaly signals dated from day from.
func (db *DB) anomalySignals(ctx context.Context, from trustmark.Date) ([]risk.Signal, error) {
	rows, err := db.query(ctx, `SELECT data FROM risk_signals WHERE kind IN ('anomaly', 'anomaly_escalated') AND on_day >= ?`, from.String())
	if err != nil {
		return nil, internal("risk: anomaly signals", err)
	}
	defer rows.Close()
	var out []risk.Signal
	for rows.Next() {
		var data string
		var s risk.Signal
		if err := rows.Scan(&data); err != nil {
			return nil, internal("risk: anomaly signals", err)
		}
		if err := json.Unmarshal([]byte(data), &s); err != nil {
			return nil, internal("risk: decode signal", err)
		}
		out = append(out, s)
	}
	return out, internal("risk: anomaly signals", rows.Err())
}

// bodyRates returns each body's share of certificates suspended or revoked
// per type of certificate, its peers being the bodies issuing that type.
func (db *DB) bodyRates(ctx context.Context) ([]risk.BodyRate, error) {
	rows, err := db.query(ctx, `SELECT c.body_approval_no, b.region_code, c.type, COUNT(*),
		COALESCE(SUM(CASE WHEN c.status IN ('suspended', 'revoked') THEN 1 ELSE 0 END), 0)
		FROM certificates c JOIN bodies b ON b.approval_no = c.body_approval_no
		GROUP BY c.body_approval_no, b.region_code, c.type`)
	if err != nil {
		return nil, internal("risk: body rates", err)
	}
	defer rows.Close()
	var out []risk.BodyRate
	for rows.Next() {
		var body, region, typ string
		var all, bad int64
		if err := rows.Scan(&body, &region, &typ, &all, &bad); err != nil {
			return nil, internal("risk: body rates", err)
		}
		out = append(out, risk.BodyRate{Body: credit.Subject{Kind: credit.Body, ID: body}, Region: region, Peers: typ, Share: float64(bad) / float64(all)})
	}
	return out, internal("risk: body rates", rows.Err())
}

// EntityRiskRules is the entity of a new version of the risk rule set in
// the public log; Key is its version number.
const EntityRiskRules = "risk_rules"

// RiskRules returns every version of the risk rule set (risk.RulesOf).
func (db *DB) RiskRules(ctx context.Context) (*risk.Rules, error) {
	var out *risk.Rules
	err := db.Transact(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.riskRules(ctx)
		return err
	})
	return out, err
}

// EditRiskRules adds next as a new version of the rule set, as
// risk.Rules.Edit decides (a reason, no effect in the past), keeps every
// version, and records the new one in the public log. The first edit also
// stores the shipped version 1 it follows. Scores already stored keep the
// version they were computed under; the risk follower scores later events
// under the version in force on their day.
func (db *DB) EditRiskRules(ctx context.Context, next risk.RuleSet, by string) (risk.RuleSet, error) {
	var out risk.RuleSet
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		rules, err := tx.riskRules(ctx)
		if err != nil {
			return err
		}
		edited, err := rules.Edit(next, by, tx.Now())
		if err != nil {
			return err
		}
		vs := edited.Versions()
		var stored int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM risk_rules`).Scan(&stored); err != nil {
			return internal("risk: count rules", err)
		}
		for _, v := range vs[stored:] {
			if _, err := tx.Exec(ctx, `INSERT INTO risk_rules (version, data) VALUES (?, ?)`, v.Version, string(mustJSON(v))); err != nil {
				return internal("risk: store rules", err)
			}
		}
		out = vs[len(vs)-1]
		tx.Record(trustmark.Event{Actor: by, Entity: EntityRiskRules, Key: fmt.Sprint(out.Version), Action: "edited",
			Reason: out.Reason, EffectiveOn: out.EffectiveFrom, Data: mustJSON(out)})
		return nil
	})
	return out, err
}
