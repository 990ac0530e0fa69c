-- 009_report_numbers: report numbers are compared without regard to case
-- (trustmark.ParseReportNumber): their canonical form is upper-cased, as
-- certificate numbers' is, and lookups probe that form once. Reports
-- imported in lower case before take it now. A report whose number differs
-- only in case from another of its laboratory is left as it is: two records
-- cannot become one key.
UPDATE reports SET number = UPPER(number)
WHERE number <> UPPER(number)
	AND NOT EXISTS (SELECT 1 FROM reports twin
		WHERE twin.lab_cma_no = reports.lab_cma_no AND twin.number <> reports.number AND UPPER(twin.number) = UPPER(reports.number));
