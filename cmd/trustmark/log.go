package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/transparency-dev/tessera/client"

	"trustmark"
	"trustmark/logclient"
	"trustmark/sqlstore"
	"trustmark/translog"
	"trustmark/web"
)

const logUsage = `usage: trustmark log key [--db DSN]
       trustmark log recover [--db DSN] --from URL

key           prints the traceability log's verifier key (name+hexid+base64key),
              the one thing a verifier needs: trustmark verify --key VKEY.
              The signing key is created on first use, in a file of mode 0600
              ($TRUSTMARK_LOG_KEY_FILE, else next to an SQLite database as
              DB.logkey, else ./trustmark-log.key); it is never stored in
              the database. $TRUSTMARK_LOG_ORIGIN sets the log's origin on
              first use (default trustmark.example/log).
recover       after the database was restored from a backup under a
              published log (the server says the log stopped publishing):
              stores the published tree again, read from URL (the halted
              server's /log/, or a mirror), records the published entries
              the database lost, and renumbers the events written since the
              restore to follow them. See docs/LOG.md, "After a restore".
`

// runLog is the log command.
func runLog(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, logUsage)
		return 1
	}
	switch args[0] {
	case "key":
		return runLogKey(ctx, args[1:], stdout, stderr)
	case "recover":
		return runLogRecover(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, logUsage)
		return 0
	}
	fmt.Fprintf(stderr, "trustmark log: unknown subcommand %q\n\n%s", args[0], logUsage)
	return 1
}

