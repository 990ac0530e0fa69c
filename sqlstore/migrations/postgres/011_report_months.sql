-- 011_report_months: test reports summed by laboratory and month of issue
-- ('YYYY-MM', '' when the date is unknown), for the plan's indicator
-- "reports issued a year" (statistics): nationally some 570 million reports
-- a year, too many to count on every request. The statistics count fills it
-- from the reports table the first time (setting its feed cursor,
-- statistics/report-months, in the same transaction) and keeps it in step
-- with the report events after.

CREATE TABLE report_months (
	lab_cma_no TEXT NOT NULL,
	month      TEXT NOT NULL,
	n          BIGINT NOT NULL,
	PRIMARY KEY (lab_cma_no, month)
);
