-- Reading one article's facts looks these tables up by article.
CREATE INDEX event_evidence_by_article ON event_evidence (article_id);
CREATE INDEX near_duplicate_keys_by_article ON near_duplicate_keys (article_id);
