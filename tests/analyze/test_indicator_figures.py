"""Stored per-day indicator figures: what the facts give, kept in step with ingests, computed
on demand for stores from before they were kept; indicators read from them are those the facts
give."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from tests.analyze.factbuilder import D, Said, build, day, event, june_scenario, toll
from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.indicator_views import render_json
from watchfloor.analyze.indicators import (
    INDICATOR_FACTS,
    WINDOW_DAYS,
    compute_indicators,
    figures_of,
    indicators,
    stored_figures,
)
from watchfloor.model import ArticleFacts
from watchfloor.store import SqliteStore, open_store
from watchfloor.store.migrations import load_migrations

KYIV = timezone(timedelta(hours=3))


def scenario() -> list:
    """The June scenario, plus a report filed in Kyiv just after local midnight (the UTC day
    before) of that night's strikes, and a day's tone from GDELT-like events."""
    return [
        *june_scenario(),
        build("kyiv-night", "Kyiv Daily", datetime(2025, 6, 16, 1, 30, tzinfo=KYIV), [
            Said("Drones hit Ukraine; 9 people were killed.", [
                event("strike_drone", D, place="UA", tone=-6.5),
                event("casualties", D, place="UA", counts=(toll("killed", 9),)),
            ]),
        ]),
        build("early-tone", "Review", datetime(2025, 6, 6, 7), [
            Said("Talks on Ukraine went well.",
                 [event("diplomacy_mediation", day(6), place="UA", tone=2.25)]),
        ]),
    ]  # fmt: skip


@pytest.fixture
def scenario_store(store):
    store.add(scenario())
    return store


def from_facts(store, since: date, until: date | None = None):
    """The indicators from ``since`` (through ``until``), every article from the start of
    their window on read as facts."""
    corpus = Corpus.load(store, since=since - timedelta(days=WINDOW_DAYS))
    return compute_indicators(corpus, since=since, until=until)


def test_stored_figures_are_those_of_the_facts(scenario_store):
    first, last = day(1), day(20)
    computed = stored_figures(scenario_store, first, last)
    # One entry per UTC day with articles: the Kyiv report counts on 15 June (UTC).
    assert [f.published_day for f in computed] == [
        day(1), day(5), day(6), day(10), day(15), day(17), day(18), day(19)
    ]  # fmt: skip
    for figures in computed:
        one_day = Corpus.load(
            scenario_store, figures.published_day, figures.published_day, only=INDICATOR_FACTS
        )
        assert figures == figures_of(one_day, figures.published_day)
    assert scenario_store.day_figures(first, last) == computed
    kyiv = computed[4]
    assert (kyiv.articles, kyiv.first_published_day) == (1, D)
    assert kyiv.counts == {
        ("UA", D, "category strike_drone"): 1.0,
        ("UA", D, "category casualties"): 1.0,
        ("UA", D, "events"): 1.0,  # one sentence reports both
        ("UA", D, "strikes"): 1.0,
        ("UA", D, "tone sum"): -6.5,
        ("UA", D, "tone count"): 1.0,
    }
    assert [(t.role, t.day, t.value, t.hedged) for t in kyiv.tolls] == [("killed", D, 9.0, False)]


def test_indicators_on_stored_baselines_equal_those_of_the_facts(scenario_store):
    for since in (day(6), D, day(17), day(19)):
        expected = render_json(from_facts(scenario_store, since))
        assert render_json(indicators(scenario_store, since=since)) == expected  # computed
        assert render_json(indicators(scenario_store, since=since)) == expected  # as stored
    # Up to a day, only what can still report it (or update its toll) is read.
    for since, until in ((day(6), day(10)), (D, D), (day(17), day(17))):
        expected = render_json(from_facts(scenario_store, since, until))
        assert render_json(indicators(scenario_store, since=since, until=until)) == expected
    night = next(i for i in indicators(scenario_store, since=D) if i.day == D)
    # The report filed the UTC day before is read as facts: its sentence is evidence.
    assert "Kyiv Daily" in night.measures["killed"].outlets
    assert night.measures["killed"].value == 28.0  # 9, at least 14, then 23 and 28


def test_an_ingest_drops_the_figures_it_changes(scenario_store):
    stored_figures(scenario_store, day(1), day(20))
    later = build("late-report", "Ledger", datetime(2025, 6, 17, 20), [
        Said("Two more strikes hit Ukraine.", [event("strike_missile", day(17), place="UA")]),
    ])  # fmt: skip
    stale = scenario_store.day_figures(day(17), day(17))[0]
    scenario_store.add([later])
    assert scenario_store.day_figures(day(17), day(17)) == []
    assert [f.published_day for f in scenario_store.day_figures(day(1), day(20))] == [
        day(1), day(5), day(6), day(10), day(15), day(18), day(19)
    ]  # fmt: skip
    # Figures computed before the ingest are not stored after it.
    assert scenario_store.save_day_figures(stale) is False
    assert stored_figures(scenario_store, day(17), day(17))[0].articles == stale.articles + 1
    # Facts merged into an article drop its theatre and its day's figures.
    article, _ = later
    scenario_store.save_article_theatres({article.id: "UA"})
    imported = ArticleFacts(
        article.id, [], [], events=[replace(event("strike_drone", day(17), place="PL"))]
    )
    assert scenario_store.merge_imported(article.id, imported)
    assert scenario_store.article_theatres([article.id]) == {}
    assert scenario_store.day_figures(day(17), day(17)) == []
    assert ("PL", day(17), "events") in stored_figures(scenario_store, day(17), day(17))[0].counts


def test_a_store_from_before_the_figures_gets_them_on_demand(tmp_path):
    path = tmp_path / "old.db"
    store = SqliteStore(path)
    store.add(scenario())
    store.close()
    # Back to schema 0008: a store written before the figures were kept.
    db = sqlite3.connect(path)
    for table in ("indicator_tolls", "indicator_figures", "indicator_days", "article_theatres"):
        db.execute(f"DROP TABLE {table}")
    # and what the later migrations add
    for table in ("unplaced_articles", "story_extent"):
        db.execute(f"DROP TABLE {table}")
    for trigger in (
        "article_unplaced",
        "article_placed",
        "article_unplaced_again",
        "story_extent_on_insert",
        "story_extent_on_update",
    ):
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("DROP INDEX stories_by_start")
    db.execute("DELETE FROM schema_migrations WHERE version >= 9")
    db.commit()
    db.close()
    store = open_store(path)
    assert store.schema_version() == load_migrations("sqlite")[-1].version
    assert store.day_figures(day(1), day(20)) == []
    # The first reader computes and stores the figures of the days its baselines need (15
    # June holds the Kyiv report of the 16th: read as facts).
    assert render_json(indicators(store, since=D)) == render_json(from_facts(store, D))
    assert [f.published_day for f in store.day_figures(day(1), day(20))] == [
        day(1), day(5), day(6), day(10)
    ]  # fmt: skip
    store.close()


def test_demo_indicators_on_stored_baselines_equal_those_of_the_facts(demo_store):
    for since in (day(10), D, day(18)):
        expected = render_json(from_facts(demo_store, since))
        assert render_json(indicators(demo_store, since=since)) == expected
