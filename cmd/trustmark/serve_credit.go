package main

import (
	"context"

	"trustmark"
	"trustmark/credit"
)

// expireListings is the listing expiry job, run with the certificates'
// expiry job: it records the removal of every listing whose period ended
// before today (credit.Rules.ExpireDue), in batches.
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
}
