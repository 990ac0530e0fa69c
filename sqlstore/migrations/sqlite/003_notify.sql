-- 003_notify: watchlists, their webhooks and the state of each delivery
-- (package verify). Instants are INTEGER unix microseconds.

CREATE TABLE watches (
	id         TEXT PRIMARY KEY,
	owner      TEXT NOT NULL, -- party "kind:id" that registered it
	url        TEXT NOT NULL,
	secret     TEXT NOT NULL, -- HMAC key of the signatures; must be kept to sign
	created_at INTEGER NOT NULL
);
CREATE INDEX watches_owner ON watches (owner);

CREATE TABLE watch_items (
	watch_id TEXT NOT NULL,
	kind     TEXT NOT NULL, -- 'certificate' (number) or 'org' (USCC)
	key      TEXT NOT NULL,
	PRIMARY KEY (watch_id, kind, key)
);
CREATE INDEX watch_items_key ON watch_items (kind, key);

-- notify_cursor holds the Seq of the last event the notifier processed.
CREATE TABLE notify_cursor (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	last_seq INTEGER NOT NULL
);
INSERT INTO notify_cursor (id, last_seq) VALUES (1, -1);

CREATE TABLE webhook_deliveries (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	watch_id        TEXT NOT NULL,
	event_seq       INTEGER NOT NULL,
	payload         TEXT NOT NULL,
	state           TEXT NOT NULL, -- pending, delivered, failed
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	last_status     INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	delivered_at    INTEGER NOT NULL DEFAULT 0,
	UNIQUE (watch_id, event_seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
