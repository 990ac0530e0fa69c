package trustmark

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// The event feed: every follower of the registry's events (the log
// integrator, the search indexer, the webhook notifier, and the supervision
// side's risk scores and statistics) reads them through a Feed, so that the
// cursors, the gap check, the wake-up and the decoding of Event.Data are
// written once.

// FeedStore is the storage side of a Feed: the events, the followers'
// named cursors and the wake-up after a commit. sqlstore.DB implements it;
// storetest.RunFeed is its conformance suite. It must be safe for
// concurrent use.
type FeedStore interface {
	// Events returns events in Seq order (see Store).
	Events(ctx context.Context, f EventFilter) ([]Event, error)

	// Cursor returns the Seq of the last event the follower name has
	// handled, or -1 when it has handled none.
	Cursor(ctx context.Context, name string) (int64, error)
	// SetCursor sets the cursor of name to seq, whatever it was: for a
	// follower whose output keeps its own account of what it holds (a
	// search index) to bring the cursor in line with it, and for operators.
	SetCursor(ctx context.Context, name string, seq int64) error
	// AdvanceCursor moves the cursor of name from from to to, in one
	// transaction with the writes of in (when in is not nil): in runs first,
	// and what it writes to this store with the context it is given commits
	// with the cursor or not at all. in must not write registry records
	// (which record events). When the cursor is no longer at from (another
	// follower of the same name moved it), AdvanceCursor returns an error
	// with code EConflict and nothing commits. The transaction may be run
	// again after a lost race, so in must have no other effects.
	AdvanceCursor(ctx context.Context, name string, from, to int64, in func(ctx context.Context) error) error

	// Committed returns a channel that is closed when a transaction that
	// wrote events next commits through this store. Take it before reading
	// the events, so that a commit between the read and the wait is not
	// missed. Commits made through other handles on the same database
	// (another server, a command) do not close it: followers poll slowly as
	// well (docs/ARCHITECTURE.md, "Events and followers").
	Committed() <-chan struct{}
}

// Change is an event as followers receive it: the event, and the record's
// public state after it, decoded from Data once, by the feed. The field of
// the event's Entity is set when Data holds that record under the event's
// Key; all are nil for an event without state (or one this version cannot
// read), and followers that need the state then look the record up.
type Change struct {
	Event
	Org         *Org
	Body        *Body
	Lab         *Lab
	Person      *Person // Name is filled from the event's personal data when it was read with it
	Certificate *Certificate
	Report      *Report
}

// NewChange decodes e's state.
func NewChange(e Event) Change {
	c := Change{Event: e}
	if len(e.Data) == 0 {
		return c
	}
	switch e.Entity {
	case EntityOrg:
		c.Org = decodeState[Org](e)
	case EntityBody:
		c.Body = decodeState[Body](e)
	case EntityLab:
		c.Lab = decodeState[Lab](e)
	case EntityPerson:
		if c.Person = decodeState[Person](e); c.Person != nil {
			c.Person.Name = e.Personal["name"]
		}
	case EntityCertificate:
		c.Certificate = decodeState[Certificate](e)
	case EntityReport:
		c.Report = decodeState[Report](e)
	}
	return c
}

// decodeState returns the record in e.Data, or nil when Data does not hold
// the record e.Key names.
func decodeState[T any, P interface {
	*T
	Record
}](e Event) *T {
	var v T
	if json.Unmarshal(e.Data, &v) != nil || P(&v).RecordKey() != e.Key {
		return nil
	}
	return &v
}

// GapError reports a gap in the events' Seq numbers. The registry numbers
// its events without gaps in commit order, so a gap means that rows were
// deleted behind the application's back: a follower stops there rather than
// carry on without them.
type GapError struct {
	Missing int64 // the first Seq that is not there
	Next    int64 // the Seq read in its place
}

// Error implements error.
func (e *GapError) Error() string {
	return fmt.Sprintf("the events have a gap: event %d is missing and %d follows %d (a row was deleted?)", e.Missing, e.Next, e.Missing-1)
}

// EventReader is what ReadEvents needs: Store and FeedStore are both.
type EventReader interface {
	Events(ctx context.Context, f EventFilter) ([]Event, error)
}

// ReadEvents returns up to max events after Seq after, in Seq order. When
// their numbers do not follow after without a gap it returns the events
// before the gap with a *GapError, so that a follower can go as far as the
// gap and stop there. It is the one gap check: followers read through it
// (a Feed does).
func ReadEvents(ctx context.Context, r EventReader, after int64, max int) ([]Event, error) {
	evs, err := r.Events(ctx, EventFilter{After: after, Limit: max})
	if err != nil {
		return nil, err
	}
	for i, e := range evs {
		if want := after + 1 + int64(i); e.Seq != want {
			return evs[:i], &GapError{Missing: want, Next: e.Seq}
		}
	}
	return evs, nil
}

// DefaultFeedPoll is how often a follower reads the events when no commit
// wakes it: the safety net for commits through other handles of the
// database (another server, an import command).
const DefaultFeedPoll = 5 * time.Second

// DefaultFeedBatch is how many events a follower handles at a time unless it
// says otherwise.
const DefaultFeedBatch = 1000

// FeedOptions configure a Feed. The zero value is usable.
type FeedOptions struct {
	Poll   time.Duration // default DefaultFeedPoll
	Logger *slog.Logger  // default slog.Default()
}

