package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/transparency-dev/tessera"

	"trustmark"
	"trustmark/bulk"
	"trustmark/calendar"
	"trustmark/demo"
	tmhttp "trustmark/http"
	"trustmark/matter"
	"trustmark/search"
	"trustmark/sqlstore"
	"trustmark/stateaudit"
	"trustmark/translog"
	"trustmark/web"
	"trustmark/webhook"
)

// ServeConfig is the configuration of the serve command.
type ServeConfig struct {
	DSN       string
	Addr      string
	Demo      bool
	DemoScale string
	// AnonRate and AnonBurst bound anonymous callers per address
	// (requests a second, burst) on the API and pages; AnonRate 0 turns it
	// off. Token holders are bounded per party (http.DefaultTokenRate).
	AnonRate  float64
	AnonBurst int
	// ExpiryInterval is how often the expiry job records the expiry of
	// certificates past their date. Answers never depend on it (statuses
	// are effective by date); it keeps stored rows and events in step.
	ExpiryInterval time.Duration
	MaxBodyBytes   int64
	// MaxInFlight bounds the requests served at once and MaxWait how long
	// one waits for a place; past them a request is answered 503 with
	// Retry-After at once instead of queueing (http.Config). MaxInFlight 0
	// turns the limit off.
	MaxInFlight int
	MaxQueued   int // 0: 64 × MaxInFlight
	MaxWait     time.Duration
	// MaxInFlightPerClient bounds the places one client holds (0: half of
	// MaxInFlight).
	MaxInFlightPerClient int
	// LookupCache bounds the certificate lookup's cached answers (0: the
	// default, negative: none) and LookupCacheTTL how long another
	// server's write may go unseen (http.Config).
	LookupCache    int
	LookupCacheTTL time.Duration
	LogFormat      string // "text" or "json"
	// BaseURL is the site's public address, for the links and QR codes
	// printed on certificates. Hosts are further host names (host[:port])
	// the site answers to, whose requests get links to themselves. With
	// neither, links go to the address the server listens on; a request's
	// Host header never chooses them otherwise.
	BaseURL string
	Hosts   []string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client for rate limiting; empty means none is trusted.
	TrustedProxies []netip.Prefix
	// WebhookAllowPrivate lets webhooks call loopback, private and
	// link-local addresses, for private deployments whose receivers share
	// the server's network (webhook.Config.AllowPrivate).
	WebhookAllowPrivate bool
	// Witnesses are the witnesses the traceability log asks to cosign its
	// checkpoints; WitnessThreshold of them (0: all) must cosign within
	// WitnessTimeout, or the checkpoint is published without.
	Witnesses        []tessera.Witness
	WitnessThreshold int
	// WitnessPolicy is the policy the log's checkpoints are witnessed by:
	// read from --witness-policy, or made of Witnesses and WitnessThreshold.
	WitnessPolicy  *tessera.WitnessGroup
	WitnessTimeout time.Duration
	WitnessRefresh time.Duration // renew an unchanged checkpoint's cosignatures this often
	// SecretKey seals TOTP secrets at rest ($TRUSTMARK_SECRET_KEY;
	// accounts.go); nil stores them as they are.
	SecretKey []byte
	// OIDC configures single sign-on through a bureau's OpenID Connect
	// provider (--oidc-issuer; accounts.go); no Issuer, none.
	OIDC tmhttp.OIDCConfig
	// FeedPoll is how often the followers of the events read them when no
	// commit of this server wakes them; 0 means trustmark.DefaultFeedPoll.
	FeedPoll time.Duration
	// StateCheckRate is how many records and rows a second the background
	// state check reads (statecheck.go); 0 turns it off.
	StateCheckRate float64
	// DebugAddr, when set, serves net/http/pprof on a listener of its
	// own (debug.go); empty (the default) serves no profiles.
	DebugAddr string
}

