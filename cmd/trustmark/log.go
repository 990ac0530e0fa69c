package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/translog"
	"trustmark/web"
)

const logUsage = `usage: trustmark log key [--db DSN]
       trustmark log bench-server --addr HOST:PORT --dir DIR --key-file FILE

key           prints the traceability log's verifier key (name+hexid+base64key),
              the one thing a verifier needs: trustmark verify --key VKEY.
              The signing key is created on first use, in a file of mode 0600
              ($TRUSTMARK_LOG_KEY_FILE, else next to an SQLite database as
              DB.logkey, else ./trustmark-log.key); it is never stored in
              the database. $TRUSTMARK_LOG_ORIGIN sets the log's origin on
              first use (default trustmark.example/log).
bench-server  serves Trustmark's log engine on a file backend at the root
              (POST /add, /checkpoint, /tile/...) for Tessera's load tester,
              integration test and fsck (see bench/tessera.sh).
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
	case "bench-server":
		return runBenchServer(ctx, args[1:], stdout, stderr)
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
	}
	l, err := OpenRegistryLog(ctx, m.Store, m.Config.DSN, opts)
	if err != nil {
		return nil, err
	}
	m.HTTPServer.Mount("/log/", http.StripPrefix("/log", l.Handler()))
	m.HTTPServer.Mount("GET /api/v1/certificates/{number}/history", l.HistoryHandler(m.Store))
	m.HTTPServer.Registry().MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "trustmark_log_witness_failures_total",
		Help: "Rounds of witnessing that ended without the witness policy satisfied; each published its checkpoint without the required cosignatures.",
	}, func() float64 { return float64(l.WitnessFailures()) }))
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
			ProofURL: "/api/v1/certificates/" + url.PathEscape(number) + "/history?bundle=1",
		})
	}
	return out, nil
}

const benchUsage = `usage: trustmark log bench-server --addr HOST:PORT --dir DIR --key-file FILE

Serves Trustmark's log engine on a file backend, durable as in production
(an add is answered once fdatasync'd; tiles and checkpoints are synced
before the checkpoint is published), on the surface Tessera's tools
expect, at the root: POST /add (the body is the entry; the answer its
decimal index; 503 with Retry-After when overloaded), GET /checkpoint,
/tile/<L>/<N>[.p/<W>] and /tile/entries/<N>[.p/<W>]. FILE holds a note
signer key (PRIVATE+KEY+...); the log's origin is the key's name.

Flags:
`

// runBenchServer is `trustmark log bench-server`.
func runBenchServer(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newSubcommand("log bench-server", benchUsage, stderr)
	addr := fs.String("addr", "127.0.0.1:2025", "address to listen on")
	dir := fs.String("dir", "", "directory of the log's files (created)")
	keyFile := fs.String("key-file", "", "file holding the note signer key, PRIVATE+KEY+...")
	interval := fs.Duration("checkpoint-interval", time.Second, "how often a checkpoint is published while entries arrive")
	maxPending := fs.Uint64("max-pending", 1<<22, "entries durable but not yet in a checkpoint beyond which adds are refused with 503")
	pprofAddr := fs.String("pprof", "", "serve Go's profiler on this address (for benchmarking the engine)")
	frontend := fs.String("frontend", "fasthttp", "HTTP front end: fasthttp (POST /add on fasthttp, reads through net/http) or nethttp (all on net/http)")
	batchMax := fs.Int("batch-max", 256, "most entries written and synced as one batch (Tessera's conformance server: 256)")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	fail := fs.fail
	if *dir == "" || *keyFile == "" || fs.NArg() > 0 {
		fs.Usage()
		return fail("give --dir and --key-file")
	}
	if *frontend != "fasthttp" && *frontend != "nethttp" {
		return fail("--frontend: want fasthttp or nethttp, got %q", *frontend)
	}
	if *batchMax < 1 {
		return fail("--batch-max: want at least 1")
	}
	key, err := translog.LoadKey(*keyFile)
	if err != nil {
		return fail("%v", err)
	}
	st, err := translog.NewDirStorage(*dir, true)
	if err != nil {
		return fail("%v", err)
	}
	fe, err := translog.OpenFileEntries(filepath.Join(*dir, "entries"))
	if err != nil {
		return fail("%v", err)
	}
	defer fe.Close()
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	l, err := translog.Open(ctx, fe, st, key, translog.Options{Interval: *interval, Batch: 1 << 20, Logger: logger})
	if err != nil {
		return fail("%v", err)
	}
	app := translog.NewAppender(fe, l, *maxPending, *batchMax)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail("%v", err)
	}
	bg, cancel := context.WithCancel(context.Background())
	defer cancel()
	go app.Run(bg)
	go l.Run(bg)
	var shutdown func(context.Context) error
	if *frontend == "fasthttp" {
		fast := &fasthttp.Server{Handler: app.FastHandler(), ReadTimeout: time.Minute, NoDefaultDate: true, NoDefaultServerHeader: true, Logger: slogPrinter{logger}}
		go fast.Serve(ln)
		shutdown = fast.ShutdownWithContext
	} else {
		srv := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 5 * time.Second}
		// HTTP/1.1 and unencrypted HTTP/2 (h2c), as Tessera's conformance
		// server offers: the hammer's --force_http2 multiplexes its writers.
		srv.Protocols = new(http.Protocols)
		srv.Protocols.SetHTTP1(true)
		srv.Protocols.SetUnencryptedHTTP2(true)
		go srv.Serve(ln)
		shutdown = srv.Shutdown
	}
	if *pprofAddr != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		go http.ListenAndServe(*pprofAddr, mux)
	}
	fmt.Fprintf(stdout, "Trustmark log engine %s (%s) serving http://%s/ with %d entries\n", l.Origin(), l.VerifierKey(), ln.Addr(), fe.Size())
	<-ctx.Done()
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	shutdown(sctx)
	return 0
}

// slogPrinter is fasthttp's Logger on slog.
type slogPrinter struct{ l *slog.Logger }

func (p slogPrinter) Printf(format string, args ...any) { p.l.Info(fmt.Sprintf(format, args...)) }
