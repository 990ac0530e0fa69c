package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"trustmark"
	"trustmark/account"
)

// Accounts (account.Store), tables of migration 010_accounts. The store
// persists what package account decided: it checks only what a database
// checks (an e-mail address taken, a unit it does not hold, a stale
// version) and never decides whether a sign-in succeeds.

var _ account.Store = (*DB)(nil)

// Apply implements account.Store.
func (db *DB) Apply(ctx context.Context, c account.Change) error {
	return db.Transact(ctx, func(tx *Tx) error { return tx.applyAccountChange(ctx, c) })
}

func (tx *Tx) applyAccountChange(ctx context.Context, c account.Change) error {
	if a := c.NewAccount; a != nil {
		if err := tx.insertAccount(ctx, *a); err != nil {
			return err
		}
	}
	if a := c.Account; a != nil {
		if err := tx.updateAccount(ctx, *a); err != nil {
			return err
		}
	}
	if c.Credentials != nil {
		if err := tx.saveCredentials(ctx, c.CredentialsOf, c.Version, *c.Credentials); err != nil {
			return err
		}
	}
	if l := c.Link; l != nil {
		if err := tx.saveLink(ctx, *l); err != nil {
			return err
		}
	}
	for _, h := range c.EndSessions {
		if _, err := tx.Exec(ctx, `DELETE FROM account_sessions WHERE hash = ?`, h); err != nil {
			return internal("end session", err)
		}
	}
	if c.EndSessionsOf != "" {
		if _, err := tx.Exec(ctx, `DELETE FROM account_sessions WHERE account_id = ?`, c.EndSessionsOf); err != nil {
			return internal("end sessions", err)
		}
	}
	if s := c.Session; s != nil {
		pending, err := tx.db.sealSecret(s.Account, s.PendingTOTP)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO account_sessions (hash, account_id, stage, created_at, last_seen, pending_totp) VALUES (?, ?, ?, ?, ?, ?)`,
			s.Hash, s.Account, string(s.Stage), micros(s.CreatedAt), micros(s.LastSeen), pending); err != nil {
			return internal("store session", err)
		}
	}
	return tx.recordAccountEvents(ctx, c)
}

// insertAccount stores a new account with its roles and empty credentials.
func (tx *Tx) insertAccount(ctx context.Context, a account.Account) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM accounts WHERE email = ? OR id = ?`, string(a.Email), a.ID).Scan(&n); err != nil {
		return internal("look up e-mail address", err)
	}
	if n > 0 {
		return trustmark.Errorf(trustmark.EConflict, "email", "an account with the e-mail address %s exists already", a.Email)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO accounts (id, email, name, disabled, created_at) VALUES (?, ?, ?, ?, ?)`,
		a.ID, string(a.Email), a.Name, a.Disabled, micros(a.CreatedAt)); err != nil {
		return internal("store account", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO account_credentials (account_id) VALUES (?)`, a.ID); err != nil {
		return internal("store credentials", err)
	}
	return tx.insertRoles(ctx, a)
}

