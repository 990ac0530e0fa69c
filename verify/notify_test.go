package verify_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/verify"
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

func addWatch(t *testing.T, db *sqlstore.DB, id, url, secret string, at time.Time, items ...verify.WatchItem) {
	t.Helper()
	if err := db.CreateWatch(ctx, &verify.Watch{ID: id, Owner: "body:" + bodyCQC, URL: url, Secret: secret, Items: items, CreatedAt: at}); err != nil {
		t.Fatalf("CreateWatch: %v", err)
	}
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
	addWatch(t, db, "w_cert", certHook.srv.URL+"/hook", secret, storeClock, verify.WatchItem{Kind: trustmark.WatchCertificate, Key: cccValid})
	addWatch(t, db, "w_org", orgHook.srv.URL, secret, storeClock, verify.WatchItem{Kind: trustmark.WatchOrg, Key: string(holder2)})
	addWatch(t, db, "w_idle", idleHook.srv.URL, secret, storeClock, verify.WatchItem{Kind: trustmark.WatchCertificate, Key: "2025010901777777"})

	storeClock = storeNow.Add(2 * time.Hour)
	if _, err := db.TransitionCertificate(ctx, trustmark.System, cccValid, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "工厂检查不合格"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TransitionCertificate(ctx, trustmark.System, organicNo, trustmark.Transition{To: trustmark.StatusWithdrawn, Reason: "持证人申请注销"}); err != nil {
		t.Fatal(err)
	}

	clock := storeClock
	newNotifier := func() *verify.Notifier {
		return verify.NewNotifier(verify.NotifierConfig{Store: db, Watches: db, Client: certHook.srv.Client(),
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
		if err := verify.CheckSignature(secret, c.header.Get(verify.HeaderSignature), c.header.Get(verify.HeaderTimestamp), c.body, clock, 5*time.Minute); err != nil {
			t.Errorf("signature does not verify: %v", err)
		}
		if err := verify.CheckSignature("wrong-secret-wrong", c.header.Get(verify.HeaderSignature), c.header.Get(verify.HeaderTimestamp), c.body, clock, 5*time.Minute); err == nil {
			t.Error("signature verifies with the wrong secret")
		}
		var p verify.Payload
		if err := json.Unmarshal(c.body, &p); err != nil {
			t.Fatal(err)
		}
		if p.Matched != (verify.WatchItem{Kind: trustmark.WatchOrg, Key: string(holder2)}) || p.Event.To != "withdrawn" || p.Cert.Number != organicNo || p.Event.Reason != "持证人申请注销" {
			t.Errorf("payload = %+v, want the withdrawal of %s matched by the holder", p, organicNo)
		}
		if got := c.header.Get(verify.HeaderEvent); got != trustmark.ActionStatusChanged {
			t.Errorf("%s = %q, want status_changed", verify.HeaderEvent, got)
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
		if a, b := calls[0].header.Get(verify.HeaderDelivery), calls[1].header.Get(verify.HeaderDelivery); a != b || a == "" {
			t.Errorf("delivery IDs %q and %q, want the same on a retry", a, b)
		}
		ds, err := db.Deliveries(ctx, "w_cert", 10)
		if err != nil || len(ds) != 1 || ds[0].State != verify.DeliveryDelivered || ds[0].Attempts != 2 {
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
	addWatch(t, db, "w_down", down.srv.URL, "s3cret-s3cret-s3cret", storeNow.Add(30*time.Second), verify.WatchItem{Kind: trustmark.WatchCertificate, Key: qmsSusp})
	storeClock = storeNow.Add(time.Minute)
	if _, err := db.TransitionCertificate(ctx, trustmark.System, qmsSusp, trustmark.Transition{To: trustmark.StatusValid}); err != nil {
		t.Fatal(err)
	}
	clock := storeClock
	n := verify.NewNotifier(verify.NotifierConfig{Store: db, Watches: db, Client: down.srv.Client(),
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
			if d.State != verify.DeliveryPending || d.LastStatus != 500 {
				t.Fatalf("after attempt %d: state %s status %d, want pending after a 500", i+1, d.State, d.LastStatus)
			}
			clock = d.NextAttemptAt
		} else if d.State != verify.DeliveryFailed || d.Attempts != 4 {
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
	addWatch(t, db, "w_busy", busy.srv.URL, "s3cret-s3cret-s3cret", storeNow.Add(30*time.Second), verify.WatchItem{Kind: trustmark.WatchOrg, Key: string(holder1)})
	storeClock = storeNow.Add(time.Minute)
	if _, err := db.TransitionCertificate(ctx, trustmark.System, cccValid, trustmark.Transition{To: trustmark.StatusWithdrawn, Reason: "持证人申请注销"}); err != nil {
		t.Fatal(err)
	}
	clock := storeClock
	n := verify.NewNotifier(verify.NotifierConfig{Store: db, Watches: db, Client: busy.srv.Client(),
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
	resp, err := verify.PublicClient().Get(h.srv.URL)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("PublicClient reached %s, want it refused", h.srv.URL)
	}
	if len(h.got()) != 0 {
		t.Error("the loopback server was called")
	}
}