// Main is the serve command as a value: end-to-end tests run it on
// 127.0.0.1:0 exactly as the binary does.
type Main struct {
	Config     ServeConfig
	Store      *sqlstore.DB
	HTTPServer *tmhttp.Server
	Log        *translog.Log // the traceability log, once Run has returned
	Logger     *slog.Logger
	Clock      trustmark.Clock
	// Stdout receives the URL line and the demo summary; Stderr the logs
	// and demo progress.
	Stdout, Stderr io.Writer

	limiter *tmhttp.RateLimit // names clients for the rate limit and the upload gate
	bulk    *bulk.Service     // bulk verification, for the API and the /verify page
	// calendar is the official calendar with the loaded notices.
	calendar *calendar.Calendar
	cancel   context.CancelFunc // stops the background jobs
	jobs     sync.WaitGroup
	closers  []func() error // in reverse order of opening
}

// DefaultMaxInFlight is serve's default --max-in-flight: 16 requests a
// core, at least 32. A request of the load mix costs about 1 ms of CPU, so
// that many keep every core busy while each waits for the CPU a few tens of
// milliseconds at most; the rest wait their turn in the bounded queue
// (--max-queued, --max-wait) rather than for the database's connections.
// An operator whose requests wait on a remote database (PostgreSQL) may
// raise it.
func DefaultMaxInFlight() int { return max(32, 16*runtime.GOMAXPROCS(0)) }

// NewMain returns a Main with the defaults of the serve command.
func NewMain() *Main {
	return &Main{
		Config: ServeConfig{
			Addr:           "127.0.0.1:8080",
			DemoScale:      "small",
			AnonRate:       20,
			AnonBurst:      100,
			ExpiryInterval: time.Hour,
			LogFormat:      "text",
			WitnessTimeout: translog.DefaultWitnessTimeout,
			WitnessRefresh: translog.DefaultWitnessRefresh,
			StateCheckRate: stateaudit.DefaultRate,
			MaxInFlight:    DefaultMaxInFlight(),
			MaxWait:        tmhttp.DefaultMaxWait,
		},
		Clock:  time.Now,
		Stdout: io.Discard,
		Stderr: io.Discard,
	}
}

// Run opens the store (filling it with demo data if asked), starts the
// HTTP server and the background jobs, and returns once the server listens.
func (m *Main) Run(ctx context.Context) (err error) {
	if m.Logger == nil {
		m.Logger = m.newLogger()
	}
	defer func() {
		if err != nil {
			m.Close()
		}
	}()
	if err := m.openStore(ctx); err != nil {
		return err
	}
	if m.Config.Demo {
		if err := m.fillDemo(ctx); err != nil {
			return err
		}
	}
	if err := m.newServer(ctx); err != nil {
		return err
	}
	// Listen first: the pages print the address listened on when no
	// --base-url or --host says otherwise.
	if err := m.HTTPServer.Listen(); err != nil {
		return err
	}
	if m.Config.Demo {
		if err := m.printDemoAccounts(ctx); err != nil {
			return err
		}
	}
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.cancel = cancel
	if err := m.mount(bg); err != nil {
		return err
	}
	m.startStateCheck(bg)
	if err := m.HTTPServer.Open(); err != nil {
		return err
	}
	m.start(bg, "expiry", m.expiryJob)
	m.start(bg, "audit sweep", m.sweepJob)
	return nil
}

// newLogger returns the logger of --log-format on m.Stderr; a writer it
// opens on a file is closed last by Close.
func (m *Main) newLogger() *slog.Logger {
	out := m.Stderr
	if _, ok := out.(*os.File); ok {
		// A line a request: batched into few writes (tmhttp.LogWriter),
		// warnings and errors at once, the rest within 50 ms.
		lw := tmhttp.NewLogWriter(out, 50*time.Millisecond)
		m.closers = append(m.closers, lw.Close) // closed last
		out = lw
	}
	var h slog.Handler = slog.NewTextHandler(out, nil)
	if m.Config.LogFormat == "json" {
		h = slog.NewJSONHandler(out, nil)
	}
	return slog.New(h)
}

// openStore opens the database, and the profiles' listener when
// --debug-addr asks for one; Close closes both.
func (m *Main) openStore(ctx context.Context) (err error) {
	m.Config.DSN = resolveDSN(m.Config.DSN)
	m.Store, err = sqlstore.Open(ctx, m.Config.DSN, sqlstore.WithLogger(m.Logger), sqlstore.WithClock(m.Clock), m.secretKeyOption())
	if err != nil {
		return fmt.Errorf("open the database: %w", err)
	}
	m.closers = append(m.closers, m.Store.Close)
	if m.Config.DebugAddr != "" {
		d, err := startDebug(m.Config.DebugAddr, m.Logger)
		if err != nil {
			return err
		}
		m.closers = append(m.closers, d.Close)
	}
	return nil
}

