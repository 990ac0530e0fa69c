-- 014_audits: on-site audit supervision (package audit) and the generic
-- matters (package matter) every capability opens. The current state of an
-- audit is its document; each revision is kept in audit_revisions, never
-- overwritten, and goes to the public log as an event. Instants are unix
-- microseconds. Photos are stored once by content hash and never served
-- publicly; a device is stored only as a hash.

CREATE TABLE audits (
	id        TEXT PRIMARY KEY,
	body      TEXT NOT NULL,
	region    TEXT NOT NULL,
	holder    TEXT NOT NULL,
	start_at  BIGINT NOT NULL,
	end_at    BIGINT NOT NULL,
	revision  BIGINT NOT NULL,
	doc       TEXT NOT NULL
);
CREATE INDEX audits_holder ON audits (holder, start_at);
CREATE INDEX audits_body ON audits (body, start_at);

CREATE TABLE audit_revisions (
	audit_id  TEXT NOT NULL REFERENCES audits (id),
	revision  BIGINT NOT NULL,
	event     TEXT NOT NULL,
	PRIMARY KEY (audit_id, revision)
);

CREATE TABLE audit_members (
	audit_id        TEXT NOT NULL REFERENCES audits (id),
	registration_no TEXT NOT NULL,
	role            TEXT NOT NULL,
	start_at        BIGINT NOT NULL,
	end_at          BIGINT NOT NULL,
	PRIMARY KEY (audit_id, registration_no)
);
-- A person's audits by time, for the overlap and lent-out rules: an index
-- range, however many audits the person has.
CREATE INDEX audit_members_person ON audit_members (registration_no, start_at);

-- request_key is the client's request id: a retry with the same key
-- returns the check-in already made.
CREATE TABLE checkins (
	id          TEXT PRIMARY KEY,
	audit_id    TEXT NOT NULL REFERENCES audits (id),
	person      TEXT NOT NULL,
	request_key TEXT NOT NULL,
	kind        TEXT NOT NULL,
	at          BIGINT NOT NULL,
	device_time BIGINT NOT NULL,
	lat         DOUBLE PRECISION NOT NULL,
	lng         DOUBLE PRECISION NOT NULL,
	datum       TEXT NOT NULL,
	wgs_lat     DOUBLE PRECISION NOT NULL,
	wgs_lng     DOUBLE PRECISION NOT NULL,
	accuracy_m  DOUBLE PRECISION NOT NULL,
	device_hash TEXT NOT NULL,
	photos      TEXT NOT NULL,
	UNIQUE (person, request_key)
);
CREATE INDEX checkins_audit ON checkins (audit_id, person, at);
CREATE INDEX checkins_person ON checkins (person, at);
CREATE INDEX checkins_device ON checkins (device_hash, at);

CREATE TABLE photos (
	sha256 TEXT PRIMARY KEY,
	size   BIGINT NOT NULL,
	phash  BIGINT NOT NULL,
	data   BYTEA NOT NULL
);

CREATE TABLE photo_uses (
	sha256     TEXT NOT NULL,
	checkin_id TEXT NOT NULL REFERENCES checkins (id),
	audit_id   TEXT NOT NULL,
	PRIMARY KEY (sha256, checkin_id)
);

CREATE TABLE anomalies (
	key       TEXT PRIMARY KEY,
	audit_id  TEXT NOT NULL,
	rule      TEXT NOT NULL,
	severity  TEXT NOT NULL,
	evidence  TEXT NOT NULL,
	raised_at BIGINT NOT NULL,
	matter_id TEXT NOT NULL
);
CREATE INDEX anomalies_audit ON anomalies (audit_id, raised_at);

-- matters: one table for every kind of matter (办件). doc is the matter as
-- package matter holds it; the columns are what lists filter on.
CREATE TABLE matters (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	subject    TEXT NOT NULL,
	party_kind TEXT NOT NULL,
	party_id   TEXT NOT NULL,
	region     TEXT NOT NULL,
	state      TEXT NOT NULL,
	opened_at  BIGINT NOT NULL,
	due_on     TEXT NOT NULL,
	doc        TEXT NOT NULL
);
CREATE INDEX matters_party ON matters (party_kind, party_id, state);
CREATE INDEX matters_region ON matters (region, state);

CREATE TABLE matter_steps (
	matter_id TEXT NOT NULL REFERENCES matters (id),
	step      BIGINT NOT NULL,
	event     TEXT NOT NULL,
	PRIMARY KEY (matter_id, step)
);
