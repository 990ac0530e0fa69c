-- 030_audit_request_keys: reporting a plan is idempotent, as a check-in
-- is. request_key is the client's request id (request_id, or the
-- Idempotency-Key header), '' for a plan reported without one;
-- request_digest is the digest of the plan as it was sent
-- (audit.PlanDigest), so that a repeat is answered the audit again when
-- it sends the same plan and refused when it sends another. A key is the
-- reporting body's: the unique index holds one audit per body and key,
-- and leaves out the plans without one. Two reports racing with one key
-- cannot both insert: on PostgreSQL the second fails on the index and its
-- transaction is run again (Transact), and then finds the first; SQLite
-- has one writer at a time, so the second finds the first at once.

ALTER TABLE audits ADD COLUMN request_key TEXT NOT NULL DEFAULT '';
ALTER TABLE audits ADD COLUMN request_digest TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX audits_request_key ON audits (body, request_key) WHERE request_key <> '';
