package translog

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/tessera/api/layout"
	"golang.org/x/mod/sumdb/note"

	"trustmark"
)

// Finding kinds of an audit.
const (
	FindingChanged    = "changed"    // an event row differs from its entry in the log
	FindingDeleted    = "deleted"    // an event row the log holds is gone
	FindingInserted   = "inserted"   // an event row the application never wrote
	FindingCheckpoint = "checkpoint" // the stored checkpoint does not verify
	FindingTree       = "tree"       // the stored tree does not give the signed root
)

// Finding is one discrepancy found by Audit.
type Finding struct {
	Kind   string
	Seq    int64 // the event's Seq, or -1
	Detail string
}

func (f Finding) String() string {
	if f.Seq < 0 {
		return f.Kind + ": " + f.Detail
	}
	return fmt.Sprintf("event seq %d %s: %s", f.Seq, f.Kind, f.Detail)
}

// AuditReport is the outcome of Audit.
type AuditReport struct {
	Checkpoint *Checkpoint
	Events     int64 // event rows read
	Matched    int64 // rows whose entry is the log's
	Pending    int64 // rows after the checkpoint, not yet in the log
	Lost       int64 // entries the database lost in a restore, as the log's signed record says (Recover)
	Findings   []Finding
	Truncated  int // findings beyond MaxFindings, not listed
}

// OK reports whether the audit found nothing wrong.
func (r *AuditReport) OK() bool { return len(r.Findings) == 0 }

// MaxFindings bounds the findings an audit lists.
const MaxFindings = 1000

func (r *AuditReport) add(kind string, seq int64, format string, args ...any) {
	if len(r.Findings) >= MaxFindings {
		r.Truncated++
		return
	}
	r.Findings = append(r.Findings, Finding{Kind: kind, Seq: seq, Detail: fmt.Sprintf(format, args...)})
}

// AuditOptions are the optional inputs of Audit.
type AuditOptions struct {
	// NextSeq returns the application's next event Seq (its counter), so
	// that rows at or beyond it are reported as inserted; nil skips the
	// check.
	NextSeq func(ctx context.Context) (int64, error)
}