// Feed is the registry's event stream as its followers read it: each
// follower has a named cursor in the store, receives the events after it in
// batches with their state decoded (Change), and the cursor moves past a
// batch only once the follower has handled it. It is safe for concurrent
// use; one Feed serves every follower of a process.
type Feed struct {
	store FeedStore
	poll  time.Duration
	log   *slog.Logger
}

// NewFeed returns the feed of the events in s.
func NewFeed(s FeedStore, opts FeedOptions) *Feed {
	if opts.Poll <= 0 {
		opts.Poll = DefaultFeedPoll
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Feed{store: s, poll: opts.Poll, log: opts.Logger}
}

// Store returns the feed's store, for followers that keep their cursor in
// line with an output of their own (SetCursor).
func (f *Feed) Store() FeedStore { return f.store }

// Poll is how often Follow reads when no commit wakes it.
func (f *Feed) Poll() time.Duration { return f.poll }

// Committed returns the store's wake-up channel (FeedStore.Committed).
func (f *Feed) Committed() <-chan struct{} { return f.store.Committed() }

// Changes returns up to max events after Seq after, decoded; like
// ReadEvents, the changes before a gap come with its *GapError.
func (f *Feed) Changes(ctx context.Context, after int64, max int) ([]Change, error) {
	evs, err := ReadEvents(ctx, f.store, after, max)
	out := make([]Change, len(evs))
	for i, e := range evs {
		out[i] = NewChange(e)
	}
	return out, err
}

// A Follower is one reader of the feed.
type Follower struct {
	// Name names its cursor; it must be unique among the followers of one
	// database ("webhook-notifier", "search/INDEX-ID").
	Name string
	// Batch is the most events Handle is given at once; default
	// DefaultFeedBatch.
	Batch int
	// InTransaction runs Handle inside the transaction that moves the
	// cursor (FeedStore.AdvanceCursor), so that what it writes to the store
	// commits with the cursor: for followers whose output is rows of the
	// same database (deliveries, scores). Others (an index on disk) leave
	// it false: Handle then runs first, and the cursor moves after it
	// returns, so a crash in between hands the batch over again, and Handle
	// must be idempotent.
	InTransaction bool
	// Handle handles one batch of changes, in Seq order. An error leaves
	// the cursor where it was; the batch comes again.
	Handle func(ctx context.Context, batch []Change) error
}

// CatchUp hands fl every event after its cursor, batch by batch, and
// returns how many it handled. It stops at the first error: a *GapError
// when events are missing, the error of Handle, or an EConflict error when
// another follower of the same name moved the cursor meanwhile.
func (f *Feed) CatchUp(ctx context.Context, fl Follower) (int, error) {
	batch := fl.Batch
	if batch <= 0 {
		batch = DefaultFeedBatch
	}
	after, err := f.store.Cursor(ctx, fl.Name)
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		changes, readErr := f.Changes(ctx, after, batch)
		if len(changes) == 0 {
			return n, readErr
		}
		last := changes[len(changes)-1].Seq
		if fl.InTransaction {
			err = f.store.AdvanceCursor(ctx, fl.Name, after, last, func(ctx context.Context) error { return fl.Handle(ctx, changes) })
		} else if err = fl.Handle(ctx, changes); err == nil {
			err = f.store.AdvanceCursor(ctx, fl.Name, after, last, nil)
		}
		if err != nil {
			return n, err
		}
		n += len(changes)
		after = last
		if readErr != nil || len(changes) < batch {
			return n, readErr // the changes before a gap are handled, then the gap stops the follower
		}
	}
}

// Follow runs CatchUp for fl whenever a transaction that wrote events
// commits, and every Poll in any case, until ctx is done. Failures are
// logged and tried again at the next poll, except a gap in the events:
// Follow then logs it and returns the *GapError, since handling the events
// after it would leave a follower's output silently incomplete. Otherwise
// it returns ctx's error.
func (f *Feed) Follow(ctx context.Context, fl Follower) error {
	for {
		committed := f.store.Committed()
		start := time.Now()
		n, err := f.CatchUp(ctx, fl)
		var gap *GapError
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &gap):
			f.log.Error("event feed: a follower stops at a gap in the events", "follower", fl.Name, "err", err)
			return err
		case err != nil:
			f.log.Error("event feed: a follower failed; trying again at the next poll", "follower", fl.Name, "err", err, "events", n)
			committed = nil // a failing follower retries at the poll's pace, not at every commit
		case n > 0:
			// A backlog (a start, a bulk import) is worth a line; each
			// commit's few events are not.
			level := slog.LevelDebug
			if time.Since(start) >= time.Second {
				level = slog.LevelInfo
			}
			f.log.Log(ctx, level, "event feed: follower caught up", "follower", fl.Name, "events", n, "took", time.Since(start).Round(time.Millisecond))
		}
		if err := f.wait(ctx, committed); err != nil {
			return err
		}
	}
}

// wait returns when committed is closed or after Poll, or ctx's error when
// it is done first.
func (f *Feed) wait(ctx context.Context, committed <-chan struct{}) error {
	t := time.NewTimer(f.poll)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-committed:
	case <-t.C:
	}
	return nil
}

// OnCommit calls wake after each commit of a transaction that wrote events,
// until ctx is done: for a follower with a loop of its own that only needs
// the wake-up (the traceability log's Notify).
func (f *Feed) OnCommit(ctx context.Context, wake func()) {
	committed := f.store.Committed()
	for {
		select {
		case <-ctx.Done():
			return
		case <-committed:
			// The next channel is taken before wake runs, so that a commit
			// while it runs wakes it again.
			committed = f.store.Committed()
			wake()
		}
	}
}
