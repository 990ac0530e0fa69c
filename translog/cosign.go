package translog

// Witness cosigning, the log's side of C2SP tlog-witness
// (https://c2sp.org/tlog-witness) with cosignatures as in C2SP
// tlog-cosignature (cosignature/v1).
//
// A verifier with saved state catches a log that rewrites its own history,
// but not a log that shows one history to one verifier and another to a
// second (a split view). Witnesses close that gap: each keeps, per log, the
// last checkpoint it cosigned and cosigns a new one only when the log proves
// it extends that one. A verifier that requires cosignatures from witnesses
// it trusts sees only views those witnesses have checked.
//
// Storage keeps exactly the checkpoint the log signed; cosignatures live in
// memory only, in the form published at /checkpoint. After a restart the
// first round asks the witnesses again (a witness cosigns the checkpoint it
// already cosigned once more), so nothing a restart reloads is anything but
// the log's own state.
//
// The protocol (which size to prove from, what each answer means) is here;
// carrying a request to a witness is a WitnessTransport's job
// (logclient.HTTPWitnesses over HTTP), so the engine has no network code.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/transparency-dev/tessera"
	"golang.org/x/mod/sumdb/note"
)

// WitnessTransport carries C2SP tlog-witness add-checkpoint requests to
// witnesses. logclient.HTTPWitnesses is the one over HTTP; tests use one
// that calls a witness in memory.
type WitnessTransport interface {
	// AddCheckpoint sends body, an add-checkpoint request, to the witness
	// at url (its submission prefix joined with "add-checkpoint") and
	// returns the witness's answer. It returns an error only when no
	// answer came (the network, ctx done); every status is an answer. It
	// must be safe for concurrent use.
	AddCheckpoint(ctx context.Context, url string, body []byte) (*WitnessAnswer, error)
}

// WitnessAnswer is a witness's answer to add-checkpoint: the HTTP status
// the protocol gives meaning to (200 cosigned, 409 conflict, 422 proof
// refused, 404 unknown log, 403 wrong key), the content type (a 409 with
// text/x.tlog.size carries the witness's size) and the body.
type WitnessAnswer struct {
	Status      int
	ContentType string
	Body        []byte
}

// The statuses of tlog-witness answers, as numbers: the engine speaks the
// protocol, not HTTP.
const (
	witnessOK         = 200
	witnessForbidden  = 403
	witnessNotFound   = 404
	witnessConflict   = 409
	witnessUnverified = 422
)

// witnessing is a log's witness policy and its view of each witness.
type witnessing struct {
	policy    tessera.WitnessGroup
	timeout   time.Duration
	retry     time.Duration
	witnesses []*witnessClient
	wake      chan struct{}

	round    sync.Mutex                 // one round at a time; guards warnedAt and servedAt
	warnedAt time.Time                  // last warning while degraded
	served   atomic.Pointer[Checkpoint] // the latest checkpoint with the cosignatures it got
	servedAt time.Time                  // when served was cosigned; guarded by round
	refresh  time.Duration              // renew the cosignatures of an unchanged checkpoint this often
	degraded atomic.Bool                // the last round did not satisfy the policy: publish new checkpoints without waiting for witnesses
	failures atomic.Uint64
}

func newWitnessing(o Options) *witnessing {
	eps := o.Witnesses.Endpoints()
	if len(eps) == 0 {
		return nil
	}
	w := &witnessing{policy: o.Witnesses, timeout: o.WitnessTimeout, retry: max(o.Interval, time.Second), wake: make(chan struct{}, 1),
		refresh: cmp.Or(o.WitnessRefresh, DefaultWitnessRefresh)}
	if w.timeout <= 0 {
		w.timeout = DefaultWitnessTimeout
	}
	for u, v := range eps {
		w.witnesses = append(w.witnesses, &witnessClient{url: u, key: v, transport: o.WitnessTransport})
	}
	slices.SortFunc(w.witnesses, func(a, b *witnessClient) int { return strings.Compare(a.url, b.url) })
	return w
}

// assumeSize starts each witness's known size at size, the checkpoint the
// log loaded at start. Nothing records what the witnesses hold, but unless
// the last round before the stop failed, each holds exactly that
// checkpoint, so the first round needs no 409 to learn it; a witness that
// holds another size says so with a 409, and the round retries from there.
func (w *witnessing) assumeSize(size uint64) {
	if w == nil {
		return
	}
	for _, c := range w.witnesses {
		c.size = size
	}
}

