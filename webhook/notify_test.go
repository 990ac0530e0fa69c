package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/webhook"
)

// hook is a webhook receiver on 127.0.0.1 that fails its first failFirst
// calls with 500.
type hook struct {
	srv        *httptest.Server
	mu         sync.Mutex
	failFirst  int
	retryAfter string // sent with failures
	calls      []call
}

type call struct {
	header http.Header
	body   []byte
	status int
}

func newHook(t *testing.T, failFirst int) *hook {
	h := &hook{failFirst: failFirst}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		status := http.StatusOK
		if len(h.calls) < h.failFirst {
			status = http.StatusInternalServerError
			if h.retryAfter != "" {
				status = http.StatusServiceUnavailable
				w.Header().Set("Retry-After", h.retryAfter)
			}
		}
		h.calls = append(h.calls, call{r.Header.Clone(), body, status})
		w.WriteHeader(status)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) got() []call {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]call(nil), h.calls...)
}

func TestNotifierDeliversSignedRetriedWebhooks(t *testing.T) {
	eachStore(t, testNotifierDeliversSignedRetriedWebhooks)
}

func testNotifierDeliversSignedRetriedWebhooks(t *testing.T, open opener) {
	storeClock := storeNow
	db := open(t, &storeClock)
	certHook, orgHook, idleHook := newHook(t, 1), newHook(t, 0), newHook(t, 0)
	const secret = "s3cret-s3cret-s3cret"

	// Watches made an hour after the fixture hear nothing of its history.
	storeClock = storeNow.Add(time.Hour)
	addWatch(t, db, "w_cert", certHook.srv.URL+"/hook", secret, storeClock, trustmark.WatchItem{Kind: trustmark.WatchCertificate, Key: cccValid})
	addWatch(t, db, "w_org", orgHook.srv.URL, secret, storeClock, trustmark.WatchItem{Kind: trustmark.WatchOrg, Key: string(holder2)})
	addWatch(t, db, "w_idle", idleHook.srv.URL, secret, storeClock, trustmark.WatchItem{Kind: trustmark.WatchCertificate, Key: "2025010901777777"})

	storeClock = storeNow.Add(2 * time.Hour)
	if _, err := db.TransitionCertificate(ctx, trustmark.System, cccValid, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "工厂检查不合格"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TransitionCertificate(ctx, trustmark.System, organicNo, trustmark.Transition{To: trustmark.StatusWithdrawn, Reason: "持证人申请注销"}); err != nil {
		t.Fatal(err)
	}

	clock := storeClock
	newNotifier := func() *webhook.Notifier {
		return webhook.NewNotifier(webhook.Config{Feed: feed(db), Watches: db, Client: certHook.srv.Client(),
			Clock: func() time.Time { return clock }, Backoff: 30 * time.Second, MaxAttempts: 3})
	}
	n := newNotifier()
	queued, attempted, err := n.Step(ctx)
	if err != nil {
		t.Fatalf("Step: %v", err)
	}
	if queued != 2 || attempted != 2 {
		t.Fatalf("first Step queued %d and attempted %d, want 2 and 2 (one per watched change, none for history)", queued, attempted)
	}

	t.Run("the organisation's watch hears of its certificate, signed", func(t *testing.T) {
		calls := orgHook.got()
		if len(calls) != 1 {
			t.Fatalf("org hook got %d calls, want 1", len(calls))
		}
		c := calls[0]
		if err := webhook.CheckSignature(secret, c.header.Get(webhook.HeaderSignature), c.header.Get(webhook.HeaderTimestamp), c.body, clock, 5*time.Minute); err != nil {
			t.Errorf("signature does not verify: %v", err)
		}
		if err := webhook.CheckSignature("wrong-secret-wrong", c.header.Get(webhook.HeaderSignature), c.header.Get(webhook.HeaderTimestamp), c.body, clock, 5*time.Minute); err == nil {
			t.Error("signature verifies with the wrong secret")
		}
		var p webhook.Payload
		if err := json.Unmarshal(c.body, &p); err != nil {
			t.Fatal(err)
		}
		if p.Matched != (trustmark.WatchItem{Kind: trustmark.WatchOrg, Key: string(holder2)}) || p.Event.To != "withdrawn" || p.Cert.Number != organicNo || p.Event.Reason != "持证人申请注销" {
			t.Errorf("payload = %+v, want the withdrawal of %s matched by the holder", p, organicNo)
		}
		if got := c.header.Get(webhook.HeaderEvent); got != trustmark.ActionStatusChanged {
			t.Errorf("%s = %q, want status_changed", webhook.HeaderEvent, got)
		}
	})
	t.Run("nothing is retried before its backoff", func(t *testing.T) {
		clock = clock.Add(29 * time.Second)
		if _, attempted, _ := n.Step(ctx); attempted != 0 {
			t.Errorf("Step 29 s after a failure attempted %d, want 0", attempted)
		}
	})
	t.Run("a 500 is retried after the backoff with the same delivery ID", func(t *testing.T) {
		clock = clock.Add(time.Second)
		if _, attempted, err := n.Step(ctx); attempted != 1 || err != nil {
			t.Fatalf("Step 30 s after a failure attempted %d (%v), want 1", attempted, err)
		}
		calls := certHook.got()
		if len(calls) != 2 || calls[0].status != 500 || calls[1].status != 200 {
			t.Fatalf("cert hook calls = %d, want a 500 then a 200", len(calls))
		}
		if a, b := calls[0].header.Get(webhook.HeaderDelivery), calls[1].header.Get(webhook.HeaderDelivery); a != b || a == "" {
			t.Errorf("delivery IDs %q and %q, want the same on a retry", a, b)
		}
		ds, err := db.Deliveries(ctx, "w_cert", 10)
		if err != nil || len(ds) != 1 || ds[0].State != trustmark.DeliveryDelivered || ds[0].Attempts != 2 {
			t.Errorf("stored deliveries = %+v (%v), want one delivered after 2 attempts", ds, err)
		}
	})
	t.Run("a restarted notifier repeats nothing", func(t *testing.T) {
		clock = clock.Add(time.Hour)
		queued, attempted, err := newNotifier().Step(ctx)
		if queued != 0 || attempted != 0 || err != nil {
			t.Errorf("Step after restart queued %d attempted %d (%v), want 0 0", queued, attempted, err)
		}
		if len(idleHook.got()) != 0 {
			t.Errorf("a watch of an unchanged certificate was called")
		}
	})
}

func TestNotifierBacksOffAndGivesUp(t *testing.T) {
	storeClock := storeNow
	db := openStoreClock(t, &storeClock)
	down := newHook(t, 1000)
	addWatch(t, db, "w_down", down.srv.URL, "s3cret-s3cret-s3cret", storeNow.Add(30*time.Second), trustmark.WatchItem{Kind: trustmark.WatchCertificate, Key: qmsSusp})
	storeClock = storeNow.Add(time.Minute)
	if _, err := db.TransitionCertificate(ctx, trustmark.System, qmsSusp, trustmark.Transition{To: trustmark.StatusValid}); err != nil {
		t.Fatal(err)
	}
	clock := storeClock
	n := webhook.NewNotifier(webhook.Config{Feed: feed(db), Watches: db, Client: down.srv.Client(),
		Clock: func() time.Time { return clock }, Backoff: 10 * time.Second, MaxAttempts: 4})

	var waits []time.Duration
	for i := 0; i < 4; i++ {
		if _, attempted, err := n.Step(ctx); attempted != 1 || err != nil {
			t.Fatalf("attempt %d: Step attempted %d (%v), want 1", i+1, attempted, err)
		}
		ds, _ := db.Deliveries(ctx, "w_down", 1)
		d := ds[0]
		if i < 3 {
			waits = append(waits, d.NextAttemptAt.Sub(clock))
			if d.State != trustmark.DeliveryPending || d.LastStatus != 500 {
				t.Fatalf("after attempt %d: state %s status %d, want pending after a 500", i+1, d.State, d.LastStatus)
			}
			clock = d.NextAttemptAt
		} else if d.State != trustmark.DeliveryFailed || d.Attempts != 4 {
			t.Errorf("after the last attempt: state %s attempts %d, want failed after 4", d.State, d.Attempts)
		}
	}
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second}
	for i := range want {
		if waits[i] != want[i] {
			t.Errorf("wait after failure %d = %s, want %s (doubling)", i+1, waits[i], want[i])
		}
	}
	clock = clock.Add(24 * time.Hour)
	if _, attempted, _ := n.Step(ctx); attempted != 0 {
		t.Errorf("a failed delivery was attempted again")
	}
}

