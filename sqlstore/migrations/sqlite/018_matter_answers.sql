-- 018_matter_answers: what a party says when it answers a matter, and the
-- file it attaches. The step itself is an event in the public log
-- (matter_steps); the text and the file may hold personal data, so they stay
-- here, shown only to those who may see the matter, and the file is named
-- in the log by nothing but its step.
CREATE TABLE matter_answers (
	matter_id TEXT NOT NULL REFERENCES matters (id),
	step      INTEGER NOT NULL,
	text      TEXT NOT NULL,
	file_name TEXT NOT NULL,
	file_sha256 TEXT NOT NULL,
	file_data BLOB,
	PRIMARY KEY (matter_id, step)
);

