-- 010_accounts: people's accounts on the workbench (package account), their
-- roles, credentials, one-time sign-in links and sessions, the security log
-- of sign-ins, and API tokens that expire, can be revoked, and may belong to
-- an account (party_kind 'account', party_id the account's ID).
-- Instants are INTEGER unix microseconds, 0 when there is none. Secrets are
-- stored as hashes (links, sessions, tokens: hex SHA-256) or, for TOTP
-- secrets, which verifying needs in clear, encrypted when the server has a
-- key (sqlstore.WithSecretKey: "v1:" and AES-256-GCM), else as they are.

CREATE TABLE accounts (
	id         TEXT PRIMARY KEY,
	email      TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	disabled   BOOLEAN NOT NULL DEFAULT FALSE,
	created_at BIGINT NOT NULL
);

CREATE TABLE account_roles (
	account_id TEXT NOT NULL REFERENCES accounts (id),
	kind       TEXT NOT NULL,
	unit       TEXT NOT NULL,
	admin      BOOLEAN NOT NULL DEFAULT FALSE,
	position   BIGINT NOT NULL,
	PRIMARY KEY (account_id, kind, unit)
);
CREATE INDEX account_roles_unit ON account_roles (kind, unit);

-- version grows with every write, so that a sign-in decided on a stale copy
-- (two wrong passwords at once) is refused and decided again.
CREATE TABLE account_credentials (
	account_id     TEXT PRIMARY KEY REFERENCES accounts (id),
	password       TEXT NOT NULL DEFAULT '',
	totp_secret    TEXT NOT NULL DEFAULT '',
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	failures       BIGINT NOT NULL DEFAULT 0,
	last_failure   BIGINT NOT NULL DEFAULT 0,
	locks          BIGINT NOT NULL DEFAULT 0,
	locked_until   BIGINT NOT NULL DEFAULT 0,
	version        BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE signin_links (
	hash        TEXT PRIMARY KEY,
	account_id  TEXT NOT NULL REFERENCES accounts (id),
	purpose     TEXT NOT NULL,
	issued_by   TEXT NOT NULL,
	issued_at   BIGINT NOT NULL,
	expires_at  BIGINT NOT NULL,
	redeemed_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX signin_links_account ON signin_links (account_id, purpose);

CREATE TABLE account_sessions (
	hash         TEXT PRIMARY KEY,
	account_id   TEXT NOT NULL REFERENCES accounts (id),
	stage        TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	last_seen    BIGINT NOT NULL,
	pending_totp TEXT NOT NULL DEFAULT ''
);
CREATE INDEX account_sessions_account ON account_sessions (account_id);

-- The security log: sign-ins, failures, locks, sessions ended, tokens
-- created and revoked. Never in the public log (account.EventKind.Public).
CREATE TABLE security_log (
	id         BIGSERIAL PRIMARY KEY,
	at         BIGINT NOT NULL,
	account_id TEXT NOT NULL,
	kind       TEXT NOT NULL,
	actor      TEXT NOT NULL,
	detail     TEXT NOT NULL,
	client     TEXT NOT NULL
);
CREATE INDEX security_log_account ON security_log (account_id, id);

ALTER TABLE tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN revoked_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX tokens_party ON tokens (party_kind, party_id);
