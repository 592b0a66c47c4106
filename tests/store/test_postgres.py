"""What is particular to the PostgreSQL store: migrations under a lock, the tsvector column
and its GIN index, and several processes writing the same articles at once."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from operator import attrgetter

import psycopg
import pytest

from tests.conftest import DEMO
from tests.store.sample import make_article, make_facts
from watchfloor.errors import WatchfloorError
from watchfloor.model import ArticleFacts, Sentence
from watchfloor.store import PostgresStore, open_store
from watchfloor.store.migrations import Migration, load_migrations
from watchfloor.store.postgres import redact


def test_migrations_mirror_sqlite_one_for_one():
    sqlite = [(m.version, m.name) for m in load_migrations("sqlite")]
    assert [(m.version, m.name) for m in load_migrations("postgresql")] == sqlite


def test_processes_opening_a_new_database_at_once_migrate_it_once(pg_schemas):
    url = pg_schemas.blank()
    with ThreadPoolExecutor(4) as pool:  # a connection each: four clients of the server
        stores = list(pool.map(lambda _: open_store(url), range(4)))
    latest = load_migrations("postgresql")[-1].version
    assert [s.schema_version() for s in stores] == [latest] * 4
    rows = stores[0].db.execute("SELECT version FROM schema_migrations ORDER BY version")
    assert [r["version"] for r in rows] == list(range(1, latest + 1))
    for s in stores:
        s.close()


def test_migrations_apply_in_order_once_and_a_failed_one_leaves_nothing(pg_schemas):
    s = PostgresStore(pg_schemas.blank())
    current = s.schema_version()
    extra = Migration(current + 1, "notes", ["CREATE TABLE notes (id INTEGER PRIMARY KEY)"])
    assert s.migrate([extra]) == [current + 1]
    assert s.migrate([extra]) == []
    broken = Migration(current + 2, "broken", ["CREATE TABLE t (x INTEGER)", "NOT SQL"])
    with pytest.raises(psycopg.errors.SyntaxError):
        s.migrate([broken])
    assert s.schema_version() == current + 1
    assert s.db.execute("SELECT to_regclass('t') AS t").fetchone()["t"] is None
    s.close()


def test_sentences_get_a_stemmed_tsvector_searched_through_a_gin_index(pg_schemas):
    s = PostgresStore(pg_schemas.empty("store"))
    article = make_article()
    s.add([(article, make_facts(article))])
    row = s.db.execute(
        "SELECT terms::text AS terms FROM sentences WHERE sentence_index = 0"
    ).fetchone()
    assert row["terms"] == "'440':3 'drone':4 'kyiv':6 'launch':2 'overnight':7 'russia':1"
    with s.db.transaction():
        s.db.execute("SET LOCAL enable_seqscan = off")  # a two-row table: force the index
        plan = s.db.execute(
            "EXPLAIN SELECT * FROM sentences WHERE terms @@ plainto_tsquery('english', 'drone')"
        ).fetchall()
    assert "Bitmap Index Scan on sentences_by_terms" in " ".join(r["QUERY PLAN"] for r in plan)
    assert [h.snippet for h in s.search("launches")] == [
        "Russia [launched] 440 drones at Kyiv overnight."
    ]
    s.close()


def test_a_long_sentence_gives_a_snippet_marked_where_it_is_cut(pg_schemas):
    s = PostgresStore(pg_schemas.empty("store"))
    text = (
        " ".join(f"word{n}" for n in range(30))
        + " drones "
        + " ".join(f"word{n}" for n in range(30, 60))
    )
    article = make_article(text=text)
    s.add([(article, ArticleFacts(article.id, [Sentence(article.id, 0, 0, len(text), text)]))])
    [hit] = s.search("drones")
    assert hit.snippet == "…[drones] " + " ".join(f"word{n}" for n in range(30, 49)) + "…"
    s.close()


INGEST = """
import sys
from pathlib import Path
from watchfloor.config import Settings
from watchfloor.pipeline import ingest_articles, read_items
from watchfloor.store import open_store

