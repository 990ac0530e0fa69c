-- 028_checkins_deferred_keys: nothing to change on PostgreSQL. SQLite's
-- copy of this migration makes the foreign keys of checkins and photo_uses
-- deferred, so that its multi-row inserts need no statement journal;
-- PostgreSQL keeps none to begin with.
SELECT 1;
