"""Nothing from an article runs in a reader's browser: articles carrying script payloads in
every field (title, text, outlet, URL, quotes, names, events), a source, a reject and an alert
carrying them too, and every page that shows them opened in headless Chromium. A payload that
ran would set ``window.__xss``, log to the console or open a dialog; none may, no element may
carry an injected event handler or ``javascript:`` link, and the payloads must read as text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.brief.corpus import ArticleBuilder, at, june
from tests.web.browsing import chromium, screenshot, serve, watched_page
from watchfloor.config import Settings
from watchfloor.model import Mention, Reject
from watchfloor.store import open_store
from watchfloor.store.base import AlertRecord

SCRIPT = "<script>window.__xss='script';console.log('XSS-RAN script')</script>"
IMG = "<img src=x onerror=\"window.__xss='img';console.log('XSS-RAN img')\">"
SVG = "<svg onload=\"window.__xss='svg';alert('XSS-RAN svg')\"></svg>"
LINK = "<a href=\"javascript:window.__xss='link'\">open</a>"
ATTRIBUTE = '" autofocus onfocus="window.__xss=\'attribute\'" data-x="'
JS_URL = "javascript:window.__xss='url';alert('XSS-RAN url')"
PAYLOADS = (SCRIPT, IMG, SVG, LINK, ATTRIBUTE)

SPEAKER = f"Olena {IMG}Petrenko"
TITLE = f"Drone strike on Kyiv {SCRIPT}"
OUTLET = f"Harbour Post {SVG}"
INGESTED_OUTLET = f"Kyiv Wire {LINK}"

# Evaluated in each page: whatever escaping missed would show up here.
INJECTED = """() => ({
    xss: window.__xss === undefined ? null : String(window.__xss),
    handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
        .filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
    jsLinks: [...document.querySelectorAll('[href], [src], [action]')].map(e =>
        e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))
        .filter(v => /^\\s*javascript:/i.test(v)),
    inlineScripts: [...document.scripts].filter(s => !s.src && s.type !== 'application/json')
        .length,
    images: document.images.length,
})"""


def _payload_articles() -> list[ArticleBuilder]:
    strike = ArticleBuilder(
        f'https://harbour-post.example/kyiv?q="><script>alert(1)</script>&x={ATTRIBUTE}',
        TITLE,
        OUTLET,
        at(17, 8),
        [
            f"Russia struck Kyiv with drones {IMG} overnight, killing at least 14 people, "
            "city officials said.",
            f'"We will rebuild {SVG} every home," said {SPEAKER}, a resident of Kyiv.',
            f"The attack on 17 June {LINK} damaged a power station {ATTRIBUTE} in Kyiv.",
        ],
    )
    killed = strike.count(0, "at least 14 people", 14, "killed", "people", approx="at least")
    strike.event(0, "strike_drone", f"drones {IMG}", june(17), "Kyiv", [killed])
    strike.event(2, "strike_drone", "attack", june(17), f"Kyiv {SCRIPT}")
    strike.time(0, "overnight", june(17)).time(2, "17 June", june(17))
    strike.quote(1, f"We will rebuild {SVG} every home,", SPEAKER, f"a resident {SCRIPT}")
    start, end = strike.span(1, SPEAKER)
    strike.facts.mentions.append(Mention(SPEAKER, "PERSON", start, end, 1))
    strike.facts.events[0].actors = [f"Russia {SVG}"]

    toll = ArticleBuilder(
        JS_URL,
        f"Kyiv toll rises {SVG}",
        f"Dnipro Daily {SCRIPT}",
        at(18, 10),
        [
            f"The death toll from the Russian drone attack on Kyiv rose to 23 {SCRIPT} on "
            "18 June, officials said.",
            f'"Nobody slept {IMG} last night," said {SPEAKER}.',
        ],
    )
    rose = toll.count(0, "23", 23, "killed", "death toll", update=True)
    toll.event(0, "casualties", "death toll", june(18), "Kyiv", [rose])
    toll.time(0, "18 June", june(18))
    toll.quote(1, f"Nobody slept {IMG} last night,", SPEAKER, None)
    start, end = toll.span(1, SPEAKER)
    toll.facts.mentions.append(Mention(SPEAKER, "PERSON", start, end, 1))
    return [strike, toll]


def _payload_feed(folder: Path) -> Path:
    """Articles as a JSON Lines file, for the real ingestion path: readers and extraction."""
    rows = [
        {
            "url": f'https://kyiv-wire.example/damage?id="><svg/onload=alert(1)>&s={SCRIPT}',
            "title": f"Kyiv counts the damage {LINK}",
            "source": INGESTED_OUTLET,
            "published": "2025-06-18T12:00:00+03:00",
            "text": (
                f"KYIV, June 18 - Rescuers {SVG} searched the rubble of a nine-storey building "
                f"in Kyiv on Wednesday after the Russian drone attack, officials said.\n\n"
                f'"Nobody here has slept {IMG} since Monday," said Mykola Hrytsenko, a rescuer '
                f"in Kyiv {ATTRIBUTE}."
            ),
        },
        {
            "url": JS_URL,
            "title": f"Not an address {SCRIPT}",
            "source": "Nowhere",
            "published": "2025-06-18T13:00:00+03:00",
            "text": "This article has no address a reader could follow, so it is rejected.",
        },
    ]
    path = folder / "payloads.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def xss_db(tmp_path_factory) -> Path:
    """A fresh store holding the payload articles (one ingested from a file, extraction
    included; two stored with hand-placed facts, so that every kind of fact carries a payload),
    a story, an archived briefing, a source, a reject and an alert, all carrying payloads."""
    from watchfloor.analyze.stories import update_stories
    from watchfloor.brief import compose_briefing
    from watchfloor.brief.archive import archive_briefing
    from watchfloor.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("xss")
    path = folder / "xss.db"
    settings = Settings(db=str(path))
    store = open_store(path)
    try:
        report = ingest_paths([_payload_feed(folder)], store, settings)
        assert report.added == 1
        assert [r.reason for r in report.rejects] == [f'unsupported URL "{JS_URL}"']
        built = _payload_articles()
        assert len(store.add([b.build() for b in built]).added) == len(built)
        store.add_rejects([Reject(f"feed-{SCRIPT}.xml", f"unreadable {IMG}", "0" * 64, SVG)])
        store.add_source(f"https://feeds.example/{SCRIPT}", "feed", title=f"Feed {IMG}")
        article = built[0].article
        evidence = {
            "article_id": article.id,
            "title": article.title,
            "outlet": article.source,
            "url": article.url,
            "published": article.published.isoformat(),
            "sentence_index": 0,
            "sentence": built[0].facts.sentences[0].text,
        }
        store.record_alert(
            AlertRecord(
                rule=f"kyiv-strikes {SCRIPT}",
                theatre="UA",
                day=june(17),
                fired_at=datetime(2025, 6, 17, 20, tzinfo=UTC),
                metric="strikes",
                category="any",
                value=2,
                threshold=1,
                payload={"outlets": [OUTLET], "evidence": [evidence]},
                deliveries=[],
            )
        )
        update_stories(store, settings)
        archive_briefing(store, compose_briefing(store, settings=settings))
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def site(xss_db):
    with serve(Settings(db=str(xss_db))) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _pages(xss_db: Path) -> list[str]:
    """Every page that shows something from the payload articles."""
    store = open_store(xss_db)
    try:
        articles = store.articles()
        stories = store.stories()
        briefings = store.briefings()
    finally:
        store.close()
    assert len(articles) == 3 and stories and briefings
    return [
        "/",
        "/search?" + urlencode({"q": "Kyiv"}),
        "/search?" + urlencode({"q": "slept", "source": "Dnipro"}),
        "/search?" + urlencode({"q": "rubble", "source": "Kyiv Wire"}),
        "/search?" + urlencode({"q": ATTRIBUTE, "source": SCRIPT, "theatre": IMG, "until": SVG}),
        *(f"/articles/{a.id}" for a in articles),
        *(f"/stories/{s.id}" for s in stories),
        "/entity?" + urlencode({"name": SPEAKER}),
        "/entity?" + urlencode({"name": SCRIPT}),
        "/briefings",
        *(f"/briefings/{b.id}" for b in briefings),
        "/briefings/current?" + urlencode({"topic": "Kyiv"}),
        "/map?" + urlencode({"since": "2025-06-01", "until": "2025-06-30"}),
        "/map?" + urlencode({"category": ATTRIBUTE, "source": SCRIPT}),
        "/status",
    ]


def test_no_payload_runs_on_any_page(browser, site, xss_db):
    ran: dict[str, dict] = {}
    shown = ""
    missing = 0  # pages answering 404 (an entity no article names): the browser logs each
    with watched_page(browser, site) as (page, seen):
        for path in _pages(xss_db):
            response = page.goto(site + path)
            assert response.status in (200, 404), path
            missing += response.status == 404
            page.mouse.move(200, 200)  # hover handlers would fire on the way
            found = page.evaluate(INJECTED)
            if found["xss"] or found["handlers"] or found["jsLinks"] or found["inlineScripts"]:
                ran[path] = found
            assert found["images"] == 0, f"{path}: an <img> from an article was rendered"
            shown += page.inner_text("body")
            if path.startswith("/articles/"):
                screenshot(page, "xss-article")
        assert ran == {}
        assert seen.dialogs == []
        assert [c for c in seen.console if "XSS-RAN" in c] == []
        not_found = "error: Failed to load resource: the server responded with a status of 404"
        errors = [c for c in seen.console if c.startswith("error")]
        assert errors == [f"{not_found} (Not Found)"] * missing
        assert seen.errors == [] and seen.outside == []
    # Each payload is shown as the text it is.
    for payload in (*PAYLOADS, SPEAKER, TITLE, OUTLET, INGESTED_OUTLET, JS_URL):
        assert payload in shown, payload


def test_article_page_shows_each_field_as_text(browser, site, xss_db):
    store = open_store(xss_db)
    try:
        strike = next(a for a in store.articles() if a.title == TITLE)
        toll = next(a for a in store.articles() if a.url == JS_URL)
    finally:
        store.close()
    with watched_page(browser, site) as (page, _):
        page.goto(f"{site}/articles/{strike.id}")
        assert page.inner_text("h1") == TITLE
        assert page.inner_text("#s-1").endswith(f'"We will rebuild {SVG} every home," said '
                                                 f"{SPEAKER}, a resident of Kyiv.")  # fmt: skip
        assert OUTLET in page.inner_text(".source-article .meta")
        assert page.locator("a.outside").get_attribute("href") == strike.url
        assert page.locator("#quotes a.entity").first.inner_text() == SPEAKER

        page.goto(f"{site}/articles/{toll.id}")
        # A javascript: address is shown, never linked.
        assert page.locator("a.outside").count() == 0
        assert page.inner_text(".source-article .url") == JS_URL
