from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from watchfloor.errors import WatchfloorError
from watchfloor.model import (
    Article,
    ArticleFacts,
    Count,
    Event,
    Mention,
    Quote,
    Reject,
    Sentence,
    TimeExpr,
)
from watchfloor.store import SqliteStore, Store
from watchfloor.store.sqlite import fts_query

KYIV = timezone(timedelta(hours=3))
TEXT = (
    "Russia launched 440 drones at Kyiv overnight.\n\n"
    '"We heard the blasts at two," said Olena Kravets, a teacher.'
)


def make_article(url="https://example.org/a", text=TEXT, published=None) -> Article:
    return Article(
        url=url,
        title="Kyiv hit by drones",
        text=text,
        source="Example Post",
        published=published or datetime(2025, 6, 17, 8, 40, tzinfo=KYIV),
        fetched_at=datetime(2025, 6, 17, 9, 0, tzinfo=UTC),
    )


def make_facts(article: Article) -> ArticleFacts:
    s0, s1 = 0, TEXT.index('"We')
    drones = Count("440 drones", 16, 26, 0, 440, "drones", "drones")
    return ArticleFacts(
        article_id=article.id,
        sentences=[
            Sentence(article.id, 0, s0, TEXT.index("\n"), TEXT[: TEXT.index("\n")]),
            Sentence(article.id, 1, s1, len(TEXT), TEXT[s1:]),
        ],
        mentions=[Mention("Russia", "GPE", 0, 6, 0, "iso:RU"), Mention("Kyiv", "GPE", 30, 34, 0)],
        times=[TimeExpr("overnight", 35, 44, 0, "2025-06-17", "day", date(2025, 6, 17), True)],
        counts=[drones],
        quotes=[
            Quote(
                "We heard the blasts at two,",
                s1 + 1,
                s1 + 28,
                1,
                "Olena Kravets",
                "a teacher",
                True,
                "said",
            )
        ],
        events=[
            Event(
                "strike_drone",
                "launched 440 drones",
                0,
                [0],
                date(2025, 6, 17),
                "day",
                ["Russia"],
                [],
                "Kyiv",
                None,
                [drones],
            )
        ],
    )


def test_is_a_store_with_wal_and_versioned_schema(store):
    assert isinstance(store, Store)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = store.db.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert [tuple(r) for r in rows][0] == (1, "initial")
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert store.migrate() == []  # nothing left to apply


def test_facts_round_trip_exactly(store):
    article = make_article()
    facts = make_facts(article)
    result = store.add([(article, facts)])
    assert result.added == [article.id] and result.duplicates == []
    assert store.article(article.id) == article
    assert store.facts(article.id) == facts
    assert store.sentence(article.id, 1).text.startswith('"We heard')


def test_duplicates_by_url_and_by_text_are_skipped(store):
    first = make_article()
    store.add([(first, make_facts(first))])
    same_url = make_article(text="Different text entirely.")
    same_text = make_article(url="https://mirror.example.net/copy", text=" " + TEXT.upper())
    result = store.add(
        [(same_url, ArticleFacts(same_url.id)), (same_text, ArticleFacts(same_text.id))]
    )
    assert result.added == []
    assert result.duplicates == [(same_url.url, first.id), (same_text.url, first.id)]
    assert store.stats()["articles"] == 1


def test_a_failing_batch_writes_nothing(store):
    good = make_article()
    bad = make_article(url="https://example.org/b", text="Other text.")
    broken = ArticleFacts(bad.id, mentions=[Mention("X", "ORG", 0, 1, 7)])  # no sentence 7
    with pytest.raises(sqlite3.IntegrityError):
        store.add([(good, make_facts(good)), (bad, broken)])
    assert store.stats()["articles"] == 0 and store.stats()["sentences"] == 0


def test_search_ranks_sentences_and_marks_terms(store):
    article = make_article()
    store.add([(article, make_facts(article))])
    hits = store.search("drones Kyiv")
    assert len(hits) == 1
    assert hits[0].sentence.index == 0 and hits[0].article.id == article.id
    assert hits[0].snippet == "Russia launched 440 [drones] at [Kyiv] overnight."
    # porter stemming: "drone" finds "drones"; FTS syntax in user input is taken literally
    assert len(store.search("drone")) == 1
    assert store.search('teacher" OR (NEAR') == []


def test_fts_query_quotes_every_term():
    assert fts_query('Kyiv AND "drones') == '"Kyiv" "AND" "drones"'
    with pytest.raises(WatchfloorError, match="no words"):
        fts_query("!!")


