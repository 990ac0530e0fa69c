package main

import (
	"context"
	"io"
	"log/slog"
	"time"

	"trustmark/demo"
	"trustmark/sqlstore"
)

const demoUsage = `usage: trustmark demo [--db DSN] [--scale small|national] [--seed N]

Generates the realistic demo data set into the database: certification
bodies, laboratories, auditors, organisations, certificates of every type
and status, and test reports. The same seed gives the same data set.
small: about 60 bodies, 300 laboratories, 3,000 auditors, 30,000
organisations, 60,000 certificates, 200,000 reports (a few seconds).
national: about 1,100 bodies, 49,000 laboratories, 120,000 auditors, 940,000
organisations, 3.4 million certificates, and as many reports as fit in
--report-budget.

Flags:
`

// runDemo is the demo command.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("demo", demoUsage, stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	scale := fs.String("scale", demo.ScaleSmall, "size of the data set: small or national (tiny for quick checks)")
	seed := fs.Int64("seed", 1, "random seed; the same seed gives the same data set")
	budget := fs.Duration("report-budget", 20*time.Minute, "time allowed for loading test reports")
	force := fs.Bool("force", false, "generate even when the database already holds data (records are upserted)")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	fail := fs.fail
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if _, err := demo.ScaleSizes(*scale); err != nil {
		return fail("--scale %q is not small or national", *scale)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	store, err := sqlstore.Open(ctx, resolveDSN(*dsn), sqlstore.WithLogger(logger))
	if err != nil {
		return fail("cannot open the database: %v", err)
	}
	defer store.Close()
	opts := demo.Options{Scale: *scale, Seed: *seed, Progress: stderr, ReportBudget: *budget}
	var sum demo.Summary
	if *force {
		sum, err = demo.Generate(ctx, store, opts)
	} else {
		var filled bool
		sum, filled, err = demo.FillIfEmpty(ctx, store, opts)
		if err == nil && !filled {
			return fail("the database %s already holds data; use --force to generate into it anyway", resolveDSN(*dsn))
		}
	}
	if err != nil {
		return fail("%s", cliMessage(err))
	}
	sum.WriteTo(stdout)
	return 0
}
