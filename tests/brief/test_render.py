from __future__ import annotations

import json
import re

import pytest

from tests.brief.corpus import ArticleBuilder, at, june
from watchfloor.brief import FORMATS, compose_briefing, render
from watchfloor.brief.records import SECTION_HEADINGS, SECTION_ORDER
from watchfloor.errors import WatchfloorError

MARKER = re.compile(r"(?<!\\)\[(\d+)\]")
DATE_LINE = re.compile(r"^- \*\*(\d{1,2} [A-Z][a-z]+ \d{4})\*\*:(.*)$")

TITLE_PAYLOAD = "<script>alert(1)</script>"
SENTENCE_PAYLOAD = "<img src=x onerror=alert(2)>"
QUOTE_PAYLOAD = "<script>alert(3)</script>"


def section_lines(markdown: str, heading: str) -> list[str]:
    body = markdown.split(f"## {heading}\n", 1)[1]
    return [line for line in body.split("\n## ", 1)[0].splitlines() if line.strip()]


@pytest.fixture
def briefing(sample_store):
    return compose_briefing(sample_store)


def test_every_format_shows_every_section_in_order(briefing):
    markdown = render(briefing, "md")
    positions = [markdown.index(f"\n## {h}\n") for h in SECTION_HEADINGS.values()]
    assert positions == sorted(positions)
    html = render(briefing, "html")
    assert re.findall(r'<section id="(\w+)">', html) == list(SECTION_ORDER)
    positions = [
        html.index(f"<h2>{h.replace('&', '&amp;')}</h2>") for h in SECTION_HEADINGS.values()
    ]
    assert positions == sorted(positions)
    data = json.loads(render(briefing, "json"))
    assert [s["key"] for s in data["sections"]] == list(SECTION_ORDER)


def test_every_markdown_marker_resolves_to_a_stored_sentence(briefing, sample_store):
    markdown = render(briefing, "md")
    body, sources = markdown.split("\n## Sources\n")
    used = {int(n) for n in MARKER.findall(body)}
    assert used == {c.number for c in briefing.citations}
    for c in briefing.citations:
        assert sample_store.sentence(c.article_id, c.sentence_index).text == c.sentence_text
        assert f"\n{c.number}. {c.source}: *{c.title}*" in sources
        assert f"\u201c{c.sentence_text}\u201d" in sources


def test_every_key_development_in_markdown_has_a_date_and_a_citation(briefing):
    lines = section_lines(render(briefing, "md"), "Key Developments & Timeline")
    entries = 0
    day = None
    for line in lines:
        dated = DATE_LINE.match(line)
        if dated:
            day, text = dated.groups()
            if text.strip():  # a lone development sits on its date line
                assert MARKER.search(text), line
                entries += 1
        else:
            assert line.startswith("  - ") and day and MARKER.search(line), line
            entries += 1
    assert entries == len(briefing.section("developments").items)
    assert [m.group(1) for line in lines if (m := DATE_LINE.match(line))] == [
        "10 June 2025",
        "17 June 2025",
    ]


def test_markdown_lays_out_quotes_preparedness_and_related(briefing):
    markdown = render(briefing, "md")
    assert (
        "- **Ursula von der Leyen**, President of the European Commission: "
        "\u201cEurope will not be blackmailed with energy again\u201d [" in markdown
    )
    assert "- **Vitali Klitschko**, Mayor: Rescuers were still searching the rubble [" in markdown
    assert "### Air strikes and shelling\n\nThe death toll from the overnight" in markdown
    assert "- Know the nearest shelter" in markdown
    assert "- *Warm week ahead for Kyiv*, Northern Ledger, 12 June 2025 [" in markdown
    assert "- **17 June 2025**:\n  - The death toll from the overnight" in markdown


def test_html_is_one_self_contained_page_with_linked_markers(briefing):
    html = render(briefing, "html")
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"\bsrc=\"", html)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("#src-", "https://")) for h in hrefs)
    for c in briefing.citations:
        assert f'<li id="src-{c.number}" value="{c.number}">' in html
        assert f'<a class="cite" href="#src-{c.number}">[{c.number}]</a>' in html


def test_json_is_the_documented_dict(briefing):
    data = json.loads(render(briefing, "json"))
    assert data["schema_version"] == 1
    assert data["period_start"] == "2025-06-10" and data["period_end"] == "2025-06-19"
    assert len(data["citations"]) == len(briefing.citations)
    developments = data["sections"][SECTION_ORDER.index("developments")]["items"]
    assert developments[0]["kind"] == "bullet" and developments[0]["date"] == "2025-06-10"
    first = briefing.section("developments").items[0].statements[0]
    assert developments[0]["statements"][0] == {
        "text": first.text,
        "citations": first.citations,
        "composed": False,
    }
    quote = data["sections"][SECTION_ORDER.index("statements")]["items"][0]
    assert set(quote) == {"kind", "speaker", "role", "text", "direct", "citation"}


def test_an_unknown_format_is_refused(briefing):
    assert FORMATS == ("md", "html", "json")
    with pytest.raises(WatchfloorError, match="unknown briefing format 'pdf'"):
        render(briefing, "pdf")


@pytest.fixture
def planted_store(store):
    b = ArticleBuilder(
        "javascript:alert(4)",
        f"Kyiv attack {TITLE_PAYLOAD}",
        "Harbour Post",
        at(17),
        [
            f"Russia struck Kyiv {SENTENCE_PAYLOAD} overnight, killing at least 14 people.",
            f'"We will rebuild {QUOTE_PAYLOAD} every home," said Vitali Klitschko, the mayor.',
        ],
    )
    b.event(0, "strike_missile", "struck", june(17), "Kyiv")
    b.quote(1, f"We will rebuild {QUOTE_PAYLOAD} every home,", "Vitali Klitschko", "the mayor")
    store.add([b.build()])
    return store


def test_html_escapes_every_article_string(planted_store):
    html = render(compose_briefing(planted_store), "html")
    for payload in (TITLE_PAYLOAD, SENTENCE_PAYLOAD, QUOTE_PAYLOAD):
        assert payload not in html
        escaped = payload.replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in html
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript:' not in html and "javascript:alert(4)" in html


def test_markdown_keeps_article_markup_as_text(planted_store):
    markdown = render(compose_briefing(planted_store), "md")
    for payload in (TITLE_PAYLOAD, SENTENCE_PAYLOAD, QUOTE_PAYLOAD):
        assert payload not in markdown
    assert r"\<script\>alert(1)\</script\>" in markdown
    assert "<javascript:" not in markdown
