from __future__ import annotations

import json
import re

import jsonschema
import pytest

from tests.brief.corpus import ArticleBuilder, at, june
from watchfloor.brief import FORMATS, briefing_from_dict, compose_briefing, render
from watchfloor.brief.records import SECTION_HEADINGS, SECTION_ORDER
from watchfloor.brief.render.json import briefing_schema
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


def test_every_markdown_marker_resolves_to_a_source(briefing, sample_store):
    markdown = render(briefing, "md")
    body, sources = markdown.split("\n## Sources\n")
    used = {int(n) for n in MARKER.findall(body)}
    assert used == {c.number for c in briefing.citations}
    for c in briefing.citations:
        assert f"\n{c.number}. {c.source}: *{c.title}*" in sources
        assert f"\u201c{c.sentence_text}\u201d" in sources


def test_every_key_development_in_markdown_has_a_date_and_a_citation(briefing):
    lines = section_lines(render(briefing, "md"), "Key Developments & Timeline")
    entries, day = 0, None
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
    assert [m.group(1) for line in lines if (m := DATE_LINE.match(line))][0] == "10 June 2025"


def test_markdown_lays_out_quotes_trends_preparedness_stories_and_notes(briefing):
    markdown = render(briefing, "md")
    assert (
        "- **Ursula von der Leyen**, President of the European Commission: "
        "\u201cEurope will not be blackmailed with energy again\u201d [" in markdown
    )
    assert "  _On 17 June 2025 Ursula von der Leyen was President of the European " in markdown
    assert "- **Vitali Klitschko**, Mayor: Rescuers were still searching the rubble [" in markdown
    assert "### Air strikes and shelling\n\n_3 articles in the period, rising_\n\n" in markdown
    assert "- Know the nearest shelter" in markdown
    assert "- *Warm week ahead for Kyiv* (12 June 2025; 1 article, 1 source) [" in markdown
    assert "- **Single source**: Reported by Harbour Post alone: " in markdown


def test_html_is_one_self_contained_page_with_linked_markers(briefing):
    html = render(briefing, "html")
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"\bsrc=\"", html)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("#src-", "#day-", "https://")) for h in hrefs)
    for c in briefing.citations:
        assert f'<li id="src-{c.number}" value="{c.number}">' in html
        assert f'<a class="cite" href="#src-{c.number}">[{c.number}]</a>' in html


def test_json_validates_against_the_schema_and_reads_back(briefing):
    data = json.loads(render(briefing, "json"))
    assert data["schema_version"] == 2
    assert data["period_start"] == "2025-06-10" and data["period_end"] == "2025-06-19"
    jsonschema.Draft202012Validator.check_schema(briefing_schema())
    jsonschema.validate(data, briefing_schema(), format_checker=jsonschema.FormatChecker())
    first = briefing.section("developments").items[0].statements[0]
    developments = data["sections"][SECTION_ORDER.index("developments")]["items"]
    assert developments[0]["statements"][0] == {
        "text": first.text,
        "citations": first.citations,
        "composed": False,
        "derived": [],
    }
    assert briefing_from_dict(data) == briefing


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("top", {"schema_version": 1}),
        ("top", {"headline": None}),
        ("citation", {"kind": "web"}),
        ("citation", {"extra": 1}),
    ],
)
def test_the_schema_refuses_what_the_briefing_never_writes(briefing, where, change):
    data = json.loads(render(briefing, "json"))
    if where == "top":
        data.update(change)
    else:
        data["citations"][0].update(change)
    assert not jsonschema.Draft202012Validator(briefing_schema()).is_valid(data)


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


def test_charts_are_inline_svg_with_escaped_labels():
    from datetime import date, timedelta

    from watchfloor.brief.records import Bullet, Statement, TrendItem
    from watchfloor.brief.render.charts import sparkline, timeline_chart

    days = [date(2025, 6, 15) + timedelta(days=n) for n in range(4)]
    trend = TrendItem(
        "UA", "<Ukraine>", "strikes", days, [0, 2, 8, 1], 0.5, Statement("x", [1], True)
    )
    svg = str(sparkline(trend))
    assert svg.startswith('<svg class="sparkline"') and "&lt;Ukraine&gt;" in svg
    assert "<Ukraine>" not in svg and 'points="0.0,26.0 40.0,20.0 80.0,2.0 120.0,23.0"' in svg
    bullets = [Bullet([Statement("a", [1])], days[0], "day", 4, 2)]
    bullets.append(Bullet([Statement("b", [2])], days[3], "day", 2, 1))
    chart = str(timeline_chart(bullets))
    assert chart.count("<rect") == 2 and chart.count('href="#day-') == 2
    assert "<title>15 June 2025: 4 articles naming the day</title>" in chart
    assert str(timeline_chart([])) == ""
