from __future__ import annotations

import json
from datetime import date

import pytest

import watchfloor.analyze.timeline as timeline_module
from tests.brief.corpus import ArticleBuilder, at, june
from watchfloor.analyze.timeline import (
    matches,
    query_alternatives,
    render_timeline_json,
    render_timeline_markdown,
    timeline,
    timeline_dict,
)
from watchfloor.errors import WatchfloorError


def article(name: str, source: str, day: int, sentences: list[str]) -> ArticleBuilder:
    return ArticleBuilder(f"https://{name}.example/a", f"About {name}", source, at(day), sentences)


def port_corpus() -> list[ArticleBuilder]:
    """Three outlets on a port strike (named for 10 June), one on a later vote (12 June)."""
    strike = "Dock workers in Rivermouth walked out on 10 June over a pay dispute."
    return [
        article("a", "Alpha News", 10, [strike, "The union said talks had failed."]).time(
            0, "10 June", june(10)
        ),
        article(
            "b",
            "Bravo Times",
            11,
            [
                "Rivermouth dock workers went on strike on Tuesday, halting container traffic.",
                "Shipping lines diverted vessels to other ports.",
            ],
        ).time(0, "Tuesday", june(10)),
        article(
            "c",
            "Charlie Daily",
            13,
            [
                "Rivermouth's council voted on Thursday to fund emergency freight storage.",
                "The dock strike that began on 10 June has idled about 4,000 workers.",
            ],
        )
        .time(0, "Thursday", june(12))
        .time(1, "10 June", june(10)),
    ]


@pytest.fixture
def port_store(store):
    store.add(b.build() for b in port_corpus())
    return store


def test_days_named_by_more_articles_and_outlets_come_first(port_store):
    made = timeline(port_store, max_dates=1, sentences_per_date=1)
    assert [(d.day, d.articles, d.outlets) for d in made.dates] == [(june(10), 3, 3)]
    # Three outlets naming the day, the two further ones counted as independent support,
    # plus the weaker vote of the article published that day.
    assert made.dates[0].score == 3 + 2 * 0.5 + 0.5


def test_each_sentence_cites_its_article(port_store):
    made = timeline(port_store, max_dates=3, sentences_per_date=2)
    assert [(d.day, d.score) for d in made.dates] == [
        (june(10), 4.5),
        (june(11), 0.5),
        (june(12), 1.0),
    ]
    cited = [(s.source, s.sentence_index, s.names_day) for d in made.dates for s in d.sentences]
    assert cited == [
        ("Alpha News", 0, True),
        # An opening sentence reporting the day comes before a later article's look back at it.
        ("Bravo Times", 0, True),
        # A day only published on is told by the top of what was published.
        ("Bravo Times", 1, False),
        ("Charlie Daily", 0, True),
    ]
    for s in (s for d in made.dates for s in d.sentences):
        assert port_store.sentence(s.article_id, s.sentence_index).text == s.text
        assert s.url == port_store.article(s.article_id).url


@pytest.fixture
def repeated_store(store):
    """The port corpus, and a fourth outlet repeating Alpha's opening sentence."""
    repeated = article(
        "d",
        "Delta Post",
        11,
        ["Dock workers in Rivermouth walked out on 10 June over a pay dispute, officials said."],
    ).time(0, "10 June", june(10))
    store.add(b.build() for b in [*port_corpus(), repeated])
    return store


def test_a_sentence_repeating_one_told_is_left_out(repeated_store, monkeypatch):
    # Every sentence of the day is wanted here, however weak, to show which one is left out.
    monkeypatch.setattr(timeline_module, "FURTHER_SALIENCE", 0.0)
    made = timeline(repeated_store, max_dates=1, sentences_per_date=4)
    told = [(s.source, s.sentence_index, s.outlets) for s in made.dates[0].sentences]
    # Two outlets now say the Alpha sentence: it leads, and Delta's copy of it is not told.
    assert told == [
        ("Alpha News", 0, 2),
        ("Bravo Times", 0, 1),
        ("Charlie Daily", 1, 1),
        ("Alpha News", 1, 1),
    ]


def test_a_day_keeps_only_sentences_near_its_best(repeated_store):
    made = timeline(repeated_store, max_dates=1, sentences_per_date=4)
    told = made.dates[0].sentences
    # Alpha's point, told by two outlets, outweighs the rest of the day more than three times:
    # the day is told by it alone.
    assert [(s.source, s.sentence_index) for s in told] == [("Alpha News", 0)]


