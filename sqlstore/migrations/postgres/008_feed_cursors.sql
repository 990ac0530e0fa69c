-- 008_feed_cursors: the named cursors of the event feed's followers
-- (trustmark.Feed): seq is the Seq of the last event the follower handled.
-- The webhook notifier's cursor moves here from notify_cursor; the search
-- index's is created when it first follows (from the Seq its index holds).
-- updated_at is BIGINT unix microseconds, 0 when not known.

CREATE TABLE feed_cursors (
	name       TEXT PRIMARY KEY,
	seq        BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
INSERT INTO feed_cursors (name, seq, updated_at)
	SELECT 'webhook-notifier', last_seq, 0 FROM notify_cursor WHERE id = 1 AND last_seq >= 0;
DROP TABLE notify_cursor;
