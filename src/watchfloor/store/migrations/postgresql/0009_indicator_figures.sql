-- Stored figures, so that a briefing reads the period's facts and small aggregates, never a
-- month of facts (analyze/indicators.py): the tables of migrations/sqlite, one for one. Rows
-- are derived from the stored facts: an ingest deletes those of the days (and articles) it
-- changes, in its own transaction, and the next reader computes them again from the facts. A
-- store migrated from 0008 so starts empty and fills in as it is read.

-- An article's theatre (analyze/theatres.py article_theatre); a row with theatre NULL: unclear.
CREATE TABLE article_theatres (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    theatre TEXT COLLATE "C"                    -- ISO 3166 alpha-2
);

-- The UTC days (of published_utc) whose indicator figures are stored.
CREATE TABLE indicator_days (
    published_day TEXT COLLATE "C" PRIMARY KEY, -- YYYY-MM-DD, UTC
    articles INTEGER NOT NULL,                  -- the day's articles the figures came from
    first_published_day TEXT COLLATE "C",       -- the earliest day they give as published
    computed_at TEXT COLLATE "C" NOT NULL       -- UTC
);

-- What the articles published on a day report, per theatre, day reported and measure, summed
-- over the articles: reporting sentences ("events", "strikes", "nuclear", "category <key>")
-- and the tone's sum and count ("tone sum", "tone count").
CREATE TABLE indicator_figures (
    published_day TEXT COLLATE "C" NOT NULL
        REFERENCES indicator_days (published_day) ON DELETE CASCADE,
    theatre TEXT COLLATE "C" NOT NULL,
    day TEXT COLLATE "C" NOT NULL,              -- YYYY-MM-DD, the day reported
    measure TEXT COLLATE "C" NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (published_day, theatre, day, measure)
);

-- The casualty figures the articles published on a day report, in the order they were read:
-- tolls are rebuilt from them (a toll story spans days and articles, so tolls do not add up).
CREATE TABLE indicator_tolls (
    published_day TEXT COLLATE "C" NOT NULL
        REFERENCES indicator_days (published_day) ON DELETE CASCADE,
    position INTEGER NOT NULL,                  -- order read within the published day
    theatre TEXT COLLATE "C" NOT NULL,
    role TEXT COLLATE "C" NOT NULL,             -- killed, injured
    day TEXT COLLATE "C" NOT NULL,              -- YYYY-MM-DD, the day reported
    value DOUBLE PRECISION NOT NULL,
    hedged BOOLEAN NOT NULL,                    -- "more than", "dozens" and the like
    is_update BOOLEAN NOT NULL,                 -- reported as an update of an earlier figure
    article_id TEXT COLLATE "C" NOT NULL,
    published TEXT COLLATE "C",                 -- the article's publication as the source gave it
    PRIMARY KEY (published_day, position)
);