func TestNotifierHonoursRetryAfter(t *testing.T) {
	storeClock := storeNow
	db := openStoreClock(t, &storeClock)
	busy := newHook(t, 1)
	busy.retryAfter = "120"
	addWatch(t, db, "w_busy", busy.srv.URL, "s3cret-s3cret-s3cret", storeNow.Add(30*time.Second), trustmark.WatchItem{Kind: trustmark.WatchOrg, Key: string(holder1)})
	storeClock = storeNow.Add(time.Minute)
	if _, err := db.TransitionCertificate(ctx, trustmark.System, cccValid, trustmark.Transition{To: trustmark.StatusWithdrawn, Reason: "持证人申请注销"}); err != nil {
		t.Fatal(err)
	}
	clock := storeClock
	n := webhook.NewNotifier(webhook.Config{Feed: feed(db), Watches: db, Client: busy.srv.Client(),
		Clock: func() time.Time { return clock }, Backoff: 10 * time.Second})
	if _, attempted, err := n.Step(ctx); attempted != 1 || err != nil {
		t.Fatalf("Step attempted %d (%v), want 1", attempted, err)
	}
	ds, _ := db.Deliveries(ctx, "w_busy", 1)
	if got := ds[0].NextAttemptAt.Sub(clock); got != 120*time.Second || ds[0].LastStatus != 503 {
		t.Errorf("after a 503 with Retry-After: 120, next attempt in %s (status %d), want 2m0s", got, ds[0].LastStatus)
	}
}

