package translog

// The guard against a storage that went backwards. The log's tree lives in
// the registry's database, beside the events; a database restored from a
// backup under a running log takes the events, the tiles and the stored
// checkpoint back to an older state, while the log has already published
// a larger tree. Integrating on would sign, at the published indexes,
// events that are not the published ones. So before every signature (and
// about once a second while idle) the integrator checks that the storage
// still holds what it last published: the same checkpoint, and at its last
// index the entry it published. The entry is read with the batch; the
// checkpoint, with a storage that publishes conditionally (CheckedPublisher,
// as the registry's database does), is compared by the publish itself in
// its transaction rather than read before it. When it does not, the log
// stops publishing
// (it keeps serving the published checkpoint) until the storage holds it
// again: a newer copy restored, or the loss recorded by Recover. See
// docs/LOG.md, "After a restore".

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/transparency-dev/tessera/client"
)

// ErrHalted is returned by Integrate while the log does not publish because
// its storage no longer holds what it published (Halted says why).
var ErrHalted = errors.New("the traceability log stopped publishing")

// RollbackError says how the storage differs from what the log published.
type RollbackError struct {
	Published uint64 // the size of the tree the log published
	Stored    uint64 // the size of the checkpoint in storage
	Reason    string
}

func (e *RollbackError) Error() string {
	return fmt.Sprintf("the log published %d entries, but its storage %s: restored from a backup? Publishing has stopped; see docs/LOG.md, \"After a restore\"", e.Published, e.Reason)
}

// Halted returns nil while the log publishes, and otherwise a
// *RollbackError saying why it stopped.
func (l *Log) Halted() error {
	if e := l.halted.Load(); e != nil {
		return e
	}
	return nil
}

// checkEvery is how often an idle integrator checks its storage.
const checkEvery = time.Second

// lastEntry is the source's entry at the last index of the published tree,
// as read together with a batch (readBatch).
type lastEntry struct {
	read  bool // read with the batch; when false, checkStorage reads it
	held  bool // the source holds it
	entry []byte
}

// readBatch reads the entries after prev's tree, at most batch of them, and
// in the same read of the source the entry at prev's last index, which
// checkStorage compares with the one published: so the check before each
// signature costs the source no read of its own (one query of the events
// instead of two, in the registry's database). A halted log does not read it
// with the batch: its check reloads the lost ranges first, and an entry lost
// is not read at all.
func (l *Log) readBatch(ctx context.Context, prev *Checkpoint, batch int) ([][]byte, lastEntry, error) {
	if prev.Size == 0 || l.halted.Load() != nil || l.lostRanges().contains(prev.Size-1) {
		entries, err := l.src.Entries(ctx, prev.Size, batch)
		return entries, lastEntry{}, err
	}
	entries, err := l.src.Entries(ctx, prev.Size-1, batch+1)
	if err != nil {
		// A gap at the edge, say: the check compares the checkpoint first
		// and reads the entry itself, as it would have alone.
		entries, err := l.src.Entries(ctx, prev.Size, batch)
		return entries, lastEntry{}, err
	}
	if len(entries) == 0 {
		return nil, lastEntry{read: true}, nil
	}
	return entries[1:], lastEntry{read: true, held: true, entry: entries[0]}, nil
}

// checkStorage checks that storage still holds prev, the checkpoint the log
// published last, and at prev's last index the entry it published (last,
// when read with the batch; otherwise it reads it). It returns ErrStale when
// storage holds a larger checkpoint (another integrator's: load checks that
// it extends prev), a *RollbackError when it went back, and other errors
// when it could not tell. With readCheckpoint false it checks the entry
// alone: the caller is about to publish through a CheckedPublisher, whose
// write refuses a checkpoint other than prev in its own transaction (so
// that the check before a signature costs no read of the checkpoint, and
// a restore between the check and the write is caught as well). Called
// with l.mu held.
func (l *Log) checkStorage(ctx context.Context, prev *Checkpoint, last lastEntry, readCheckpoint bool) error {
	l.checkedAt = time.Now()
	back := func(stored uint64, format string, args ...any) error {
		return &RollbackError{Published: prev.Size, Stored: stored, Reason: fmt.Sprintf(format, args...)}
	}
	if readCheckpoint {
		if err := l.checkCheckpoint(ctx, prev, back); err != nil {
			return err
		}
	}
	if l.halted.Load() != nil {
		// A recovery may have recorded lost entries since the last check.
		lost, err := loadLost(ctx, l.st, l.key)
		if err != nil {
			return err
		}
		l.lost.Store(&lost)
	}
	if prev.Size == 0 || l.lostRanges().contains(prev.Size-1) {
		return nil
	}
	if !last.read {
		entries, err := l.src.Entries(ctx, prev.Size-1, 1)
		if err != nil {
			return err
		}
		if len(entries) > 0 {
			last = lastEntry{read: true, held: true, entry: entries[0]}
		}
	}
	if !last.held {
		return back(prev.Size, "holds fewer than %d entries", prev.Size)
	}
	if !l.isLastPublished(last.entry) {
		return back(prev.Size, "holds at index %d an entry that is not the one published", prev.Size-1)
	}
	return nil
}

