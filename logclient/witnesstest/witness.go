// Package witnesstest is an honest transparency log witness for tests, the
// witness side of C2SP tlog-witness (https://c2sp.org/tlog-witness): it
// verifies the log's signature on each submitted checkpoint, keeps per log
// the last checkpoint it cosigned, cosigns a new one only when the
// consistency proof (checked with github.com/transparency-dev/merkle/proof)
// shows that it extends that one, and answers with a cosignature/v1
// (C2SP tlog-cosignature) made with github.com/transparency-dev/formats/note.
//
// Serve it with httptest.NewServer(w); its submission prefix is the
// server's URL.
package witnesstest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
)

// maxProofLines is the most consistency proof lines a request may hold.
const maxProofLines = 63

// Witness is a witness for the logs added with AddLog. It is safe for
// concurrent use; checking a request against the witness's state and
// updating that state happen atomically, as the spec requires.
type Witness struct {
	signer note.Signer
	vkey   string

	mu       sync.Mutex
	logs     map[string]note.Verifier // by origin
	state    map[string]State         // by origin
	requests []Request
}

// State is what a witness keeps about a log: the last checkpoint it
// cosigned.
type State struct {
	Size uint64
	Root []byte
}

// Request records one add-checkpoint request and the witness's answer.
type Request struct {
	Old, Size uint64
	Status    int
}

// New returns a witness named name with a fresh Ed25519 key.
func New(name string) (*Witness, error) {
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		return nil, err
	}
	signer, err := fnote.NewSignerForCosignatureV1(skey)
	if err != nil {
		return nil, err
	}
	cvkey, err := fnote.VKeyToCosignatureV1(vkey)
	if err != nil {
		return nil, err
	}
	return &Witness{signer: signer, vkey: cvkey, logs: map[string]note.Verifier{}, state: map[string]State{}}, nil
}

// VerifierKey returns the witness's cosignature/v1 verifier key
// (name+hexid+base64key, key type 0x04), what logs and verifiers are given.
func (w *Witness) VerifierKey() string { return w.vkey }

// AddLog makes the witness accept checkpoints signed with the note
// verifier key vkey, for the origin that is the key's name.
func (w *Witness) AddLog(vkey string) error {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.logs[v.Name()] = v
	return nil
}

// State returns what the witness holds for the log with origin: size 0
// and the empty tree's root before it cosigned anything.
func (w *Witness) State(origin string) State {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stateOf(origin)
}

func (w *Witness) stateOf(origin string) State {
	if s, ok := w.state[origin]; ok {
		return s
	}
	return State{Size: 0, Root: rfc6962.DefaultHasher.EmptyRoot()}
}

// SetState replaces what the witness holds for a log, as a witness
// restored from a backup would.
func (w *Witness) SetState(origin string, s State) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.state[origin] = s
}

// Requests returns the requests answered so far, in order.
func (w *Witness) Requests() []Request {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Request(nil), w.requests...)
}

// ServeHTTP serves POST /add-checkpoint.
func (w *Witness) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/add-checkpoint" {
		http.NotFound(rw, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, 64<<10))
	if err != nil {
		http.Error(rw, err.Error(), http.StatusBadRequest)
		return
	}
	status, ctype, answer := w.AddCheckpoint(body)
	rw.Header().Set("Content-Type", ctype)
	rw.WriteHeader(status)
	rw.Write(answer)
}

// AddCheckpoint handles the body of an add-checkpoint request and returns
// the HTTP status, content type and body of the answer.
func (w *Witness) AddCheckpoint(body []byte) (status int, contentType string, answer []byte) {
	const plain = "text/plain; charset=utf-8"
	old, hashes, signed, err := parseRequest(body)
	if err != nil {
		return http.StatusBadRequest, plain, []byte(err.Error() + "\n")
	}
	origin, _, _ := bytes.Cut(signed, []byte("\n"))
	w.mu.Lock()
	defer w.mu.Unlock()
	v, ok := w.logs[string(origin)]
	if !ok {
		return http.StatusNotFound, plain, fmt.Appendf(nil, "unknown log %q\n", origin)
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		if errors.As(err, &unverified) || errors.As(err, &invalid) {
			return http.StatusForbidden, plain, []byte("no signature verifies with the log's key\n")
		}
		return http.StatusBadRequest, plain, fmt.Appendf(nil, "not a signed note: %v\n", err)
	}
	var cp log.Checkpoint
	if _, err := cp.Unmarshal([]byte(n.Text)); err != nil {
		return http.StatusBadRequest, plain, fmt.Appendf(nil, "not a checkpoint: %v\n", err)
	}
	defer func() { w.requests = append(w.requests, Request{Old: old, Size: cp.Size, Status: status}) }()
	st := w.stateOf(cp.Origin)
	switch {
	case old > cp.Size:
		return http.StatusBadRequest, plain, fmt.Appendf(nil, "old size %d is beyond the checkpoint's %d\n", old, cp.Size)
	case old != st.Size:
		return http.StatusConflict, "text/x.tlog.size", fmt.Appendf(nil, "%d\n", st.Size)
	case old == cp.Size && !bytes.Equal(cp.Hash, st.Root):
		return http.StatusConflict, plain, fmt.Appendf(nil, "a checkpoint of %d entries with another root was cosigned\n", old)
	case old == 0 && len(hashes) > 0:
		return http.StatusBadRequest, plain, []byte("a proof from size 0 must be empty\n")
	case old > 0:
		if err := proof.VerifyConsistency(rfc6962.DefaultHasher, old, cp.Size, hashes, st.Root, cp.Hash); err != nil {
			return http.StatusUnprocessableEntity, plain, fmt.Appendf(nil, "consistency proof from %d to %d: %v\n", old, cp.Size, err)
		}
	}
	cosigned, err := note.Sign(&note.Note{Text: n.Text}, w.signer)
	if err != nil {
		return http.StatusInternalServerError, plain, []byte(err.Error() + "\n")
	}
	w.state[cp.Origin] = State{Size: cp.Size, Root: bytes.Clone(cp.Hash)}
	return http.StatusOK, plain, cosigned[len(n.Text)+1:]
}

// parseRequest splits an add-checkpoint body into the old size, the
// consistency proof and the signed checkpoint.
func parseRequest(body []byte) (old uint64, hashes [][]byte, signed []byte, err error) {
	line, rest, ok := bytes.Cut(body, []byte("\n"))
	num, isOld := bytes.CutPrefix(line, []byte("old "))
	if !ok || !isOld || len(num) == 0 || (num[0] == '0' && len(num) > 1) {
		return 0, nil, nil, fmt.Errorf("the first line must be \"old SIZE\"")
	}
	if old, err = strconv.ParseUint(string(num), 10, 64); err != nil {
		return 0, nil, nil, fmt.Errorf("old size %q: %v", num, err)
	}
	for {
		if line, rest, ok = bytes.Cut(rest, []byte("\n")); !ok {
			return 0, nil, nil, fmt.Errorf("no empty line before the checkpoint")
		}
		if len(line) == 0 {
			break
		}
		if len(hashes) == maxProofLines {
			return 0, nil, nil, fmt.Errorf("more than %d proof lines", maxProofLines)
		}
		h, err := base64.StdEncoding.Strict().DecodeString(string(line))
		if err != nil || len(h) != rfc6962.DefaultHasher.Size() {
			return 0, nil, nil, fmt.Errorf("proof line %d is not a base64 SHA-256 hash", len(hashes)+1)
		}
		hashes = append(hashes, h)
	}
	return old, hashes, rest, nil
}
