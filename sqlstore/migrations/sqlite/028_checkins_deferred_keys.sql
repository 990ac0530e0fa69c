-- 028_checkins_deferred_keys: fewer writes a check-in. The foreign keys
-- of checkins (to audits) and photo_uses (to checkins) are checked at
-- commit instead of at each statement.
--
-- A multi-row INSERT into a table with an immediate foreign key may fail
-- after some of its rows are written, so SQLite keeps a statement journal
-- for it: the first change of every page the statement touches is copied
-- aside, and beyond 64 KiB into a temporary file. A group of check-ins
-- touches thousands of pages, so that journal was about as many writes as
-- the write-ahead log itself (docs/BENCHMARKS.md, "Statement journals").
-- A deferred key needs none; a violation still fails the transaction, at
-- commit. The store's writes of check-ins say INSERT OR FAIL for their
-- other constraints for the same reason (dialect.insert).
--
-- photo_uses and photo_bands become WITHOUT ROWID tables: their primary
-- key is their whole row (but a check-in's audit), so each row is one
-- B-tree entry, where a rowid table wrote two (the row, and its key's
-- index). A photo with a perceptual hash writes five such rows.
--
-- SQLite cannot change a table's constraints in place: each table is
-- copied into a new one, the old dropped and the new renamed (renaming
-- rewrites the references to it). photo_uses goes first, so that dropping
-- checkins deletes no row a key still points at.

CREATE TABLE checkins_028 (
	id          TEXT PRIMARY KEY,
	audit_id    TEXT NOT NULL REFERENCES audits (id) DEFERRABLE INITIALLY DEFERRED,
	person      TEXT NOT NULL,
	request_key TEXT NOT NULL,
	kind        TEXT NOT NULL,
	at          INTEGER NOT NULL,
	device_time INTEGER NOT NULL,
	lat         REAL NOT NULL,
	lng         REAL NOT NULL,
	datum       TEXT NOT NULL,
	wgs_lat     REAL NOT NULL,
	wgs_lng     REAL NOT NULL,
	accuracy_m  REAL NOT NULL,
	device_hash TEXT NOT NULL,
	photos      TEXT NOT NULL,
	UNIQUE (person, request_key)
);
INSERT INTO checkins_028 (id, audit_id, person, request_key, kind, at, device_time, lat, lng, datum, wgs_lat, wgs_lng, accuracy_m, device_hash, photos)
	SELECT id, audit_id, person, request_key, kind, at, device_time, lat, lng, datum, wgs_lat, wgs_lng, accuracy_m, device_hash, photos FROM checkins ORDER BY id;

CREATE TABLE photo_uses_028 (
	sha256     TEXT NOT NULL,
	checkin_id TEXT NOT NULL REFERENCES checkins_028 (id) DEFERRABLE INITIALLY DEFERRED,
	audit_id   TEXT NOT NULL,
	PRIMARY KEY (sha256, checkin_id)
) WITHOUT ROWID;
INSERT INTO photo_uses_028 (sha256, checkin_id, audit_id) SELECT sha256, checkin_id, audit_id FROM photo_uses ORDER BY sha256, checkin_id;

DROP TABLE photo_uses;
DROP TABLE checkins;
ALTER TABLE checkins_028 RENAME TO checkins;
ALTER TABLE photo_uses_028 RENAME TO photo_uses;

CREATE TABLE photo_bands_028 (
	band   INTEGER NOT NULL,
	bits   INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	PRIMARY KEY (band, bits, sha256)
) WITHOUT ROWID;
INSERT INTO photo_bands_028 (band, bits, sha256) SELECT band, bits, sha256 FROM photo_bands ORDER BY band, bits, sha256;
DROP TABLE photo_bands;
ALTER TABLE photo_bands_028 RENAME TO photo_bands;

CREATE INDEX checkins_audit ON checkins (audit_id, person, at);
CREATE INDEX checkins_person ON checkins (person, at);
CREATE INDEX checkins_device ON checkins (device_hash, at);
