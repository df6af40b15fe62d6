-- The owner's view counts: additive counters per UTC day, profile and what was
-- counted, never a log of visits. kind says what a row counts (a visit by
-- channel, a section read, a search, …), name what of it (the channel, the
-- section's title, …) and detail splits it further (the time-spent bucket of a
-- section read). Every process adds to n and never overwrites it, so replicas
-- sharing one database add up. Nothing in a row comes from a visitor: no
-- address, no typed username, no key, no search text.
CREATE TABLE view_counts (
	day TEXT NOT NULL,
	handle TEXT NOT NULL,
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	detail TEXT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (day, handle, kind, name, detail)
);