func runLogKey(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("log key", "", stderr)
	dsn := fs.String("db", "", dbFlagHelp)
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
	db, err := sqlstore.Open(ctx, *dsn, sqlstore.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	if err != nil {
		return fail("%s", cliMessage(err))
	}
	defer db.Close()
	keyFile := logKeyFile(*dsn)
	if _, err := translog.LoadKey(keyFile); errors.Is(err, os.ErrNotExist) {
		// On another machine than the server's: the database records the
		// verifier key (public) too.
		if vkey, err := db.LogStorage().Setting(ctx, "verifier_key"); err == nil {
			fmt.Fprintln(stdout, vkey)
			return 0
		}
	}
	key, created, err := translog.LoadOrCreateKey(ctx, keyFile, logOrigin(), db.LogStorage())
	if err != nil {
		return fail("%v", err)
	}
	if created {
		fmt.Fprintf(stderr, "created the log's signing key in %s (mode 0600); keep it safe and backed up\n", keyFile)
	}
	fmt.Fprintln(stdout, key.VerifierKey)
	return 0
}

// logOrigin is the origin a new log gets: $TRUSTMARK_LOG_ORIGIN or the default.
func logOrigin() string {
	if o := os.Getenv("TRUSTMARK_LOG_ORIGIN"); o != "" {
		return o
	}
	return translog.DefaultOrigin
}

// logStateFile is where the log records the last checkpoint it published,
// outside the database: beside its signing key, "KEYFILE.checkpoint". A
// database restored from a backup is then caught after a restart too.
func logStateFile(dsn string) string { return logKeyFile(dsn) + ".checkpoint" }

// OpenRegistryLog opens the traceability log of the registry in db (whose
// DSN is dsn) with opts, creating its signing key on first start.
func OpenRegistryLog(ctx context.Context, db *sqlstore.DB, dsn string, opts translog.Options) (*translog.Log, error) {
	logger := cmp.Or(opts.Logger, slog.Default())
	key, created, err := translog.LoadOrCreateKey(ctx, logKeyFile(dsn), logOrigin(), db.LogStorage())
	if err != nil {
		return nil, fmt.Errorf("traceability log: %w", err)
	}
	if created {
		logger.Info("created the traceability log's signing key; keep it safe and backed up", "file", logKeyFile(dsn), "verifier_key", key.VerifierKey)
	}
	if opts.StateFile == "" {
		opts.StateFile = logStateFile(dsn)
	}
	l, err := translog.Open(ctx, translog.EventSource{Store: db, NextSeq: db.LogStorage().NextEventSeq}, db.LogStorage(), key, opts)
	if err != nil {
		return nil, fmt.Errorf("traceability log: %w", err)
	}
	return l, nil
}

// mountLog opens the traceability log, serves it at /log/ and the
// certificate history with proofs at /api/v1/certificates/{number}/history
// (?bundle=1 for the offline proof bundle), and runs its integrator (and,
// with --witness, its witnessing) until Close. Call it from (*Main).mount;
// the portal's web.Config.History is LogHistory{Log: l, Store: m.Store}.
func (m *Main) mountLog(ctx context.Context) (*translog.Log, error) {
	opts := translog.Options{Logger: m.Logger}
	if c := m.Config; c.WitnessPolicy != nil {
		opts.Witnesses, opts.WitnessTimeout, opts.WitnessRefresh = *c.WitnessPolicy, c.WitnessTimeout, c.WitnessRefresh
		opts.WitnessTransport = logclient.HTTPWitnesses{}
	}
	l, err := OpenRegistryLog(ctx, m.Store, m.Config.DSN, opts)
	if err != nil {
		return nil, err
	}
	m.HTTPServer.MountLog(l)
	m.start(ctx, "traceability log", func(ctx context.Context) { l.Run(ctx) })
	m.Logger.Info("traceability log", "origin", l.Origin(), "verifier_key", l.VerifierKey(), "size", l.Latest().Size)
	eps := opts.Witnesses.Endpoints()
	for _, u := range slices.Sorted(maps.Keys(eps)) {
		m.Logger.Info("traceability log witness", "name", eps[u].Name(), "url", u)
	}
	return l, nil
}

// LogHistory is the portal's view of the log (web.History).
type LogHistory struct {
	Log   *translog.Log
	Store trustmark.Store
}

var _ web.History = LogHistory{}

// CertificateHistory implements web.History.
func (h LogHistory) CertificateHistory(ctx context.Context, number string) ([]web.HistoryEntry, error) {
	hist, err := h.Log.CertificateHistory(ctx, h.Store, number, false)
	if err != nil {
		return nil, err
	}
	out := make([]web.HistoryEntry, 0, len(hist.Items))
	for _, it := range hist.Items {
		out = append(out, web.HistoryEntry{
			Seq:      int64(it.LogIndex),
			Verified: !it.Pending,
			ProofURL: h.ProofURL(number),
		})
	}
	return out, nil
}

var _ web.CheckpointHistory = LogHistory{}

// PublishedSize implements web.CheckpointHistory.
func (h LogHistory) PublishedSize() uint64 { return h.Log.Published().Size }

var _ web.CheckpointSource = LogHistory{}

// LatestCheckpoint implements web.CheckpointSource: the published
// checkpoint and the log's verifier key.
func (h LogHistory) LatestCheckpoint() web.LogCheckpoint {
	cp := h.Log.Published()
	return web.LogCheckpoint{Origin: cp.Origin, Size: cp.Size, Root: cp.Root, VerifierKey: h.Log.VerifierKey()}
}

// ProofURL implements web.CheckpointHistory.
func (h LogHistory) ProofURL(number string) string {
	return "/api/v1/certificates/" + url.PathEscape(number) + "/history?bundle=1"
}

// runLogRecover is `trustmark log recover`.
func runLogRecover(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("log recover", "", stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	from := fs.String("from", "", "where the published log is read: the halted server's log URL (e.g. http://127.0.0.1:8080/log/) or a mirror's")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	fail := fs.fail
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if *from == "" {
		return fail("give --from, the log's URL")
	}
	u, err := url.Parse(strings.TrimSuffix(*from, "/") + "/")
	if err != nil || u.Host == "" {
		return fail("--from %q is not an absolute URL", *from)
	}
	*dsn = resolveDSN(*dsn)
	db, err := sqlstore.Open(ctx, *dsn, sqlstore.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	if err != nil {
		return fail("%s", cliMessage(err))
	}
	defer db.Close()
	key, err := translog.LoadKey(logKeyFile(*dsn))
	if err != nil {
		return fail("the log's signing key: %v", err)
	}
	f, err := client.NewHTTPFetcher(u, &http.Client{Timeout: time.Minute})
	if err != nil {
		return fail("%v", err)
	}
	published, err := f.ReadCheckpoint(ctx)
	if err != nil {
		return fail("reading the published checkpoint at %s: %v", u, err)
	}
	src := translog.EventSource{Store: db, NextSeq: db.LogStorage().NextEventSeq}
	rep, err := translog.Recover(ctx, src, db.LogStorage(), key, published, f.ReadTile)
	if err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(stdout, "the database holds the published log of %d entries again (it held %d)\n", rep.Published, rep.Stored)
	if rep.Lost.To > rep.Lost.From {
		fmt.Fprintf(stdout, "entries %d to %d of the log were lost with the database: their hashes stay in the log; enter the changes they recorded again, as new events\n", rep.Lost.From, rep.Lost.To-1)
		fmt.Fprintf(stdout, "events written since the restore now follow them, from %d on\n", rep.Lost.To)
	}
	return 0
}
