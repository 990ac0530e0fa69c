package storetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"trustmark"
)

// FeedHooks are what the feed suite needs from the implementation under
// test beyond its interfaces: things only the database's owner can do.
type FeedHooks struct {
	// DeleteEvent deletes the event row with Seq seq behind the store's
	// back, as a person with access to the database could.
	DeleteEvent func(t *testing.T, s trustmark.Store, seq int64)
	// RollBack runs a write transaction that records an event and then
	// fails, so that it is rolled back.
	RollBack func(t *testing.T, s trustmark.Store)
	// Reopen opens another handle on s's database, as another process
	// would (the suite closes it).
	Reopen func(t *testing.T, s trustmark.Store) trustmark.Store
}

// RunFeed runs the conformance suite of trustmark.FeedStore and of the Feed
// over it. open must return a new, empty store, as for Run, that implements
// trustmark.FeedStore; the suite closes it.
func RunFeed(t *testing.T, open func(t *testing.T) trustmark.Store, hooks FeedHooks) {
	fresh := func(t *testing.T) (trustmark.Store, *trustmark.Feed) {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { s.Close() })
		fs, ok := s.(trustmark.FeedStore)
		if !ok {
			t.Fatalf("%T does not implement trustmark.FeedStore", s)
		}
		return s, trustmark.NewFeed(fs, trustmark.FeedOptions{Poll: time.Hour})
	}
	t.Run("cursors", func(t *testing.T) { testFeedCursors(t, fresh, hooks) })
	t.Run("changes", func(t *testing.T) { testFeedChanges(t, fresh) })
	t.Run("gaps", func(t *testing.T) { testFeedGaps(t, fresh, hooks) })
	t.Run("wake-ups", func(t *testing.T) { testFeedWakeUps(t, fresh, hooks) })
	t.Run("failures", func(t *testing.T) { testFeedFailures(t, fresh) })
}

type freshFeed func(t *testing.T) (trustmark.Store, *trustmark.Feed)

// recorder is a follower that remembers the Seq numbers it was handed.
type recorder struct {
	mu   sync.Mutex
	seqs []int64
	fail error // returned by Handle instead of handling, when set
}

func (r *recorder) follower(name string, batch int) trustmark.Follower {
	return trustmark.Follower{Name: name, Batch: batch, Handle: r.handle}
}

func (r *recorder) handle(_ context.Context, batch []trustmark.Change) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	for _, c := range batch {
		r.seqs = append(r.seqs, c.Seq)
	}
	return nil
}

func (r *recorder) got() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.seqs)
}

// seqRange returns from, from+1, ..., to.
func seqRange(from, to int64) []int64 {
	var out []int64
	for s := from; s <= to; s++ {
		out = append(out, s)
	}
	return out
}

func cursor(t *testing.T, s trustmark.Store, name string) int64 {
	t.Helper()
	c, err := s.(trustmark.FeedStore).Cursor(ctx, name)
	if err != nil {
		t.Fatalf("Cursor(%q): %v", name, err)
	}
	return c
}

func catchUp(t *testing.T, f *trustmark.Feed, fl trustmark.Follower) int {
	t.Helper()
	n, err := f.CatchUp(ctx, fl)
	if err != nil {
		t.Fatalf("CatchUp(%s): %v", fl.Name, err)
	}
	return n
}

