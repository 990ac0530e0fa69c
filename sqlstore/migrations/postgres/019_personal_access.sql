-- The access log of personal data (issue 12): who saw which personal
-- fields of whom, when, on which route and where. Append-only: rows are
-- never changed or deleted by the application, and the trigger refuses it.
-- It is not the public log: personal data and the names of those who view
-- it are not published.
CREATE TABLE personal_access (
	id      BIGSERIAL PRIMARY KEY,
	at      BIGINT NOT NULL,
	viewer  TEXT NOT NULL,
	role    TEXT NOT NULL,
	subject TEXT NOT NULL,
	fields  TEXT NOT NULL,
	region  TEXT NOT NULL,
	route   TEXT NOT NULL,
	context TEXT NOT NULL
);
CREATE INDEX personal_access_subject ON personal_access (subject, id);
CREATE INDEX personal_access_region ON personal_access (region, id);
CREATE FUNCTION personal_access_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'personal_access is append-only';
END;
$$;
CREATE TRIGGER personal_access_append_only BEFORE UPDATE OR DELETE ON personal_access
	FOR EACH ROW EXECUTE FUNCTION personal_access_append_only();
