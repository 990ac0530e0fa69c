package sqlstore

import (
	"context"
	"sync"

	"trustmark/audit"
)

// maxGroup bounds the check-ins one group commit stores: enough to spread
// a commit's fsync over many phones, few enough that a batch's latency
// stays a fraction of a second.
const maxGroup = 1000

// checkInQueue is the group commit of check-ins: concurrent callers of
// CheckIn enqueue their check-in and wait; one goroutine, started when the
// queue fills from empty and gone when it is empty again, takes what is
// queued and stores it in one transaction (checkInTx), so that a hundred
// phones pay for one commit. Each caller gets its own result or refusal.
type checkInQueue struct {
	mu      sync.Mutex
	pending []*pendingCheckIn
	running bool
}

type pendingCheckIn struct {
	item audit.CheckInItem
	res  audit.CheckInResult
	err  error
	done chan struct{}
}

// enqueue adds a prepared check-in to db's queue and waits for its result,
// or for ctx to end: the check-in may then still be stored, and a retry
// with the same request key returns it.
func (db *DB) enqueueCheckIn(ctx context.Context, it audit.CheckInItem) (audit.CheckInResult, error) {
	p := &pendingCheckIn{item: it, done: make(chan struct{})}
	q := &db.checkins
	q.mu.Lock()
	q.pending = append(q.pending, p)
	if !q.running {
		q.running = true
		go db.drainCheckIns(context.WithoutCancel(ctx))
	}
	q.mu.Unlock()
	select {
	case <-p.done:
		return p.res, p.err
	case <-ctx.Done():
		return audit.CheckInResult{}, ctx.Err()
	}
}

// drainCheckIns stores queued check-ins, a group at a time, until none is
// left.
func (db *DB) drainCheckIns(ctx context.Context) {
	q := &db.checkins
	for {
		q.mu.Lock()
		n := min(len(q.pending), maxGroup)
		if n == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		group := q.pending[:n:n]
		q.pending = q.pending[n:]
		if len(q.pending) == 0 {
			q.pending = nil
		}
		q.mu.Unlock()
		db.commitGroup(ctx, group)
	}
}

// commitGroup stores a group in one transaction. When the transaction
// fails as a whole (not a refusal of one check-in, which stays in its
// place), each check-in is stored again on its own, so that one bad
// check-in cannot fail its neighbours.
func (db *DB) commitGroup(ctx context.Context, group []*pendingCheckIn) {
	items := make([]audit.CheckInItem, len(group))
	for i, p := range group {
		items[i] = p.item
	}
	res, errs, err := db.checkInTx(ctx, items)
	if err != nil && len(group) > 1 {
		for _, p := range group {
			r, e, err := db.checkInTx(ctx, []audit.CheckInItem{p.item})
			p.res, p.err = r[0], e[0]
			if err != nil {
				p.err = err
			}
			close(p.done)
		}
		return
	}
	for i, p := range group {
		p.res, p.err = res[i], errs[i]
		if err != nil {
			p.err = err
		}
		close(p.done)
	}
}
