-- 013_credit: integrity archives and the serious-violation list (package
-- credit). Archive entries are never updated: a correction is a new entry
-- (credit.Entry.Supersedes), so that "the record as it stood on date X" is
-- read from the rows as they are. pos is the entry's place in its
-- subject's archive, in record order. Days are TEXT YYYY-MM-DD ('' when
-- there is none), instants INTEGER unix microseconds; data is the domain
-- value as JSON, the columns beside it what queries select on.
CREATE TABLE credit_entries (
	subject_kind TEXT NOT NULL,
	subject_id   TEXT NOT NULL,
	pos          INTEGER NOT NULL,
	id           TEXT NOT NULL,
	kind         TEXT NOT NULL,
	valid_from   TEXT NOT NULL,
	valid_until  TEXT NOT NULL,
	recorded_at  BIGINT NOT NULL,
	data         TEXT NOT NULL,
	PRIMARY KEY (subject_kind, subject_id, pos),
	UNIQUE (subject_kind, subject_id, id)
);

-- A listing's current state; version grows with every step, so that two
-- regulators deciding on the same copy cannot both succeed.
CREATE TABLE credit_listings (
	id           TEXT PRIMARY KEY,
	subject_kind TEXT NOT NULL,
	subject_id   TEXT NOT NULL,
	region       TEXT NOT NULL,
	state        TEXT NOT NULL,
	listed_on    TEXT NOT NULL,
	until_on     TEXT NOT NULL,
	removed_on   TEXT NOT NULL,
	version      INTEGER NOT NULL,
	data         TEXT NOT NULL
);
CREATE INDEX credit_listings_subject ON credit_listings (subject_kind, subject_id);
CREATE INDEX credit_listings_listed ON credit_listings (state, listed_on);

-- Every step of the procedure, in order (n from 1).
CREATE TABLE credit_listing_steps (
	listing_id TEXT NOT NULL REFERENCES credit_listings (id),
	n          INTEGER NOT NULL,
	action     TEXT NOT NULL,
	from_state TEXT NOT NULL,
	to_state   TEXT NOT NULL,
	on_day     TEXT NOT NULL,
	at         BIGINT NOT NULL,
	actor      TEXT NOT NULL,
	reason     TEXT NOT NULL,
	PRIMARY KEY (listing_id, n)
);
