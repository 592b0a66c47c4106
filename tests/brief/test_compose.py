"""Briefing v2 on the hand-built sample corpus: what each section holds, exactly."""

from __future__ import annotations

from datetime import date

import pytest

from tests.brief.corpus import death_toll_rises, june
from tests.brief.walk import statements, texts, ungrounded
from watchfloor.analyze.corpus import day_start
from watchfloor.analyze.theatres import article_theatre
from watchfloor.brief import compose_briefing, render
from watchfloor.brief.records import (
    SECTION_ORDER,
    Bullet,
    StoryItem,
    item_citations,
)
from watchfloor.errors import CatalogError, WatchfloorError


@pytest.fixture
def briefing(sample_store):
    return compose_briefing(sample_store)


def test_sections_come_in_the_issue_order(briefing):
    assert tuple(s.key for s in briefing.sections) == SECTION_ORDER
    assert [s.heading for s in briefing.sections] == [
        "Headline",
        "Summary",
        "Background & Context",
        "Key Developments & Timeline",
        "Official Statements & Analysis",
        "Analysis & Conclusion",
        "Preparedness",
        "Related Stories",
        "Reliability Notes",
        "Sources",
    ]
    assert briefing.title == "Situation report, 10\u201319 June 2025"
    assert (briefing.period_start, briefing.period_end) == (june(10), june(19))


def test_citations_are_numbered_by_first_use_and_hold_their_source(briefing, sample_store):
    assert [c.number for c in briefing.citations] == list(range(1, len(briefing.citations) + 1))
    keys = [(c.article_id, c.sentence_index) for c in briefing.citations]
    assert len(set(keys)) == len(keys)  # one number per sentence
    for c in briefing.citations:
        if c.kind == "kb":
            continue
        stored = sample_store.sentence(c.article_id, c.sentence_index)
        assert stored is not None and stored.text == c.sentence_text
        article = sample_store.article(c.article_id)
        assert (c.title, c.source, c.url) == (article.title, article.source, article.url)
    first_use: list[int] = []
    for s in briefing.sections:
        for item in s.items:
            numbers = item_citations(item)
            first_use += [n for n in dict.fromkeys(numbers) if n not in first_use]
    assert first_use == [c.number for c in briefing.citations]


def test_every_statement_is_cited_and_grounded(briefing):
    by_number = {c.number: c for c in briefing.citations}
    found = list(statements(briefing))
    assert found and all(s.citations for s in found)
    for s in found:
        if not s.composed:
            assert len(s.citations) == 1
            assert by_number[s.citations[0]].sentence_text == s.text
    assert ungrounded(briefing) == []


def test_headline_and_summary_lead_with_the_latest_toll(briefing):
    assert briefing.headline == (
        "Russia and Ukraine exchanged wounded prisoners of war on 10 June under the Istanbul "
        "agreements."
    )
    assert texts(briefing, "summary") == [
        "The death toll from the Russian attack on Kyiv rose to 28 on 18 June, emergency "
        "services said.",
        "Baltic governments warned of sabotage against undersea cables and of the shadow fleet "
        "of ageing tankers.",
        "The reported death toll in Kyiv rose from at least 14 to 23 and then 28, the latest "
        "figure.",
    ]
    update = list(statements(briefing, "summary"))[-1]
    assert update.composed
    assert [briefing.citations[n - 1].sentence_text[:28] for n in update.citations] == [
        "The death toll from the Russ",
        "Russia struck Kyiv with miss",
        "The death toll from the over",
    ]


def test_background_holds_earlier_context(briefing):
    assert texts(briefing, "background") == [
        "Talks in Istanbul on 2 June ended without a ceasefire."
    ]


def test_key_developments_are_the_timeline_of_the_period(briefing):
    bullets = briefing.section("developments").items
    assert all(isinstance(b, Bullet) and b.precision == "day" for b in bullets)
    assert [b.date for b in bullets] == sorted(b.date for b in bullets)
    assert {b.date for b in bullets} <= {june(d) for d in range(10, 20)}
    exchange_text = (
        "Russia and Ukraine exchanged wounded prisoners of war on 10 June under the Istanbul "
        "agreements."
    )
    assert (june(10), exchange_text) in {(b.date, b.statements[0].text) for b in bullets}
    # Both reports of the exchange name its day, each from its own outlet.
    exchange = next(b for b in bullets if b.date == june(10))
    assert (exchange.articles, exchange.outlets) == (2, 2)


