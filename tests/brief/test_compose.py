from __future__ import annotations

import re
from datetime import date

import pytest

from tests.brief.corpus import death_toll_rises, june
from tests.brief.walk import statements, texts
from watchfloor.brief import compose_briefing
from watchfloor.brief.records import SECTION_ORDER, Bullet, QuoteItem, RelatedItem
from watchfloor.errors import CatalogError, WatchfloorError

# Our own tallies in composed sentences; every other figure must come from a cited sentence.
TALLY = re.compile(r"\(\d+ of \d+ articles, \d+ outlets?\)")
NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def test_sections_come_in_the_issue_order(sample_store):
    briefing = compose_briefing(sample_store)
    assert tuple(s.key for s in briefing.sections) == SECTION_ORDER
    assert [s.heading for s in briefing.sections] == [
        "Headline",
        "Summary",
        "Background & Context",
        "Key Developments & Timeline",
        "Official Statements & Analysis",
        "Conclusion",
        "Preparedness",
        "Related",
        "Sources",
    ]
    assert briefing.title == "Situation report, 10\u201319 June 2025"
    assert (briefing.period_start, briefing.period_end) == (june(10), june(19))


def test_citations_are_numbered_by_first_use_and_hold_the_stored_sentence(sample_store):
    briefing = compose_briefing(sample_store)
    assert [c.number for c in briefing.citations] == list(range(1, len(briefing.citations) + 1))
    keys = [(c.article_id, c.sentence_index) for c in briefing.citations]
    assert len(set(keys)) == len(keys)  # one number per sentence
    for c in briefing.citations:
        stored = sample_store.sentence(c.article_id, c.sentence_index)
        assert stored is not None and stored.text == c.sentence_text
        article = sample_store.article(c.article_id)
        assert (c.title, c.source, c.url) == (article.title, article.source, article.url)
    first_use: list[int] = []
    for section in briefing.sections:
        for item in section.items:
            if isinstance(item, QuoteItem | RelatedItem):
                numbers = [item.citation]
            elif hasattr(item, "evidence"):
                numbers = item.evidence.citations
            else:
                numbers = [n for s in item.statements for n in s.citations]
            first_use += [n for n in numbers if n not in first_use]
    assert first_use == sorted(first_use) == [c.number for c in briefing.citations]


def test_every_statement_is_cited_and_verbatim_ones_are_their_sentence(sample_store):
    briefing = compose_briefing(sample_store)
    by_number = {c.number: c for c in briefing.citations}
    found = list(statements(briefing))
    assert found
    for s in found:
        assert s.citations, s.text
        if not s.composed:
            assert len(s.citations) == 1
            assert by_number[s.citations[0]].sentence_text == s.text


def test_composed_sentences_state_only_figures_from_their_cited_sentences(sample_store):
    briefing = compose_briefing(sample_store)
    by_number = {c.number: c for c in briefing.citations}
    composed = [s for s in statements(briefing) if s.composed]
    assert composed
    for s in composed:
        cited = " ".join(by_number[n].sentence_text for n in s.citations)
        for number in NUMBER.findall(TALLY.sub("", s.text)):
            assert number in cited, (number, s.text)


def test_key_developments_are_dated_cited_oldest_first_without_wire_repeats(sample_store):
    briefing = compose_briefing(sample_store)
    bullets = briefing.section("developments").items
    assert all(isinstance(b, Bullet) and b.precision == "day" for b in bullets)
    assert all(b.statements and all(s.citations for s in b.statements) for b in bullets)
    # One bullet per happening: the day's attack in its best sentence, then the gas plan; the
    # 18 June toll had one outlet and stays off the timeline.
    assert [(b.date, b.statements[0].text[:30]) for b in bullets] == [
        (june(10), "Russia and Ukraine exchanged w"),
        (june(17), "The death toll from the overni"),
        (june(17), "The European Commission on 17 "),
    ]
    # The prisoner exchange is reported twice in nearly the same words: it is listed once.
    exchange = [t for t in texts(briefing, "developments") if "prisoners of war" in t]
    assert exchange == [
        "Russia and Ukraine exchanged wounded prisoners of war on 10 June under the Istanbul "
        "agreements."
    ]


def test_conclusion_follows_the_rising_death_toll_and_looks_ahead(sample_store):
    briefing = compose_briefing(sample_store)
    by_number = {c.number: c for c in briefing.citations}
    conclusion = list(statements(briefing, "conclusion"))
    toll = next(s for s in conclusion if "death toll" in s.text)
    assert toll.text == "The reported death toll in Kyiv rose from at least 14 to 28."
    assert {by_number[n].sentence_text[:30] for n in toll.citations} == {
        "Russia struck Kyiv with missil",
        "The death toll from the Russia",
    }
    assert conclusion[-1].text == "NATO leaders are due to meet in The Hague on 24 June."
    assert texts(briefing, "background") == [
        "Talks in Istanbul on 2 June ended without a ceasefire."
    ]


def test_statements_name_speaker_and_role(sample_store):
    briefing = compose_briefing(sample_store)
    quotes = briefing.section("statements").items
    assert [(q.speaker, q.role, q.direct) for q in quotes] == [
        ("Ursula von der Leyen", "President of the European Commission", True),
        ("Andrii Sybiha", "Ukraine's foreign minister", True),
        ("Vitali Klitschko", "Mayor", False),
    ]
    assert quotes[0].text == "Europe will not be blackmailed with energy again"


def test_related_lists_articles_no_section_used_by_their_lead(sample_store):
    briefing = compose_briefing(sample_store)
    related = briefing.section("related").items
    assert [(r.title, r.source, r.published) for r in related] == [
        ("Warm week ahead for Kyiv", "Northern Ledger", june(12)),
        ("Brussels sets out plan to stop buying Russian gas", "Harbour Post", june(17)),
    ]
    cited = briefing.citations[related[0].citation - 1]
    assert cited.sentence_index == 0 and cited.sentence_text.startswith("Kyiv expects")


def test_preparedness_lists_only_threats_present_most_reported_first(sample_store):
    briefing = compose_briefing(sample_store)
    items = briefing.section("preparedness").items
    assert [i.heading for i in items] == [
        "Air strikes and shelling",
        "Energy supply and prices",
        "Helping people affected",
        "Sabotage and interference at sea",
    ]
    strikes = items[0]
    assert strikes.categories == ["strike_missile", "casualties", "strike_drone"]
    # The evidence is a reported sentence, cited: a strike sentence for the strike advice.
    assert strikes.evidence.text.startswith("The death toll from the overnight Russian missile")
    assert not strikes.evidence.composed and strikes.evidence.citations
    assert all(2 <= len(i.actions) <= 4 and i.evidence.citations for i in items)


def test_since_and_until_bound_the_period_by_publication_day(sample_store):
    later = compose_briefing(sample_store, since=june(17))
    assert later.period_start == june(17)
    assert {b.date for b in later.section("developments").items} == {june(17)}
    assert "prisoners" not in " ".join(c.sentence_text for c in later.citations)
    earlier = compose_briefing(sample_store, until=june(17))
    assert earlier.period_end == june(17)
    assert {b.date for b in earlier.section("developments").items} == {june(10), june(17)}
    assert {c.source for c in earlier.citations} == {
        "Harbour Post",
        "Continental Wire",
        "Northern Ledger",
    }


def test_topic_keeps_only_matching_articles(sample_store):
    briefing = compose_briefing(sample_store, topic="Odesa")
    toll_url = death_toll_rises().article.url
    assert briefing.title == "Situation report: Odesa, 18 June 2025"
    assert {c.url for c in briefing.citations} == {toll_url}


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
