package translog

import (
	"bytes"
	"context"
	"maps"
	"sync"

	"trustmark"
)

// EventSource is the registry's events as the log's Source: entry i is
// Entry of the event with Seq i. The log's size is its cursor (entry i is
// event i), so it keeps no feed cursor of its own; it reads through
// trustmark.ReadEvents for the feed's gap check, and is woken after commits
// by the feed (trustmark.Feed.OnCommit calling Log.Notify).
type EventSource struct {
	Store trustmark.Store
	// NextSeq, when set, returns the application's event counter (the Seq
	// of its next event); rows at or beyond it were not written by the
	// application and are never taken into the log (see sqlstore's
	// LogStorage.NextEventSeq).
	NextSeq func(ctx context.Context) (int64, error)

	// memo, set by Open on the log's copy, holds the last event encoded
	// and its entry (see entryMemo).
	memo *entryMemo
}

// entryMemo is the last event an EventSource encoded and its entry. The
// log reads its last published entry again with each batch, to check that
// the registry still holds it (guard.go); when the event read is the one
// remembered, field for field, its entry is the one remembered (Entry is a
// function of the event), and it is not encoded again.
type entryMemo struct {
	mu    sync.Mutex
	event trustmark.Event
	entry []byte
}

// encode returns Entry(e), from the memo when e is the event remembered.
func (m *entryMemo) encode(e trustmark.Event) ([]byte, error) {
	if m == nil {
		return Entry(e)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entry != nil && sameEvent(m.event, e) {
		return m.entry, nil
	}
	return Entry(e)
}

// remember keeps e and its entry b.
func (m *entryMemo) remember(e trustmark.Event, b []byte) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e.Data, e.Salt, e.Personal = bytes.Clone(e.Data), bytes.Clone(e.Salt), maps.Clone(e.Personal)
	m.event, m.entry = e, b
}

// sameEvent reports whether a and b are the same event, every field equal
// (times and dates by ==, stricter than Equal: a false "no" only costs an
// encoding). TestSameEventSeesEveryField keeps it in step with Event.
func sameEvent(a, b trustmark.Event) bool {
	return a.Seq == b.Seq && a.At == b.At && a.Actor == b.Actor && a.Entity == b.Entity && a.Key == b.Key &&
		a.Action == b.Action && a.From == b.From && a.To == b.To && a.Reason == b.Reason &&
		a.EffectiveOn == b.EffectiveOn && bytes.Equal(a.Data, b.Data) && bytes.Equal(a.Salt, b.Salt) &&
		maps.Equal(a.Personal, b.Personal)
}

// Entries implements Source. It fails with a *trustmark.GapError on a gap
// in the events' Seq numbers, which the registry never leaves: a gap means
// a row was deleted.
func (s EventSource) Entries(ctx context.Context, from uint64, max int) ([][]byte, error) {
	if s.NextSeq != nil {
		next, err := s.NextSeq(ctx)
		if err != nil {
			return nil, err
		}
		if next <= int64(from) {
			return nil, nil
		}
		max = int(min(int64(max), next-int64(from)))
	}
	evs, err := trustmark.ReadEvents(ctx, s.Store, int64(from)-1, max)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(evs))
	for _, e := range evs {
		b, err := s.memo.encode(e)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if len(evs) > 0 {
		s.memo.remember(evs[len(evs)-1], out[len(out)-1])
	}
	return out, nil
}
