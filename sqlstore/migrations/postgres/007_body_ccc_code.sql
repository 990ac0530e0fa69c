-- 007_body_ccc_code: a body's CCC code, the two digits its CCC certificate
-- numbers carry in positions 5-6 (bodies column ccc_code). Empty when none is
-- recorded; such a body issues no CCC certificate until it is.
ALTER TABLE bodies ADD COLUMN ccc_code TEXT NOT NULL DEFAULT '';