// notify tells the witnessing loop that a new checkpoint was signed.
func (w *witnessing) notify() {
	if w == nil {
		return
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// published returns the checkpoint served at /checkpoint: without
// witnesses, the latest signed; with them, the latest that went through a
// round of witnessing (with the cosignatures it got), or the latest signed
// while the witnesses fail to satisfy the policy, so that a witness outage
// never stops publication.
func (l *Log) published() *Checkpoint {
	cur := l.cur.Load()
	if l.wit == nil {
		return cur
	}
	s := l.wit.served.Load()
	if s == nil || s.Size > cur.Size || (s.Size < cur.Size && l.wit.degraded.Load()) {
		return cur
	}
	return s
}

// Published returns the checkpoint the log serves at /checkpoint: the latest
// signed checkpoint, with the witnesses' cosignatures appended as extra
// signature lines when the log has witnesses (see Options.Witnesses). It
// can lag Latest by a round of witnessing.
func (l *Log) Published() Checkpoint { return *l.published() }

// WitnessFailures returns how many rounds of witnessing ended without the
// witness policy satisfied, each publishing its checkpoint anyway.
func (l *Log) WitnessFailures() uint64 {
	if l.wit == nil {
		return 0
	}
	return l.wit.failures.Load()
}

// Witness runs one round of witnessing: it submits the latest signed
// checkpoint to every witness with a consistency proof from the size each
// last cosigned, and publishes the checkpoint with the cosignatures that
// come back. It returns once the policy is satisfied, or when every witness
// has answered or Options.WitnessTimeout has passed; then it publishes the
// checkpoint with whatever cosignatures it got and returns an error wrapping
// ErrWitnessPolicy. Without witnesses it does nothing. Run calls it after
// every checkpoint; it is exported for tests and tools.
func (l *Log) Witness(ctx context.Context) error {
	w := l.wit
	if w == nil {
		return nil
	}
	w.round.Lock()
	defer w.round.Unlock()
	if s, cur := w.served.Load(), l.cur.Load(); s != nil && s.Size == cur.Size && !w.degraded.Load() && time.Since(w.servedAt) < w.refresh {
		return nil // already witnessed, recently enough
	}
	p, err := l.NewProofs(ctx)
	if err != nil {
		// No proofs, no witnessing: publish the log's own checkpoint.
		return l.witnessFailed(ctx, l.cur.Load(), nil, fmt.Errorf("%w: %w", ErrWitnessPolicy, err))
	}
	cp := p.Checkpoint()
	if cp.Size == 0 {
		// An empty tree is consistent with every tree: nothing to witness.
		w.served.Store(cp)
		return nil
	}
	rctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	signed, by, err := w.collect(rctx, cp, &sharedProofs{p: p, proofs: map[uint64][][]byte{}})
	c := *cp
	c.Signed = signed
	w.served.Store(&c)
	w.servedAt = time.Now()
	if err == nil {
		if w.degraded.Load() {
			l.opts.Logger.Info("traceability log: the witnesses cosign again", "size", cp.Size, "cosigned_by", by)
		}
		w.degraded.Store(false)
		return nil
	}
	return l.witnessFailed(ctx, cp, by, err)
}

// witnessFailed records a round that did not satisfy the policy: until one
// does, new checkpoints are published as soon as they are signed.
func (l *Log) witnessFailed(ctx context.Context, cp *Checkpoint, by []string, err error) error {
	w := l.wit
	if ctx.Err() != nil {
		return ctx.Err() // shutting down, not a witness failure
	}
	w.failures.Add(1)
	now := time.Now()
	if !w.degraded.Load() || now.Sub(w.warnedAt) >= time.Minute {
		l.opts.Logger.Warn("traceability log: the witness policy is not satisfied; published the checkpoint without the required cosignatures and will ask again",
			"size", cp.Size, "cosigned_by", by, "err", err)
		w.warnedAt = now
	}
	w.degraded.Store(true)
	return err
}

// runWitnessing asks the witnesses after each new checkpoint (and every
// interval, for checkpoints another process published), until ctx is done;
// after a failed round it waits, doubling up to 30s, before asking again.
func (l *Log) runWitnessing(ctx context.Context) {
	w := l.wit
	wait := w.retry
	for {
		if err := l.Witness(ctx); err != nil && ctx.Err() == nil {
			wait = min(2*wait, 30*time.Second)
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			continue
		}
		wait = w.retry
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-time.After(l.opts.Interval):
		}
	}
}

// collect submits cp to every witness at once and appends the cosignatures
// they return to cp's signed note until the policy is satisfied. It returns
// the signed note and the names of the witnesses that cosigned.
func (w *witnessing) collect(ctx context.Context, cp *Checkpoint, proofs *sharedProofs) ([]byte, []string, error) {
	ctx, cancel := context.WithCancel(ctx)
	type answer struct {
		name string
		sigs []byte
		err  error
	}
	answers := make(chan answer, len(w.witnesses))
	var wg sync.WaitGroup
	for _, c := range w.witnesses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sigs, err := c.add(ctx, cp, proofs)
			answers <- answer{c.key.Name(), sigs, err}
		}()
	}
	// Cancel the requests still in flight and wait for them before
	// returning: each witness's size is touched by one round at a time.
	defer func() {
		cancel()
		wg.Wait()
	}()
	signed := bytes.Clone(cp.Signed)
	var by []string
	var errs []error
	for range w.witnesses {
		a := <-answers
		if a.err != nil {
			errs = append(errs, a.err)
			continue
		}
		signed = append(signed, a.sigs...)
		by = append(by, a.name)
		if w.policy.Satisfied(signed) {
			return signed, by, nil
		}
	}
	if w.policy.Satisfied(signed) { // a policy that needs none
		return signed, by, nil
	}
	if len(errs) == 0 {
		return signed, by, ErrWitnessPolicy
	}
	return signed, by, fmt.Errorf("%w: %w", ErrWitnessPolicy, errors.Join(errs...))
}

