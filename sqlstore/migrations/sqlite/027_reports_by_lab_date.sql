-- 027_reports_by_lab_date: a laboratory's reports by date of issue, so that
-- its workbench lists them newest first (sqlstore.DB.LabReports) by reading
-- the index backwards from the laboratory's newest report, a page at a
-- time, rather than sorting every report of the laboratory for each page.
CREATE INDEX reports_lab_issued ON reports (lab_cma_no, issued_on, number);
