-- 020_audit_sweeps: what the periodic audit sweep and the perceptual photo
-- comparison look up.
--
-- audits.certificate and audits.kind copy the plan's certificate and kind
-- out of the document, so that the sweep finds a certificate's audits by
-- index; swept marks an audit whose last day has passed and which the
-- sweep has judged (missing check-ins), so that it is read once.
ALTER TABLE audits ADD COLUMN certificate TEXT NOT NULL DEFAULT '';
ALTER TABLE audits ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE audits ADD COLUMN swept INTEGER NOT NULL DEFAULT 0;
UPDATE audits SET certificate = COALESCE(json_extract(doc, '$.plan.certificate'), ''),
	kind = COALESCE(json_extract(doc, '$.plan.kind'), '');
CREATE INDEX audits_certificate ON audits (certificate, end_at);
CREATE INDEX audits_unswept ON audits (swept, end_at);

-- photo_bands: each photo's 64-bit perceptual hash cut into four 16-bit
-- bands (band 0 the high bits). Two hashes within 3 bits share at least one
-- band exactly, so looking up a new photo's four bands finds every photo
-- that close, and most of those a few bits further; the rule then compares
-- the whole hashes (multi-index hashing). Photos without a hash have none.
CREATE TABLE photo_bands (
	band   INTEGER NOT NULL,
	bits   INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	PRIMARY KEY (band, bits, sha256)
);
