package sqlstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"trustmark"
)

// TOTP secrets at rest. Verifying a code needs the secret itself, so it
// cannot be hashed like a password; with a key (WithSecretKey) it is sealed
// with AES-256-GCM, under a fresh random nonce, bound to its account's ID
// (the additional data), so that a copy of the database, or of a backup,
// signs nobody in without the key, and a sealed secret moved to another
// account's row does not open. Without a key secrets are stored as they
// are; a server given a key later seals each one the next time it is
// written, and reads both forms.

// sealedPrefix marks a sealed secret: "v1:" and base64 of nonce and
// ciphertext. TOTP secrets are base32 and never contain a colon.
const sealedPrefix = "v1:"

// WithSecretKey seals TOTP secrets at rest with key, 32 bytes (AES-256);
// it panics on a key of another length (ParseSecretKey checks one). Keep
// the key apart from the database (an environment variable, a
// secrets manager): a key lost is every second factor lost.
func WithSecretKey(key []byte) Option {
	return func(db *DB) {
		block, err := aes.NewCipher(key)
		if err != nil || len(key) != 32 {
			panic(fmt.Sprintf("sqlstore: WithSecretKey needs a 32-byte key, got %d bytes", len(key)))
		}
		db.secrets, _ = cipher.NewGCM(block)
	}
}

// ParseSecretKey reads a key for WithSecretKey as an operator writes it: 64
// hex digits, or 32 bytes in base64 (openssl rand -base64 32).
func ParseSecretKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, fmt.Errorf("the secret key must be 32 bytes, as 64 hex digits or in base64 (openssl rand -base64 32)")
}

// sealSecret returns secret as stored for account id.
func (db *DB) sealSecret(id, secret string) (string, error) {
	if secret == "" || db.secrets == nil {
		return secret, nil
	}
	nonce := make([]byte, db.secrets.NonceSize(), db.secrets.NonceSize()+len(secret)+db.secrets.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", internal("seal secret", err)
	}
	sealed := db.secrets.Seal(nonce, nonce, []byte(secret), []byte(id))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// openSecret returns the secret stored for account id.
func (db *DB) openSecret(id, stored string) (string, error) {
	body, sealed := strings.CutPrefix(stored, sealedPrefix)
	if !sealed {
		return stored, nil
	}
	if db.secrets == nil {
		return "", &trustmark.Error{Code: trustmark.EInternal, Message: "internal error",
			Err: fmt.Errorf("sqlstore: the TOTP secret of account %s is sealed, but the server has no secret key (TRUSTMARK_SECRET_KEY)", id)}
	}
	raw, err := base64.RawStdEncoding.DecodeString(body)
	n := db.secrets.NonceSize()
	if err != nil || len(raw) < n {
		return "", internal("open secret", fmt.Errorf("account %s: sealed secret is not base64 of nonce and ciphertext", id))
	}
	plain, err := db.secrets.Open(nil, raw[:n], raw[n:], []byte(id))
	if err != nil {
		return "", internal("open secret", fmt.Errorf("account %s: the secret does not open with this key: %w", id, err))
	}
	return string(plain), nil
}
