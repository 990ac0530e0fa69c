-- 030_audit_request_keys: the SQLite copy of this migration says why. A
-- plan's request id and the digest of the plan it reported, unique per
-- body among the plans that have one (a partial index).

ALTER TABLE audits ADD COLUMN request_key TEXT NOT NULL DEFAULT '';
ALTER TABLE audits ADD COLUMN request_digest TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX audits_request_key ON audits (body, request_key) WHERE request_key <> '';
