-- Richer extraction: TIMEX3 types, normalised count approximation, the speaker's span, PLOVER
-- event types, and people named with titles (for the office-holder checker).

ALTER TABLE time_expressions ADD COLUMN timex_type TEXT NOT NULL DEFAULT 'DATE';
ALTER TABLE counts ADD COLUMN approx_kind TEXT NOT NULL DEFAULT 'exact';
ALTER TABLE quotes ADD COLUMN speaker_start INTEGER;
ALTER TABLE quotes ADD COLUMN speaker_end INTEGER;
ALTER TABLE events ADD COLUMN plover TEXT;

CREATE TABLE person_titles (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    sentence_index INTEGER,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    person TEXT NOT NULL,
    role TEXT NOT NULL,      -- the title as written
    jurisdiction TEXT,       -- iso:RU, org:NATO, ... when the text says whose
    FOREIGN KEY (article_id, sentence_index) REFERENCES sentences ON DELETE CASCADE
);
CREATE INDEX person_titles_by_article ON person_titles (article_id);
CREATE INDEX person_titles_by_person ON person_titles (person);
