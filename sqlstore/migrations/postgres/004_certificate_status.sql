-- 004_certificate_status: listings of suspended, revoked and withdrawn
-- certificates (a regulator's daily question) without scanning the valid
-- ones. Valid certificates, the bulk of every import, are not in the index,
-- so it costs imports nothing.
CREATE INDEX certificates_not_valid ON certificates (status, number) WHERE status <> 'valid';
