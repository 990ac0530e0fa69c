package verify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"trustmark"
)

// Webhook headers. The signature is HMAC-SHA256, keyed with the watch's
// secret, of the timestamp, a full stop and the raw body:
//
//	X-Trustmark-Signature: sha256=hex(HMAC(secret, timestamp + "." + body))
//
// Signing the timestamp lets receivers refuse replays of old deliveries.
const (
	HeaderSignature = "X-Trustmark-Signature"
	HeaderTimestamp = "X-Trustmark-Timestamp"
	HeaderDelivery  = "X-Trustmark-Delivery" // "WATCH_ID:EVENT_SEQ", the same on every retry
	HeaderEvent     = "X-Trustmark-Event"    // the event's action
)

// Sign returns the value of the signature header for body sent at
// timestamp (unix seconds) with secret.
func Sign(secret string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// CheckSignature verifies a delivery as a receiver should: the signature
// must match and the timestamp be within tolerance of now.
func CheckSignature(secret, signature, timestamp string, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q is not unix seconds", timestamp)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("timestamp %s is %s away from now", timestamp, d.Round(time.Second))
	}
	if !hmac.Equal([]byte(signature), []byte(Sign(secret, ts, body))) {
		return errors.New("signature does not match")
	}
	return nil
}

// Payload is the JSON body of a webhook call.
type Payload struct {
	Delivery string              `json:"delivery"` // WATCH_ID:EVENT_SEQ
	WatchID  string              `json:"watch_id"`
	Matched  WatchItem           `json:"matched"` // the watched item the event concerns
	Event    PayloadEvent        `json:"event"`
	Cert     *PayloadCertificate `json:"certificate,omitempty"`
}

