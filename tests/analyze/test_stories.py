"""Stories: clustering decisions, summaries, the store round trip, and the demo corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from watchfloor.analyze.stories import (
    StoryUpdate,
    rebuild_stories,
    render_stories_json,
    render_stories_table,
    story_rows,
    summarise,
    update_stories,
)
from watchfloor.analyze.story_clusterer import StoryClusterer, StoryParams, story_id_for
from watchfloor.analyze.story_features import StoryFeatures, fold_word, mention_key
from watchfloor.config import Settings
from watchfloor.model import Mention
from watchfloor.pipeline import ingest_articles, read_items
from watchfloor.store import open_store

T0 = datetime(2025, 6, 17, 6, 0, tzinfo=UTC)


def features(
    article_id: str,
    words: str,
    hours: float = 0,
    source: str = "Outlet",
    entities: dict[str, float] | None = None,
    days: frozenset[date] = frozenset(),
    is_copy: bool = False,
    actors: dict[str, str] | None = None,
) -> StoryFeatures:
    return StoryFeatures(
        article_id=article_id,
        time=T0 + timedelta(hours=hours),
        source=source,
        headline=words.capitalize(),
        is_copy=is_copy,
        terms=dict.fromkeys(words.split(), 1.0),
        entities=entities or {},
        places={},
        days=days,
        actor_names=actors or {},
        place_names={},
    )


# -- features --------------------------------------------------------------------------------


def test_plural_fold_meets_singular():
    assert [fold_word(w) for w in ("strikes", "casualties", "drones", "kiss", "iris")] == [
        "strike",
        "casualty",
        "drone",
        "kiss",
        "iris",
    ]


def test_mention_key_prefers_link_then_surname():
    def mention(text: str, label: str, linked: str | None = None) -> Mention:
        return Mention(text, label, 0, len(text), 0, linked)

    assert mention_key(mention("Ukraine", "GPE", "iso:UA")) == "iso:UA"
    assert mention_key(mention("Lindsay Lohan", "PERSON")) == "lohan"
    assert mention_key(mention("Lohan's", "PERSON")) == "lohan"
    assert mention_key(mention("the European Commission", "ORG")) == "european commission"


# -- clustering ------------------------------------------------------------------------------


def test_similar_articles_join_and_unrelated_ones_start_stories():
    clusterer = StoryClusterer()
    a = clusterer.place(features("a", "kyiv drone missile attack apartment collapse toll"))
    b = clusterer.place(features("b", "finland parliament vote ottawa convention landmine", 1))
    c = clusterer.place(features("c", "kyiv missile attack toll rises apartment rubble", 2))
    assert (a.how, a.story_id) == ("first", story_id_for("a"))
    assert (b.how, b.story_id) == ("first", story_id_for("b"))
    assert (c.how, c.story_id) == ("similar", story_id_for("a"))
    assert c.score is not None and c.score > StoryParams().threshold


def test_time_decay_and_window_close_a_story():
    words = "kyiv drone missile attack apartment collapse toll"
    params = StoryParams()
    soon, late, later = StoryClusterer(params), StoryClusterer(params), StoryClusterer(params)
    soon.place(features("a", words))
    late.place(features("a", words))
    later.place(features("a", words))
    # Identical words: similarity 1 on the words, halving every half-life.
    assert soon.place(features("b", words, hours=1)).story_id == story_id_for("a")
    assert late.place(features("b", words, hours=24 * 5)).how == "first"
    assert later.place(features("b", words, hours=24 * (params.window_days + 1))).how == "first"


def test_shared_entities_and_days_raise_similarity():
    day = frozenset({date(2025, 6, 17)})
    plain, rich = StoryClusterer(), StoryClusterer()
    plain.place(features("a", "attack city toll rescuers"))
    rich.place(features("a", "attack city toll rescuers", entities={"klitschko": 1.0}, days=day))
    weak = plain.place(features("b", "attack city night sirens", 1))
    strong = rich.place(
        features("b", "attack city night sirens", 1, entities={"klitschko": 1.0}, days=day)
    )
    assert strong.score > (weak.score or 0)


def test_replaying_the_past_reproduces_placing_it():
    texts = [
        "kyiv drone missile attack apartment collapse toll",
        "finland parliament vote ottawa convention landmine",
        "kyiv missile attack toll rises apartment rubble",
        "eu gas imports russian phase out commission",
        "finland leaves landmine treaty vote parliament",
        "eu gas imports russian commission proposal hungary",
        "kyiv mourns apartment attack toll",
    ]
    items = [features(str(i), t, hours=4 * i) for i, t in enumerate(texts)]
    whole = StoryClusterer()
    all_links = [whole.place(f) for f in items]
    first, rest = StoryClusterer(), StoryClusterer()
    early = [first.place(f) for f in items[:4]]
    for f, link in zip(items[:4], early, strict=True):
        rest.replay(f, link.story_id)
    assert early + [rest.place(f) for f in items[4:]] == all_links
    assert [link.story_id for link in all_links] == [
        story_id_for("0"),
        story_id_for("1"),
        story_id_for("0"),
        story_id_for("3"),
        story_id_for("1"),
        story_id_for("3"),
        story_id_for("0"),
    ]


# -- summaries -------------------------------------------------------------------------------


def test_summary_counts_copies_once_and_titles_from_the_central_article():
    names = {"kim": "Kim Jong Un", "shoigu": "Sergei Shoigu"}
    members = [
        features("a", "deminers builders kursk north korea", 0, "Wire", {"kim": 1, "shoigu": 1}),
        features("b", "deminers builders kursk", 1, "Observer", is_copy=True),
        features("c", "north korea deminers kursk builders", 2, "Digest", {"kim": 1}),
        features("d", "landmines rules war long", 3, "Ledger", {"shoigu": 1}),
    ]
    members = [replace(m, actor_names=names) for m in members]
    story = summarise("s-a", list(reversed(members)))
    assert story.article_ids == ["a", "b", "c", "d"]
    assert (story.article_count, story.source_count) == (4, 3)
    assert (story.start, story.end) == (T0, T0 + timedelta(hours=3))
    assert story.title == "Deminers builders kursk north korea"
    assert story.title_article_id == "a"
    assert story.key_actors == ["Kim Jong Un", "Sergei Shoigu"]


# -- the store -------------------------------------------------------------------------------


def _members(store, title_start: str) -> set[str]:
    """Titles of the articles in the story of the article whose title starts so."""
    article = next(a for a in store.articles() if a.title.startswith(title_start))
    story = next(s for s in store.stories() if article.id in s.article_ids)
    return {store.article(a).title for a in story.article_ids}


def test_demo_stories_gather_each_happening(demo_copy):
    update = update_stories(demo_copy, Settings())
    assert update.placed == 42 and update.grown_stories == []
    kyiv = _members(demo_copy, "Russian drones and missiles kill at least 14")
    assert {
        "Kyiv's night of terror: at least 14 dead as Russia fires 440 drones and 32 missiles",
        "Odesa counts damage after overnight Russian strike as Kyiv digs through rubble",
        "\u2018The stairwell was gone\u2019: Solomianskyi counts its dead as Kyiv toll rises to 23",
        "EU condemns Kyiv strike as death toll rises to 23",
        "Kyiv death toll from Russian attack climbs to 28 as city mourns",
        "After the night Kyiv's defences were overwhelmed, a question for the whole of Europe",
        "Kyiv mourns 28 dead: flowers, candles and silence in Solomianskyi",
    } < kyiv
    finland = _members(demo_copy, "Finland's parliament votes to leave landmine treaty")
    assert finland == {
        "Finland's parliament votes to leave landmine treaty, citing Russian threat",
        "Eduskunta votes to leave the Ottawa Convention, and the eastern border explains why",
        "Finland dumps landmine ban in landslide vote as Russia fears grow",
        "Finland becomes fifth EU state on the eastern flank to leave the mine-ban treaty",
    }
    gas = _members(demo_copy, "EU proposes ending all Russian gas imports")
    assert {
        "Commission tables law to end Russian gas imports by end-2027",
        "EU pulls the plug on Russian gas - and Hungary and Slovakia are not happy",
        "Brief: The Russian gas phase-out, step by step",
    } < gas
    assert not (kyiv & finland or kyiv & gas or finland & gas)


def test_demo_wire_copies_join_their_originals_without_adding_sources(demo_copy):
    update_stories(demo_copy, Settings())
    copies = [a for a in demo_copy.articles() if a.duplicate_of]
    assert len(copies) == 2
    for copy in copies:
        story = next(s for s in demo_copy.stories() if copy.id in s.article_ids)
        assert copy.duplicate_of in story.article_ids
        originals = [demo_copy.article(a) for a in story.article_ids]
        outlets = {a.source for a in originals if not a.duplicate_of}
        assert story.source_count == len(outlets)
        assert story.source_count < story.article_count
    deminers = _members(demo_copy, "North Korea to send 1,000 deminers")
    assert "Kim to send 6,000 North Korean deminers and military builders to rebuild Kursk" in (
        deminers
    )


def test_rebuild_is_deterministic_and_update_after_it_has_nothing_to_do(demo_copy):
    settings = Settings()
    first = rebuild_stories(demo_copy, settings)
    stories = demo_copy.stories()
    second = rebuild_stories(demo_copy, settings)
    assert first == second
    assert demo_copy.stories() == stories
    assert update_stories(demo_copy, settings) == StoryUpdate()
    assert sum(s.article_count for s in stories) == 42


REBUILD = """
import json, sys
from watchfloor.analyze.stories import rebuild_stories
from watchfloor.config import Settings
from watchfloor.store import open_store
store = open_store(sys.argv[1])
rebuild_stories(store, Settings())
print(json.dumps([[s.id, s.title, s.key_actors, s.key_places] for s in store.stories()]))
"""


@pytest.mark.parametrize("demo_store", ["sqlite"], indirect=True)
def test_stories_do_not_hang_on_the_processes_string_hashing(demo_copy, tmp_path):
    """Words are gathered in sets, which iterate by string hash, and Python salts that hash
    per process: the titles and names chosen must not change with it."""
    demo_copy.close()
    path = Path(demo_copy.path)
    runs = []
    for seed in ("1", "4"):
        copy = tmp_path / f"seed{seed}.db"
        copy.write_bytes(path.read_bytes())
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", REBUILD, str(copy)], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout))
    assert len(runs[0]) == 17
    assert runs[0] == runs[1]


def test_updates_after_each_intake_give_the_stories_of_a_rebuild(tmp_path):
    from watchfloor.cli import demo_paths

    articles = sorted(read_items(demo_paths(), lambda rejects: None), key=lambda a: a.published)
    settings = Settings()
    store = open_store(tmp_path / "stream.db")
    try:
        placed = 0
        for start in range(0, len(articles), 14):  # three intakes, in publication order
            ingest_articles(articles[start : start + 14], store, settings, extract=False)
            placed += update_stories(store, settings).placed
        assert placed == 42
        streamed = store.stories()
        rebuild_stories(store, settings)
        assert store.stories() == streamed
    finally:
        store.close()


def test_listing_filters_and_renders(demo_copy):
    update_stories(demo_copy, Settings())
    everything = story_rows(demo_copy)
    assert len(everything) == len(demo_copy.stories())
    assert [r["end"] for r in everything] == sorted((r["end"] for r in everything), reverse=True)
    ottawa = story_rows(demo_copy, query="Ottawa Convention")
    assert 0 < len(ottawa) < len(everything)
    vote = next(r for r in ottawa if r["title"].startswith("Finland's parliament votes"))
    assert vote["articles"] == 4 and vote["sources"] == 4
    assert not any("Kyiv death toll" in r["title"] for r in ottawa)
    early = story_rows(demo_copy, until=datetime(2025, 6, 4, tzinfo=UTC))
    assert [r["title"] for r in early] == [
        "Russia and Ukraine agree new prisoner swaps in Istanbul, no ceasefire"
    ]
    assert len(story_rows(demo_copy, limit=3)) == 3
    table = render_stories_table(early).splitlines()
    assert table[0].split() == ["span", "articles", "sources", "title", "actors", "/", "places"]
    assert table[1].startswith("2025-06-02 \u2013 2025-06-03         2        2  Russia and")
    assert json.loads(render_stories_json(early))["stories"][0]["articles"] == 2