// isLastPublished reports whether entry is the last one published: the
// same bytes as the entry this process published last (the event source's
// memo gives the same slice back, so the compare is immediate), or, after a
// load, the same leaf hash as the stored tiles'.
func (l *Log) isLastPublished(entry []byte) bool {
	if l.lastSeen != nil {
		return bytes.Equal(entry, l.lastSeen)
	}
	return bytes.Equal(hasher.HashLeaf(entry), l.lastLeaf)
}

// checkCheckpoint reads the stored checkpoint and compares it with prev
// (see checkStorage).
func (l *Log) checkCheckpoint(ctx context.Context, prev *Checkpoint, back func(uint64, string, ...any) error) error {
	raw, err := l.st.Checkpoint(ctx)
	if errors.Is(err, ErrNotFound) {
		if prev.Size == 0 {
			return nil
		}
		return back(0, "holds no checkpoint")
	}
	if err != nil {
		return err
	}
	if !bytes.Equal(raw, prev.Signed) {
		cp, err := ParseCheckpoint(raw, l.key.Verifier)
		switch {
		case err != nil:
			return back(0, "holds a checkpoint that does not verify with the log's key (%v)", err)
		case cp.Size > prev.Size:
			return ErrStale
		case cp.Size < prev.Size:
			return back(cp.Size, "holds a checkpoint of %d entries", cp.Size)
		case !bytes.Equal(cp.Root, prev.Root):
			return back(cp.Size, "holds another checkpoint of %d entries (root %s, published %s)", cp.Size, b64(cp.Root), b64(prev.Root))
		}
	}
	return nil
}

// publish stores the tiles and checkpoint cp that follow prev: through a
// CheckedPublisher only over prev (ErrChanged otherwise), through any other
// storage as Publish does.
func (l *Log) publish(ctx context.Context, prev *Checkpoint, tiles []Tile, cp *Checkpoint) error {
	if cs, ok := l.st.(CheckedPublisher); ok {
		return cs.PublishOver(ctx, prev.Signed, cp.Size, tiles, cp.Signed)
	}
	return l.st.Publish(ctx, cp.Size, tiles, cp.Signed)
}

// halt stops publication for err (a *RollbackError), saying so at once
// and then at most once a minute while it lasts.
func (l *Log) halt(err *RollbackError) error {
	now := time.Now()
	if l.halted.Load() == nil || now.Sub(l.warnedAt) >= time.Minute {
		l.opts.Logger.Error("traceability log: the storage no longer holds what the log published; publishing stopped",
			"published_size", err.Published, "stored_size", err.Stored, "reason", err.Reason, "see", "docs/LOG.md, After a restore")
		l.warnedAt = now
	}
	l.halted.Store(err)
	return fmt.Errorf("%w: %w", ErrHalted, err)
}

// resume lifts a halt once the storage holds what was published again.
func (l *Log) resume() {
	if e := l.halted.Swap(nil); e != nil {
		l.opts.Logger.Info("traceability log: the storage holds the published log again; publishing resumes", "size", e.Published)
	}
}

// guard runs checkStorage and turns its verdict into a halt or a resume.
// Called with l.mu held.
func (l *Log) guard(ctx context.Context, prev *Checkpoint, last lastEntry, readCheckpoint bool) error {
	err := l.checkStorage(ctx, prev, last, readCheckpoint)
	var rb *RollbackError
	switch {
	case errors.As(err, &rb):
		return l.halt(rb)
	case err != nil:
		return err
	}
	l.resume()
	return nil
}

// extends returns nil when the stored checkpoint cp is prev or extends it
// (proved from the stored tiles), and otherwise a *RollbackError.
func (l *Log) extends(ctx context.Context, prev, cp *Checkpoint) *RollbackError {
	back := &RollbackError{Published: prev.Size, Stored: cp.Size}
	switch {
	case cp.Size < prev.Size:
		back.Reason = fmt.Sprintf("holds a checkpoint of %d entries", cp.Size)
		return back
	case cp.Size == prev.Size && !bytes.Equal(cp.Root, prev.Root):
		back.Reason = fmt.Sprintf("holds another checkpoint of %d entries", cp.Size)
		return back
	case cp.Size == prev.Size || prev.Size == 0:
		return nil
	}
	pb, err := client.NewProofBuilder(ctx, cp.Size, l.storedTile)
	if err == nil {
		var p [][]byte
		if p, err = pb.ConsistencyProof(ctx, prev.Size, cp.Size); err == nil {
			err = VerifyConsistency(prev.Size, cp.Size, p, prev.Root, cp.Root)
		}
	}
	if err != nil {
		back.Reason = fmt.Sprintf("holds a checkpoint of %d entries that does not extend the published one (%v)", cp.Size, err)
		return back
	}
	return nil
}

// readState reads the checkpoint recorded in the state file, nil when there
// is none yet.
func readState(path string, key *Key) (*Checkpoint, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cp, err := ParseCheckpoint(b, key.Verifier)
	if err != nil {
		return nil, fmt.Errorf("the log's state file %s does not hold a checkpoint signed by the log's key: %w", path, err)
	}
	return cp, nil
}

// saveState records cp in the state file, if there is one.
func (l *Log) saveState(cp *Checkpoint) error {
	if l.opts.StateFile == "" {
		return nil
	}
	return writeFile(l.opts.StateFile, cp.Signed, true)
}
