-- Stories: articles gathered by story clustering (analyze/stories.py), with the summary that
-- `watchfloor stories` lists. Rebuilt from the articles at any time; never the only copy of
-- anything.

CREATE TABLE stories (
    id TEXT PRIMARY KEY,            -- 's-' + the id of the article that started the story
    title TEXT NOT NULL,
    title_article_id TEXT REFERENCES articles (id) ON DELETE SET NULL,
    start_utc TEXT,                 -- when its first and last articles appeared, in UTC
    end_utc TEXT,
    article_count INTEGER NOT NULL,
    source_count INTEGER NOT NULL,  -- outlets among its original articles (copies count once)
    key_actors TEXT NOT NULL,       -- JSON array of names, most widely named first
    key_places TEXT NOT NULL        -- JSON array of names
);
CREATE INDEX stories_by_end ON stories (end_utc);

CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    how TEXT NOT NULL CHECK (how IN ('first', 'similar', 'copy')),
    score REAL                      -- the similarity it joined with ('similar' only)
);
CREATE INDEX story_articles_by_story ON story_articles (story_id);
