-- What placing stories and finding a period's stories need, kept so that neither reads the
-- whole store: the articles no story holds yet, and the longest span of any story (a story
-- overlapping a period started at most that long before it).

CREATE TABLE unplaced_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE
);
INSERT INTO unplaced_articles (article_id)
    SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles);

-- Triggers, so every way in or out of a story keeps the list (ingest, placing, rebuilding).
CREATE TRIGGER article_unplaced AFTER INSERT ON articles BEGIN
    INSERT OR IGNORE INTO unplaced_articles (article_id) VALUES (new.id);
END;
CREATE TRIGGER article_placed AFTER INSERT ON story_articles BEGIN
    DELETE FROM unplaced_articles WHERE article_id = new.article_id;
END;
CREATE TRIGGER article_unplaced_again AFTER DELETE ON story_articles BEGIN
    INSERT OR IGNORE INTO unplaced_articles (article_id)
        SELECT old.article_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = old.article_id);
END;

CREATE TABLE story_extent (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    longest_days REAL NOT NULL  -- never lowered but by emptying the stories
);
INSERT INTO story_extent (id, longest_days)
    SELECT 1, coalesce(max(julianday(end_utc) - julianday(start_utc)), 0) FROM stories;
CREATE TRIGGER story_extent_on_insert AFTER INSERT ON stories BEGIN
    UPDATE story_extent SET longest_days = max(
        longest_days, coalesce(julianday(new.end_utc) - julianday(new.start_utc), 0));
END;
CREATE TRIGGER story_extent_on_update AFTER UPDATE ON stories BEGIN
    UPDATE story_extent SET longest_days = max(
        longest_days, coalesce(julianday(new.end_utc) - julianday(new.start_utc), 0));
END;

CREATE INDEX stories_by_start ON stories (start_utc);