def test_statements_name_speaker_role_and_post_on_the_day(briefing):
    quotes = briefing.section("statements").items
    assert [(q.speaker, q.role, q.direct, q.said_on) for q in quotes] == [
        ("Ursula von der Leyen", "President of the European Commission", True, june(17)),
        ("Andrii Sybiha", "Ukraine's foreign minister", True, june(18)),
        ("Vitali Klitschko", "Mayor", False, june(17)),
    ]
    assert quotes[0].text == "Europe will not be blackmailed with energy again"
    assert quotes[2].role_check.text == "On 17 June 2025 Vitali Klitschko was Mayor of Kyiv."
    assert not any(q.role_flagged for q in quotes)


def test_related_stories_and_reliability_notes(briefing):
    related = briefing.section("related").items
    assert all(isinstance(r, StoryItem) and r.articles == 1 for r in related)
    assert "Warm week ahead for Kyiv" in [r.title for r in related]
    notes = briefing.section("reliability").items
    assert {n.topic for n in notes} == {"single_source"}
    assert all(n.statement.text.startswith("Reported by ") for n in notes)


def test_preparedness_lists_only_threats_present(briefing):
    items = briefing.section("preparedness").items
    assert [(i.heading, i.reports, i.trend) for i in items] == [
        ("Air strikes and shelling", 3, "rising"),
        ("Energy supply and prices", 2, "rising"),
        ("Helping people affected", 2, "steady"),
        ("Sabotage and interference at sea", 1, "steady"),
    ]
    assert all(2 <= len(i.actions) <= 4 and i.evidence.citations for i in items)


def test_since_and_until_bound_the_period_by_publication_day(sample_store):
    later = compose_briefing(sample_store, since=june(17))
    assert later.period_start == june(17)
    assert "prisoners" not in " ".join(
        c.sentence_text for c in later.citations if c.kind == "article"
    )
    earlier = compose_briefing(sample_store, until=june(17))
    assert earlier.period_end == june(17)
    assert {b.date for b in earlier.section("developments").items} <= {june(10), june(12), june(17)}


def test_a_briefing_stores_what_later_briefings_read(sample_store):
    first = render(compose_briefing(sample_store, since=june(17)), "md")
    # The theatres of earlier stories' articles (outside the period) are read from their facts
    # once, then stored; the baselines' days are stored as figures.
    before = [a.id for a in sample_store.articles(until=day_start(june(17)))]
    stored = sample_store.article_theatres(before)
    assert stored and stored == {a: article_theatre(sample_store.facts(a)) for a in stored}
    assert [f.published_day for f in sample_store.day_figures(june(1), june(16))] == sorted(
        sample_store.publication_days(june(1), june(16))
    )
    again = render(compose_briefing(sample_store, since=june(17)), "md")
    assert _undated(again) == _undated(first)


def _undated(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if "generated" not in line]


def test_topic_keeps_only_matching_articles(sample_store):
    briefing = compose_briefing(sample_store, topic="Odesa")
    toll_url = death_toll_rises().article.url
    assert briefing.title == "Situation report: Odesa, 18 June 2025"
    assert {c.url for c in briefing.citations if c.kind == "article"} == {toll_url}


def test_no_articles_in_the_period_says_what_to_do(sample_store):
    with pytest.raises(
        WatchfloorError, match="no articles published in 1\u20132 July 2025; ingest"
    ):
        compose_briefing(sample_store, since=date(2025, 7, 1), until=date(2025, 7, 2))


def test_an_empty_store_says_what_to_do(store):
    with pytest.raises(WatchfloorError, match="no articles in the store; ingest articles first"):
        compose_briefing(store)


def test_a_bad_catalog_stops_the_briefing(sample_store, tmp_path):
    catalog = tmp_path / "prep.toml"
    catalog.write_text('[[entry]]\nkeys = ["strikes"]\nheading = "x"\nactions = ["a", "b"]\n')
    with pytest.raises(CatalogError, match="unknown taxonomy key"):
        compose_briefing(sample_store, preparedness_path=catalog)


def test_a_custom_catalog_is_used(sample_store, tmp_path):
    catalog = tmp_path / "prep.toml"
    catalog.write_text(
        '[[entry]]\nkeys = ["hybrid_maritime"]\nheading = "Cables"\n'
        'actions = ["keep a radio", "keep cash"]\n'
    )
    briefing = compose_briefing(sample_store, preparedness_path=catalog)
    items = briefing.section("preparedness").items
    assert [(i.heading, i.actions) for i in items] == [("Cables", ["keep a radio", "keep cash"])]


def test_articles_without_sentences_do_not_stop_the_briefing(sample_store):
    from tests.brief.corpus import ArticleBuilder, at

    stub = ArticleBuilder(
        "https://wire.example/stub", "Imported without text", "Wire", at(19, 12), ["Nothing."]
    )
    stub.facts.sentences = []  # what an imported record without text stores
    sample_store.add([stub.build()])
    briefing = compose_briefing(sample_store)
    assert ungrounded(briefing) == []
    assert "Imported without text" not in [r.title for r in briefing.section("related").items]
