package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"trustmark"
)

// Config configures a Notifier.
type Config struct {
	Feed    *trustmark.Feed // the events are read from it
	Watches trustmark.WatchStore
	// Client makes the webhook calls. The default refuses addresses on
	// loopback, private and link-local networks, so that a watch cannot
	// make the server call into its own network; tests pass their own.
	Client *http.Client
	// AllowPrivate makes the default client call any address, for private
	// deployments whose receivers live on the same network.
	AllowPrivate bool
	Clock        trustmark.Clock
	Logger       *slog.Logger
	MaxAttempts  int           // default 8
	Backoff      time.Duration // wait after the first failure, doubled after each; default 30 s
	MaxBackoff   time.Duration // default 6 h
	Timeout      time.Duration // per call; default 10 s
	Workers      int           // concurrent calls; default 8
	// Interval is how often Run looks for deliveries due for a retry, and
	// for events when no commit through the feed's store woke it; default
	// 2 s. New events through the same store wake it at once.
	Interval time.Duration
	// LeaseTTL is how long the notifier lease lasts unrenewed: how long
	// standbys wait after the holder dies without releasing it. Run renews
	// it every LeaseTTL/3. Default 30 s.
	LeaseTTL time.Duration
	// Holder names this notifier in the lease; default host name, process
	// ID and a random suffix. Notifiers sharing a database need distinct
	// names.
	Holder string
}

// Lease is the name of the database lease that Run holds while it
// delivers.
const Lease = "webhook-notifier"

// Cursor is the name of the notifier's cursor in the event feed.
const Cursor = "webhook-notifier"

// eventBatch is how many events one feed batch hands the notifier.
const eventBatch = 1000

// Notifier follows the registry's events and delivers webhooks to the
// watches they concern. Any number may Run on one database (one per server
// behind a load balancer): only the holder of the lease Lease delivers, and
// the others stand by to take over.
type Notifier struct {
	cfg Config
}

// NewNotifier returns a Notifier.
func NewNotifier(cfg Config) *Notifier {
	if cfg.Client == nil && cfg.AllowPrivate {
		cfg.Client = &http.Client{Timeout: 30 * time.Second, CheckRedirect: noRedirects}
	} else if cfg.Client == nil {
		cfg.Client = PublicClient()
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 8
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 30 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 6 * time.Hour
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 2 * time.Second
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = 30 * time.Second
	}
	if cfg.Holder == "" {
		cfg.Holder = defaultHolder()
	}
	return &Notifier{cfg: cfg}
}

// defaultHolder names this process: host, process ID and a random suffix,
// so that two notifiers of one process are told apart too.
func defaultHolder() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	var b [4]byte
	rand.Read(b[:])
	return host + ":" + strconv.Itoa(os.Getpid()) + ":" + hex.EncodeToString(b[:])
}