def test_articles_filter_by_time_and_query(store):
    early = make_article(
        url="https://example.org/early",
        text="Talks in Istanbul began.",
        published=datetime(2025, 6, 2, 12, tzinfo=UTC),
    )
    late = make_article()
    store.add(
        [
            (early, ArticleFacts(early.id, sentences=[Sentence(early.id, 0, 0, 24, early.text)])),
            (late, make_facts(late)),
        ]
    )
    assert [a.id for a in store.articles()] == [early.id, late.id]
    assert [a.id for a in store.articles(since=datetime(2025, 6, 10, tzinfo=UTC))] == [late.id]
    assert [a.id for a in store.articles(until=datetime(2025, 6, 10, tzinfo=UTC))] == [early.id]
    assert [a.id for a in store.articles(query="istanbul")] == [early.id]


def test_rejects_are_kept_once(store):
    r = Reject("feed.xml", "malformed feed", "abc", "line 3")
    store.add_rejects([r, r])
    store.add_rejects([r])
    assert store.rejects() == [r]


def test_database_opens_in_plain_sqlite3(tmp_path):
    path = tmp_path / "plain.db"
    s = SqliteStore(path)
    article = make_article()
    s.add([(article, make_facts(article))])
    s.close()
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "articles",
        "sentences",
        "mentions",
        "time_expressions",
        "counts",
        "quotes",
        "events",
        "event_evidence",
        "rejects",
        "schema_migrations",
    } <= tables
    assert db.execute("SELECT role, value, event_id IS NOT NULL FROM counts").fetchall() == [
        ("drones", 440.0, 1)
    ]


def test_stubs_near_duplicates_and_imported_events_round_trip(store):
    first = make_article()
    copy = make_article(url="https://mirror.example/a", text=TEXT + " Extra line.")
    copy.duplicate_of = first.id
    stub = Article(
        url="https://gdelt.example/story",
        title="",
        text="",
        source="gdelt.example",
        published=datetime(2019, 10, 24, 14, 30, tzinfo=UTC),
        fetched_at=datetime(2019, 10, 24, 14, 45, tzinfo=UTC),
    )
    other_stub = Article(
        url="https://gdelt.example/other",
        title="",
        text="",
        source="gdelt.example",
        published=None,
        fetched_at=stub.fetched_at,
    )
    imported = Event(
        "strike_missile",
        "190",
        None,
        date=date(2019, 10, 24),
        date_precision="day",
        actors=["RUSSIA"],
        actor_countries=["RU"],
        target_countries=["UA"],
        place="Kharkiv, Ukraine",
        place_country="UA",
        lat=49.98,
        lon=36.25,
        origin="gdelt",
        external_id="884",
        cameo_code="190",
        goldstein=-10.0,
        tone=-4.2,
    )
    stub_facts = ArticleFacts(
        stub.id,
        events=[imported],
        themes=["ARMEDCONFLICT", "KILL"],
        mentions=[Mention("Kharkiv", "LOC", 0, 0, None, "gn:706483", 49.98, 36.25)],
    )
    result = store.add(
        [
            (first, make_facts(first)),
            (copy, ArticleFacts(copy.id)),
            (stub, stub_facts),
            (other_stub, ArticleFacts(other_stub.id)),
        ]
    )
    assert len(result.added) == 4
    assert store.article(copy.id).duplicate_of == first.id
    assert store.facts(stub.id) == stub_facts


def test_migrations_apply_in_order_once(tmp_path):
    from watchfloor.store.migrations import Migration

    s = SqliteStore(tmp_path / "m.db")
    current = s.schema_version()
    extra = Migration(current + 1, "notes", ["CREATE TABLE notes (id INTEGER PRIMARY KEY)"])
    assert s.migrate([extra]) == [current + 1]
    assert s.migrate([extra]) == []
    broken = Migration(current + 2, "broken", ["CREATE TABLE t (x)", "NOT SQL"])
    with pytest.raises(sqlite3.OperationalError):
        s.migrate([broken])
    assert s.schema_version() == current + 1  # the failed migration left nothing behind
    assert s.db.execute("SELECT name FROM sqlite_master WHERE name = 't'").fetchone() is None


def test_imported_facts_merge_once_and_repeated_event_ids_are_kept_once(store):
    article = make_article()
    store.add([(article, make_facts(article))])
    imported = Event("strike_missile", "195", None, origin="gdelt", external_id="42")
    extra = ArticleFacts(article.id, events=[imported], themes=["KILL"])
    assert store.merge_imported(article.id, extra) is True
    assert store.merge_imported(article.id, extra) is False
    other = make_article(url="https://example.org/other", text="Another text.")
    store.add([(other, ArticleFacts(other.id, events=[imported]))])  # same GDELT event again
    rows = store.db.execute("SELECT article_id FROM events WHERE origin = 'gdelt'").fetchall()
    assert [r[0] for r in rows] == [article.id]
    assert store.facts(article.id).themes == ["KILL"]