func TestPublicClientRefusesLoopback(t *testing.T) {
	h := newHook(t, 0)
	resp, err := webhook.PublicClient().Get(h.srv.URL)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("PublicClient reached %s, want it refused", h.srv.URL)
	}
	if len(h.got()) != 0 {
		t.Error("the loopback server was called")
	}
	host := strings.TrimPrefix(h.srv.URL, "http://")
	if got, want := webhook.Problem(err, h.srv.URL, time.Second), host+" is not at a public address; webhooks are only called on public addresses"; got != want {
		t.Errorf("Problem(%v) = %q, want %q", err, got, want)
	}
}

// TestNotifierWakesOnCommit runs a notifier whose Interval is an hour: a
// status change is delivered at once all the same, woken by its commit.
func TestNotifierWakesOnCommit(t *testing.T) {
	eachStore(t, func(t *testing.T, open opener) {
		storeClock := storeNow
		db := open(t, &storeClock)
		h := newHook(t, 0)
		addWatch(t, db, "w_cert", h.srv.URL, "s3cret-s3cret-s3cret", storeNow.Add(time.Minute), trustmark.WatchItem{Kind: trustmark.WatchCertificate, Key: cccValid})
		storeClock = storeNow.Add(time.Hour)
		n := webhook.NewNotifier(webhook.Config{Feed: feed(db), Watches: db, Client: h.srv.Client(), Clock: func() time.Time { return storeNow.Add(time.Hour) },
			Logger: quiet, Interval: time.Hour, LeaseTTL: time.Hour})
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			n.Run(runCtx)
		}()
		defer func() { cancel(); <-done }()
		// Once its cursor is at the fixture's last event, it has taken the
		// lease, read everything and gone idle.
		evs, err := db.Events(ctx, trustmark.EventFilter{After: -1})
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if c, _ := db.Cursor(ctx, webhook.Cursor); c == evs[len(evs)-1].Seq {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the notifier did not read the fixture's events within 10 s")
			}
		}
		start := time.Now()
		if _, err := db.TransitionCertificate(ctx, trustmark.System, cccValid, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "监督审核"}); err != nil {
			t.Fatal(err)
		}
		for len(h.got()) == 0 {
			if time.Since(start) > 10*time.Second {
				t.Fatal("no delivery within 10 s of the change; the notifier waits for its hourly interval")
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Logf("delivered %s after the commit", time.Since(start).Round(time.Millisecond))
	})
}

