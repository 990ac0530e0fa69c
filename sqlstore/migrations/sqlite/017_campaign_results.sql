-- 017_campaign_results: a campaign's commitment becomes a document of its
-- own, and the draw is followed by findings and their publication.
--
-- The commitment (the canonical eligible list and inspector pool, tens of
-- megabytes for a national campaign) is kept in chunks of about a megabyte
-- cut at line ends, so that it is streamed to a reader and never held whole;
-- the log holds its SHA-256 and length. The commitment column of 015 is
-- emptied into the chunks.
--
-- A finding is one drawn subject's inspection: the result of each checklist
-- item, the outcome, attachments by hash, the follow-up on certificates (as
-- the certificates' own transitions) and the matters it opened. It is
-- published at most once (published_on), within 20 working days of its
-- conclusion (the inspection_publication matter it opened keeps the
-- deadline). Instants are unix microseconds, days TEXT YYYY-MM-DD.

CREATE TABLE campaign_commitment_chunks (
	campaign_id TEXT NOT NULL REFERENCES campaigns (id),
	n           INTEGER NOT NULL,
	bytes       TEXT NOT NULL,
	PRIMARY KEY (campaign_id, n)
);

ALTER TABLE campaigns ADD COLUMN commitment_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE campaigns SET commitment_bytes = length(CAST(commitment AS BLOB));
INSERT INTO campaign_commitment_chunks (campaign_id, n, bytes) SELECT id, 0, commitment FROM campaigns WHERE commitment <> '';
UPDATE campaigns SET commitment = '';

ALTER TABLE campaign_picks ADD COLUMN region TEXT NOT NULL DEFAULT '';

CREATE TABLE campaign_findings (
	campaign_id  TEXT NOT NULL REFERENCES campaigns (id),
	subject      TEXT NOT NULL,
	region       TEXT NOT NULL,
	concluded_on TEXT NOT NULL,
	outcome      TEXT NOT NULL,
	recorded_at  INTEGER NOT NULL,
	recorded_by  TEXT NOT NULL,
	due_on       TEXT NOT NULL,
	published_on TEXT NOT NULL DEFAULT '',
	doc          TEXT NOT NULL, -- JSON (campaign.Finding)
	PRIMARY KEY (campaign_id, subject)
);
CREATE INDEX campaign_findings_unpublished ON campaign_findings (published_on, due_on);

CREATE TABLE campaign_publications (
	campaign_id    TEXT NOT NULL REFERENCES campaigns (id),
	n              INTEGER NOT NULL,
	published_on   TEXT NOT NULL,
	published_at   INTEGER NOT NULL,
	published_by   TEXT NOT NULL,
	subjects       INTEGER NOT NULL,
	late           INTEGER NOT NULL,
	results_sha256 TEXT NOT NULL,
	PRIMARY KEY (campaign_id, n)
);
