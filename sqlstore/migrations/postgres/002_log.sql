-- The traceability log's derived state (translog.Storage): the Merkle tree's
-- hash tiles, the latest signed checkpoint and the log's identity. The
-- entries are the events table itself (entry i is the event with seq i), so
-- everything here can be recomputed from events, except the signature.

-- log_tiles holds the tlog-tiles hash tiles: the hashes at tree level 8*level
-- with indexes 256*idx and on, concatenated (32 bytes each). A partial tile
-- only grows.
CREATE TABLE log_tiles (
	level  INTEGER NOT NULL,
	idx    BIGINT NOT NULL,
	hashes BYTEA NOT NULL,
	PRIMARY KEY (level, idx)
);

-- log_checkpoint holds the latest published checkpoint (one row).
CREATE TABLE log_checkpoint (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	size         BIGINT NOT NULL,
	note         BYTEA NOT NULL,
	published_at BIGINT NOT NULL
);

-- log_settings holds the log's origin and verifier key, fixed on first start.
-- The signing key is never stored in the database (see translog.KeyFileFor).
CREATE TABLE log_settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
