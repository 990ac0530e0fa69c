package main

import (
	"context"
	"time"
)

// sweepJob runs the audit sweep (sqlstore.DB.SweepAudits) now and then
// every ExpiryInterval: missing check-ins of audits whose last day has
// passed and overdue surveillance audits become anomalies, each an event
// in the public log with its matter for the body. A sweep repeated on the
// same facts raises nothing new, so a restart or a second server is safe.
func (m *Main) sweepJob(ctx context.Context) {
	t := time.NewTicker(m.Config.ExpiryInterval)
	defer t.Stop()
	for {
		m.sweepOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (m *Main) sweepOnce(ctx context.Context) {
	res, err := m.Store.SweepAudits(ctx)
	if err != nil {
		if ctx.Err() == nil {
			m.Logger.Error("audit sweep failed", "err", err)
		}
		return
	}
	if res.Raised > 0 {
		m.Logger.Info("audit sweep", "audits", res.Audits, "certificates", res.Certificates, "anomalies", res.Raised)
	}
}
