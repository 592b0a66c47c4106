"""The briefing on the bundled demo corpus, read the way an editor would check it."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.brief.walk import statements, texts
from watchfloor.brief import compose_briefing, render
from watchfloor.brief.records import QuoteItem
from watchfloor.cli import demo_paths
from watchfloor.config import Settings
from watchfloor.pipeline import ingest_paths
from watchfloor.store import open_store

TALLY = re.compile(r"\(\d+ of \d+ articles, \d+ outlets?\)")
NUMBER = re.compile(r"\d[\d,.]*\d|\d")
MARKER = re.compile(r"(?<!\\)\[(\d+)\]")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("demo") / "demo.db")
    report = ingest_paths(demo_paths(), store, Settings())
    assert not report.rejects
    yield store, compose_briefing(store)
    store.close()


def test_every_marker_resolves_to_the_stored_sentence(demo):
    store, briefing = demo
    markdown = render(briefing, "md")
    body = markdown.split("\n## Sources\n")[0]
    assert {int(n) for n in MARKER.findall(body)} == {c.number for c in briefing.citations}
    for c in briefing.citations:
        assert store.sentence(c.article_id, c.sentence_index).text == c.sentence_text


def test_quoted_sentences_are_the_sources_words(demo):
    _, briefing = demo
    by_number = {c.number: c for c in briefing.citations}
    for s in statements(briefing):
        assert s.citations
        if not s.composed:  # verbatim, less a wire dateline at most
            assert by_number[s.citations[0]].sentence_text.endswith(s.text)


def test_composed_sentences_state_only_figures_their_sources_state(demo):
    _, briefing = demo
    by_number = {c.number: c for c in briefing.citations}
    composed = [s for s in statements(briefing) if s.composed]
    assert len(composed) >= 3
    for s in composed:
        cited = " ".join(by_number[n].sentence_text for n in s.citations)
        for number in NUMBER.findall(TALLY.sub("", s.text)):
            assert number in cited, (number, s.text)
    assert "The reported death toll in Kyiv rose from at least 14 to 28." in texts(
        briefing, "conclusion"
    )


def test_the_timeline_holds_the_periods_events_on_their_days(demo):
    _, briefing = demo
    bullets = briefing.section("developments").items
    assert all(b.date and b.statements and b.statements[0].citations for b in bullets)
    assert [b.date for b in bullets] == sorted(b.date for b in bullets)
    by_day = {(b.date, b.statements[0].text) for b in bullets}

    def reported(day: int, *words: str) -> bool:
        return any(d == date(2025, 6, day) and all(w in t for w in words) for d, t in by_day)

    assert reported(2, "Istanbul")
    assert reported(16, "440 drones and 32 missiles")
    assert reported(17, "1,000 deminers")
    assert reported(17, "Russian gas")
    assert reported(18, "death toll", "28")
    assert reported(19, "Ottawa Convention")
    assert reported(19, "Xi Jinping")
    assert reported(19, "exchange of prisoners")
    # One bullet per fact: the four reports of Finland's vote appear once.
    assert sum("Ottawa" in t for _, t in by_day) == 1


def test_statements_come_from_named_officials_and_analysts(demo):
    _, briefing = demo
    quotes = [q for q in briefing.section("statements").items if isinstance(q, QuoteItem)]
    speakers = {q.speaker: q.role for q in quotes}
    assert speakers["Dmitry Peskov"] == "Kremlin spokesman"
    assert "Vitali Klitschko" in speakers
    assert all(q.role for q in quotes)
    assert len(speakers) == len(quotes)  # one statement per speaker


def test_preparedness_answers_the_threats_reported(demo):
    _, briefing = demo
    headings = [i.heading for i in briefing.section("preparedness").items]
    assert headings[0] == "Air strikes and shelling"
    assert "Sabotage and interference at sea" in headings


def test_the_html_page_escapes_and_links_every_marker(demo):
    _, briefing = demo
    html = render(briefing, "html")
    assert "<script" not in html
    for c in briefing.citations:
        assert f'href="#src-{c.number}"' in html and f'id="src-{c.number}"' in html
