-- 016_risk: risk signals, scores and warnings (package risk), kept by the
-- risk follower of the event feed (cursor "risk/scores") in the transaction
-- that moves its cursor. Every row is derived from the events: deleting the
-- follower's cursor and these rows rebuilds them. Days are TEXT YYYY-MM-DD,
-- instants INTEGER unix microseconds; data is the domain value as JSON.

-- One row per signal; id is derived from the event that raised it, so that
-- handing the follower the same event again changes nothing.
CREATE TABLE risk_signals (
	id           TEXT PRIMARY KEY,
	subject_kind TEXT NOT NULL,
	subject_id   TEXT NOT NULL,
	kind         TEXT NOT NULL,
	on_day       TEXT NOT NULL,
	seq          INTEGER NOT NULL,
	data         TEXT NOT NULL
);
CREATE INDEX risk_signals_subject ON risk_signals (subject_kind, subject_id);

-- A subject's current score: its class, total and explanation (data is
-- risk.Score with every part), under the rule-set version in force on on_day.
CREATE TABLE risk_scores (
	subject_kind TEXT NOT NULL,
	subject_id   TEXT NOT NULL,
	region       TEXT NOT NULL,
	class        TEXT NOT NULL,
	total        REAL NOT NULL,
	version      INTEGER NOT NULL,
	on_day       TEXT NOT NULL,
	seq          INTEGER NOT NULL,
	data         TEXT NOT NULL,
	PRIMARY KEY (subject_kind, subject_id)
);
CREATE INDEX risk_scores_region ON risk_scores (region, class, total);

-- Every change of a subject's score, with the event that caused it.
CREATE TABLE risk_score_history (
	subject_kind TEXT NOT NULL,
	subject_id   TEXT NOT NULL,
	seq          INTEGER NOT NULL,
	on_day       TEXT NOT NULL,
	class        TEXT NOT NULL,
	total        REAL NOT NULL,
	version      INTEGER NOT NULL,
	PRIMARY KEY (subject_kind, subject_id, seq)
);

-- Warnings raised, by risk.Warning.Key: the same warning opens one matter.
CREATE TABLE risk_warnings (
	key        TEXT PRIMARY KEY,
	rule       TEXT NOT NULL,
	region     TEXT NOT NULL,
	subject    TEXT NOT NULL,
	on_day     TEXT NOT NULL,
	matter_id  TEXT NOT NULL,
	data       TEXT NOT NULL
);
CREATE INDEX risk_warnings_region ON risk_warnings (region, on_day);

-- The versions of the rule set (risk.RuleSet as JSON), never updated. With
-- no row the shipped default (risk.DefaultRules) is version 1.
CREATE TABLE risk_rules (
	version INTEGER PRIMARY KEY,
	data    TEXT NOT NULL
);

-- Files a party filed as evidence with an application for credit repair
-- (credit.Repair.Evidence names them "file:SHA256:NAME"), stored with the
-- step that cites them. Shown only to the party and the regulators of the
-- listing's region.
CREATE TABLE credit_evidence (
	listing_id TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	name       TEXT NOT NULL,
	size       INTEGER NOT NULL,
	data       BLOB NOT NULL,
	PRIMARY KEY (listing_id, sha256)
);
