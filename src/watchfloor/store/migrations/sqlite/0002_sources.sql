-- Network sources (feeds and pages) that `fetch` and `watch` poll, with what each poll found:
-- the validators for the next conditional GET and the figures `status` shows.

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,          -- canonical URL of the feed or page
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'page')),
    title TEXT NOT NULL,               -- from the OPML outline or the feed itself; may be empty
    added_at TEXT NOT NULL,
    etag TEXT,                         -- validators of the last complete poll, sent back as
    last_modified TEXT,                -- If-None-Match / If-Modified-Since
    last_poll TEXT,
    last_success TEXT,
    error_streak INTEGER NOT NULL DEFAULT 0, -- failed polls since the last success
    last_error TEXT,                   -- why the last poll failed; NULL after a success
    articles_added INTEGER NOT NULL DEFAULT 0,
    rejects INTEGER NOT NULL DEFAULT 0
);