// sharedProofs gives each witness its consistency proof, building each
// proof once however many witnesses need it (Proofs is not safe for
// concurrent use).
type sharedProofs struct {
	mu     sync.Mutex
	p      *Proofs
	proofs map[uint64][][]byte
}

func (s *sharedProofs) consistency(ctx context.Context, old uint64) ([][]byte, error) {
	if old == 0 || old == s.p.Checkpoint().Size {
		return nil, nil // RFC 6962: no proof from the empty tree or to the same tree
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.proofs[old]; ok {
		return p, nil
	}
	p, err := s.p.Consistency(ctx, old)
	if err != nil {
		return nil, err
	}
	s.proofs[old] = p
	return p, nil
}

// witnessClient is the log's view of one witness: where to submit, the key
// its cosignatures verify with, and the size of the checkpoint it last
// cosigned for this log, as far as the log knows (at start, the size of the
// checkpoint loaded; a 409 answer corrects it).
type witnessClient struct {
	url       string
	key       note.Verifier
	transport WitnessTransport
	size      uint64 // used by one round at a time
}

// maxConflicts bounds the 409 answers followed in one round: one is
// expected after a restart; more means the witness's state keeps moving.
const maxConflicts = 3

// add submits cp to the witness (POST add-checkpoint) and returns its
// cosignature lines, checked with the witness's key.
func (c *witnessClient) add(ctx context.Context, cp *Checkpoint, proofs *sharedProofs) ([]byte, error) {
	who := fmt.Sprintf("witness %s (%s)", c.key.Name(), c.url)
	for range maxConflicts {
		old := c.size
		if old > cp.Size {
			return nil, fmt.Errorf("%s has cosigned a checkpoint of %d entries of this log, more than the %d of the latest: the log went back (restored from an older backup?) or another log signed with its key got ahead", who, old, cp.Size)
		}
		proof, err := proofs.consistency(ctx, old)
		if err != nil {
			return nil, fmt.Errorf("%s: building the consistency proof from %d to %d entries: %w", who, old, cp.Size, err)
		}
		body, err := c.transport.AddCheckpoint(ctx, c.url, addCheckpointBody(old, proof, cp.Signed))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", who, err)
		}
		switch body.Status {
		case witnessOK:
			sigs, err := cosignatures(cp.Signed, body.Body, c.key)
			if err != nil {
				return nil, fmt.Errorf("%s answered with no valid cosignature: %v", who, err)
			}
			c.size = cp.Size
			return sigs, nil
		case witnessConflict:
			if body.ContentType != "text/x.tlog.size" {
				return nil, fmt.Errorf("%s refuses (409): it cosigned a checkpoint of %d entries with another root: this log forked", who, old)
			}
			size, err := strconv.ParseUint(strings.TrimSuffix(string(body.Body), "\n"), 10, 64)
			if err != nil || size == old {
				return nil, fmt.Errorf("%s answered 409 with a size %q that does not help", who, body.Body)
			}
			c.size = size // and try again from the size the witness holds
		case witnessNotFound:
			return nil, fmt.Errorf("%s does not know this log (404): add its verifier key for origin %s to the witness", who, cp.Origin)
		case witnessForbidden:
			return nil, fmt.Errorf("%s does not accept the log's signature (403): it holds another key for origin %s", who, cp.Origin)
		case witnessUnverified:
			return nil, fmt.Errorf("%s refuses (422): the proof that %d entries extend the %d it cosigned does not verify: this log is not an extension of what the witness saw (a split view or rewritten history)", who, cp.Size, old)
		default:
			return nil, fmt.Errorf("%s answered %d: %s", who, body.Status, bytes.TrimSpace(body.Body))
		}
	}
	return nil, fmt.Errorf("%s answered 409 %d times in a row", who, maxConflicts)
}

// addCheckpointBody is an add-checkpoint request: the old size line, the
// consistency proof (one base64 hash a line), an empty line, the checkpoint.
func addCheckpointBody(old uint64, proof [][]byte, signed []byte) []byte {
	b := fmt.Appendf(nil, "old %d\n", old)
	for _, h := range proof {
		b = base64.StdEncoding.AppendEncode(b, h)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	return append(b, signed...)
}

// cosignatures returns the signature lines of answer (the body of a 200
// from add-checkpoint) that verify with key over signed's text, as the spec
// suggests: appended to the checkpoint, opened as a note with the witness's
// key only (other keys' lines are ignored).
func cosignatures(signed, answer []byte, key note.Verifier) ([]byte, error) {
	n, err := note.Open(append(bytes.Clone(signed), answer...), note.VerifierList(key))
	if err != nil {
		return nil, err
	}
	var b []byte
	for _, s := range n.Sigs {
		b = fmt.Appendf(b, "— %s %s\n", s.Name, s.Base64)
	}
	return b, nil
}