// PayloadEvent is the public part of the registry event.
type PayloadEvent struct {
	Seq         int64     `json:"seq"`
	At          time.Time `json:"at"`
	Entity      string    `json:"entity"`
	Key         string    `json:"key"`
	Action      string    `json:"action"`
	From        string    `json:"from,omitempty"`
	To          string    `json:"to,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	EffectiveOn string    `json:"effective_on,omitempty"`
}

// PayloadCertificate is the certificate after the event.
type PayloadCertificate struct {
	Number         string `json:"number"`
	Type           string `json:"type"`
	Status         string `json:"status"`
	StatusSince    string `json:"status_since,omitempty"`
	HolderUSCC     string `json:"holder_uscc"`
	BodyApprovalNo string `json:"body_approval_no"`
	ExpiresOn      string `json:"expires_on,omitempty"`
	URL            string `json:"url"`
}

// NotifierConfig configures a Notifier.
type NotifierConfig struct {
	Store   trustmark.Store // events are read from it
	Watches WatchStore
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
	Interval     time.Duration // Run's polling period; default 2 s
	// LeaseTTL is how long the notifier lease lasts unrenewed: how long
	// standbys wait after the holder dies without releasing it. Run renews
	// it every LeaseTTL/3. Default 30 s.
	LeaseTTL time.Duration
	// Holder names this notifier in the lease; default host name, process
	// ID and a random suffix. Notifiers sharing a database need distinct
	// names.
	Holder string
}

// NotifierLease is the name of the database lease that Run holds while it
// delivers.
const NotifierLease = "webhook-notifier"

// Notifier follows the registry's events and delivers webhooks to the
// watches they concern. Any number may Run on one database (one per server
// behind a load balancer): only the holder of the lease NotifierLease
// delivers, and the others stand by to take over.
type Notifier struct {
	cfg NotifierConfig
}

// NewNotifier returns a Notifier.
func NewNotifier(cfg NotifierConfig) *Notifier {
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

// Run delivers webhooks until ctx is done, while it holds the lease
// NotifierLease: it tries to take the lease every LeaseTTL/3, and while it
// holds it renews it every LeaseTTL/3 and calls Step every Interval. When a
// renewal fails or finds the lease taken, Run stops delivering at once (the
// calls in flight are cancelled) and stands by again. It releases the lease
// when ctx is done, so that a standby takes over within LeaseTTL/3 after a
// shutdown, and within LeaseTTL after a crash.
//
// A lease is only as good as the clocks: servers sharing a database must
// agree on the time to well within LeaseTTL/3.
func (n *Notifier) Run(ctx context.Context) error {
	t := time.NewTicker(n.renewEvery())
	defer t.Stop()
	for {
		held, err := n.cfg.Watches.AcquireLease(ctx, NotifierLease, n.cfg.Holder, n.cfg.Clock(), n.cfg.LeaseTTL)
		if err != nil && ctx.Err() == nil {
			n.cfg.Logger.Error("webhook notifier: taking the lease", "err", err)
		}
		if held {
			n.cfg.Logger.Info("webhook notifier holds the lease and delivers", "holder", n.cfg.Holder)
			n.lead(ctx)
			n.release(ctx)
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

// lead calls Step every Interval until ctx is done or the lease is lost.
func (n *Notifier) lead(ctx context.Context) {
	ctx, stop := context.WithCancel(ctx)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		n.renew(ctx, stop)
	}()
	t := time.NewTicker(n.cfg.Interval)
	defer t.Stop()
	for ctx.Err() == nil {
		if _, _, err := n.Step(ctx); err != nil && ctx.Err() == nil {
			n.cfg.Logger.Error("webhook notifier", "err", err)
		}
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
	stop()
	<-renewed
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
		held, err := n.cfg.Watches.AcquireLease(rctx, NotifierLease, n.cfg.Holder, n.cfg.Clock(), n.cfg.LeaseTTL)
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
	if err := n.cfg.Watches.ReleaseLease(ctx, NotifierLease, n.cfg.Holder); err != nil {
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

// eventBatch is how many events one scan reads.
const eventBatch = 1000

// scan reads the events after the cursor and queues a delivery for each
// watch that holds the certificate or its holder.
func (n *Notifier) scan(ctx context.Context) (int, error) {
	queued := 0
	for {
		cursor, err := n.cfg.Watches.NotifyCursor(ctx)
		if err != nil {
			return queued, err
		}
		events, err := n.cfg.Store.Events(ctx, trustmark.EventFilter{After: cursor, Limit: eventBatch})
		if err != nil || len(events) == 0 {
			return queued, err
		}
		ds, err := n.deliveriesFor(ctx, events)
		if err != nil {
			return queued, err
		}
		if err := n.cfg.Watches.EnqueueDeliveries(ctx, ds, events[len(events)-1].Seq); err != nil {
			return queued, err
		}
		queued += len(ds)
		if len(events) < eventBatch {
			return queued, nil
		}
	}
}

// deliveriesFor returns the deliveries a batch of events calls for: one per
// status change and watch holding the certificate's number or its holder,
// made after the watch was.
func (n *Notifier) deliveriesFor(ctx context.Context, events []trustmark.Event) ([]*Delivery, error) {
	type hit struct {
		ev   *trustmark.Event
		cert *trustmark.Certificate
		item WatchItem
	}
	var (
		hits  []hit
		items []WatchItem
		seen  = map[WatchItem]bool{}
	)
	for i := range events {
		ev := &events[i]
		c, ok := statusChange(ev)
		if !ok {
			continue
		}
		// Watched numbers are kept upper-cased (ParseWatchItem).
		for _, it := range []WatchItem{{Kind: trustmark.WatchCertificate, Key: strings.ToUpper(c.Number)}, {Kind: trustmark.WatchOrg, Key: string(c.HolderUSCC)}} {
			if it.Key == "" {
				continue
			}
			hits = append(hits, hit{ev, c, it})
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
	var ds []*Delivery
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
			ds = append(ds, &Delivery{WatchID: wa.ID, EventSeq: h.ev.Seq, Payload: body, State: DeliveryPending,
				NextAttemptAt: now, CreatedAt: now})
		}
	}
	return ds, nil
}

// statusChange reports whether ev changed a certificate's status (or
// brought it into the registry) and returns the certificate after it.
func statusChange(ev *trustmark.Event) (*trustmark.Certificate, bool) {
	if ev.Entity != trustmark.EntityCertificate {
		return nil, false
	}
	switch ev.Action {
	case trustmark.ActionStatusChanged, trustmark.ActionExpired, trustmark.ActionCreated, trustmark.ActionIssued:
	default:
		if ev.To == "" || ev.To == ev.From {
			return nil, false
		}
	}
	var c trustmark.Certificate
	if len(ev.Data) > 0 {
		if err := json.Unmarshal(ev.Data, &c); err != nil {
			c = trustmark.Certificate{}
		}
	}
	if c.Number == "" {
		// Without the state, the key "TYPE/NUMBER" still names the certificate.
		typ, num, _ := strings.Cut(ev.Key, "/")
		c.Type, c.Number = trustmark.CertType(typ), num
	}
	if ev.To != "" {
		c.Status = trustmark.CertStatus(ev.To)
	}
	return &c, true
}

func payload(watchID, delivery string, it WatchItem, ev *trustmark.Event, c *trustmark.Certificate) Payload {
	p := Payload{Delivery: delivery, WatchID: watchID, Matched: it, Event: PayloadEvent{
		Seq: ev.Seq, At: ev.At, Entity: ev.Entity, Key: ev.Key, Action: ev.Action, From: ev.From, To: ev.To,
		Reason: ev.Reason, EffectiveOn: ev.EffectiveOn.String()}}
	p.Cert = &PayloadCertificate{Number: c.Number, Type: string(c.Type), Status: string(c.Status), StatusSince: c.StatusSince.String(),
		HolderUSCC: string(c.HolderUSCC), BodyApprovalNo: c.BodyApprovalNo, ExpiresOn: c.ExpiresOn.String(),
		URL: "/certificates/" + c.Number}
	return p
}

// deliveryBatch is how many due deliveries one round attempts.
const deliveryBatch = 200

// deliver attempts the deliveries that are due.
func (n *Notifier) deliver(ctx context.Context) (int, error) {
	due, err := n.cfg.Watches.DueDeliveries(ctx, n.cfg.Clock(), deliveryBatch)
	if err != nil {
		return 0, err
	}
	var (
		wg    sync.WaitGroup
		sem   = make(chan struct{}, n.cfg.Workers)
		mu    sync.Mutex
		first error
		tried int
	)
	for _, d := range due {
		if ctx.Err() != nil {
			break // shut down, or the lease is lost: the rest stay due
		}
		tried++
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			n.attempt(ctx, d)
			if ctx.Err() != nil && d.State != DeliveryDelivered {
				return // cut short by us, not the receiver: left due, as it was
			}
			// A call that succeeded is recorded even if ctx ended meanwhile,
			// lest the next holder of the lease repeat it.
			uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), n.cfg.Timeout)
			defer cancel()
			if err := n.cfg.Watches.UpdateDelivery(uctx, d); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return tried, first
}

// attempt makes one call and records its outcome in d.
func (n *Notifier) attempt(ctx context.Context, d *Delivery) {
	ctx, cancel := context.WithTimeout(ctx, n.cfg.Timeout)
	defer cancel()
	now := n.cfg.Clock()
	d.Attempts++
	status, retryAfter, err := n.post(ctx, d, now)
	d.LastStatus = status
	if err == nil {
		d.State, d.DeliveredAt, d.LastError = DeliveryDelivered, n.cfg.Clock(), ""
		return
	}
	d.LastError = err.Error()
	if len(d.LastError) > 500 {
		d.LastError = strings.ToValidUTF8(d.LastError[:500], "")
	}
	if d.Attempts >= n.cfg.MaxAttempts {
		d.State = DeliveryFailed
		n.cfg.Logger.Warn("webhook delivery failed for good", "watch", d.WatchID, "event", d.EventSeq, "attempts", d.Attempts, "err", err)
		return
	}
	// A receiver that asks for more time (429, 503 with Retry-After) gets
	// it, within MaxBackoff.
	d.NextAttemptAt = now.Add(min(max(n.backoff(d.Attempts), retryAfter), n.cfg.MaxBackoff))
}

// backoff is the wait after the attempt-th failure: Backoff doubled each
// time, at most MaxBackoff.
func (n *Notifier) backoff(attempt int) time.Duration {
	d := n.cfg.Backoff
	for i := 1; i < attempt && d < n.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, n.cfg.MaxBackoff)
}

// post makes one call and returns the answer's status and the wait it
// asked for in Retry-After (seconds), if any.
func (n *Notifier) post(ctx context.Context, d *Delivery, now time.Time) (int, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, 0, err
	}
	ts := now.Unix()
	var action struct {
		Event struct {
			Action string `json:"action"`
		} `json:"event"`
	}
	json.Unmarshal(d.Payload, &action)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Trustmark-Webhook/1")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(d.Secret, ts, d.Payload))
	req.Header.Set(HeaderDelivery, d.WatchID+":"+strconv.FormatInt(d.EventSeq, 10))
	req.Header.Set(HeaderEvent, action.Event.Action)
	resp, err := n.cfg.Client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var wait time.Duration
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
			wait = time.Duration(secs) * time.Second
		}
		return resp.StatusCode, wait, fmt.Errorf("webhook answered %s", resp.Status)
	}
	return resp.StatusCode, 0, nil
}

// PublicClient returns an HTTP client that will not connect to loopback,
// private, link-local or otherwise non-public addresses, whatever a URL's
// host name resolves to, and does not follow redirects.
func PublicClient() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		a, err := netip.ParseAddr(host)
		if err != nil {
			return err
		}
		a = a.Unmap()
		if !a.IsGlobalUnicast() || a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() {
			return fmt.Errorf("webhook address %s is not a public address", a)
		}
		return nil
	}}
	tr := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 5 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second, MaxIdleConnsPerHost: 4, Proxy: nil}
	return &http.Client{Transport: tr, CheckRedirect: noRedirects}
}

// noRedirects makes a client return a redirect as the answer: a webhook
// that moved must be registered again, not followed somewhere unchecked.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