// newServer makes the HTTP server over the store, with what it shares with
// the pages mounted later: the rate limiter that names clients, the bulk
// verification service and the official calendar.
func (m *Main) newServer(ctx context.Context) error {
	m.limiter = tmhttp.NewRateLimit(tmhttp.RateLimitConfig{
		AnonRate:       m.Config.AnonRate,
		AnonBurst:      m.Config.AnonBurst,
		TokenRate:      tmhttp.DefaultTokenRate,
		TokenBurst:     tmhttp.DefaultTokenBurst,
		Authenticate:   m.Store.Authenticate,
		Clock:          m.Clock,
		TrustedProxies: m.Config.TrustedProxies,
	})
	// One bulk verification service (and its cache of the bodies) for the
	// API and the /verify page.
	m.bulk = bulk.New(bulk.Config{Store: m.Store, Clock: m.Clock, Logger: m.Logger})
	// One official calendar for the API and the pages, with the notices
	// loaded so far; a load on the workbench installs on it (calendar.go).
	m.calendar = calendar.Official()
	if err := calendar.InstallLoaded(ctx, m.calendar, m.Store); err != nil {
		return err
	}
	m.HTTPServer = tmhttp.NewServer(tmhttp.Config{
		Calendar:             m.calendar,
		Addr:                 m.Config.Addr,
		Store:                m.Store,
		Logger:               m.Logger,
		Clock:                m.Clock,
		MaxBodyBytes:         m.Config.MaxBodyBytes,
		MaxInFlight:          m.Config.MaxInFlight,
		MaxQueued:            m.Config.MaxQueued,
		MaxWait:              m.Config.MaxWait,
		MaxInFlightPerClient: m.Config.MaxInFlightPerClient,
		ClientKey:            m.limiter.ClientAddr,
		LookupCache:          m.Config.LookupCache,
		LookupCacheTTL:       m.Config.LookupCacheTTL,
		RateLimit:            m.limiter.Wrap,
		Auth:                 m.newAuth(),
		Verify:               m.bulk,
	})
	return nil
}

// start runs a background job until Close.
func (m *Main) start(ctx context.Context, name string, job func(context.Context)) {
	m.jobs.Add(1)
	go func() {
		defer m.jobs.Done()
		job(ctx)
		m.Logger.Debug("background job stopped", "job", name)
	}()
}

// expiryJob records expiries now and then every ExpiryInterval.
func (m *Main) expiryJob(ctx context.Context) {
	t := time.NewTicker(m.Config.ExpiryInterval)
	defer t.Stop()
	for {
		m.expireOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// expireBatch is how many certificates one expiry transaction records.
const expireBatch = 5000

func (m *Main) expireOnce(ctx context.Context) {
	today := trustmark.DateOf(m.Clock())
	total := 0
	for ctx.Err() == nil {
		n, err := m.Store.ExpireCertificates(ctx, today, expireBatch)
		if err != nil {
			if ctx.Err() == nil {
				m.Logger.Error("expiry job failed", "err", err)
			}
			return
		}
		total += n
		if n < expireBatch {
			break
		}
	}
	if total > 0 {
		m.Logger.Info("expiry job recorded expiries", "certificates", total, "today", today.String())
	}
	m.expireListings(ctx, today)
}

// URL returns the server's base URL once Run has returned.
func (m *Main) URL() string {
	if m.HTTPServer == nil {
		return ""
	}
	return m.HTTPServer.URL()
}

// Close stops the server gracefully (up to 10 seconds for requests in
// flight), then the background jobs, then closes what Run opened.
func (m *Main) Close() error {
	var errs []error
	if m.HTTPServer != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errs = append(errs, m.HTTPServer.Close(ctx))
		cancel()
	}
	if m.cancel != nil {
		m.cancel()
	}
	m.jobs.Wait()
	for i := len(m.closers) - 1; i >= 0; i-- {
		errs = append(errs, m.closers[i]())
	}
	m.closers = nil
	return errors.Join(errs...)
}

// runServe is the serve command.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	m := NewMain()
	m.Stdout, m.Stderr = stdout, stderr
	if err := m.ParseFlags(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "trustmark serve: %v\n", err)
		return 1
	}
	if err := m.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "trustmark serve: %s\n", cliMessage(err))
		return 1
	}
	fmt.Fprintf(stdout, "Trustmark is serving %s/\n", m.URL())
	<-ctx.Done()
	m.Logger.Info("shutting down")
	if err := m.Close(); err != nil {
		fmt.Fprintf(stderr, "trustmark serve: shutdown: %v\n", err)
		return 1
	}
	return 0
}