// fakeClock is a clock the test moves, safe for concurrent use.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// logBuffer collects a logger's output, safe for concurrent use.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// leaseTTL is the notifier lease of the lease tests: renewed, and tried
// for by standbys, every 50 ms.
const leaseTTL = 150 * time.Millisecond

// leaseRig is one database with a watch of cccValid, a receiver, and
// notifiers that run on it as servers would, each through its own
// connection to the database.
type leaseRig struct {
	t     *testing.T
	dsn   string
	db    *sqlstore.DB // the fixture's handle; changes are made through it
	clock *fakeClock   // the notifiers' clock
	hook  *hook
	logs  *logBuffer
	next  trustmark.CertStatus // the status the next change sets
}

func newLeaseRig(t *testing.T, dsn string) *leaseRig {
	// The store's clock is set before any notifier runs and never moved.
	storeClock := storeNow
	db := fill(t, dsn, &storeClock)
	r := &leaseRig{t: t, dsn: dsn, db: db, clock: &fakeClock{now: storeNow.Add(2 * time.Hour)}, hook: newHook(t, 0),
		logs: &logBuffer{}, next: trustmark.StatusSuspended}
	addWatch(t, db, "w_cert", r.hook.srv.URL, "s3cret-s3cret-s3cret", storeNow.Add(time.Hour), trustmark.WatchItem{Kind: trustmark.WatchCertificate, Key: cccValid})
	storeClock = storeNow.Add(2 * time.Hour)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("notifier logs:\n%s", r.logs.String())
		}
	})
	return r
}

// start runs a notifier named holder on its own handle of the database and
// returns a function that stops it (releasing its lease) and waits for Run
// to return.
func (r *leaseRig) start(holder string) (stop func()) {
	r.t.Helper()
	fixed := storeNow.Add(2 * time.Hour)
	db, err := sqlstore.Open(ctx, r.dsn, sqlstore.WithClock(func() time.Time { return fixed }))
	if err != nil {
		r.t.Fatalf("Open: %v", err)
	}
	n := webhook.NewNotifier(webhook.Config{Feed: feed(db), Watches: db, Client: r.hook.srv.Client(), Clock: r.clock.Now,
		Logger: slog.New(slog.NewTextHandler(r.logs, nil)).With("notifier", holder), Holder: holder,
		Interval: 5 * time.Millisecond, LeaseTTL: leaseTTL})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		n.Run(runCtx)
	}()
	stop = sync.OnceFunc(func() {
		cancel()
		<-done
		db.Close()
	})
	r.t.Cleanup(stop)
	return stop
}

// change suspends or restores cccValid: one status change, one delivery.
func (r *leaseRig) change() {
	r.t.Helper()
	if _, err := r.db.TransitionCertificate(ctx, trustmark.System, cccValid, trustmark.Transition{To: r.next, Reason: "监督审核"}); err != nil {
		r.t.Fatalf("TransitionCertificate(%s): %v", r.next, err)
	}
	if r.next == trustmark.StatusSuspended {
		r.next = trustmark.StatusValid
	} else {
		r.next = trustmark.StatusSuspended
	}
}

