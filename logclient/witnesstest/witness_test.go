package witnesstest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
)

// logKey is a log's signing key, made from a fixed seed.
func logKey(t testing.TB) (note.Signer, string) {
	t.Helper()
	var seed [32]byte
	skey, vkey, err := note.GenerateKey(rand.NewChaCha8(seed), "log.test/log")
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return s, vkey
}

func signed(t testing.TB, s note.Signer, size uint64, root []byte) []byte {
	t.Helper()
	b, err := note.Sign(&note.Note{Text: string(log.Checkpoint{Origin: "log.test/log", Size: size, Hash: root}.Marshal())}, s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newWitness(t testing.TB) (*Witness, note.Signer) {
	t.Helper()
	w, err := New("witness.test/w")
	if err != nil {
		t.Fatal(err)
	}
	s, vkey := logKey(t)
	if err := w.AddLog(vkey); err != nil {
		t.Fatal(err)
	}
	return w, s
}

// leafRoot is the root of a one-leaf tree.
func leafRoot() []byte { return rfc6962.DefaultHasher.HashLeaf([]byte("entry 0")) }

func TestAddCheckpoint(t *testing.T) {
	w, s := newWitness(t)
	root := leafRoot()
	h := base64.StdEncoding.EncodeToString(root)
	other := sha256.Sum256([]byte("x"))
	tests := []struct {
		name   string
		body   string
		status int
	}{
		{"a first checkpoint from size 0 is cosigned", "old 0\n\n" + string(signed(t, s, 1, root)), 200},
		{"the same checkpoint again is cosigned", "old 1\n\n" + string(signed(t, s, 1, root)), 200},
		{"a stale old size is a conflict", "old 0\n\n" + string(signed(t, s, 1, root)), 409},
		{"another root at the same size is a conflict", "old 1\n\n" + string(signed(t, s, 1, other[:])), 409},
		{"a proof that does not verify is unprocessable", "old 1\n" + h + "\n\n" + string(signed(t, s, 2, other[:])), 422},
		{"an old size beyond the checkpoint is a bad request", "old 3\n\n" + string(signed(t, s, 2, other[:])), 400},
		{"an unknown origin is not found", "old 0\n\nother.test/log\n1\n" + h + "\n\n— other.test/log AAAA\n", 404},
		{"a signature by another key is forbidden", "old 0\n\n" + string(signed(t, otherSigner(t), 1, root)), 403},
		{"leading zeros are a bad request", "old 01\n\n" + string(signed(t, s, 1, root)), 400},
		{"a proof line that is not a hash is a bad request", "old 1\nAAAA\n\n" + string(signed(t, s, 2, root)), 400},
		{"a missing empty line is a bad request", "old 1\n", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, ctype, answer := w.AddCheckpoint([]byte(tc.body))
			if status != tc.status {
				t.Fatalf("AddCheckpoint = %d %s %q, want %d", status, ctype, answer, tc.status)
			}
			switch status {
			case http.StatusConflict:
				if tc.name == "a stale old size is a conflict" && (ctype != "text/x.tlog.size" || string(answer) != "1\n") {
					t.Errorf("409 answer %s %q, want text/x.tlog.size \"1\\n\"", ctype, answer)
				}
			case http.StatusOK:
				_, cp, _ := strings.Cut(tc.body, "\n\n")
				v, err := fnote.NewVerifierForCosignatureV1(w.VerifierKey())
				if err != nil {
					t.Fatal(err)
				}
				if _, err := note.Open([]byte(cp+string(answer)), note.VerifierList(v)); err != nil {
					t.Errorf("cosignature %q does not verify: %v", answer, err)
				}
			}
		})
	}
	if got := w.State("log.test/log"); got.Size != 1 || !bytes.Equal(got.Root, root) {
		t.Errorf("State = %d %x, want 1 %x", got.Size, got.Root, root)
	}
}

func otherSigner(t testing.TB) note.Signer {
	t.Helper()
	var seed [32]byte
	seed[0] = 1
	skey, _, err := note.GenerateKey(rand.NewChaCha8(seed), "log.test/log")
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func FuzzAddCheckpoint(f *testing.F) {
	w, s := newWitness(f)
	root := leafRoot()
	f.Add([]byte("old 0\n\n" + string(signed(f, s, 1, root))))
	f.Add([]byte("old 1\n" + base64.StdEncoding.EncodeToString(root) + "\n\n" + string(signed(f, s, 2, root))))
	f.Add([]byte("old 0\n\nlog.test/log\n1\n\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		before := w.State("log.test/log")
		status, _, _ := w.AddCheckpoint(body)
		after := w.State("log.test/log")
		if status != http.StatusOK && (after.Size != before.Size || !bytes.Equal(after.Root, before.Root)) {
			t.Errorf("AddCheckpoint(%q) = %d but the state moved from %d to %d", body, status, before.Size, after.Size)
		}
		if status == http.StatusOK && after.Size < before.Size {
			t.Errorf("AddCheckpoint(%q) cosigned a smaller tree: %d after %d", body, after.Size, before.Size)
		}
	})
}
