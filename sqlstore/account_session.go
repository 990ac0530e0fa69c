package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"trustmark"
	"trustmark/account"
)

// One-time links and sessions (account.Store), tables of migration
// 010_accounts. Both are stored by the hash of their token only.

// saveLink stores a new link in place of the account's unused one of the
// same purpose, or marks a redeemed link used if nobody used it first.
func (tx *Tx) saveLink(ctx context.Context, l account.Link) error {
	if l.RedeemedAt.IsZero() {
		if _, err := tx.Exec(ctx, `DELETE FROM signin_links WHERE account_id = ? AND purpose = ? AND redeemed_at = 0`, l.Account, string(l.Purpose)); err != nil {
			return internal("replace link", err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO signin_links (hash, account_id, purpose, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			l.Hash, l.Account, string(l.Purpose), l.IssuedBy, micros(l.IssuedAt), micros(l.Expires))
		return internal("store link", err)
	}
	res, err := tx.Exec(ctx, `UPDATE signin_links SET redeemed_at = ? WHERE hash = ? AND redeemed_at = 0`, micros(l.RedeemedAt), l.Hash)
	if err != nil {
		return internal("redeem link", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal("redeem link", err)
	} else if n == 1 {
		return nil
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM signin_links WHERE hash = ?`, l.Hash).Scan(&n); err != nil {
		return internal("redeem link", err)
	}
	if n == 0 {
		return notFound("token", "there is no such sign-in link")
	}
	return trustmark.Reasonf(trustmark.EUnauthorized, "link.used", "token", "this link has been used already; ask for a new one")
}

// Link implements account.Store.
func (db *DB) Link(ctx context.Context, hash string) (account.Link, error) {
	var (
		l                         account.Link
		purpose                   string
		issued, expires, redeemed int64
	)
	err := db.queryRow(ctx, `SELECT hash, account_id, purpose, issued_by, issued_at, expires_at, redeemed_at FROM signin_links WHERE hash = ?`, hash).
		Scan(&l.Hash, &l.Account, &purpose, &l.IssuedBy, &issued, &expires, &redeemed)
	if errors.Is(err, sql.ErrNoRows) {
		return l, notFound("token", "there is no such sign-in link")
	}
	if err != nil {
		return l, internal("read link", err)
	}
	l.Purpose, l.IssuedAt, l.Expires, l.RedeemedAt = account.Purpose(purpose), fromMicros(issued), fromMicros(expires), fromMicros(redeemed)
	return l, nil
}

// Session implements account.Store.
func (db *DB) Session(ctx context.Context, hash string) (account.SessionRecord, error) {
	var (
		s                 account.SessionRecord
		stage, pending    string
		created, lastSeen int64
	)
	err := db.queryRow(ctx, `SELECT hash, account_id, stage, created_at, last_seen, pending_totp FROM account_sessions WHERE hash = ?`, hash).
		Scan(&s.Hash, &s.Account, &stage, &created, &lastSeen, &pending)
	if errors.Is(err, sql.ErrNoRows) {
		return s, trustmark.Reasonf(trustmark.ENotFound, "session.unknown", "", "this session has ended; please sign in")
	}
	if err != nil {
		return s, internal("read session", err)
	}
	s.Stage, s.CreatedAt, s.LastSeen = account.Stage(stage), fromMicros(created), fromMicros(lastSeen)
	if s.PendingTOTP, err = db.openSecret(s.Account, pending); err != nil {
		return s, err
	}
	return s, nil
}

// TouchSession implements account.Store. It moves last_seen only forward,
// so that two requests finishing out of order leave the later time.
func (db *DB) TouchSession(ctx context.Context, hash string, lastSeen time.Time) error {
	return db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE account_sessions SET last_seen = ? WHERE hash = ? AND last_seen < ?`, micros(lastSeen), hash, micros(lastSeen))
		return internal("touch session", err)
	})
}