def test_period_limits_articles_and_days(port_store):
    made = timeline(port_store, since=june(12), until=june(13))
    assert made.articles == 1
    assert [d.day for d in made.dates] == [june(12)]


def test_no_day_after_the_last_article(store):
    preview = article(
        "p",
        "Alpha News",
        5,
        ["Voters in Rivermouth will elect a new mayor on 20 June, officials said."],
    ).time(0, "20 June", june(20))
    store.add([preview.build()])
    made = timeline(store)
    assert (made.articles, made.dates) == (1, [])
    assert "No dated events found" in render_timeline_markdown(made)


def test_query_keeps_matching_articles_and_sentences(port_store):
    made = timeline(port_store, query="council OR union talks")
    assert made.articles == 2
    cited = [(d.day, s.text) for d in made.dates for s in d.sentences]
    assert cited == [
        (june(10), "The union said talks had failed."),
        (june(12), "Rivermouth's council voted on Thursday to fund emergency freight storage."),
    ]


def test_query_alternatives_match_whole_words():
    alternatives = query_alternatives("zuma OR Jacob Zuma")
    assert alternatives == [["zuma"], ["jacob", "zuma"]]
    assert matches("President Zuma said.", alternatives)
    assert not matches("Zumaville is a town.", alternatives)
    assert matches("anything", [])


def test_copies_count_as_outlets_of_the_original(store):
    original = article(
        "w",
        "Wire One",
        10,
        ["Rivermouth dock workers walked out on 10 June over a pay dispute, the union said."],
    ).time(0, "10 June", june(10))
    # Stored as ingestion stores a wire copy: linked to the original, without facts.
    copy = article("x", "Regional Post", 10, [original.article.text + " (Wire One)"])
    copy.article.duplicate_of = original.article.id
    copy.facts.sentences.clear()
    store.add([original.build(), copy.build()])
    made = timeline(store)
    assert (made.dates[0].outlets, made.dates[0].sentences[0].outlets) == (2, 2)


def test_invalid_arguments_say_what_to_do(store):
    with pytest.raises(WatchfloorError, match="swap them"):
        timeline(store, since=june(12), until=june(10))
    with pytest.raises(WatchfloorError, match="at least 1"):
        timeline(store, max_dates=0)


def test_renderings(port_store):
    made = timeline(port_store, since=june(12), until=june(13), sentences_per_date=1)
    data = timeline_dict(made)
    assert json.loads(render_timeline_json(made)) == data
    assert data["since"] == "2025-06-12"
    sentence = data["dates"][0]["sentences"][0]
    assert {k: sentence[k] for k in ("text", "sentence_index", "source", "url")} == {
        "text": "Rivermouth's council voted on Thursday to fund emergency freight storage.",
        "sentence_index": 0,
        "source": "Charlie Daily",
        "url": "https://c.example/a",
    }
    assert render_timeline_markdown(made).splitlines() == [
        "# Timeline: all articles, 2025-06-12 to 2025-06-13",
        "",
        "1 dates from 1 articles; each sentence is quoted from the article linked after it.",
        "",
        "## Thursday 12 June 2025",
        "",
        "- Rivermouth's council voted on Thursday to fund emergency freight storage. "
        f"(Charlie Daily, [About c](https://c.example/a), article `{sentence['article_id']}` "
        "sentence 0)",
    ]


def test_demo_timeline_tells_the_week_of_17_june(demo_store):
    made = timeline(
        demo_store, since=date(2025, 6, 1), until=date(2025, 6, 20), sentences_per_date=3
    )
    by_day = {d.day: " ".join(s.text for s in d.sentences) for d in made.dates}
    assert all(date(2025, 6, 1) <= day <= date(2025, 6, 20) for day in by_day)
    attack = by_day.get(june(16), "") + by_day.get(june(17), "")
    assert "drones" in attack and "missiles" in attack
    assert "gas" in by_day[june(17)]
    assert "28" in by_day[june(18)]
    assert "Finland" in by_day[june(19)] and "Xi" in by_day[june(19)]
    for d in made.dates:
        for s in d.sentences:
            stored = demo_store.sentence(s.article_id, s.sentence_index).text
            assert s.text in " ".join(stored.split())