// updateAccount replaces an account's name, state and roles.
func (tx *Tx) updateAccount(ctx context.Context, a account.Account) error {
	res, err := tx.Exec(ctx, `UPDATE accounts SET name = ?, disabled = ? WHERE id = ?`, a.Name, a.Disabled, a.ID)
	if err != nil {
		return internal("update account", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return cmp.Or(internal("update account", err), notFound("account", "there is no account %s", a.ID))
	}
	if _, err := tx.Exec(ctx, `DELETE FROM account_roles WHERE account_id = ?`, a.ID); err != nil {
		return internal("update roles", err)
	}
	return tx.insertRoles(ctx, a)
}

// insertRoles stores a's roles in order, after checking that the registry
// holds each role's unit: an account of a body that does not exist would
// act for nobody.
func (tx *Tx) insertRoles(ctx context.Context, a account.Account) error {
	for i, r := range a.Roles {
		if err := tx.checkUnit(ctx, r.Unit); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO account_roles (account_id, kind, unit, admin, position) VALUES (?, ?, ?, ?, ?)`,
			a.ID, string(r.Kind), r.ID, r.Admin, i); err != nil {
			return internal("store role", err)
		}
	}
	return nil
}

// unitTables is where the registry holds each kind of unit. Regulators'
// units are regions, which account.ParseUnit checked against GB/T 2260.
var unitTables = map[account.Kind]struct{ query, what string }{
	account.Body:    {`SELECT COUNT(*) FROM bodies WHERE approval_no = ?`, "certification body"},
	account.Lab:     {`SELECT COUNT(*) FROM labs WHERE cma_no = ?`, "laboratory"},
	account.Auditor: {`SELECT COUNT(*) FROM persons WHERE registration_no = ?`, "registered person"},
	account.Org:     {`SELECT COUNT(*) FROM orgs WHERE uscc = ?`, "organisation"},
}

func (tx *Tx) checkUnit(ctx context.Context, u account.Unit) error {
	t, ok := unitTables[u.Kind]
	if !ok {
		return nil
	}
	var n int
	if err := tx.QueryRow(ctx, t.query, u.ID).Scan(&n); err != nil {
		return internal("look up "+t.what, err)
	}
	if n == 0 {
		return notFound(string(u.Kind), "the registry holds no %s %s", t.what, u.ID)
	}
	return nil
}

// saveCredentials replaces an account's credentials if they are still at
// version.
func (tx *Tx) saveCredentials(ctx context.Context, id string, version int64, c account.Credentials) error {
	secret, err := tx.db.sealSecret(id, c.TOTP.Secret)
	if err != nil {
		return err
	}
	t := c.Throttle
	res, err := tx.Exec(ctx, `UPDATE account_credentials SET password = ?, totp_secret = ?, totp_last_step = ?,
		failures = ?, last_failure = ?, locks = ?, locked_until = ?, version = version + 1
		WHERE account_id = ? AND version = ?`,
		c.Password, secret, c.TOTP.LastStep, t.Failures, micros(t.LastFailure), t.Locks, micros(t.LockedUntil), id, version)
	if err != nil {
		return internal("store credentials", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal("store credentials", err)
	} else if n == 0 {
		return trustmark.Errorf(trustmark.EConflict, "", "the credentials of account %s changed meanwhile; try again", id)
	}
	return nil
}

// recordAccountEvents writes c's events: public ones as registry events
// (the public log), the others to the security log.
func (tx *Tx) recordAccountEvents(ctx context.Context, c account.Change) error {
	for _, e := range c.Events {
		if !e.Kind.Public() {
			if _, err := tx.Exec(ctx, `INSERT INTO security_log (at, account_id, kind, actor, detail, client) VALUES (?, ?, ?, ?, ?, ?)`,
				micros(orNow(e.At, tx.now)), e.Account, string(e.Kind), e.Actor, e.Detail, c.Client); err != nil {
				return internal("write security log", err)
			}
			continue
		}
		ev := trustmark.Event{
			Actor:  accountActor(e),
			Entity: account.Entity,
			Key:    e.Account,
			Action: strings.TrimPrefix(string(e.Kind), account.Entity+"."),
		}
		state := publicAccount{ID: e.Account, Detail: e.Detail}
		for _, a := range []*account.Account{c.NewAccount, c.Account} {
			if a != nil && a.ID == e.Account {
				state.Roles, state.Disabled = rolesOf(*a), a.Disabled
				if e.Kind == account.EventCreated {
					ev.Personal = map[string]string{"email": string(a.Email), "name": a.Name}
				}
			}
		}
		ev.Data = mustJSON(state)
		tx.Record(ev)
	}
	return nil
}

// publicAccount is an account as the public log shows it: no e-mail
// address, no name (those are committed to by hash on creation).
type publicAccount struct {
	ID       string   `json:"id"`
	Roles    []string `json:"roles,omitempty"`
	Disabled bool     `json:"disabled,omitempty"`
	Detail   string   `json:"detail,omitempty"`
}

func rolesOf(a account.Account) []string {
	out := make([]string, len(a.Roles))
	for i, r := range a.Roles {
		out[i] = r.String()
	}
	return out
}

// accountActor names who acted in the public log's terms: an account as
// "account:ID" (the account itself when Actor is empty), the command line
// as "cli".
func accountActor(e account.Event) string {
	switch {
	case e.Actor == "":
		return account.PartyKind + ":" + e.Account
	case strings.HasPrefix(e.Actor, "acc_"):
		return account.PartyKind + ":" + e.Actor
	}
	return e.Actor
}

// orNow is t, or now when t is zero.
func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

// Account implements account.Store.
func (db *DB) Account(ctx context.Context, id string) (account.Account, error) {
	return db.accountWhere(ctx, `a.id = ?`, id)
}

// AccountByEmail implements account.Store.
func (db *DB) AccountByEmail(ctx context.Context, e account.Email) (account.Account, error) {
	return db.accountWhere(ctx, `a.email = ?`, string(e))
}

func (db *DB) accountWhere(ctx context.Context, where string, arg any) (account.Account, error) {
	as, err := db.accounts(ctx, `SELECT a.id, a.email, a.name, a.disabled, a.created_at FROM accounts a WHERE `+where, arg)
	if err != nil {
		return account.Account{}, err
	}
	if len(as) == 0 {
		return account.Account{}, notFound("account", "there is no such account")
	}
	return as[0], nil
}

// Staff implements account.Store.
func (db *DB) Staff(ctx context.Context, u account.Unit) ([]account.Account, error) {
	return db.accounts(ctx, `SELECT a.id, a.email, a.name, a.disabled, a.created_at FROM accounts a
		WHERE a.id IN (SELECT account_id FROM account_roles WHERE kind = ? AND unit = ?) ORDER BY a.email`, string(u.Kind), u.ID)
}

// accounts runs a query of accounts and reads their roles.
func (db *DB) accounts(ctx context.Context, q string, args ...any) ([]account.Account, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, internal("read accounts", err)
	}
	defer rows.Close()
	var out []account.Account
	for rows.Next() {
		var a account.Account
		var email string
		var created int64
		if err := rows.Scan(&a.ID, &email, &a.Name, &a.Disabled, &created); err != nil {
			return nil, internal("read account", err)
		}
		a.Email, a.CreatedAt = account.Email(email), fromMicros(created)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read accounts", err)
	}
	rows.Close()
	for i := range out {
		if out[i].Roles, err = db.roles(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (db *DB) roles(ctx context.Context, id string) ([]account.Role, error) {
	rows, err := db.query(ctx, `SELECT kind, unit, admin FROM account_roles WHERE account_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, internal("read roles", err)
	}
	defer rows.Close()
	var out []account.Role
	for rows.Next() {
		var r account.Role
		var kind string
		if err := rows.Scan(&kind, &r.ID, &r.Admin); err != nil {
			return nil, internal("read role", err)
		}
		r.Kind = account.Kind(kind)
		out = append(out, r)
	}
	return out, internal("read roles", rows.Err())
}

// Credentials implements account.Store.
func (db *DB) Credentials(ctx context.Context, id string) (account.Credentials, int64, error) {
	var (
		c                              account.Credentials
		secret                         string
		lastFailure, lockedUntil, vers int64
	)
	err := db.queryRow(ctx, `SELECT password, totp_secret, totp_last_step, failures, last_failure, locks, locked_until, version
		FROM account_credentials WHERE account_id = ?`, id).
		Scan(&c.Password, &secret, &c.TOTP.LastStep, &c.Throttle.Failures, &lastFailure, &c.Throttle.Locks, &lockedUntil, &vers)
	if errors.Is(err, sql.ErrNoRows) {
		return c, 0, notFound("account", "there is no account %s", id)
	}
	if err != nil {
		return c, 0, internal("read credentials", err)
	}
	if c.TOTP.Secret, err = db.openSecret(id, secret); err != nil {
		return c, 0, err
	}
	c.Throttle.LastFailure, c.Throttle.LockedUntil = fromMicros(lastFailure), fromMicros(lockedUntil)
	return c, vers, nil
}

// SecurityLog implements account.Store.
func (db *DB) SecurityLog(ctx context.Context, f account.SecurityFilter) ([]account.SecurityRecord, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q := `SELECT at, account_id, kind, actor, detail, client FROM security_log`
	var args []any
	if f.Account != "" {
		q += ` WHERE account_id = ?`
		args = append(args, f.Account)
	}
	q += ` ORDER BY id DESC LIMIT ` + strconv.Itoa(limit)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, internal("read security log", err)
	}
	defer rows.Close()
	var out []account.SecurityRecord
	for rows.Next() {
		var r account.SecurityRecord
		var at int64
		var kind string
		if err := rows.Scan(&at, &r.Account, &kind, &r.Actor, &r.Detail, &r.Client); err != nil {
			return nil, internal("read security log", err)
		}
		r.At, r.Kind = fromMicros(at), account.EventKind(kind)
		out = append(out, r)
	}
	return out, internal("read security log", rows.Err())
}
