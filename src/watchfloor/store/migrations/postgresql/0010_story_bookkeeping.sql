-- What placing stories and finding a period's stories need, kept so that neither reads the
-- whole store: the articles no story holds yet, and the longest span of any story (a story
-- overlapping a period started at most that long before it).

CREATE TABLE unplaced_articles (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE
);
INSERT INTO unplaced_articles (article_id)
    SELECT id FROM articles a
    WHERE NOT EXISTS (SELECT 1 FROM story_articles sa WHERE sa.article_id = a.id);

-- Triggers, so every way in or out of a story keeps the list (ingest, placing, rebuilding).
-- Function bodies are quoted with '...', not $$: migrations are split into statements by
-- SQLite's tokenizer, which knows quoted strings but not dollar quotes. Each function keeps
-- the schema it was made in, whoever's session fires it.
CREATE FUNCTION article_unplaced() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS '
BEGIN
    INSERT INTO unplaced_articles (article_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END';
CREATE TRIGGER article_unplaced AFTER INSERT ON articles
    FOR EACH ROW EXECUTE FUNCTION article_unplaced();

CREATE FUNCTION article_placed() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS '
BEGIN
    DELETE FROM unplaced_articles WHERE article_id = NEW.article_id;
    RETURN NULL;
END';
CREATE TRIGGER article_placed AFTER INSERT OR UPDATE ON story_articles
    FOR EACH ROW EXECUTE FUNCTION article_placed();

CREATE FUNCTION article_unplaced_again() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS '
BEGIN
    INSERT INTO unplaced_articles (article_id)
        SELECT OLD.article_id WHERE EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END';
CREATE TRIGGER article_unplaced_again AFTER DELETE ON story_articles
    FOR EACH ROW EXECUTE FUNCTION article_unplaced_again();

CREATE TABLE story_extent (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    longest_days DOUBLE PRECISION NOT NULL  -- never lowered but by emptying the stories
);
INSERT INTO story_extent (id, longest_days)
    SELECT 1, coalesce(max(extract(epoch FROM end_utc::timestamptz - start_utc::timestamptz))
        / 86400.0, 0) FROM stories;

CREATE FUNCTION story_extent_grows() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS '
BEGIN
    UPDATE story_extent SET longest_days = greatest(longest_days, coalesce(
        extract(epoch FROM NEW.end_utc::timestamptz - NEW.start_utc::timestamptz) / 86400.0, 0));
    RETURN NULL;
END';
CREATE TRIGGER story_extent_grows AFTER INSERT OR UPDATE ON stories
    FOR EACH ROW EXECUTE FUNCTION story_extent_grows();

CREATE INDEX stories_by_start ON stories (start_utc);
