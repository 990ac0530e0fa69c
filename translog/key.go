package translog

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// DefaultOrigin is the origin line of checkpoints (and the name of the
// signing key) when none is configured. A deployment sets its own, its
// public host and path, e.g. "trustmark.cnca.gov.cn/log"; the origin of a
// log never changes once its first checkpoint is signed.
const DefaultOrigin = "trustmark.example/log"

// Key is the log's Ed25519 signing key in the note format
// (golang.org/x/mod/sumdb/note), named after the log's origin.
type Key struct {
	Signer      note.Signer
	Verifier    note.Verifier
	VerifierKey string // name+hexid+base64key, what verifiers are given
}

// GenerateKey returns a new signing key for origin, as the PRIVATE+KEY+...
// string stored in a key file.
func GenerateKey(rnd io.Reader, origin string) (string, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	skey, _, err := note.GenerateKey(rnd, origin)
	return skey, err
}

// ParseKey reads a note signer key (PRIVATE+KEY+name+hexid+base64key) and
// derives its verifier key.
func ParseKey(skey string) (*Key, error) {
	skey = strings.TrimSpace(skey)
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("log signing key: %v", err)
	}
	// PRIVATE+KEY+name+hash+base64(alg || seed): derive the public half.
	rest := strings.TrimPrefix(skey, "PRIVATE+KEY+")
	_, rest, _ = strings.Cut(rest, "+") // name
	_, rest, _ = strings.Cut(rest, "+") // key hash
	raw, err := base64.StdEncoding.DecodeString(rest)
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return nil, fmt.Errorf("log signing key is not an Ed25519 note key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(signer.Name(), pub)
	if err != nil {
		return nil, err
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	return &Key{Signer: signer, Verifier: v, VerifierKey: vkey}, nil
}

// LoadKey reads the signing key: from $TRUSTMARK_LOG_KEY when it holds one
// (a secret handed over by the environment), else from path.
func LoadKey(path string) (*Key, error) {
	if s := os.Getenv("TRUSTMARK_LOG_KEY"); s != "" {
		return ParseKey(s)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		slog.Warn("log signing key file is readable by others; chmod 600 it", "file", path, "mode", fi.Mode().Perm().String())
	}
	return ParseKey(string(b))
}

// LoadOrCreateKey loads the signing key, creating the key file (mode 0600,
// never overwriting) for origin on first start. created reports whether it
// did. An existing log whose key is missing must not get a fresh key
// silently: st's recorded verifier key is checked by Open.
func LoadOrCreateKey(ctx context.Context, path, origin string, st Storage) (k *Key, created bool, err error) {
	k, err = LoadKey(path)
	if err == nil {
		return k, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	if vkey, err := st.Setting(ctx, "verifier_key"); err == nil {
		return nil, false, fmt.Errorf("log signing key file %s is missing, but the log was already signed by %s: restore the key file (a new key would make every verifier reject the log)", path, vkey)
	}
	if origin == "" {
		origin = DefaultOrigin
	}
	skey, err := GenerateKey(nil, origin)
	if err != nil {
		return nil, false, err
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, false, err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("creating log signing key: %w", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return nil, false, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, false, err
	}
	if err := f.Close(); err != nil {
		return nil, false, err
	}
	k, err = ParseKey(skey)
	return k, true, err
}
