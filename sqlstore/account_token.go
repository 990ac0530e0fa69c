package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"trustmark"
	"trustmark/account"
)

// API tokens (account.TokenStore), in the tokens table of 001_registry as
// extended by 010_accounts: a label, an expiry and a revocation, and
// accounts as owners (party_kind "account").

var _ account.TokenStore = (*DB)(nil)

// tokenIDLen is how many hex digits of a token's hash make its public ID:
// 64 bits, unique among any number of tokens a registry will ever issue.
const tokenIDLen = 16

// maxLabelBytes bounds a token's label.
const maxLabelBytes = 200

// IssueToken implements account.TokenStore: 32 random bytes, of which only
// the SHA-256 is stored.
func (db *DB) IssueToken(ctx context.Context, t account.APIToken) (string, account.APIToken, error) {
	owner, err := db.checkTokenOwner(ctx, t.Owner)
	if err != nil {
		return "", t, err
	}
	t.Owner, t.Label = owner, strings.TrimSpace(t.Label)
	if len(t.Label) > maxLabelBytes || strings.ContainsFunc(t.Label, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", t, trustmark.Errorf(trustmark.EInvalid, "label", "a token's label is at most %d bytes, without control characters", maxLabelBytes)
	}
	var raw [32]byte
	rand.Read(raw[:])
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	hash := tokenHash(token)
	t.ID, t.Revoked = hash[:tokenIDLen], time.Time{}
	err = db.Transact(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		if _, err := tx.Exec(ctx, `INSERT INTO tokens (hash, party_kind, party_id, created_at, label, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			hash, t.Owner.Kind, t.Owner.ID, micros(tx.now), t.Label, micros(t.Expires)); err != nil {
			return internal("store token", err)
		}
		ev := account.Event{Kind: account.EventTokenCreated, Account: t.Account(), At: tx.now, Detail: t.ID + " " + t.Owner.String()}
		return tx.recordAccountEvents(ctx, account.Change{Events: []account.Event{ev}})
	})
	if err != nil {
		return "", t, err
	}
	t.Expires = fromMicros(micros(t.Expires))
	return token, t, nil
}

// Tokens implements account.TokenStore.
func (db *DB) Tokens(ctx context.Context, f account.TokenFilter) ([]account.APIToken, error) {
	where := `WHERE 1 = 1`
	var args []any
	if f.Owner != (trustmark.Party{}) {
		where += ` AND party_kind = ? AND party_id = ?`
		args = append(args, f.Owner.Kind, f.Owner.ID)
	}
	if !f.Revoked {
		where += ` AND revoked_at = 0 AND (expires_at = 0 OR expires_at > ?)`
		args = append(args, micros(db.clock()))
	}
	return db.tokens(ctx, where+` ORDER BY created_at DESC, hash`, args...)
}

// RevokeToken implements account.TokenStore.
func (db *DB) RevokeToken(ctx context.Context, id, actor string) (account.APIToken, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) != tokenIDLen || strings.Trim(id, "0123456789abcdef") != "" {
		return account.APIToken{}, trustmark.Errorf(trustmark.EInvalid, "id", "%q is not a token ID (the %d hex digits `trustmark token list` shows)", id, tokenIDLen)
	}
	var out account.APIToken
	err := db.Transact(ctx, func(tx *Tx) error {
		// The hash's first digits, as a range: the primary key's index
		// answers it on both databases.
		ts, err := scanTokens(tx.Query(ctx, `SELECT hash, party_kind, party_id, label, created_at, expires_at, revoked_at FROM tokens
			WHERE hash >= ? AND hash < ?`, id, id+"g"))
		if err != nil {
			return err
		}
		if len(ts) == 0 {
			return notFound("id", "there is no token %s", id)
		}
		t, ev, err := ts[0].Revoke(actor, tx.now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE tokens SET revoked_at = ? WHERE hash >= ? AND hash < ?`, micros(t.Revoked), id, id+"g"); err != nil {
			return internal("revoke token", err)
		}
		out = t
		return tx.recordAccountEvents(ctx, account.Change{Events: []account.Event{ev}})
	})
	return out, err
}

func (db *DB) tokens(ctx context.Context, where string, args ...any) ([]account.APIToken, error) {
	return scanTokens(db.query(ctx, `SELECT hash, party_kind, party_id, label, created_at, expires_at, revoked_at FROM tokens `+where, args...))
}

func scanTokens(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}, err error) ([]account.APIToken, error) {
	if err != nil {
		return nil, internal("read tokens", err)
	}
	defer rows.Close()
	var out []account.APIToken
	for rows.Next() {
		var (
			t                         account.APIToken
			hash                      string
			created, expires, revoked int64
		)
		if err := rows.Scan(&hash, &t.Owner.Kind, &t.Owner.ID, &t.Label, &created, &expires, &revoked); err != nil {
			return nil, internal("read token", err)
		}
		t.ID, t.CreatedAt, t.Expires, t.Revoked = hash[:min(len(hash), tokenIDLen)], fromMicros(created), fromMicros(expires), fromMicros(revoked)
		out = append(out, t)
	}
	return out, internal("read tokens", rows.Err())
}
