-- 024_risk_until: the last day through which a stored risk score keeps its
-- total, class and version (risk.Rules.Until): the daily rescoring reads
-- only the scores past it, or computed under another version of the rules
-- than the one in force. Empty for scores stored before this column: they
-- are all due once.
ALTER TABLE risk_scores ADD COLUMN until_day TEXT NOT NULL DEFAULT '';
