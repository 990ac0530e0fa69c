package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

const sweepUsage = `usage: trustmark sweep [--db DSN]

Runs the audit sweep once, as serve does every --expiry-interval: each
audit whose last day in China has passed without an opening or a closing
check-in, and each valid certificate whose surveillance audit is overdue,
becomes an anomaly, an event in the public log with its explanation matter
for the body. Running it again raises nothing already raised. Prints what
it judged and raised.

Flags:
`

// runSweep is the sweep command.
func runSweep(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("sweep", sweepUsage, stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return fs.fail("unexpected argument %q", fs.Arg(0))
	}
	store, err := openRegistry(ctx, *dsn, stderr)
	if err != nil {
		return fs.fail("%v", err)
	}
	defer store.Close()
	res, err := store.SweepAudits(ctx)
	if err != nil {
		return fs.fail("%s", cliMessage(err))
	}
	fmt.Fprintf(stdout, "judged %d audits past their last day and %d audited certificates; raised %d anomalies\n",
		res.Audits, res.Certificates, res.Raised)
	return 0
}

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
