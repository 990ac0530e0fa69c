package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"golang.org/x/mod/sumdb/note"

	"trustmark/sqlstore"
	"trustmark/stateaudit"
	"trustmark/translog"
)

const auditUsage = `usage: trustmark audit [--db DSN] [--key VKEY]

Recomputes every entry of the traceability log from the database's event
rows and compares them with the signed log: names every event row changed,
deleted or inserted behind the application's back, and any change to the
log's own tables. It trusts the verifier key given with --key, else the one
derived from the log's signing key file, never the database's.

Then replays the events into the state they imply and compares it with
every table the public sees (bodies, laboratories, persons, organisations,
certificates, reports): names every row changed (table, key, field, stored
value, value the events imply), missing, or that no event explains. It
reads a chunk at a time, so its memory does not grow with the registry, and
says how far it is on standard error every few seconds.
Exit status: 0 all rows match the log and the events; 2 discrepancies were
found (listed on standard output); 1 the audit could not run.

Flags:
`

// runAudit is the audit command.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("audit", auditUsage, stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	vkey := fs.String("key", "", "the log's verifier key, or @FILE (default: from the signing key file)")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	fail := fs.fail
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	*dsn = resolveDSN(*dsn)
	if err := requireRegistry(ctx, *dsn); err != nil {
		return fail("%v", err)
	}
	var v note.Verifier
	if *vkey != "" {
		var err error
		if v, err = readVerifier(*vkey); err != nil {
			return fail("%v", err)
		}
	} else {
		k, err := translog.LoadKey(logKeyFile(*dsn))
		if err != nil {
			return fail("no verifier key: give --key VKEY (reading the signing key file: %v)", err)
		}
		v = k.Verifier
	}
	db, err := sqlstore.Open(ctx, *dsn, sqlstore.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	if err != nil {
		return fail("%s", cliMessage(err))
	}
	defer db.Close()
	rep, err := translog.Audit(ctx, db, db.LogStorage(), v, translog.AuditOptions{NextSeq: db.LogStorage().NextEventSeq})
	if err != nil {
		return fail("%s", cliMessage(err))
	}
	for _, f := range rep.Findings {
		fmt.Fprintln(stdout, f)
	}
	if rep.Truncated > 0 {
		fmt.Fprintf(stdout, "... and %d more\n", rep.Truncated)
	}
	size := uint64(0)
	if rep.Checkpoint != nil {
		size = rep.Checkpoint.Size
	}
	fmt.Fprintf(stdout, "audited %d event rows against the log of %d entries: %d match, %d not yet in the log, %d discrepancies\n",
		rep.Events, size, rep.Matched, rep.Pending, len(rep.Findings)+rep.Truncated)
	if rep.Lost > 0 {
		fmt.Fprintf(stdout, "%d entries of the log were lost with the database in a restore from a backup (recorded, signed, by trustmark log recover; docs/LOG.md, \"After a restore\")\n", rep.Lost)
	}
	srep, err := stateaudit.Audit(ctx, db, stateaudit.Options{Progress: auditProgress(stderr)})
	if err != nil {
		return fail("%s", cliMessage(err))
	}
	for _, d := range srep.Differences {
		fmt.Fprintln(stdout, d)
	}
	if srep.Truncated > 0 {
		fmt.Fprintf(stdout, "... and %d more\n", srep.Truncated)
	}
	secs := max(srep.Elapsed.Seconds(), 1e-3)
	fmt.Fprintf(stdout, "replayed the events of %d records and probed %d rows of %d tables in %s (%.0f a second): %d differences from the state the events imply\n",
		srep.Records, srep.Rows, len(stateaudit.Tables()), srep.Elapsed.Round(time.Millisecond), float64(srep.Records+srep.Rows)/secs,
		len(srep.Differences)+srep.Truncated)
	if !rep.OK() || !srep.OK() {
		return 2
	}
	return 0
}

// auditProgress returns the state audit's progress callback: a log line on
// w every few seconds.
func auditProgress(w io.Writer) func(stateaudit.Progress) {
	logger := slog.New(slog.NewTextHandler(w, nil))
	last := time.Now()
	return func(p stateaudit.Progress) {
		if time.Since(last) < 3*time.Second {
			return
		}
		last = time.Now()
		logger.Info("audit: replaying the events", "table", p.Table, "pass", p.Pass, "checked", p.Checked,
			"per_s", int(float64(p.Checked)/max(p.Elapsed.Seconds(), 1e-3)))
	}
}