func testFeedCursors(t *testing.T, fresh freshFeed, hooks FeedHooks) {
	t.Run("a new follower reads every event in batches, and its cursor ends at the last", func(t *testing.T) {
		s, f := fresh(t)
		seed(t, s)
		last := int64(len(events(t, s)) - 1)
		if got := cursor(t, s, "reader"); got != -1 {
			t.Fatalf("Cursor of a follower that has read nothing = %d, want -1", got)
		}
		var r recorder
		if n := catchUp(t, f, r.follower("reader", 4)); n != int(last+1) {
			t.Errorf("CatchUp handled %d events, want %d", n, last+1)
		}
		if got, want := r.got(), seqRange(0, last); !slices.Equal(got, want) {
			t.Errorf("handled Seqs %v, want %v", got, want)
		}
		if got := cursor(t, s, "reader"); got != last {
			t.Errorf("Cursor after CatchUp = %d, want %d", got, last)
		}
	})
	t.Run("a follower resumes after its cursor, through a new feed and a new handle", func(t *testing.T) {
		s, f := fresh(t)
		seed(t, s)
		var first recorder
		catchUp(t, f, first.follower("reader", 100))
		last := first.got()[len(first.got())-1]
		importAll(t, s, trustmark.KindOrgs, newOrg(trustmark.MakeUSCC("9111010800000009"), "北京新成立科技有限公司", "110108"))

		again := s
		if hooks.Reopen != nil {
			again = hooks.Reopen(t, s)
		}
		var next recorder
		f2 := trustmark.NewFeed(again.(trustmark.FeedStore), trustmark.FeedOptions{Poll: time.Hour})
		if n := catchUp(t, f2, next.follower("reader", 100)); n != 1 {
			t.Errorf("CatchUp after one more event handled %d, want 1", n)
		}
		if got, want := next.got(), []int64{last + 1}; !slices.Equal(got, want) {
			t.Errorf("resumed with Seqs %v, want %v", got, want)
		}
		if n := catchUp(t, f2, next.follower("reader", 100)); n != 0 {
			t.Errorf("CatchUp with nothing new handled %d, want 0", n)
		}
	})
	t.Run("followers keep cursors of their own", func(t *testing.T) {
		s, f := fresh(t)
		seed(t, s)
		var a, b recorder
		catchUp(t, f, a.follower("a", 100))
		if got := cursor(t, s, "b"); got != -1 {
			t.Errorf("Cursor(b) after a caught up = %d, want -1", got)
		}
		if n := catchUp(t, f, b.follower("b", 100)); n != len(a.got()) {
			t.Errorf("b handled %d events, want all %d", n, len(a.got()))
		}
	})
	t.Run("SetCursor moves a cursor either way, and AdvanceCursor only from where it is", func(t *testing.T) {
		s, _ := fresh(t)
		fs := s.(trustmark.FeedStore)
		if err := fs.SetCursor(ctx, "index", 41); err != nil {
			t.Fatal(err)
		}
		if err := fs.SetCursor(ctx, "index", 7); err != nil {
			t.Fatal(err)
		}
		if got := cursor(t, s, "index"); got != 7 {
			t.Errorf("Cursor after SetCursor 41 then 7 = %d, want 7", got)
		}
		if err := fs.AdvanceCursor(ctx, "index", 7, 9, nil); err != nil {
			t.Errorf("AdvanceCursor(7 to 9): %v", err)
		}
		for _, from := range []int64{7, -1} {
			err := fs.AdvanceCursor(ctx, "index", from, 12, nil)
			if code := trustmark.ErrorCode(err); code != trustmark.EConflict {
				t.Errorf("AdvanceCursor(from %d) of a cursor at 9 = %v, want a conflict", from, err)
			}
		}
		if got := cursor(t, s, "index"); got != 9 {
			t.Errorf("Cursor after refused advances = %d, want 9", got)
		}
		if err := fs.AdvanceCursor(ctx, "new", -1, 3, nil); err != nil {
			t.Errorf("AdvanceCursor of a new cursor from -1: %v", err)
		}
		if err := fs.AdvanceCursor(ctx, "new", -1, 5, nil); trustmark.ErrorCode(err) != trustmark.EConflict {
			t.Errorf("a second AdvanceCursor from -1 = %v, want a conflict", err)
		}
	})
	t.Run("cursors refuse an empty name and a Seq below -1", func(t *testing.T) {
		s, _ := fresh(t)
		fs := s.(trustmark.FeedStore)
		for name, err := range map[string]error{
			"SetCursor without a name":        fs.SetCursor(ctx, "", 1),
			"SetCursor to -2":                 fs.SetCursor(ctx, "x", -2),
			"AdvanceCursor without a name":    fs.AdvanceCursor(ctx, "", -1, 1, nil),
			"AdvanceCursor backwards":         fs.AdvanceCursor(ctx, "x", 5, 3, nil),
			"AdvanceCursor to a Seq below -1": fs.AdvanceCursor(ctx, "x", -1, -2, nil),
		} {
			if trustmark.ErrorCode(err) != trustmark.EInvalid {
				t.Errorf("%s = %v, want invalid", name, err)
			}
		}
	})
}

