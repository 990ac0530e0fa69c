package translog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/transparency-dev/formats/proof"
	mproof "github.com/transparency-dev/merkle/proof"
	"golang.org/x/mod/sumdb/note"

	"trustmark"
)

// HistoryFormat names the version of the History document.
const HistoryFormat = "trustmark-history/v1"

// History is a record's events in the log with their proofs: the answer of
// GET /api/v1/certificates/{number}/history, and, with a tlog-proof per
// event, the offline proof bundle. It extends the API's plain history
// ({"number", "type", "items": [event with "log_index"]}) and is
// self-contained: VerifyHistory checks it with nothing but the log's
// verifier key.
type History struct {
	Format     string         `json:"format"`
	Number     string         `json:"number,omitempty"` // for a certificate
	Type       string         `json:"type,omitempty"`
	Origin     string         `json:"origin"`
	Entity     string         `json:"entity"`
	Key        string         `json:"key"`
	Checkpoint string         `json:"checkpoint"` // C2SP signed note
	TreeSize   uint64         `json:"tree_size"`
	RootHash   string         `json:"root_hash"` // base64
	Items      []HistoryEvent `json:"items"`
}

// HistoryEvent is one event of a History: the event's public fields as the
// API shows them, and what proves it.
type HistoryEvent struct {
	LogIndex uint64 `json:"log_index"`
	trustmark.Event
	// Entry is the exact log entry; its leaf hash is SHA-256(0x00 || Entry).
	// Only the entry is proved: the other fields are for reading.
	Entry    string `json:"entry"`
	LeafHash string `json:"leaf_hash"` // base64
	// Inclusion proves the entry is in the tree of the checkpoint (RFC 6962
	// audit path, base64 hashes); empty while Pending.
	Inclusion []string `json:"inclusion_proof"`
	// Pending is true for an event recorded after the checkpoint was signed;
	// a checkpoint follows within a second or so.
	Pending bool `json:"pending,omitempty"`
	// TLogProof is the same proof as a c2sp.org/tlog-proof@v1 document,
	// given in proof bundles.
	TLogProof string `json:"tlog_proof,omitempty"`
}

// CertificateHistory returns the history of the certificate with number
// from the registry store, proved against the latest checkpoint. With
// bundle, each event also carries its C2SP tlog-proof.
func (l *Log) CertificateHistory(ctx context.Context, st trustmark.Store, number string, bundle bool) (*History, error) {
	c, err := st.Certificate(ctx, number)
	if err != nil {
		return nil, err
	}
	h, err := l.History(ctx, st, trustmark.EntityCertificate, c.Key(), bundle)
	if err != nil {
		return nil, err
	}
	h.Number, h.Type = c.Number, string(c.Type)
	return h, nil
}

