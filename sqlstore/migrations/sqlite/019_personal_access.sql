-- The access log of personal data (issue 12): who saw which personal
-- fields of whom, when, on which route and where. Append-only: rows are
-- never changed or deleted by the application, and the triggers refuse it.
-- It is not the public log: personal data and the names of those who view
-- it are not published.
CREATE TABLE personal_access (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	at      INTEGER NOT NULL,
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
CREATE TRIGGER personal_access_no_update BEFORE UPDATE ON personal_access
BEGIN SELECT RAISE(ABORT, 'personal_access is append-only'); END;
CREATE TRIGGER personal_access_no_delete BEFORE DELETE ON personal_access
BEGIN SELECT RAISE(ABORT, 'personal_access is append-only'); END;