store = open_store(sys.argv[1])
items = list(read_items([Path(sys.argv[2])], print))
print("ready", flush=True)
sys.stdin.readline()  # both processes start writing together
report = ingest_articles(items, store, Settings(batch_size=2), extract=False)
print(report.added, report.duplicates, flush=True)
store.close()
"""


def test_two_processes_ingesting_the_same_file_at_once_store_each_article_once(pg_schemas):
    url = pg_schemas.empty("store")
    war = DEMO / "war.jsonl"  # 17 articles
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", INGEST, url, str(war)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        assert [w.stdout.readline() for w in writers] == ["ready\n"] * 2
        for w in writers:
            w.stdin.write("go\n")
            w.stdin.flush()
        outcomes = [w.communicate(timeout=120) for w in writers]
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
    assert [(w.returncode, err) for w, (_, err) in zip(writers, outcomes, strict=True)] == [
        (0, ""),
        (0, ""),
    ]
    added, duplicates = zip(*(map(int, out.split()) for out, _ in outcomes), strict=True)
    assert sum(added) == 17  # each article stored by one of them
    assert all(a + d == 17 for a, d in zip(added, duplicates, strict=True))
    s = PostgresStore(url)
    assert s.stats()["articles"] == 17
    assert s.db.execute("SELECT count(DISTINCT url) AS n FROM articles").fetchone()["n"] == 17
    s.close()


def test_an_unreachable_server_is_reported_without_its_password():
    url = "postgresql://watchfloor:s3cret@127.0.0.1:9/none"  # the discard port: refused
    with pytest.raises(WatchfloorError, match="cannot open database") as caught:
        open_store(url)
    assert "s3cret" not in str(caught.value) and redact(url) in str(caught.value)


def test_the_demo_corpus_reads_the_same_from_both_engines(demo_postgres, demo_sqlite):
    sqlite, pg = demo_sqlite, demo_postgres
    assert pg.stats() == sqlite.stats()
    assert pg.articles() == sqlite.articles()
    for article in sqlite.articles():
        assert pg.facts(article.id) == sqlite.facts(article.id), article.url
    june_17 = datetime(2025, 6, 17, tzinfo=UTC)
    assert pg.articles(since=june_17, query="Kyiv") == sqlite.articles(since=june_17, query="Kyiv")
    for filters in ({}, {"since": date(2025, 6, 17), "actor": "ru", "place": "kyiv"}):
        assert _events(pg, **filters) == _events(sqlite, **filters)
    assert pg.quotes() == sqlite.quotes()
    assert pg.quotes(speaker="zelensk", limit=3) == sqlite.quotes(speaker="zelensk", limit=3)
    assert pg.entities(limit=500) == sqlite.entities(limit=500)
    assert pg.entities(["PERSON"], "sk", 5) == sqlite.entities(["PERSON"], "sk", 5)
    for entity in sqlite.entities(limit=10):
        assert pg.entity_mentions(entity.key) == sqlite.entity_mentions(entity.key)
    by_article = attrgetter("article.id")
    assert sorted(pg.story_material(), key=by_article) == sorted(
        sqlite.story_material(), key=by_article
    )
    assert pg.articles_without_story() == sqlite.articles_without_story()
    # Ranking differs (ts_rank against bm25); what is found does not.
    for query in ("drones Kyiv", "death toll", "Ottawa Convention", "gas imports"):
        found = {(h.sentence.article_id, h.sentence.index) for h in sqlite.search(query, 1000)}
        assert {(h.sentence.article_id, h.sentence.index) for h in pg.search(query, 1000)} == found


@pytest.mark.parametrize("first_slice_per_match", [1, 4, 100])
@pytest.mark.parametrize("query", ["drones", "Kyiv", "Russia", "attack"])
def test_search_gathers_the_newest_matches_slice_by_slice_as_one_query_would(
    demo_postgres, monkeypatch, query, first_slice_per_match
):
    # A window of 7 matches, gathered from slices of 7, 28 or 700 sentences: the hits must be
    # those of ranking the 7 newest matches in one query.
    pg = demo_postgres
    monkeypatch.setattr(pg, "search_window", 7)
    monkeypatch.setattr(pg, "first_slice_per_match", first_slice_per_match)
    expected = pg.db.execute(
        "SELECT article_id, sentence_index, rank FROM (SELECT article_id, sentence_index,"
        " stored_order, -ts_rank(terms, q) AS rank FROM sentences,"
        " plainto_tsquery('english', %s) AS q WHERE terms @@ q"
        " ORDER BY stored_order DESC LIMIT 7) AS newest ORDER BY rank, stored_order DESC",
        (query,),
    ).fetchall()
    hits = pg.search(query, limit=20)
    assert len(expected) == 7
    assert [(h.sentence.article_id, h.sentence.index, h.rank) for h in hits] == [
        (r["article_id"], r["sentence_index"], r["rank"]) for r in expected
    ]


@pytest.mark.parametrize("first_slice_per_match", [0.25, 0.5, 0.75, 1, 3])
def test_search_slices_lose_no_match_at_their_edges(pg_schemas, first_slice_per_match):
    # Every sentence matches, one word more often the later it is stored: slices of 1 to 12
    # sentences must gather exactly the 4 newest, best (the most mentions) first.
    s = PostgresStore(pg_schemas.empty("store"))
    s.search_window, s.first_slice_per_match = 4, first_slice_per_match
    for n in range(10):
        text = "Drones hit Kyiv" + " and drones" * n + "."
        a = make_article(url=f"https://example.org/{n}", text=text)
        s.add([(a, ArticleFacts(a.id, sentences=[Sentence(a.id, 0, 0, len(text), text)]))])
    found = [h.article.url.rsplit("/", 1)[1] for h in s.search("drones")]
    assert found == ["9", "8", "7", "6"]
    s.close()


def _events(store, **filters) -> list[tuple]:
    """Events by day and what they are: row ids (and so the order within a day) depend on the
    order articles were written in."""
    return sorted(
        (e.event.date or date.min, e.article_id, repr(e.event)) for e in store.events(**filters)
    )