// mount plugs the other front ends into the server: the traceability log
// (/log/ and certificate history with proofs), bulk verification
// (POST /api/v1/verify, the upload page, watches and their webhooks), the
// search index and the portal's pages (/). Their background jobs run on
// ctx until Close.
func (m *Main) mount(ctx context.Context) error {
	l, err := m.mountLog(ctx)
	if err != nil {
		return err
	}
	m.Log = l

	// The followers of the events: woken by this process's commits, and
	// polling slowly for everyone else's (docs/ARCHITECTURE.md).
	feed := trustmark.NewFeed(m.Store, trustmark.FeedOptions{Poll: m.Config.FeedPoll, Logger: m.Logger})
	m.start(ctx, "log wake-ups", func(ctx context.Context) { feed.OnCommit(ctx, l.Notify) })
	notifier := webhook.NewNotifier(webhook.Config{Feed: feed, Watches: m.Store, Clock: m.Clock, Logger: m.Logger,
		AllowPrivate: m.Config.WebhookAllowPrivate})
	m.start(ctx, "webhooks", func(ctx context.Context) { notifier.Run(ctx) })

	ix, err := search.Open(searchDir(m.Config.DSN))
	if err != nil {
		return err
	}
	m.closers = append(m.closers, ix.Close)
	m.start(ctx, "search index", func(ctx context.Context) { ix.Follow(ctx, feed, m.Store, m.Logger) })
	m.start(ctx, "risk scores", func(ctx context.Context) { feed.Follow(ctx, m.Store.RiskFollower()) })

	base := m.Config.BaseURL
	if base == "" && len(m.Config.Hosts) == 0 {
		base = m.HTTPServer.URL()
		m.Logger.Info("certificate pages link to the address listened on; set --base-url or --host for a public name", "base_url", base)
	}
	pages := web.NewHandler(web.Config{
		Store:     m.Store,
		Search:    ix,
		Clock:     m.Clock,
		Logger:    m.Logger,
		History:   LogHistory{Log: l, Store: m.Store},
		BaseURL:   base,
		Hosts:     m.Config.Hosts,
		Verify:    m.bulk,
		ClientKey: m.limiter.ClientAddr,
		Auth:      m.HTTPServer.Auth(),
		Inbox:     m.Store,
		Calendar:  m.calendar,
		Matters:   matter.NewRules(matter.Official().Kinds(), m.calendar),
	})
	m.closers = append(m.closers, pages.Close) // the import page's refused rows on disk
	m.HTTPServer.MountPages(pages)
	return nil
}

// fillDemo fills an empty database with the demo data set (progress on
// standard error, the summary on standard output); a database that holds anything is left alone.
func (m *Main) fillDemo(ctx context.Context) error {
	opts := demo.Options{Scale: m.Config.DemoScale, Seed: 1, Progress: m.Stderr}
	if m.Clock != nil {
		opts.Today = trustmark.DateOf(m.Clock())
	}
	sum, filled, err := demo.FillIfEmpty(ctx, m.Store, opts)
	if err != nil {
		return fmt.Errorf("--demo: %w", err)
	}
	if !filled {
		m.Logger.Info("--demo: the database already holds data; not generating the demo data set")
		ex, err := demo.FindExamples(ctx, m.Store)
		if err != nil {
			return fmt.Errorf("--demo: %w", err)
		}
		fmt.Fprintln(m.Stdout, "try:")
		ex.WriteTo(m.Stdout)
		return nil
	}
	sum.WriteTo(m.Stdout)
	return nil
}
