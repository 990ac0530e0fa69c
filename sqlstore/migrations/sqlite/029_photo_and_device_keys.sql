-- 029_photo_and_device_keys: two fewer B-tree entries under random keys
-- a check-in (docs/BENCHMARKS.md, "What a check-in writes").
--
-- A photo was found by its SHA-256 twice: the photos table's key and
-- photo_uses'. Each of those entries lands on a page of its own, which the
-- commit writes whole to the write-ahead log. photo_uses is now the only
-- index of photos by content hash, and carries the perceptual hash the
-- near-photo search compares; photos keeps the bytes once, under the
-- check-in that first brought them (time-ordered ids: new photos are
-- appended, not scattered). A photo is read through one of its uses.
--
-- Every check-in also indexed its device (checkins_device), for the
-- shared-device rule. A phone is one auditor's for years: device_persons
-- holds who used a device in which week (7 days of unix microseconds), so
-- a phone used by one auditor writes one row a week instead of one a
-- check-in. The rule finds the other persons there and their check-ins
-- from that device through checkins_person.

CREATE TABLE photo_uses_029 (
	sha256     TEXT NOT NULL,
	checkin_id TEXT NOT NULL REFERENCES checkins (id) DEFERRABLE INITIALLY DEFERRED,
	audit_id   TEXT NOT NULL,
	phash      INTEGER NOT NULL DEFAULT 0, -- the photo's perceptual hash, 0 for none
	PRIMARY KEY (sha256, checkin_id)
) WITHOUT ROWID;
INSERT INTO photo_uses_029 (sha256, checkin_id, audit_id, phash)
	SELECT u.sha256, u.checkin_id, u.audit_id, COALESCE(p.phash, 0)
	FROM photo_uses u LEFT JOIN photos p ON p.sha256 = u.sha256 ORDER BY u.sha256, u.checkin_id;

-- checkin_id is '' for a photo no check-in uses (none is written so).
CREATE TABLE photos_029 (
	checkin_id TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	size       INTEGER NOT NULL,
	data       BLOB NOT NULL,
	PRIMARY KEY (checkin_id, sha256)
);
INSERT INTO photos_029 (checkin_id, sha256, size, data)
	SELECT COALESCE((SELECT min(u.checkin_id) FROM photo_uses u WHERE u.sha256 = p.sha256), ''), p.sha256, p.size, p.data
	FROM photos p ORDER BY 1, 2;

DROP TABLE photo_uses;
DROP TABLE photos;
ALTER TABLE photo_uses_029 RENAME TO photo_uses;
ALTER TABLE photos_029 RENAME TO photos;

CREATE TABLE device_persons (
	device_hash TEXT NOT NULL,
	week        INTEGER NOT NULL, -- at / 604800000000
	person      TEXT NOT NULL,
	PRIMARY KEY (device_hash, week, person)
) WITHOUT ROWID;
INSERT OR IGNORE INTO device_persons (device_hash, week, person)
	SELECT device_hash, at / 604800000000, person FROM checkins WHERE device_hash <> '' ORDER BY 1, 2, 3;
DROP INDEX checkins_device;
