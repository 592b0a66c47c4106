-- Stored figures, so that a briefing reads the period's facts and small aggregates, never a
-- month of facts (analyze/indicators.py). Rows are derived from the stored facts: an ingest
-- deletes those of the days (and articles) it changes, in its own transaction, and the next
-- reader computes them again from the facts. A store migrated from 0008 so starts empty and
-- fills in as it is read.

-- An article's theatre (analyze/theatres.py article_theatre); a row with theatre NULL: unclear.
CREATE TABLE article_theatres (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    theatre TEXT                        -- ISO 3166 alpha-2
);

-- The UTC days (of published_utc) whose indicator figures are stored.
CREATE TABLE indicator_days (
    published_day TEXT PRIMARY KEY,     -- YYYY-MM-DD, UTC
    articles INTEGER NOT NULL,          -- the day's articles the figures were computed from
    first_published_day TEXT,           -- the earliest day those articles give as published
    computed_at TEXT NOT NULL           -- UTC
);

-- What the articles published on a day report, per theatre, day reported and measure, summed
-- over the articles: reporting sentences ("events", "strikes", "nuclear", "category <key>")
-- and the tone's sum and count ("tone sum", "tone count").
CREATE TABLE indicator_figures (
    published_day TEXT NOT NULL REFERENCES indicator_days (published_day) ON DELETE CASCADE,
    theatre TEXT NOT NULL,
    day TEXT NOT NULL,                  -- YYYY-MM-DD, the day reported
    measure TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (published_day, theatre, day, measure)
);

-- The casualty figures the articles published on a day report, in the order they were read:
-- tolls are rebuilt from them (a toll story spans days and articles, so tolls do not add up).
CREATE TABLE indicator_tolls (
    published_day TEXT NOT NULL REFERENCES indicator_days (published_day) ON DELETE CASCADE,
    position INTEGER NOT NULL,          -- order read within the published day
    theatre TEXT NOT NULL,
    role TEXT NOT NULL,                 -- killed, injured
    day TEXT NOT NULL,                  -- YYYY-MM-DD, the day reported
    value REAL NOT NULL,
    hedged INTEGER NOT NULL,            -- 1: "more than", "dozens" and the like
    is_update INTEGER NOT NULL,         -- 1: reported as an update of an earlier figure
    article_id TEXT NOT NULL,
    published TEXT,                     -- the article's publication as the source gave it
    PRIMARY KEY (published_day, position)
);
