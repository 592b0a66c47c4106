-- Search ranks the most recently stored matching sentences (SEARCH_WINDOW in store/base.py):
-- sentences are numbered in the order they are stored, as SQLite's rowid numbers them, and the
-- index lets a search for a common word walk back from the newest instead of ranking them all.
ALTER TABLE sentences ADD COLUMN stored_order BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE INDEX sentences_by_stored_order ON sentences (stored_order);
