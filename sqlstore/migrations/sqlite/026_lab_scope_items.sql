-- 026_lab_scope_items: a laboratory's scope as items (trustmark.ParseLabScope:
-- field or product category, and the product or parameter within it), so
-- that laboratories can be listed by what they may test. Derived from
-- labs.scope: written with it on every import, and filled at Open for a
-- laboratory whose scope has no items yet (one stored before this table).
CREATE TABLE lab_scope_items (
	cma_no TEXT    NOT NULL,
	n      INTEGER NOT NULL,
	field  TEXT    NOT NULL,
	item   TEXT    NOT NULL,
	PRIMARY KEY (cma_no, n)
);