func testFeedChanges(t *testing.T, fresh freshFeed) {
	t.Run("each change carries the state of its record after it, and only that", func(t *testing.T) {
		s, f := fresh(t)
		seed(t, s)
		if _, err := s.TransitionCertificate(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}, qmsNo,
			trustmark.Transition{To: trustmark.StatusSuspended, Reason: "复审不合格"}); err != nil {
			t.Fatal(err)
		}
		changes, err := f.Changes(ctx, -1, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != len(events(t, s)) {
			t.Fatalf("Changes gave %d, want one per event (%d)", len(changes), len(events(t, s)))
		}
		for _, c := range changes {
			states := map[string]trustmark.Record{}
			if c.Org != nil {
				states[trustmark.EntityOrg] = c.Org
			}
			if c.Body != nil {
				states[trustmark.EntityBody] = c.Body
			}
			if c.Lab != nil {
				states[trustmark.EntityLab] = c.Lab
			}
			if c.Person != nil {
				states[trustmark.EntityPerson] = c.Person
			}
			if c.Certificate != nil {
				states[trustmark.EntityCertificate] = c.Certificate
			}
			if c.Report != nil {
				states[trustmark.EntityReport] = c.Report
			}
			rec, ok := states[c.Entity]
			if len(states) != 1 || !ok {
				t.Errorf("change %d (%s %s) has state for %v, want only %s", c.Seq, c.Entity, c.Key, slices.Sorted(maps.Keys(states)), c.Entity)
				continue
			}
			if got := rec.RecordKey(); got != c.Key {
				t.Errorf("change %d: state of %q, want %q", c.Seq, got, c.Key)
			}
		}
		last := changes[len(changes)-1]
		if last.Certificate == nil || last.Certificate.Status != trustmark.StatusSuspended || last.To != string(trustmark.StatusSuspended) {
			t.Errorf("the suspension's change = %+v, want the certificate as suspended", last.Certificate)
		}
		for _, c := range changes {
			if c.Person != nil && c.Person.Name != "张伟" {
				t.Errorf("person change %d: Name = %q, want 张伟 (from the event's personal data)", c.Seq, c.Person.Name)
			}
		}
	})
}