// waitCalls waits until the receiver has had n calls.
func (r *leaseRig) waitCalls(n int) {
	r.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); len(r.hook.got()) < n; {
		if time.Now().After(deadline) {
			r.t.Fatalf("receiver got %d calls in 10 s, want %d", len(r.hook.got()), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitLog waits until the notifiers have logged s.
func (r *leaseRig) waitLog(s string) {
	r.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(r.logs.String(), s); {
		if time.Now().After(deadline) {
			r.t.Fatalf("no notifier logged %q in 10 s", s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkOnce checks, after giving a duplicate time to arrive, that the
// receiver got n calls, each delivery once.
func (r *leaseRig) checkOnce(n int) {
	r.t.Helper()
	time.Sleep(2 * leaseTTL)
	calls := r.hook.got()
	seen := map[string]int{}
	for _, c := range calls {
		seen[c.header.Get(webhook.HeaderDelivery)]++
	}
	for id, k := range seen {
		if k != 1 {
			r.t.Errorf("delivery %s was made %d times, want once", id, k)
		}
	}
	if len(seen) != n {
		r.t.Errorf("receiver got %d distinct deliveries, want %d (one per change)", len(seen), n)
	}
}

func TestNotifiersOnOneDatabaseDeliverEachChangeOnce(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dsn string) {
		r := newLeaseRig(t, dsn)
		stopA := r.start("a")
		r.change()
		r.waitCalls(1) // a delivers: it holds the lease

		r.start("b")
		for i := 2; i <= 6; i++ {
			r.change()
			time.Sleep(10 * time.Millisecond)
		}
		r.waitCalls(6)
		r.checkOnce(6)
		if t.Failed() {
			return
		}

		stopA() // releases the lease; b takes over
		for i := 7; i <= 10; i++ {
			r.change()
		}
		r.waitCalls(10)
		r.checkOnce(10)
		if !strings.Contains(r.logs.String(), "notifier=b") {
			t.Errorf("b logged nothing; want it to take the lease after a stopped")
		}
	})
}

func TestNotifierStandbyWaitsForTheLeaseToExpire(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dsn string) {
		r := newLeaseRig(t, dsn)
		// A notifier that died holding the lease, for a minute.
		if ok, err := r.db.AcquireLease(ctx, webhook.Lease, "crashed", r.clock.Now(), time.Minute); !ok || err != nil {
			t.Fatalf("AcquireLease(crashed) = %t, %v; want true", ok, err)
		}
		r.start("b")
		r.change()
		time.Sleep(5 * leaseTTL)
		if got := len(r.hook.got()); got != 0 {
			t.Fatalf("standby made %d calls while another held the lease, want 0", got)
		}
		r.clock.Add(time.Minute)
		r.waitCalls(1)
		r.checkOnce(1)
	})
}

func TestNotifierStopsDeliveringWhenItLosesTheLease(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dsn string) {
		r := newLeaseRig(t, dsn)
		r.start("a")
		r.change()
		r.waitCalls(1)

		// Another server takes the lease once a's has expired by the clock
		// (a renews it meanwhile, so try until the taker is first).
		for i := 0; ; i++ {
			r.clock.Add(time.Second)
			ok, err := r.db.AcquireLease(ctx, webhook.Lease, "taker", r.clock.Now(), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				break
			}
			if i == 100 {
				t.Fatal("the lease could not be taken from a")
			}
		}
		r.waitLog("lost the lease")
		time.Sleep(leaseTTL / 3) // let a's step in flight end
		r.change()
		time.Sleep(5 * leaseTTL)
		if got := len(r.hook.got()); got != 1 {
			t.Fatalf("receiver got %d calls after a lost the lease, want still 1", got)
		}

		if err := r.db.ReleaseLease(ctx, webhook.Lease, "taker"); err != nil {
			t.Fatal(err)
		}
		r.waitCalls(2) // a takes the lease again and delivers the change
		r.checkOnce(2)
	})
}
