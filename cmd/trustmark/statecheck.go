package main

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"trustmark/stateaudit"
)

// startStateCheck runs the state audit in the background of the server
// (stateaudit.Checker) at Config.StateCheckRate records and rows a second,
// and marks the server degraded while it knows of a difference between the
// stored state and the state the events imply: /healthz answers 503 naming
// the first, the gauge trustmark_state_differences counts them, and each is
// logged once when found. It must run before the server serves requests
// (AddHealthCheck).
func (m *Main) startStateCheck(ctx context.Context) {
	if m.Config.StateCheckRate <= 0 {
		m.Logger.Warn("state check off (--state-check-rate 0): rows changed behind the application's back are found only by trustmark audit")
		return
	}
	c := stateaudit.NewChecker(m.Store, stateaudit.CheckerConfig{Rate: m.Config.StateCheckRate, Logger: m.Logger})
	m.HTTPServer.Registry().MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "trustmark_state_differences",
			Help: "Differences the background state check knows of between the stored registry and the state its events imply (0 when they agree); see trustmark audit.",
		}, func() float64 { return float64(len(c.Differences())) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "trustmark_state_checked_total",
			Help: "Records and rows the background state check has read.",
		}, func() float64 { return float64(c.Checked()) }),
	)
	m.HTTPServer.AddHealthCheck(func(context.Context) error { return c.Health() })
	m.start(ctx, "state check", c.Run)
}
