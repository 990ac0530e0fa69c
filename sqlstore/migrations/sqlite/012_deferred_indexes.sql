-- 012_deferred_indexes: the indexes a bulk load dropped to build them once
-- at its end (sqlstore/bulk.go), written in the transaction that drops them:
-- an import killed before it built them again leaves them here, and the
-- next Open builds them.
CREATE TABLE deferred_indexes (
	name TEXT PRIMARY KEY,
	sql  TEXT NOT NULL
);
