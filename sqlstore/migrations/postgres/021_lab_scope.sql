-- 021_lab_scope: a laboratory's CMA accreditation scope as the registry
-- states it (products, parameters, standards: the schedule of its CMA
-- certificate), free text, from the lab import's optional scope column.
-- Empty for a laboratory whose scope the registry does not hold, which is
-- every laboratory imported before this column.
ALTER TABLE labs ADD COLUMN scope TEXT NOT NULL DEFAULT '';
