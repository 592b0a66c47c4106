"""The Store protocol on every engine: the `store` fixture runs each test on SQLite and, where
WATCHFLOOR_TEST_POSTGRES names a reachable server, on PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import psycopg
import pytest

from tests.store.sample import TEXT, make_article, make_facts
from watchfloor.errors import WatchfloorError
from watchfloor.model import Article, ArticleFacts, Event, Mention, Reject, Sentence, Story
from watchfloor.store import Store
from watchfloor.store.base import StoryLink
from watchfloor.store.migrations import load_migrations


def test_is_a_store_with_a_versioned_schema(store):
    assert isinstance(store, Store)
    # the engines' migrations mirror each other one for one (tests/store/test_postgres.py)
    assert store.schema_version() == load_migrations("sqlite")[-1].version
    assert store.migrate() == []  # nothing left to apply


def test_facts_round_trip_exactly(store):
    article = make_article()
    facts = make_facts(article)
    result = store.add([(article, facts)])
    assert result.added == [article.id] and result.duplicates == []
    assert store.article(article.id) == article
    assert store.facts(article.id) == facts
    assert store.sentence(article.id, 1).text.startswith('"We heard')
    assert store.sentence(article.id, 2) is None and store.article("0" * 16) is None
    # Read in bulk with an article that has none, each article gets its own facts.
    assert store.facts_many(["0" * 16, article.id]) == {
        "0" * 16: ArticleFacts("0" * 16),
        article.id: facts,
    }


def test_facts_of_many_articles_at_once_are_each_articles_facts(demo_store):
    ids = [a.id for a in demo_store.articles()]
    found = demo_store.facts_many(reversed(ids))
    assert list(found) == ids[::-1]
    # The demo's 2 near-duplicate copies are stored without facts of their own.
    assert sum(bool(f.sentences and f.band_keys) for f in found.values()) == 40
    assert sum(len(f.events) for f in found.values()) == 379
    for article_id in ids:
        assert found[article_id] == demo_store.facts(article_id), article_id
    # Some fields only: those read as in full, the others (counts too) left empty.
    events_only = demo_store.facts_many(ids, only=("events", "mentions"))
    for article_id in ids:
        full = found[article_id]
        assert events_only[article_id] == ArticleFacts(
            article_id, mentions=full.mentions, events=full.events
        )


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
    assert store.find_duplicate(same_text) == first.id


def test_a_duplicate_within_one_batch_is_skipped(store):
    first = make_article()
    mirror = make_article(url="https://mirror.example.net/copy")
    result = store.add([(first, make_facts(first)), (mirror, ArticleFacts(mirror.id))])
    assert result.added == [first.id] and result.duplicates == [(mirror.url, first.id)]


def test_a_failing_batch_writes_nothing(store):
    good = make_article()
    bad = make_article(url="https://example.org/b", text="Other text.")
    broken = ArticleFacts(bad.id, mentions=[Mention("X", "ORG", 0, 1, 7)])  # no sentence 7
    with pytest.raises((sqlite3.IntegrityError, psycopg.IntegrityError)):
        store.add([(good, make_facts(good)), (bad, broken)])
    assert store.stats()["articles"] == 0 and store.stats()["sentences"] == 0
    assert store.add([(good, make_facts(good))]).added == [good.id]  # the store still works


def test_search_ranks_sentences_and_marks_terms(store):
    article = make_article()
    store.add([(article, make_facts(article))])
    hits = store.search("drones Kyiv")
    assert len(hits) == 1
    assert hits[0].sentence.index == 0 and hits[0].article.id == article.id
    assert hits[0].snippet == "Russia launched 440 [drones] at [Kyiv] overnight."
    # stemming: "drone" finds "drones"; search syntax in user input is taken literally
    assert len(store.search("drone")) == 1
    assert store.search('teacher" OR (NEAR') == []
    with pytest.raises(WatchfloorError, match="no words"):
        store.search("!!")


def test_search_puts_the_better_match_first(store):
    texts = ["Drones hit Kyiv and shells hit Lviv.", "Drones hit Kyiv and drones hit Lviv."]
    for n, text in enumerate(texts):
        a = make_article(url=f"https://example.org/{n}", text=text)
        store.add([(a, ArticleFacts(a.id, sentences=[Sentence(a.id, 0, 0, len(text), text)]))])
    hits = store.search("drones", limit=1)
    assert [h.sentence.text for h in hits] == [texts[1]]
    assert [h.sentence.text for h in store.search("drones")] == [texts[1], texts[0]]
    assert hits[0].rank < store.search("drones")[1].rank  # lower is better


def test_search_ranks_only_the_most_recently_stored_matches(store):
    cities = ["Lviv", "Odesa", "Sumy", "Kharkiv", "Dnipro", "Kherson", "Poltava", "Chernihiv"]
    texts = [  # stored in this order: 1 and 5 name drones twice, the last one not at all
        *(
            f"Drones hit Kyiv and {'drones' if n in (1, 5) else 'shells'} hit {city}."
            for n, city in enumerate(cities)
        ),
        "Shells hit Kyiv and shells hit Kyiv.",
    ]
    for n, text in enumerate(texts):
        a = make_article(url=f"https://example.org/{n}", text=text)
        store.add([(a, ArticleFacts(a.id, sentences=[Sentence(a.id, 0, 0, len(text), text)]))])

    def found(limit: int = 20) -> list[str]:
        return [h.article.url.rsplit("/", 1)[1] for h in store.search("drones", limit)]

    # every match ranked: the better matches first, equal ones newest first
    assert found() == ["5", "1", "7", "6", "4", "3", "2", "0"]
    # only the 4 most recent matches ranked (the sentence without the word does not count)
    store.search_window = 4
    assert found() == ["5", "7", "6", "4"]
    assert found(limit=2) == ["5", "7"]


def test_articles_filter_by_time_and_query(store):
    early = make_article(
        url="https://example.org/early",
        text="Talks in Istanbul began.",
        published=datetime(2025, 6, 2, 12, tzinfo=UTC),
    )
    late = make_article()
    early.title = "Istanbul talks"
    undated = make_article(url="https://example.org/undated", text="No date.")
    undated.published, undated.title = None, "Undated"
    store.add(
        [
            (early, ArticleFacts(early.id, sentences=[Sentence(early.id, 0, 0, 24, early.text)])),
            (late, make_facts(late)),
            (undated, ArticleFacts(undated.id)),
        ]
    )
    assert [a.id for a in store.articles()] == [undated.id, early.id, late.id]  # undated first
    assert [a.id for a in store.articles(since=datetime(2025, 6, 10, tzinfo=UTC))] == [late.id]
    assert [a.id for a in store.articles(until=datetime(2025, 6, 10, tzinfo=UTC))] == [early.id]
    assert [a.id for a in store.articles(query="istanbul")] == [early.id]
    assert [a.id for a in store.articles(query="HIT BY")] == [late.id]  # in the title


def test_rejects_are_kept_once(store):
    r = Reject("feed.xml", "malformed feed", "abc", "line 3")
    store.add_rejects([r, r])
    store.add_rejects([r])
    assert store.rejects() == [r]
    assert store.stats()["rejects"] == 1


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
        themes=["KILL", "ARMEDCONFLICT"],
        mentions=[Mention("Kharkiv", "LOC", 0, 0, None, "gn:706483", 49.98, 36.25)],
        band_keys=[7, -3, 2**62],
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
    assert store.facts(stub.id).themes == ["ARMEDCONFLICT", "KILL"]  # themes come sorted
    stub_facts.themes.sort()
    assert store.facts(stub.id) == stub_facts
    assert store.near_duplicate_candidates([-3, 99]) == [stub.id]
    assert store.near_duplicate_candidates([]) == []
    assert store.known_urls([stub.url, "https://example.org/none", stub.url]) == {stub.url}


def test_imported_facts_merge_once_and_repeated_event_ids_are_kept_once(store):
    article = make_article()
    store.add([(article, make_facts(article))])
    imported = Event("strike_missile", "195", None, origin="gdelt", external_id="42")
    extra = ArticleFacts(article.id, events=[imported], themes=["KILL"])
    assert store.merge_imported(article.id, extra) is True
    assert store.merge_imported(article.id, extra) is False
    other = make_article(url="https://example.org/other", text="Another text.")
    store.add([(other, ArticleFacts(other.id, events=[imported]))])  # same GDELT event again
    assert [(e.article_id, e.event.origin) for e in store.events()] == [
        (article.id, "text"),
        (article.id, "gdelt"),
    ]
    facts = store.facts(article.id)
    assert facts.themes == ["KILL"]
    assert store.merge_imported(article.id, ArticleFacts(article.id, themes=["KILL", "ARREST"]))
    assert store.facts(article.id).themes == ["ARREST", "KILL"]  # a repeated theme is kept once
    assert [e.origin for e in facts.events] == ["gdelt", "text"]  # imported (no sentence) first


def test_stories_are_saved_replaced_and_listed_latest_first(store):
    early = make_article(
        url="https://example.org/early",
        text="Talks in Istanbul began.",
        published=datetime(2025, 6, 2, 12, tzinfo=UTC),
    )
    late = make_article()
    store.add([(early, ArticleFacts(early.id)), (late, ArticleFacts(late.id))])
    talks = Story(
        id="s-" + early.id,
        title="Talks in Istanbul",
        start=datetime(2025, 6, 2, 12, tzinfo=UTC),
        end=datetime(2025, 6, 2, 12, tzinfo=UTC),
        article_ids=[early.id],
        key_actors=["Rustem Umerov"],
        key_places=["Istanbul"],
        article_count=1,
        source_count=1,
        title_article_id=early.id,
    )
    strike = Story(
        id="s-" + late.id,
        title="Kyiv hit by drones",
        start=datetime(2025, 6, 17, 5, 40, tzinfo=UTC),
        end=datetime(2025, 6, 17, 5, 40, tzinfo=UTC),
        article_ids=[late.id],
        key_actors=["Russia"],
        key_places=["Kyiv"],
        article_count=1,
        source_count=1,
        title_article_id=late.id,
    )
    assert [a.id for a in store.articles_without_story()] == [early.id, late.id]
    store.save_stories(
        [talks, strike],
        [StoryLink(early.id, talks.id, "first"), StoryLink(late.id, strike.id, "first")],
    )
    assert store.articles_without_story() == []
    assert store.stories() == [strike, talks]
    assert store.stories(since=datetime(2025, 6, 10, tzinfo=UTC)) == [strike]
    assert store.stories(until=datetime(2025, 6, 10, tzinfo=UTC)) == [talks]
    # the late article moves into the talks story: the story is replaced, not duplicated
    talks.article_ids, talks.article_count, talks.end = [early.id, late.id], 2, strike.end
    store.save_stories([talks], [StoryLink(late.id, talks.id, "similar", 0.4)])
    assert store.story(talks.id) == talks
    # a story that began two weeks before a period still overlaps it
    period = datetime(2025, 6, 17, tzinfo=UTC), datetime(2025, 6, 18, tzinfo=UTC)
    assert [s.id for s in store.stories(*period)] == [talks.id, strike.id]
    assert [m.article.id for m in store.story_material(article_ids=[late.id])] == [late.id]
    assert store.story_material(article_ids=[late.id])[0].story_id == talks.id
    store.clear_stories()
    assert store.stories() == [] and store.story(talks.id) is None
    assert [a.id for a in store.articles_without_story()] == [early.id, late.id]
