package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"trustmark"
)

// tokenPrefix marks Trustmark API tokens, so that leaked ones are easy to
// find in logs and repositories.
const tokenPrefix = "tm_"

// CreateToken implements trustmark.Store: 32 random bytes, of which only the
// SHA-256 is stored.
func (db *DB) CreateToken(ctx context.Context, p trustmark.Party) (string, error) {
	var err error
	switch p.Kind {
	case trustmark.PartyBody:
		no, err := trustmark.ParseApprovalNo(p.ID)
		if err != nil {
			return "", err
		}
		p.ID = string(no)
		if _, err := db.Body(ctx, p.ID); err != nil {
			return "", err
		}
	case trustmark.PartyLab:
		no, err := trustmark.ParseCMANo(p.ID)
		if err != nil {
			return "", err
		}
		p.ID = string(no)
		if _, err := db.Lab(ctx, p.ID); err != nil {
			return "", err
		}
	case trustmark.PartyRegulator:
		if p.ID != "000000" {
			if p.ID, err = trustmark.ParseRegionCode(p.ID); err != nil {
				return "", err
			}
		}
	default:
		return "", trustmark.Errorf(trustmark.EInvalid, "party", "tokens are for bodies, laboratories and regulators, not %s", p)
	}
	var raw [32]byte
	rand.Read(raw[:])
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	err = db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO tokens (hash, party_kind, party_id, created_at) VALUES (?, ?, ?, ?)`,
			tokenHash(token), p.Kind, p.ID, micros(tx.now))
		return internal("store token", err)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Authenticate implements trustmark.Store.
func (db *DB) Authenticate(ctx context.Context, token string) (trustmark.Party, error) {
	token = strings.TrimSpace(token)
	if !strings.HasPrefix(token, tokenPrefix) {
		return trustmark.Party{}, trustmark.Errorf(trustmark.EUnauthorized, "", "the token is not a Trustmark API token")
	}
	var p trustmark.Party
	err := db.queryRow(ctx, `SELECT party_kind, party_id FROM tokens WHERE hash = ?`, tokenHash(token)).Scan(&p.Kind, &p.ID)
	if err == sql.ErrNoRows {
		return trustmark.Party{}, trustmark.Errorf(trustmark.EUnauthorized, "", "unknown API token")
	}
	if err != nil {
		return trustmark.Party{}, internal("read token", err)
	}
	return p, nil
}