func testFeedGaps(t *testing.T, fresh freshFeed, hooks FeedHooks) {
	if hooks.DeleteEvent == nil {
		t.Skip("the implementation gives no DeleteEvent hook")
	}
	t.Run("a follower handles the events before a gap and stops there, saying which is missing", func(t *testing.T) {
		s, f := fresh(t)
		seed(t, s)
		hooks.DeleteEvent(t, s, 3)
		var r recorder
		for range 2 { // and again: the gap does not go away
			_, err := f.CatchUp(ctx, r.follower("reader", 100))
			var gap *trustmark.GapError
			if !errors.As(err, &gap) || gap.Missing != 3 || gap.Next != 4 {
				t.Fatalf("CatchUp over a deleted event 3 = %v, want a *GapError for 3", err)
			}
			if got := cursor(t, s, "reader"); got != 2 {
				t.Errorf("Cursor at a gap after 2 = %d, want 2", got)
			}
		}
		if got, want := r.got(), seqRange(0, 2); !slices.Equal(got, want) {
			t.Errorf("handled Seqs %v, want %v (none after the gap)", got, want)
		}
	})
	t.Run("a gap at the first event is found", func(t *testing.T) {
		s, f := fresh(t)
		seed(t, s)
		hooks.DeleteEvent(t, s, 0)
		var r recorder
		_, err := f.CatchUp(ctx, r.follower("reader", 100))
		if gap := (*trustmark.GapError)(nil); !errors.As(err, &gap) || gap.Missing != 0 {
			t.Fatalf("CatchUp over a deleted event 0 = %v, want a *GapError for 0", err)
		}
		if len(r.got()) != 0 {
			t.Errorf("handled %v, want nothing", r.got())
		}
	})
	t.Run("Follow returns at a gap instead of trying forever", func(t *testing.T) {
		s, f := fresh(t)
		seed(t, s)
		hooks.DeleteEvent(t, s, 5)
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		var r recorder
		err := f.Follow(ctx, r.follower("reader", 2))
		if gap := (*trustmark.GapError)(nil); !errors.As(err, &gap) || gap.Missing != 5 {
			t.Errorf("Follow over a deleted event 5 = %v, want a *GapError for 5", err)
		}
	})
}

// closed reports whether ch is closed, without waiting.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func testFeedWakeUps(t *testing.T, fresh freshFeed, hooks FeedHooks) {
	t.Run("a commit that wrote events wakes the followers, a rollback and a write without events do not", func(t *testing.T) {
		s, f := fresh(t)
		woken := f.Committed()
		if hooks.RollBack != nil {
			hooks.RollBack(t, s)
			if closed(woken) {
				t.Error("a rolled-back transaction woke the followers")
			}
		}
		if err := s.(trustmark.FeedStore).SetCursor(ctx, "x", 3); err != nil {
			t.Fatal(err)
		}
		if closed(woken) {
			t.Error("a transaction without events woke the followers")
		}
		importAll(t, s, trustmark.KindOrgs, orgs()...)
		if !closed(woken) {
			t.Error("a committed import did not wake the followers")
		}
		if next := f.Committed(); closed(next) {
			t.Error("the wake-up after a commit is closed already before the next commit")
		}
	})
	t.Run("a follower handles a new event at once, without waiting for its poll", func(t *testing.T) {
		s, f := fresh(t) // the suite's feeds poll every hour
		seed(t, s)
		want := int64(len(events(t, s)))
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var r recorder
		done := make(chan error, 1)
		go func() { done <- f.Follow(ctx, r.follower("follower", 100)) }()
		waitFor(t, "the follower to catch up", func() bool { return len(r.got()) == int(want) })
		importAll(t, s, trustmark.KindOrgs, newOrg(trustmark.MakeUSCC("9111010800000009"), "北京新成立科技有限公司", "110108"))
		waitFor(t, "the follower to handle the new event", func() bool {
			got := r.got()
			return len(got) > 0 && got[len(got)-1] == want
		})
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Follow after cancel = %v, want context.Canceled", err)
		}
	})
	t.Run("OnCommit calls its function after each commit", func(t *testing.T) {
		s, f := fresh(t)
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		calls := make(chan struct{}, 10)
		go f.OnCommit(ctx, func() { calls <- struct{}{} })
		// OnCommit takes its first channel when it starts: commit until it
		// has, then once more.
		renames := 0
		waitFor(t, "a wake-up", func() bool {
			renames++
			importAll(t, s, trustmark.KindOrgs, newOrg(trustmark.MakeUSCC("9111010800000009"), fmt.Sprintf("北京第%d科技有限公司", renames), "110108"))
			return len(calls) > 0
		})
		for len(calls) > 0 {
			<-calls
		}
		importAll(t, s, trustmark.KindOrgs, newOrg(trustmark.MakeUSCC("9111010800000009"), "北京再更名科技有限公司", "110108"))
		select {
		case <-calls:
		case <-time.After(10 * time.Second):
			t.Error("no call within 10 s of a commit")
		}
	})
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
	}
}

