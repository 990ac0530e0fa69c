-- 015_campaigns: "double random, one public" inspection campaigns (packages
-- campaign and draw). A campaign's frozen inputs are kept as the exact
-- canonical bytes of its commitment, the public random value as recorded,
-- and the draw as one row per drawn subject with its team. Recusals and
-- draw attempts are appended, never overwritten: a second draw attempt is a
-- second row. Every step is also an event in the public log. Instants are
-- unix microseconds.

CREATE TABLE campaigns (
	id                TEXT PRIMARY KEY,
	name              TEXT NOT NULL,
	region            TEXT NOT NULL,
	subject_kind      TEXT NOT NULL,
	filters           TEXT NOT NULL, -- JSON object
	rates             TEXT NOT NULL, -- JSON object, class → permyriad
	checklist         TEXT NOT NULL, -- JSON array
	method            TEXT NOT NULL,
	team_size         INTEGER NOT NULL,
	deadline          TEXT NOT NULL,
	status            TEXT NOT NULL,
	created_at        INTEGER NOT NULL,
	created_by        TEXT NOT NULL,
	commitment_sha256 TEXT NOT NULL,
	commitment        TEXT NOT NULL,
	random            TEXT,          -- JSON (campaign.RandomData)
	draw_meta         TEXT           -- JSON: the result without picks and recusals
);
CREATE INDEX campaigns_newest ON campaigns (created_at, id);

CREATE TABLE campaign_picks (
	campaign_id TEXT NOT NULL REFERENCES campaigns (id),
	pos         INTEGER NOT NULL,
	subject     TEXT NOT NULL,
	class       TEXT NOT NULL,
	team        TEXT NOT NULL, -- JSON array of inspector ids
	PRIMARY KEY (campaign_id, pos)
);

CREATE TABLE campaign_recusals (
	campaign_id TEXT NOT NULL REFERENCES campaigns (id),
	n           INTEGER NOT NULL,
	subject     TEXT NOT NULL,
	inspector   TEXT NOT NULL,
	reason      TEXT NOT NULL,
	replacement TEXT NOT NULL,
	PRIMARY KEY (campaign_id, n)
);

CREATE TABLE campaign_attempts (
	campaign_id   TEXT NOT NULL REFERENCES campaigns (id),
	n             INTEGER NOT NULL,
	at            INTEGER NOT NULL,
	actor         TEXT NOT NULL,
	result_sha256 TEXT NOT NULL,
	PRIMARY KEY (campaign_id, n)
);
