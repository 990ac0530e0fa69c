package translog

import (
	"context"
	"fmt"

	"trustmark"
)

// EventSource is the registry's events as the log's Source: entry i is
// Entry of the event with Seq i.
type EventSource struct {
	Store trustmark.Store
	// NextSeq, when set, returns the application's event counter (the Seq
	// of its next event); rows at or beyond it were not written by the
	// application and are never taken into the log (see sqlstore's
	// LogStorage.NextEventSeq).
	NextSeq func(ctx context.Context) (int64, error)
}

// Entries implements Source. It fails on a gap in the events' Seq numbers,
// which the registry never leaves: a gap means a row was deleted.
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
	evs, err := s.events(ctx, from, max)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(evs))
	for _, e := range evs {
		b, err := Entry(e)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func (s EventSource) events(ctx context.Context, from uint64, max int) ([]trustmark.Event, error) {
	var out []trustmark.Event
	for len(out) < max {
		next := int64(from) + int64(len(out))
		evs, err := s.Store.Events(ctx, trustmark.EventFilter{After: next - 1, Limit: max - len(out)})
		if err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			break
		}
		for i, e := range evs {
			if want := next + int64(i); e.Seq != want {
				return nil, fmt.Errorf("event seq %d follows seq %d: the events have a gap (a row was deleted?)", e.Seq, want-1)
			}
		}
		out = append(out, evs...)
	}
	return out, nil
}