// History returns the events of one record (entity, key) with proofs.
func (l *Log) History(ctx context.Context, st trustmark.Store, entity, key string, bundle bool) (*History, error) {
	var evs []trustmark.Event
	for after := int64(-1); ; {
		page, err := st.Events(ctx, trustmark.EventFilter{Entity: entity, Key: key, After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		evs = append(evs, page...)
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].Seq
	}
	proofs, err := l.NewPublishedProofs(ctx) // cosigned, when the log has witnesses
	if err != nil {
		return nil, err
	}
	cp := proofs.Checkpoint()
	h := &History{
		Format: HistoryFormat, Origin: cp.Origin, Entity: entity, Key: key,
		Checkpoint: string(cp.Signed), TreeSize: cp.Size, RootHash: b64(cp.Root),
		Items: []HistoryEvent{},
	}
	for _, e := range evs {
		entry, err := Entry(e)
		if err != nil {
			return nil, err
		}
		e.Personal, e.Salt = nil, nil
		he := HistoryEvent{LogIndex: uint64(e.Seq), Event: e, Entry: string(entry), LeafHash: b64(LeafHash(entry)), Inclusion: []string{}}
		if he.LogIndex >= cp.Size {
			he.Pending = true
		} else {
			p, err := proofs.Inclusion(ctx, he.LogIndex)
			if err != nil {
				return nil, err
			}
			tp := proof.TLogProof{Index: he.LogIndex, Checkpoint: cp.Signed}
			for _, x := range p {
				he.Inclusion = append(he.Inclusion, b64(x))
				tp.Hashes = append(tp.Hashes, [32]byte(x))
			}
			if bundle {
				he.TLogProof = string(tp.Marshal())
			}
		}
		h.Items = append(h.Items, he)
	}
	return h, nil
}

// VerifiedHistory is what VerifyHistory established.
type VerifiedHistory struct {
	Checkpoint *Checkpoint
	Included   int // events proved included in the checkpoint
	Pending    int // events not yet in the checkpoint (only with allowPending)
}

// VerifyHistory checks a History (or proof bundle) with nothing but the
// log's verifier: the checkpoint's signature and origin, that every entry
// is canonical, is the event of the history's record at its index, hashes
// to its leaf hash, and is included in the checkpoint's tree (each tlog-proof
// too, when present). Pending events are an error unless allowPending. The
// error says which event failed and how.
func VerifyHistory(data []byte, v note.Verifier, allowPending bool) (*VerifiedHistory, error) {
	var h History
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("not a history document: %v", err)
	}
	if h.Format != HistoryFormat {
		return nil, fmt.Errorf("history format %q, want %q", h.Format, HistoryFormat)
	}
	cp, err := ParseCheckpoint([]byte(h.Checkpoint), v)
	if err != nil {
		return nil, fmt.Errorf("checkpoint does not verify with key %s: %v", v.Name(), err)
	}
	if h.TreeSize != cp.Size || h.RootHash != b64(cp.Root) {
		return nil, fmt.Errorf("tree_size/root_hash (%d, %s) differ from the signed checkpoint (%d, %s)", h.TreeSize, h.RootHash, cp.Size, b64(cp.Root))
	}
	res := &VerifiedHistory{Checkpoint: cp}
	var last int64 = -1
	for i, he := range h.Items {
		fail := func(format string, args ...any) error {
			return fmt.Errorf("event %d (log index %d): %s", i+1, he.LogIndex, fmt.Sprintf(format, args...))
		}
		if int64(he.LogIndex) <= last {
			return nil, fail("out of order after index %d", last)
		}
		last = int64(he.LogIndex)
		view, err := ParseEntry([]byte(he.Entry))
		if err != nil {
			return nil, fail("%v", err)
		}
		if view.Seq != int64(he.LogIndex) {
			return nil, fail("entry says seq %d", view.Seq)
		}
		if view.Entity != h.Entity || view.Key != h.Key {
			return nil, fail("entry is about %s %s, not %s %s", view.Entity, view.Key, h.Entity, h.Key)
		}
		leaf := LeafHash([]byte(he.Entry))
		if he.LeafHash != b64(leaf) {
			return nil, fail("leaf_hash %s, but the entry hashes to %s", he.LeafHash, b64(leaf))
		}
		if he.Pending || he.LogIndex >= cp.Size {
			if !allowPending {
				return nil, fail("not yet included in the checkpoint of size %d", cp.Size)
			}
			res.Pending++
			continue
		}
		path := make([][]byte, 0, len(he.Inclusion))
		for _, s := range he.Inclusion {
			x, err := unb64(s)
			if err != nil {
				return nil, fail("inclusion proof: %v", err)
			}
			path = append(path, x)
		}
		if err := VerifyInclusion(he.LogIndex, cp.Size, leaf, path, cp.Root); err != nil {
			return nil, fail("not included in the log at size %d: %v", cp.Size, err)
		}
		if he.TLogProof != "" {
			if err := verifyTLogProof([]byte(he.TLogProof), he.LogIndex, leaf, v); err != nil {
				return nil, fail("tlog-proof: %v", err)
			}
		}
		res.Included++
	}
	return res, nil
}

// VerifyTLogProof checks a c2sp.org/tlog-proof@v1 document for entry: the
// checkpoint it carries verifies with v and the entry is included at the
// proof's index. It returns the checkpoint.
func VerifyTLogProof(doc, entry []byte, v note.Verifier) (*Checkpoint, uint64, error) {
	var p proof.TLogProof
	if err := p.Unmarshal(doc); err != nil {
		return nil, 0, err
	}
	cp, err := checkTLogProof(p, LeafHash(entry), v)
	return cp, p.Index, err
}

func verifyTLogProof(doc []byte, index uint64, leaf []byte, v note.Verifier) error {
	var p proof.TLogProof
	if err := p.Unmarshal(doc); err != nil {
		return err
	}
	if p.Index != index {
		return fmt.Errorf("for index %d, want %d", p.Index, index)
	}
	_, err := checkTLogProof(p, leaf, v)
	return err
}

func checkTLogProof(p proof.TLogProof, leaf []byte, v note.Verifier) (*Checkpoint, error) {
	cp, err := ParseCheckpoint(p.Checkpoint, v)
	if err != nil {
		return nil, fmt.Errorf("checkpoint does not verify: %v", err)
	}
	path := make([][]byte, len(p.Hashes))
	for i := range p.Hashes {
		path[i] = p.Hashes[i][:]
	}
	if err := mproof.VerifyInclusion(hasher, p.Index, cp.Size, leaf, path, cp.Root); err != nil {
		return nil, err
	}
	return cp, nil
}

// VerifyInclusion checks the RFC 6962 audit path of the entry at index
// whose leaf hash is leaf in the tree of size with root. A proof that gives
// another root says which two roots differ.
func VerifyInclusion(index, size uint64, leaf []byte, path [][]byte, root []byte) error {
	return proofError(mproof.VerifyInclusion(hasher, index, size, leaf, path, root))
}

// VerifyConsistency checks the RFC 6962 consistency proof that the tree of
// size2 with root2 extends the tree of size1 with root1.
func VerifyConsistency(size1, size2 uint64, proof [][]byte, root1, root2 []byte) error {
	return proofError(mproof.VerifyConsistency(hasher, size1, size2, proof, root1, root2))
}

// proofError shortens a root mismatch to the two roots in base64.
func proofError(err error) error {
	var rm mproof.RootMismatchError
	if errors.As(err, &rm) {
		return fmt.Errorf("the proof gives root %s, the checkpoint says %s", b64(rm.CalculatedRoot), b64(rm.ExpectedRoot))
	}
	return err
}
