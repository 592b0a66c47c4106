-- Search reads a word's matches slice by slice of stored order, newest first (PostgresStore.search):
-- sentences are appended in stored order, so a BRIN index (a few hundred KB at 47 million
-- sentences) maps a slice to the pages that hold it, and the planner ANDs that with the GIN
-- bitmap of the word's matches instead of walking the B-tree over every sentence in the slice.
CREATE INDEX sentences_by_stored_range ON sentences USING BRIN (stored_order);
