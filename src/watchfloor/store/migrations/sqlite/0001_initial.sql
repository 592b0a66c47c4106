-- Articles, their sentences and the facts read from them. Every fact row names the sentence it
-- came from by (article_id, sentence_index); sentence_index is NULL only for facts imported from
-- structured sources (GDELT), which come without the article's text.

CREATE TABLE articles (
    id TEXT PRIMARY KEY,               -- sha256 of the canonical URL, first 16 hex digits
    url TEXT NOT NULL UNIQUE,          -- canonical URL
    content_hash TEXT NOT NULL UNIQUE, -- sha256 of the whitespace-folded text
    title TEXT NOT NULL,
    source TEXT NOT NULL,              -- outlet name
    published TEXT,                    -- ISO 8601 as the source gave it, with its UTC offset
    published_utc TEXT,                -- the same instant in UTC, for sorting and filtering
    fetched_at TEXT NOT NULL,
    language TEXT NOT NULL,
    author TEXT,
    text TEXT NOT NULL,                -- empty for stubs imported without text (GDELT GKG)
    duplicate_of TEXT REFERENCES articles (id) -- a near-duplicate's first copy; not extracted again
);
CREATE INDEX articles_by_published ON articles (published_utc);
CREATE INDEX articles_by_duplicate_of ON articles (duplicate_of);
CREATE INDEX articles_by_source ON articles (source);

CREATE TABLE sentences (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sentence_index INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (article_id, sentence_index)
);

-- Full-text index over sentences (external content: the text is stored once, in sentences).
CREATE VIRTUAL TABLE sentences_fts USING fts5 (
    text, content = 'sentences', content_rowid = 'rowid', tokenize = 'porter unicode61'
);
CREATE TRIGGER sentences_fts_insert AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts (sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    sentence_index INTEGER,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    linked_id TEXT,
    lat REAL,
    lon REAL,
    FOREIGN KEY (article_id, sentence_index) REFERENCES sentences ON DELETE CASCADE
);
CREATE INDEX mentions_by_article ON mentions (article_id);
CREATE INDEX mentions_by_linked_id ON mentions (linked_id);

CREATE TABLE time_expressions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    sentence_index INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    value TEXT NOT NULL,
    precision TEXT NOT NULL,
    date TEXT,
    is_relative INTEGER NOT NULL,
    FOREIGN KEY (article_id, sentence_index) REFERENCES sentences ON DELETE CASCADE
);
CREATE INDEX time_expressions_by_article ON time_expressions (article_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sentence_index INTEGER,
    category TEXT NOT NULL,
    trigger_text TEXT NOT NULL,
    date TEXT,
    date_precision TEXT,
    actors TEXT NOT NULL,           -- JSON array of names
    targets TEXT NOT NULL,          -- JSON array of names
    actor_countries TEXT NOT NULL,  -- JSON array of ISO 3166 alpha-2 codes
    target_countries TEXT NOT NULL, -- JSON array of ISO 3166 alpha-2 codes
    place TEXT,
    place_id TEXT,
    place_country TEXT,
    lat REAL,
    lon REAL,
    origin TEXT NOT NULL,           -- 'text' (our extraction) or 'gdelt'
    external_id TEXT,               -- the origin's own id (GDELT GlobalEventID)
    cameo_code TEXT,
    goldstein REAL,
    tone REAL,
    FOREIGN KEY (article_id, sentence_index) REFERENCES sentences ON DELETE CASCADE
);
CREATE INDEX events_by_article ON events (article_id);
CREATE INDEX events_by_category_date ON events (category, date);
CREATE UNIQUE INDEX events_by_external_id ON events (origin, external_id);

CREATE TABLE event_evidence (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    sentence_index INTEGER NOT NULL,
    PRIMARY KEY (event_id, sentence_index),
    FOREIGN KEY (article_id, sentence_index) REFERENCES sentences ON DELETE CASCADE
);

CREATE TABLE counts (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    sentence_index INTEGER,
    event_id INTEGER REFERENCES events (id) ON DELETE SET NULL, -- the event it counts, if any
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    value REAL NOT NULL,
    value_max REAL,
    what TEXT NOT NULL,
    role TEXT NOT NULL,
    approx TEXT,
    is_update INTEGER NOT NULL,
    FOREIGN KEY (article_id, sentence_index) REFERENCES sentences ON DELETE CASCADE
);
CREATE INDEX counts_by_article ON counts (article_id);
CREATE INDEX counts_by_role ON counts (role);

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    sentence_index INTEGER,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    speaker TEXT,
    speaker_role TEXT, -- the role as the article wrote it
    is_direct INTEGER NOT NULL,
    cue TEXT,
    FOREIGN KEY (article_id, sentence_index) REFERENCES sentences ON DELETE CASCADE
);
CREATE INDEX quotes_by_article ON quotes (article_id);

-- Subject codes attached to an article by a structured source (GDELT GKG themes).
CREATE TABLE article_themes (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    theme TEXT NOT NULL,
    PRIMARY KEY (article_id, theme)
);
CREATE INDEX article_themes_by_theme ON article_themes (theme);

-- LSH band keys of each original article's MinHash signature: near-duplicate lookup is one
-- indexed query however many articles are stored.
CREATE TABLE near_duplicate_keys (
    band_key INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX near_duplicate_keys_by_key ON near_duplicate_keys (band_key);

-- Facts imported for an article stored earlier, by a digest of the facts: merging is idempotent.
CREATE TABLE imported_facts (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    facts_hash TEXT NOT NULL,
    merged_at TEXT NOT NULL,
    PRIMARY KEY (article_id, facts_hash)
);

-- Inputs that could not be ingested, with why; nothing is dropped silently.
CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw_hash TEXT NOT NULL,
    detail TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    UNIQUE (source, raw_hash)
);
