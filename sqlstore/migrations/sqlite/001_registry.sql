-- 001_registry: the registry's tables, its event stream and API tokens.
-- Dates are TEXT 'YYYY-MM-DD' ('' when unknown) so that they compare as
-- strings on both databases; instants are INTEGER unix microseconds.

CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);
-- event_seq is the number of events ever written: the next Seq.
INSERT INTO counters (name, value) VALUES ('event_seq', 0);

CREATE TABLE orgs (
	uscc        TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	name_en     TEXT NOT NULL DEFAULT '',
	region_code TEXT NOT NULL,
	address     TEXT NOT NULL DEFAULT '',
	lat         REAL,
	lng         REAL,
	employees   INTEGER NOT NULL DEFAULT 0,
	updated_at  INTEGER NOT NULL
);
CREATE INDEX orgs_region ON orgs (region_code);

CREATE TABLE bodies (
	approval_no     TEXT PRIMARY KEY,
	uscc            TEXT NOT NULL,
	name            TEXT NOT NULL,
	name_en         TEXT NOT NULL DEFAULT '',
	region_code     TEXT NOT NULL,
	scopes          TEXT NOT NULL,
	ccc_categories  TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL,
	approved_on     TEXT NOT NULL DEFAULT '',
	status_since    TEXT NOT NULL DEFAULT '',
	last_submission INTEGER NOT NULL DEFAULT 0,
	updated_at      INTEGER NOT NULL
);

CREATE TABLE labs (
	cma_no          TEXT PRIMARY KEY,
	uscc            TEXT NOT NULL,
	name            TEXT NOT NULL,
	region_code     TEXT NOT NULL,
	status          TEXT NOT NULL,
	valid_until     TEXT NOT NULL DEFAULT '',
	status_since    TEXT NOT NULL DEFAULT '',
	last_submission INTEGER NOT NULL DEFAULT 0,
	updated_at      INTEGER NOT NULL
);

CREATE TABLE persons (
	registration_no  TEXT PRIMARY KEY,
	name             TEXT NOT NULL,
	body_approval_no TEXT NOT NULL REFERENCES bodies (approval_no),
	qualifications   TEXT NOT NULL,
	grade            TEXT NOT NULL DEFAULT '',
	status           TEXT NOT NULL,
	status_since     TEXT NOT NULL DEFAULT '',
	updated_at       INTEGER NOT NULL
);
CREATE INDEX persons_body ON persons (body_approval_no);

CREATE TABLE certificates (
	number           TEXT NOT NULL,
	type             TEXT NOT NULL,
	body_approval_no TEXT NOT NULL REFERENCES bodies (approval_no),
	holder_uscc      TEXT NOT NULL REFERENCES orgs (uscc),
	scope            TEXT NOT NULL,
	standard         TEXT NOT NULL DEFAULT '',
	product          TEXT NOT NULL DEFAULT '',
	ccc_category     TEXT NOT NULL DEFAULT '',
	issued_on        TEXT NOT NULL,
	expires_on       TEXT NOT NULL,
	status           TEXT NOT NULL,
	status_since     TEXT NOT NULL,
	updated_at       INTEGER NOT NULL,
	PRIMARY KEY (number, type)
);
CREATE INDEX certificates_holder ON certificates (holder_uscc);
CREATE INDEX certificates_body ON certificates (body_approval_no);
CREATE INDEX certificates_status_since ON certificates (status_since);

CREATE TABLE reports (
	lab_cma_no             TEXT NOT NULL REFERENCES labs (cma_no),
	number                 TEXT NOT NULL,
	client_uscc            TEXT NOT NULL DEFAULT '',
	product                TEXT NOT NULL,
	conclusion             TEXT NOT NULL,
	issued_on              TEXT NOT NULL DEFAULT '',
	signer_registration_no TEXT NOT NULL DEFAULT '',
	updated_at             INTEGER NOT NULL,
	PRIMARY KEY (lab_cma_no, number)
);
CREATE INDEX reports_client ON reports (client_uscc);
CREATE INDEX reports_number ON reports (number); -- import looks up existing reports by number

-- events is the registry's history; seq is the traceability log's index.
CREATE TABLE events (
	seq          INTEGER PRIMARY KEY,
	at           INTEGER NOT NULL,
	actor        TEXT NOT NULL,
	entity       TEXT NOT NULL,
	key          TEXT NOT NULL,
	action       TEXT NOT NULL,
	from_status  TEXT NOT NULL DEFAULT '',
	to_status    TEXT NOT NULL DEFAULT '',
	reason       TEXT NOT NULL DEFAULT '',
	effective_on TEXT NOT NULL DEFAULT '',
	data         BLOB,
	personal     TEXT,
	salt         BLOB
);
-- seq is the rowid, which every SQLite index entry ends with: (entity, key)
-- lists a record's events in seq order.
CREATE INDEX events_entity_key ON events (entity, key);

CREATE TABLE tokens (
	hash       TEXT PRIMARY KEY, -- hex SHA-256 of the token
	party_kind TEXT NOT NULL,
	party_id   TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
