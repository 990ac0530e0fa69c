-- 023_calendar_notices: the State Council's holiday notices the national
-- administrator loaded into the official calendar (trustmark calendar load,
-- /work/calendar), for the years after those the product ships. One row a
-- year; a later load of the same year replaces it. notice is the year in
-- the JSON file form of data/reference (calendar.EncodeNotice), exactly as
-- the load's event in the public log records it.
CREATE TABLE calendar_notices (
	year      INTEGER PRIMARY KEY,
	title     TEXT NOT NULL,
	notice    TEXT NOT NULL,
	loaded_by TEXT NOT NULL,
	loaded_at BIGINT NOT NULL
);
