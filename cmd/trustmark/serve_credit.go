package main

import (
	"context"

	"trustmark"
	"trustmark/credit"
	"trustmark/risk"
	"trustmark/sqlstore"
)

// expireListings is the listing expiry job, run with the certificates'
// expiry job: it records the removal of every listing whose period ended
// before today (credit.Rules.ExpireDue), in batches; then it looks for the
// risk patterns across subjects (sqlstore.RiskPatterns).
func (m *Main) expireListings(ctx context.Context, today trustmark.Date) {
	const batch = 500
	total := 0
	for ctx.Err() == nil {
		n, err := m.Store.ExpireListings(ctx, credit.DefaultRules(), credit.Step{On: today, At: m.Clock().UTC(), Actor: "system:expiry"}, batch)
		if err != nil {
			if ctx.Err() == nil {
				m.Logger.Error("listing expiry job failed", "err", err)
			}
			return
		}
		total += n
		if n < batch {
			break
		}
	}
	if total > 0 {
		m.Logger.Info("expiry job removed listings whose period ended", "listings", total, "today", today.String())
	}
	// Scores decay: those that may have changed since computed are computed
	// again, in large chunks.
	var after credit.Subject
	for ctx.Err() == nil {
		n, last, err := m.Store.RescoreRisk(ctx, today, after, sqlstore.RescoreChunk)
		after = last
		if err != nil {
			if ctx.Err() == nil {
				m.Logger.Error("risk rescoring failed", "err", err)
			}
			break
		}
		if n < sqlstore.RescoreChunk {
			break
		}
	}
	// The warnings across subjects (a cluster of anomalies in a region, a
	// body whose suspensions jump), once a day each.
	if n, err := m.Store.RiskPatterns(ctx, today, risk.DefaultPatterns); err != nil {
		if ctx.Err() == nil {
			m.Logger.Error("risk pattern analysis failed", "err", err)
		}
	} else if n > 0 {
		m.Logger.Info("risk pattern analysis raised warnings", "warnings", n, "today", today.String())
	}
}
