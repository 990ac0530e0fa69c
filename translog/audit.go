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
	auditVerifierKey(ctx, st, v, r)

	tiles := &tileReader{st: st, ctx: ctx}
	treeErr, err := checkStoredTree(tiles, cp)
	if err != nil {
		return nil, err
	}
	if treeErr != nil {
		r.add(FindingTree, -1, "%v: the log's tables were changed; event rows can only be checked against a verifier's saved checkpoint (trustmark verify --state)", treeErr)
		return r, nil
	}

	lost, err := auditLost(ctx, st, v, r)
	if err != nil {
		return nil, err
	}
	a := &eventAudit{r: r, cp: cp, tiles: tiles, lost: lost, next: -1}
	if opts.NextSeq != nil {
		if a.next, err = opts.NextSeq(ctx); err != nil {
			return nil, err
		}
	}
	if err := a.scan(ctx, store); err != nil {
		return nil, err
	}
	if err := a.judgeBeyond(ctx, opts.NextSeq); err != nil {
		return nil, err
	}
	return r, nil
}

// auditVerifierKey reports a verifier key recorded in the database that is
// not v: someone rewrote the log's identity.
func auditVerifierKey(ctx context.Context, st Storage, v note.Verifier, r *AuditReport) {
	if vk, err := st.Setting(ctx, "verifier_key"); err == nil {
		if kv, err := note.NewVerifier(vk); err != nil || kv.KeyHash() != v.KeyHash() || kv.Name() != v.Name() {
			r.add(FindingCheckpoint, -1, "the database's recorded verifier key %q is not the log's key", vk)
		}
	}
}

// checkStoredTree rebuilds the tree of cp from the stored leaf hashes,
// checking each stored inner hash on the way: when it gives the signed root,
// each stored leaf hash is one the log has signed. treeErr says how the
// stored tree is not the signed one; err is a failure to check.
func checkStoredTree(tiles *tileReader, cp *Checkpoint) (treeErr, err error) {
	rng := rangeFactory.NewEmptyRange(0)
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
	if treeErr != nil {
		return treeErr, nil
	}
	root := hasher.EmptyRoot()
	if cp.Size > 0 {
		root, _ = rng.GetRootHash(nil)
	}
	if !bytes.Equal(root, cp.Root) {
		return fmt.Errorf("the stored tree's root is %s, the signed checkpoint's %s", b64(root), b64(cp.Root)), nil
	}
	return nil, nil
}

// auditLost reads the log's signed record of entries the database lost,
// checked with v; a record that does not verify is a finding, and counts
// no entry as lost.
func auditLost(ctx context.Context, st Storage, v note.Verifier, r *AuditReport) (lostRanges, error) {
	raw, err := st.Setting(ctx, lostSetting)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lost, err := parseLost([]byte(raw), v)
	if err != nil {
		r.add(FindingCheckpoint, -1, "%v (someone wrote the log's settings)", err)
	}
	return lost, nil
}

// eventAudit is the scan of the event rows, in Seq order, against the log
// of cp.
type eventAudit struct {
	r     *AuditReport
	cp    *Checkpoint
	tiles *tileReader
	lost  lostRanges
	// next is the application's counter as read before the scan (-1: not
	// checked). Rows at or beyond it are kept in beyond: a running server
	// may have written some of them since, so they are judged against the
	// counter as read after the scan (the counter only grows).
	next   int64
	beyond []insertedRow
	want   int64 // the next Seq expected
}

// insertedRow is a row beyond the application's counter.
type insertedRow struct {
	seq  int64
	what string
}

// scan reads every event row, checks each, and reports the rows missing
// between them and up to the checkpoint's size.
func (a *eventAudit) scan(ctx context.Context, store trustmark.Store) error {
	for after := int64(-1); ; {
		evs, err := store.Events(ctx, trustmark.EventFilter{After: after, Limit: 5000})
		if err != nil {
			return err
		}
		if len(evs) == 0 {
			break
		}
		for _, e := range evs {
			if err := a.row(e); err != nil {
				return err
			}
		}
		after = evs[len(evs)-1].Seq
	}
	a.deleted(a.want, int64(a.cp.Size))
	return nil
}

// row checks one event row: the rows missing before it, whether it is
// beyond the counter, and, below the checkpoint, that it gives the leaf the
// log signed at its Seq.
func (a *eventAudit) row(e trustmark.Event) error {
	r := a.r
	r.Events++
	what := fmt.Sprintf("%s %s %s at %s by %s", e.Entity, e.Key, e.Action, e.At.UTC().Format("2006-01-02T15:04:05Z"), e.Actor)
	a.deleted(a.want, e.Seq)
	a.want = e.Seq + 1
	if a.next >= 0 && e.Seq >= a.next {
		if len(a.beyond) < MaxFindings {
			a.beyond = append(a.beyond, insertedRow{e.Seq, what})
		} else {
			r.Truncated++
		}
	}
	if e.Seq >= int64(a.cp.Size) {
		r.Pending++
		return nil
	}
	entry, err := Entry(e)
	if err != nil {
		r.add(FindingChanged, e.Seq, "%s: no valid entry can be made of the row: %v", what, err)
		return nil
	}
	leaf, err := a.tiles.hash(0, uint64(e.Seq))
	if err != nil {
		return err
	}
	if !bytes.Equal(LeafHash(entry), leaf) {
		r.add(FindingChanged, e.Seq, "%s: the row differs from the entry the log signed", what)
		return nil
	}
	r.Matched++
	return nil
}

// deleted reports the rows from up to, not including, to as missing,
// except those the log's record says the database lost in a restore.
func (a *eventAudit) deleted(from, to int64) {
	r := a.r
	for s := from; s < to; s++ {
		if len(r.Findings) >= MaxFindings && !a.lost.contains(uint64(s)) {
			r.Truncated++
			continue
		}
		if a.lost.contains(uint64(s)) {
			r.Lost++
		} else if s < int64(a.cp.Size) {
			r.add(FindingDeleted, s, "the row is missing; the log holds its entry")
		} else {
			r.add(FindingDeleted, s, "the row is missing (a gap in the numbering)")
		}
	}
}

// judgeBeyond reports as inserted the rows found beyond the counter that
// are still beyond it as read again now.
func (a *eventAudit) judgeBeyond(ctx context.Context, nextSeq func(context.Context) (int64, error)) error {
	if len(a.beyond) == 0 {
		return nil
	}
	next, err := nextSeq(ctx)
	if err != nil {
		return err
	}
	for _, b := range a.beyond {
		if b.seq >= next {
			a.r.add(FindingInserted, b.seq, "%s: beyond the application's event counter (next seq %d), so not written by the application", b.what, next)
		}
	}
	return nil
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
