-- 022_risk_reports: risk reports (package risk, risk.Report) a regulator
-- records by hand: complaints, failed product samplings, failed
-- proficiency tests. Each is an event of the public log (entity
-- risk_report, key its id), written in the transaction that stores the
-- row; the risk follower turns the event into signals. Days are TEXT
-- YYYY-MM-DD, instants INTEGER unix microseconds; data is the report as
-- JSON.

-- One row per report, as filed: subject_kind is certificate, body or lab.
CREATE TABLE risk_reports (
	id           TEXT PRIMARY KEY,
	kind         TEXT NOT NULL,
	subject_kind TEXT NOT NULL,
	subject_id   TEXT NOT NULL,
	on_day       TEXT NOT NULL,
	recorded_at  BIGINT NOT NULL,
	data         TEXT NOT NULL
);
CREATE INDEX risk_reports_subject ON risk_reports (subject_kind, subject_id, on_day, id);

-- The parties each report bears on (a certificate's organisation and
-- body; the body or laboratory filed against), so that the reports on a
-- subject are one index range whichever way they were filed.
CREATE TABLE risk_report_parties (
	subject_kind TEXT NOT NULL,
	subject_id   TEXT NOT NULL,
	on_day       TEXT NOT NULL,
	report_id    TEXT NOT NULL,
	PRIMARY KEY (subject_kind, subject_id, on_day, report_id)
);
