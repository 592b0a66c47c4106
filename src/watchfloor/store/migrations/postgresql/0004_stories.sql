-- Stories: articles gathered by story clustering (analyze/stories.py), with the summary that
-- `watchfloor stories` lists. Rebuilt from the articles at any time; never the only copy of
-- anything.

CREATE TABLE stories (
    id TEXT COLLATE "C" PRIMARY KEY,       -- 's-' + the id of the article that started the story
    title TEXT COLLATE "C" NOT NULL,
    title_article_id TEXT COLLATE "C" REFERENCES articles (id) ON DELETE SET NULL,
    start_utc TEXT COLLATE "C",            -- when its first and last articles appeared, in UTC
    end_utc TEXT COLLATE "C",
    article_count INTEGER NOT NULL,
    source_count INTEGER NOT NULL,         -- outlets among its original articles (copies once)
    key_actors TEXT COLLATE "C" NOT NULL,  -- JSON array of names, most widely named first
    key_places TEXT COLLATE "C" NOT NULL   -- JSON array of names
);
CREATE INDEX stories_by_end ON stories (end_utc);

CREATE TABLE story_articles (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id TEXT COLLATE "C" NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    how TEXT COLLATE "C" NOT NULL CHECK (how IN ('first', 'similar', 'copy')),
    score DOUBLE PRECISION                 -- the similarity it joined with ('similar' only)
);
CREATE INDEX story_articles_by_story ON story_articles (story_id);
