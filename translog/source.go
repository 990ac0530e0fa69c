package translog

import (
	"context"

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
		b, err := Entry(e)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}
