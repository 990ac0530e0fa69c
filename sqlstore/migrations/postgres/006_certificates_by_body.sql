-- 006_certificates_by_body: a body's certificates are listed in number order
-- (its page, the API's ?body= filter). With an index on the body alone, a
-- body of 100,000 certificates sorted them all for each page; with the
-- number in the index, a page is an index range read in order. It replaces
-- the old index, so imports maintain no more indexes than before.
DROP INDEX certificates_body;
CREATE INDEX certificates_body_number ON certificates (body_approval_no, number, type);
