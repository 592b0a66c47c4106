-- The briefing archive: every briefing `watchfloor brief` writes, in its JSON form, with what a
-- listing or a feed shows of it.

CREATE TABLE briefings (
    id INTEGER PRIMARY KEY,
    generated_at TEXT NOT NULL,    -- UTC
    period_start TEXT,             -- YYYY-MM-DD; NULL: open
    period_end TEXT,               -- YYYY-MM-DD, inclusive; NULL: open
    topic TEXT,
    title TEXT NOT NULL,
    headline TEXT NOT NULL,
    document TEXT NOT NULL         -- the briefing as JSON (data/briefing.schema.json)
);
CREATE INDEX briefings_by_generated_at ON briefings (generated_at);
