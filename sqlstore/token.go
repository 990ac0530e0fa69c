package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"trustmark"
	"trustmark/account"
)

// tokenPrefix marks Trustmark API tokens, so that leaked ones are easy to
// find in logs and repositories.
const tokenPrefix = "tm_"

// CreateToken implements trustmark.Store: a token for p that does not
// expire (IssueToken issues one that does).
func (db *DB) CreateToken(ctx context.Context, p trustmark.Party) (string, error) {
	token, _, err := db.IssueToken(ctx, account.APIToken{Owner: p})
	return token, err
}

// checkTokenOwner returns the owner of a new token in canonical form, or
// why no token can be made for it: tokens are for bodies, laboratories and
// regulators that the registry holds, and for accounts.
func (db *DB) checkTokenOwner(ctx context.Context, p trustmark.Party) (trustmark.Party, error) {
	var err error
	switch p.Kind {
	case trustmark.PartyBody:
		no, err := trustmark.ParseApprovalNo(p.ID)
		if err != nil {
			return p, err
		}
		p.ID = string(no)
		_, err = db.Body(ctx, p.ID)
		return p, err
	case trustmark.PartyLab:
		no, err := trustmark.ParseCMANo(p.ID)
		if err != nil {
			return p, err
		}
		p.ID = string(no)
		_, err = db.Lab(ctx, p.ID)
		return p, err
	case trustmark.PartyRegulator:
		if p.ID != trustmark.NationalRegion {
			p.ID, err = trustmark.ParseRegionCode(p.ID)
		}
		return p, err
	case trustmark.PartyPerson:
		pe, err := db.Person(ctx, strings.TrimSpace(p.ID))
		if err != nil {
			return p, err
		}
		p.ID = pe.RegistrationNo
		return p, nil
	case account.PartyKind:
		_, err = db.Account(ctx, p.ID)
		return p, err
	}
	return p, trustmark.Errorf(trustmark.EInvalid, "party", "tokens are for bodies, laboratories, regulators, registered persons and accounts, not %s", p)
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Authenticate implements trustmark.Store. A token that was revoked or has
// expired is refused (account.APIToken.Check); an account's token returns
// the party account:ID, whose roles the caller looks up.
func (db *DB) Authenticate(ctx context.Context, token string) (trustmark.Party, error) {
	token = strings.TrimSpace(token)
	if !strings.HasPrefix(token, tokenPrefix) {
		return trustmark.Party{}, trustmark.Errorf(trustmark.EUnauthorized, "", "the token is not a Trustmark API token")
	}
	ts, err := db.tokens(ctx, `WHERE hash = ?`, tokenHash(token))
	if err != nil {
		return trustmark.Party{}, err
	}
	if len(ts) == 0 {
		return trustmark.Party{}, trustmark.Errorf(trustmark.EUnauthorized, "", "unknown API token")
	}
	if err := ts[0].Check(db.clock()); err != nil {
		return trustmark.Party{}, err
	}
	return ts[0].Owner, nil
}