// Audit recomputes every entry from the registry's event rows and compares
// them with the published log in st, trusting only the verifier v (never the
// database's own record of the key): the stored checkpoint must verify; the
// stored tree must give its root; every event row below the checkpoint must
// give the leaf the log holds at its Seq. It names each row changed, deleted
// or inserted behind the application's back.
func Audit(ctx context.Context, store trustmark.Store, st Storage, v note.Verifier, opts AuditOptions) (*AuditReport, error) {
	r := &AuditReport{}
	raw, err := st.Checkpoint(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the published checkpoint: %w", err)
	}
	cp, err := ParseCheckpoint(raw, v)
	if err != nil {
		r.add(FindingCheckpoint, -1, "the stored checkpoint does not verify with key %s: %v (someone wrote the checkpoint row; the tree cannot be trusted)", v.Name(), err)
		return r, nil
	}
	r.Checkpoint = cp
	if vk, err := st.Setting(ctx, "verifier_key"); err == nil {
		if kv, err := note.NewVerifier(vk); err != nil || kv.KeyHash() != v.KeyHash() || kv.Name() != v.Name() {
			r.add(FindingCheckpoint, -1, "the database's recorded verifier key %q is not the log's key", vk)
		}
	}

	// The stored tree must give the signed root: then each stored leaf
	// hash is one the log has signed.
	tiles := &tileReader{st: st, ctx: ctx}
	rng := rangeFactory.NewEmptyRange(0)
	var treeErr error
	visit := func(id compact.NodeID, h []byte) {
		if treeErr != nil || id.Level == 0 || id.Level%layout.TileHeight != 0 {
			return
		}
		stored, err := tiles.hash(uint64(id.Level), id.Index)
		if err != nil {
			treeErr = err
		} else if !bytes.Equal(stored, h) {
			treeErr = fmt.Errorf("the stored hash of node %d/%d is not the hash of its children", id.Level, id.Index)
		}
	}
	for i := uint64(0); i < cp.Size && treeErr == nil; i++ {
		leaf, err := tiles.hash(0, i)
		if err != nil {
			treeErr = err
			break
		}
		if err := rng.Append(leaf, visit); err != nil {
			return nil, err
		}
	}
	if treeErr == nil {
		root := hasher.EmptyRoot()
		if cp.Size > 0 {
			root, _ = rng.GetRootHash(nil)
		}
		if !bytes.Equal(root, cp.Root) {
			treeErr = fmt.Errorf("the stored tree's root is %s, the signed checkpoint's %s", b64(root), b64(cp.Root))
		}
	}
	if treeErr != nil {
		r.add(FindingTree, -1, "%v: the log's tables were changed; event rows can only be checked against a verifier's saved checkpoint (trustmark verify --state)", treeErr)
		return r, nil
	}

	var lost lostRanges
	if raw, err := st.Setting(ctx, lostSetting); err == nil {
		if lost, err = parseLost([]byte(raw), v); err != nil {
			r.add(FindingCheckpoint, -1, "%v (someone wrote the log's settings)", err)
		}
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}

	next := int64(-1)
	if opts.NextSeq != nil {
		if next, err = opts.NextSeq(ctx); err != nil {
			return nil, err
		}
	}
	// Rows beyond the counter as read before the scan; a running server
	// may have written some of them since, so they are judged against the
	// counter as read after it (the counter only grows).
	type inserted struct {
		seq  int64
		what string
	}
	var beyond []inserted
	want := int64(0) // the next Seq expected
	deleted := func(from, to int64) {
		for s := from; s < to; s++ {
			if len(r.Findings) >= MaxFindings && !lost.contains(uint64(s)) {
				r.Truncated++
				continue
			}
			if lost.contains(uint64(s)) {
				r.Lost++
			} else if s < int64(cp.Size) {
				r.add(FindingDeleted, s, "the row is missing; the log holds its entry")
			} else {
				r.add(FindingDeleted, s, "the row is missing (a gap in the numbering)")
			}
		}
	}
	for after := int64(-1); ; {
		evs, err := store.Events(ctx, trustmark.EventFilter{After: after, Limit: 5000})
		if err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			break
		}
		for _, e := range evs {
			r.Events++
			what := fmt.Sprintf("%s %s %s at %s by %s", e.Entity, e.Key, e.Action, e.At.UTC().Format("2006-01-02T15:04:05Z"), e.Actor)
			deleted(want, e.Seq)
			want = e.Seq + 1
			if next >= 0 && e.Seq >= next {
				if len(beyond) < MaxFindings {
					beyond = append(beyond, inserted{e.Seq, what})
				} else {
					r.Truncated++
				}
			}
			if e.Seq >= int64(cp.Size) {
				r.Pending++
				continue
			}
			entry, err := Entry(e)
			if err != nil {
				r.add(FindingChanged, e.Seq, "%s: no valid entry can be made of the row: %v", what, err)
				continue
			}
			leaf, err := tiles.hash(0, uint64(e.Seq))
			if err != nil {
				return nil, err
			}
			if !bytes.Equal(LeafHash(entry), leaf) {
				r.add(FindingChanged, e.Seq, "%s: the row differs from the entry the log signed", what)
				continue
			}
			r.Matched++
		}
		after = evs[len(evs)-1].Seq
	}
	deleted(want, int64(cp.Size))
	if len(beyond) > 0 {
		if next, err = opts.NextSeq(ctx); err != nil {
			return nil, err
		}
		for _, b := range beyond {
			if b.seq >= next {
				r.add(FindingInserted, b.seq, "%s: beyond the application's event counter (next seq %d), so not written by the application", b.what, next)
			}
		}
	}
	return r, nil
}

// tileReader reads single hashes out of stored tiles, one tile at a time.
type tileReader struct {
	st    Storage
	ctx   context.Context
	cache map[tileKey][]byte
}

// hash returns the stored hash at tree level (a multiple of 8) and index.
func (t *tileReader) hash(level, index uint64) ([]byte, error) {
	k := tileKey{level / layout.TileHeight, index / layout.TileWidth}
	b, ok := t.cache[k]
	if !ok {
		var err error
		b, err = t.st.ReadTile(t.ctx, k.level, k.index)
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("tile %d/%d of the signed tree is missing", k.level, k.index)
		}
		if err != nil {
			return nil, err
		}
		if len(t.cache) > 64 {
			t.cache = nil
		}
		if t.cache == nil {
			t.cache = map[tileKey][]byte{}
		}
		t.cache[k] = b
	}
	i := index % layout.TileWidth
	if uint64(len(b)) < (i+1)*HashSize {
		return nil, fmt.Errorf("tile %d/%d of the signed tree is too short", k.level, k.index)
	}
	return b[i*HashSize : (i+1)*HashSize], nil
}