func testFeedFailures(t *testing.T, fresh freshFeed) {
	t.Run("a follower's error leaves its cursor, and the batch comes again", func(t *testing.T) {
		s, f := fresh(t)
		seed(t, s)
		failure := errors.New("index full")
		r := recorder{fail: failure}
		if _, err := f.CatchUp(ctx, r.follower("reader", 3)); !errors.Is(err, failure) {
			t.Fatalf("CatchUp with a failing follower = %v, want its error", err)
		}
		if got := cursor(t, s, "reader"); got != -1 {
			t.Errorf("Cursor after a failed first batch = %d, want -1", got)
		}
		r.fail = nil
		catchUp(t, f, r.follower("reader", 3))
		if got := r.got(); len(got) == 0 || got[0] != 0 {
			t.Errorf("after the failure the follower got %v, want everything from 0", got)
		}
	})
	t.Run("in a transaction, a follower's writes commit with its cursor or not at all", func(t *testing.T) {
		s, f := fresh(t)
		w, ok := s.(trustmark.WatchStore)
		if !ok {
			t.Skipf("%T is no WatchStore: nothing for a follower to write", s)
		}
		seed(t, s)
		if err := w.CreateWatch(ctx, &trustmark.Watch{ID: "w1", Owner: "body:" + bodyA, URL: "https://example.com/hook", Secret: "0123456789abcdef",
			Items: []trustmark.WatchItem{{Kind: trustmark.WatchCertificate, Key: qmsNo}}, CreatedAt: Now}); err != nil {
			t.Fatal(err)
		}
		failure := errors.New("then it fails")
		enqueue := func(fail error) trustmark.Follower {
			return trustmark.Follower{Name: "notifier", Batch: 1000, InTransaction: true, Handle: func(ctx context.Context, batch []trustmark.Change) error {
				last := batch[len(batch)-1]
				if err := w.EnqueueDeliveries(ctx, []*trustmark.Delivery{{WatchID: "w1", EventSeq: last.Seq, Payload: []byte(`{}`),
					State: trustmark.DeliveryPending, NextAttemptAt: Now, CreatedAt: Now}}); err != nil {
					return err
				}
				return fail
			}}
		}
		deliveries := func() int {
			ds, err := w.Deliveries(ctx, "w1", 10)
			if err != nil {
				t.Fatal(err)
			}
			return len(ds)
		}
		if _, err := f.CatchUp(ctx, enqueue(failure)); !errors.Is(err, failure) {
			t.Fatalf("CatchUp = %v, want the follower's error", err)
		}
		if n, c := deliveries(), cursor(t, s, "notifier"); n != 0 || c != -1 {
			t.Errorf("after a failed handler: %d deliveries, cursor %d; want 0 and -1 (rolled back together)", n, c)
		}
		// Another follower of the same name moves the cursor meanwhile.
		fs := s.(trustmark.FeedStore)
		err := fs.AdvanceCursor(ctx, "notifier", 4, 6, func(ctx context.Context) error {
			return enqueue(nil).Handle(ctx, []trustmark.Change{{Event: trustmark.Event{Seq: 6}}})
		})
		if trustmark.ErrorCode(err) != trustmark.EConflict || deliveries() != 0 {
			t.Errorf("AdvanceCursor from a stale position = %v with %d deliveries, want a conflict and none", err, deliveries())
		}
		catchUp(t, f, enqueue(nil))
		if n, c := deliveries(), cursor(t, s, "notifier"); n != 1 || c != int64(len(events(t, s))-1) {
			t.Errorf("after a handler that succeeded: %d deliveries, cursor %d; want 1 and the last event", n, c)
		}
	})
}