// Run delivers webhooks until ctx is done, while it holds the lease Lease:
// it tries to take the lease every LeaseTTL/3, and while it holds it renews
// it every LeaseTTL/3 and calls Step after every commit of new events
// through the feed's store and every Interval. When a renewal fails or
// finds the lease taken, Run stops delivering at once (the calls in flight
// are cancelled) and stands by again. It releases the lease when ctx is
// done, so that a standby takes over within LeaseTTL/3 after a shutdown,
// and within LeaseTTL after a crash.
//
// A gap in the events stops Run: it logs it, releases the lease and returns
// the *trustmark.GapError, since the changes in the missing events would
// never be told.
//
// A lease is only as good as the clocks: servers sharing a database must
// agree on the time to well within LeaseTTL/3.
func (n *Notifier) Run(ctx context.Context) error {
	t := time.NewTicker(n.renewEvery())
	defer t.Stop()
	for {
		held, err := n.cfg.Watches.AcquireLease(ctx, Lease, n.cfg.Holder, n.cfg.Clock(), n.cfg.LeaseTTL)
		if err != nil && ctx.Err() == nil {
			n.cfg.Logger.Error("webhook notifier: taking the lease", "err", err)
		}
		if held {
			n.cfg.Logger.Info("webhook notifier holds the lease and delivers", "holder", n.cfg.Holder)
			err := n.lead(ctx)
			n.release(ctx)
			if err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// renewEvery is how often the lease is renewed, or tried for by a standby.
func (n *Notifier) renewEvery() time.Duration { return max(n.cfg.LeaseTTL/3, time.Millisecond) }

// lead calls Step after each commit of events and every Interval until ctx
// is done or the lease is lost. It returns only a gap in the events.
func (n *Notifier) lead(ctx context.Context) error {
	ctx, stop := context.WithCancel(ctx)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		n.renew(ctx, stop)
	}()
	defer func() {
		stop()
		<-renewed
	}()
	t := time.NewTicker(n.cfg.Interval)
	defer t.Stop()
	for ctx.Err() == nil {
		committed := n.cfg.Feed.Committed()
		_, _, err := n.Step(ctx)
		var gap *trustmark.GapError
		switch {
		case errors.As(err, &gap):
			n.cfg.Logger.Error("webhook notifier stops at a gap in the events", "err", err)
			return err
		case err != nil && ctx.Err() == nil:
			n.cfg.Logger.Error("webhook notifier", "err", err)
			committed = nil // retried at the Interval, not at every commit
		}
		select {
		case <-ctx.Done():
		case <-committed:
		case <-t.C:
		}
	}
	return nil
}

// renew renews the lease every LeaseTTL/3 until ctx is done, and calls stop
// when a renewal fails. A renewal may take at most LeaseTTL/3, so that the
// holder stops delivering by 2/3 of the lease it last had, whatever the
// database does.
func (n *Notifier) renew(ctx context.Context, stop context.CancelFunc) {
	every := n.renewEvery()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(ctx, every)
		held, err := n.cfg.Watches.AcquireLease(rctx, Lease, n.cfg.Holder, n.cfg.Clock(), n.cfg.LeaseTTL)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err != nil || !held {
			n.cfg.Logger.Warn("webhook notifier lost the lease; standing by", "holder", n.cfg.Holder, "err", err)
			stop()
			return
		}
	}
}

// release gives up the lease (if this notifier still holds it), so that a
// standby need not wait for it to expire.
func (n *Notifier) release(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := n.cfg.Watches.ReleaseLease(ctx, Lease, n.cfg.Holder); err != nil {
		n.cfg.Logger.Warn("webhook notifier: releasing the lease", "err", err)
	}
}

// Step turns new events into deliveries, then makes the deliveries that are
// due. It returns how many deliveries it queued and attempted. Step takes
// no lease: call it directly only where no other notifier delivers from the
// same database (tests, one-off tools); servers use Run.
func (n *Notifier) Step(ctx context.Context) (queued, attempted int, err error) {
	if queued, err = n.scan(ctx); err != nil {
		return queued, 0, err
	}
	attempted, err = n.deliver(ctx)
	return queued, attempted, err
}

// scan hands the events after the notifier's cursor to enqueue, each batch
// in the transaction that moves the cursor past it.
func (n *Notifier) scan(ctx context.Context) (int, error) {
	// A batch's transaction may run again after a lost race, so the count
	// is kept per batch, by its last Seq.
	queued := map[int64]int{}
	_, err := n.cfg.Feed.CatchUp(ctx, trustmark.Follower{Name: Cursor, Batch: eventBatch, InTransaction: true,
		Handle: func(ctx context.Context, batch []trustmark.Change) error {
			ds, err := n.deliveriesFor(ctx, batch)
			if err != nil {
				return err
			}
			queued[batch[len(batch)-1].Seq] = len(ds)
			return n.cfg.Watches.EnqueueDeliveries(ctx, ds)
		}})
	total := 0
	for _, k := range queued {
		total += k
	}
	return total, err
}

// deliveriesFor returns the deliveries a batch of changes calls for: one per
// status change and watch holding the certificate's number or its holder,
// made after the watch was.
func (n *Notifier) deliveriesFor(ctx context.Context, batch []trustmark.Change) ([]*trustmark.Delivery, error) {
	type hit struct {
		ev   *trustmark.Event
		cert *trustmark.Certificate
		item trustmark.WatchItem
	}
	var (
		hits  []hit
		items []trustmark.WatchItem
		seen  = map[trustmark.WatchItem]bool{}
	)
	for i := range batch {
		ch := &batch[i]
		c, ok := statusChange(ch)
		if !ok {
			continue
		}
		// Watched numbers are kept upper-cased (trustmark.ParseWatchItem).
		for _, it := range []trustmark.WatchItem{{Kind: trustmark.WatchCertificate, Key: strings.ToUpper(c.Number)}, {Kind: trustmark.WatchOrg, Key: string(c.HolderUSCC)}} {
			if it.Key == "" {
				continue
			}
			hits = append(hits, hit{&ch.Event, c, it})
			if !seen[it] {
				seen[it] = true
				items = append(items, it)
			}
		}
	}
	if len(items) == 0 {
		return nil, nil
	}
	match, err := n.cfg.Watches.MatchWatches(ctx, items)
	if err != nil {
		return nil, err
	}
	now := n.cfg.Clock()
	var ds []*trustmark.Delivery
	dup := map[string]bool{}
	for _, h := range hits {
		for _, wa := range match[h.item] {
			if h.ev.At.Before(wa.CreatedAt) {
				continue // a watch hears of changes after it was made, not of history
			}
			key := wa.ID + ":" + strconv.FormatInt(h.ev.Seq, 10)
			if dup[key] {
				continue // a watch holding both the number and the holder hears once
			}
			dup[key] = true
			body, err := json.Marshal(payload(wa.ID, key, h.item, h.ev, h.cert))
			if err != nil {
				return nil, err
			}
			ds = append(ds, &trustmark.Delivery{WatchID: wa.ID, EventSeq: h.ev.Seq, Payload: body, State: trustmark.DeliveryPending,
				NextAttemptAt: now, CreatedAt: now})
		}
	}
	return ds, nil
}

// statusChange reports whether ch changed a certificate's status (or
// brought it into the registry) and returns the certificate after it.
func statusChange(ch *trustmark.Change) (*trustmark.Certificate, bool) {
	if ch.Entity != trustmark.EntityCertificate {
		return nil, false
	}
	switch ch.Action {
	case trustmark.ActionStatusChanged, trustmark.ActionExpired, trustmark.ActionCreated, trustmark.ActionIssued:
	default:
		if ch.To == "" || ch.To == ch.From {
			return nil, false
		}
	}
	var c trustmark.Certificate
	if ch.Certificate != nil {
		c = *ch.Certificate
	} else {
		// Without the state, the key "TYPE/NUMBER" still names the certificate.
		typ, num, _ := strings.Cut(ch.Key, "/")
		c.Type, c.Number = trustmark.CertType(typ), num
	}
	if ch.To != "" {
		c.Status = trustmark.CertStatus(ch.To)
	}
	return &c, true
}
