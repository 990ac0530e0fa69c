-- 029_photo_and_device_keys: the SQLite copy of this migration says why.
-- photo_uses becomes the only index of photos by content hash and carries
-- their perceptual hash; photos keeps the bytes under the check-in that
-- first brought them; device_persons replaces the index of every
-- check-in by device.

ALTER TABLE photo_uses ADD COLUMN phash BIGINT NOT NULL DEFAULT 0;
UPDATE photo_uses u SET phash = p.phash FROM photos p WHERE p.sha256 = u.sha256;

CREATE TABLE photos_029 (
	checkin_id TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	size       BIGINT NOT NULL,
	data       BYTEA NOT NULL,
	PRIMARY KEY (checkin_id, sha256)
);
INSERT INTO photos_029 (checkin_id, sha256, size, data)
	SELECT COALESCE((SELECT min(u.checkin_id) FROM photo_uses u WHERE u.sha256 = p.sha256), ''), p.sha256, p.size, p.data
	FROM photos p;
DROP TABLE photos;
ALTER TABLE photos_029 RENAME TO photos;
ALTER INDEX photos_029_pkey RENAME TO photos_pkey;

CREATE TABLE device_persons (
	device_hash TEXT NOT NULL,
	week        BIGINT NOT NULL, -- at / 604800000000
	person      TEXT NOT NULL,
	PRIMARY KEY (device_hash, week, person)
);
INSERT INTO device_persons (device_hash, week, person)
	SELECT device_hash, at / 604800000000, person FROM checkins WHERE device_hash <> '' ON CONFLICT DO NOTHING;
DROP INDEX checkins_device;
