"""Large stores for benchmarks: the stored articles copied with new identities, in SQL.

Copy k of article X gets the id ``X.k``, the URL ``<url>#copy-k`` and the content hash
``<hash>.k``, and appears ``k * days_apart`` days later; its sentences, facts and story placement
are copied with it (full dates moved alike). A store of any size so holds real text and real
facts, at the density per day of the articles copied. Used by ``bench/latency.py`` only.
"""

from __future__ import annotations

from watchfloor.store.sqlite import SqliteStore

# Copied in this order (references first), with the article's sentences and facts.
TABLES = (
    "articles",
    "sentences",
    "mentions",
    "time_expressions",
    "events",
    "event_evidence",
    "counts",
    "quotes",
    "person_titles",
    "article_themes",
    "near_duplicate_keys",
    "stories",
    "story_articles",
)
# The column naming a row's original article, where it is not ``article_id``.
_ORIGINAL = {"articles": "id", "stories": "substr(id, 3)"}  # story ids are 's-' + article id
_SHIFT = "'+' || (k * :days) || ' days'"
_MOVED = f"strftime('%Y-%m-%dT%H:%M:%SZ', published_utc, {_SHIFT})"
# The date as the source gave it, moved, its UTC offset (or lack of one) kept.
_MOVED_AS_GIVEN = (
    "CASE WHEN length(published) >= 19 THEN"
    f" strftime('%Y-%m-%dT%H:%M:%S', substr(published, 1, 19), {_SHIFT})"
    " || substr(published, 20)"
    f" WHEN length(published) = 10 THEN date(published, {_SHIFT}) ELSE published END"
)
_MOVED_DAY = f"CASE WHEN length(date) = 10 THEN date(date, {_SHIFT}) ELSE date END"
# How a column's value changes in copy k; other columns are copied as they are.
_COPY = {
    ("articles", "id"): "id || '.' || k",
    ("articles", "url"): "url || '#copy-' || k",
    ("articles", "content_hash"): "content_hash || '.' || k",
    ("articles", "duplicate_of"): "duplicate_of || '.' || k",
    ("articles", "published"): _MOVED_AS_GIVEN,
    ("articles", "published_utc"): _MOVED,
    ("events", "id"): "id + k * :event_ids",
    ("events", "external_id"): "external_id || '.' || k",
    ("events", "date"): _MOVED_DAY,
    ("time_expressions", "date"): _MOVED_DAY,
    ("event_evidence", "event_id"): "event_id + k * :event_ids",
    ("counts", "event_id"): "event_id + k * :event_ids",
    ("stories", "id"): "id || '.' || k",
    ("stories", "title_article_id"): "title_article_id || '.' || k",
    ("stories", "start_utc"): f"strftime('%Y-%m-%dT%H:%M:%SZ', start_utc, {_SHIFT})",
    ("stories", "end_utc"): f"strftime('%Y-%m-%dT%H:%M:%SZ', end_utc, {_SHIFT})",
    ("story_articles", "story_id"): "story_id || '.' || k",
}


def replicate(store: SqliteStore, copies: int, days_apart: float = 1.0, chunk: int = 25) -> int:
    """Bring the store to ``copies`` copies of each original article (those stored before any
    copy), adding the missing ones ``chunk`` copies per statement; returns the number of
    articles stored."""
    db = store.db
    originals = [r[0] for r in db.execute("SELECT id FROM articles WHERE instr(id, '.') = 0")]
    if not originals:
        return 0
    done = db.execute("SELECT count(*) FROM articles").fetchone()[0] // len(originals) - 1
    db.execute("CREATE TEMP TABLE IF NOT EXISTS originals (id TEXT PRIMARY KEY)")
    db.execute("CREATE TEMP TABLE IF NOT EXISTS copy_numbers (k INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM originals")
    db.executemany("INSERT INTO originals VALUES (?)", [(i,) for i in originals])
    statements = []
    for table in TABLES:
        key = _ORIGINAL.get(table, "article_id")
        # Copies come after the originals, so the originals are the rows up to this rowid.
        last = db.execute(
            f"SELECT max(rowid) FROM {table} WHERE {key} IN (SELECT id FROM originals)"
        ).fetchone()[0]
        if last is None:
            continue
        columns = [
            r["name"]
            for r in db.execute(f"SELECT name, pk FROM pragma_table_info('{table}')")
            # Integer keys of their own are numbered afresh (events' ids are referenced).
            if not (r["name"] == "id" and r["pk"] and table not in ("articles", "events"))
        ]
        values = [
            _COPY.get((table, c), f"{c} || '.' || k" if c == "article_id" else f"t.{c}")
            for c in columns
        ]
        statements.append(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)}"
            f" FROM copy_numbers, {table} AS t WHERE t.rowid <= {last} ORDER BY k, t.rowid"
        )
    # Copy k of event i is event i + k * event_ids: unique, and the same on every call.
    event_ids = db.execute(
        "SELECT coalesce(max(id), 0) FROM events WHERE article_id IN (SELECT id FROM originals)"
    ).fetchone()[0]
    # Secondary indexes are built once at the end (a sort) rather than row by row; the copies
    # of rows that met the foreign keys meet them too.
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({', '.join('?' * len(TABLES))})",
        TABLES,
    ).fetchall()
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        for name, _ in indexes:
            db.execute(f"DROP INDEX {name}")
        for first in range(done + 1, copies + 1, chunk):
            with store._transaction():
                db.execute("DELETE FROM copy_numbers")
                db.executemany(
                    "INSERT INTO copy_numbers VALUES (?)",
                    [(k,) for k in range(first, min(first + chunk, copies + 1))],
                )
                for statement in statements:
                    db.execute(statement, {"days": days_apart, "event_ids": event_ids})
    finally:
        for _, sql in indexes:
            db.execute(sql)
        db.execute("PRAGMA foreign_keys = ON")
    return db.execute("SELECT count(*) FROM articles").fetchone()[0]
