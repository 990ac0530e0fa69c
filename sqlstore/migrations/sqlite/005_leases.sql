-- 005_leases: named leases, so that of several servers sharing the database
-- one at a time runs a job that must not run twice (the webhook notifier).
-- expires_at is INTEGER unix microseconds.

CREATE TABLE leases (
	name       TEXT PRIMARY KEY,
	holder     TEXT NOT NULL,
	expires_at INTEGER NOT NULL
);
