"""The dashboard end to end in headless Chromium over the demo corpus: the overview, search,
a story, a briefing's citation followed to its sentence, an entity, the map and the status page.
Screenshots go to out/screenshots/. Every page must load with no script error, no console
error and no request leaving the app (everything is served locally)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.browsing import chromium, screenshot, serve, watched_page
from tests.web.conftest import copy_store
from watchfloor.config import Settings
from watchfloor.store import open_store
from watchfloor.web import worldmap


@pytest.fixture(scope="module")
def site_db(web_db, tmp_path_factory) -> Path:
    """The prepared demo store with one briefing archived, as `watchfloor brief` leaves it."""
    from watchfloor.brief import compose_briefing
    from watchfloor.brief.archive import archive_briefing

    path = copy_store(web_db, tmp_path_factory.mktemp("browser") / "site.db")
    store = open_store(path)
    try:
        archive_briefing(store, compose_briefing(store, settings=Settings(db=str(path))))
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def site(site_db) -> str:
    with serve(Settings(db=str(site_db))) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def visit(browser, site):
    """A page watched for errors; the test fails when the page logged any."""
    with watched_page(browser, site) as (page, seen):
        yield page
        assert seen.errors == [], seen.errors
        assert [c for c in seen.console if c.startswith("error")] == []
        assert seen.outside == [], f"requests left the app: {seen.outside}"


@pytest.fixture
def store(site_db):
    opened = open_store(site_db)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def top_story(site_db) -> str:
    """The title of the story most outlets covered (then most articles): the overview lists it
    first, and its key actors' pages lead to it."""
    opened = open_store(site_db)
    try:
        stories = opened.stories()
    finally:
        opened.close()
    return min(stories, key=lambda s: (-s.source_count, -s.article_count, s.title)).title


def test_overview_shows_briefing_stories_charts_alerts_and_opens_a_story(
    visit, site, store, top_story
):
    page = visit
    page.goto(site + "/")
    archived = store.briefings(limit=1)[0]
    assert page.inner_text("#latest-briefing h3") == archived.title
    assert page.inner_text("#latest-briefing .headline") == archived.headline
    first_story = page.locator("#top-stories ol > li > a").first
    assert first_story.inner_text() == top_story

    page.wait_for_selector("#indicator-chart[data-drawn='4']")
    panels = page.locator("#indicator-chart .js-plotly-plot")
    assert panels.count() == 4
    assert panels.first.locator(".scatterlayer .trace").count() >= 2
    assert "Ukraine" in panels.first.locator(".legend").text_content()

    fired = {a.rule for a in store.alert_log()}
    assert fired, "the prepared store has alerts"
    shown = set(page.locator("#alerts li > strong").all_inner_texts())
    assert shown == fired
    screenshot(page, "overview", full_page=True)

    # Open the top story.
    first_story.click()
    page.wait_for_url(re.compile(r"/stories/s-[0-9a-f]+$"))
    story = store.story(page.url.rsplit("/", 1)[1])
    assert page.inner_text("h1") == story.title == top_story
    assert page.locator("#sources ul ul > li").count() == story.article_count
    assert page.locator("#sources ul > li > strong").count() >= story.source_count
    days = page.locator("#timeline .day").all_inner_texts()
    assert days and all(re.fullmatch(r"\d{1,2} June 2025", d) for d in days)
    assert page.locator("#corroboration tbody tr").count() > 0
    screenshot(page, "story")

    page.click("#timeline a.sentence >> nth=0")
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]+#s-\d+$"))
    assert page.locator(":target").count() == 1


def test_search_finds_sentences_and_filters_them(visit, site, store):
    page = visit
    page.goto(site + "/status")
    page.fill("header input[name=q]", "deminers")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=deminers$"))
    hits = page.locator(".results > li")
    expected = store.search("deminers", limit=100)
    assert hits.count() == len(expected) > 1
    for mark in page.locator(".results mark").all_inner_texts():
        assert mark.casefold().startswith("demin")  # the stemmer matches "demining" too

    page.fill("form.filters input[name=source]", "Northern Ledger")
    page.click("form.filters button")
    page.wait_for_url(re.compile(r"source=Northern\+Ledger"))
    ledger = [h for h in expected if h.article.source == "The Northern Ledger"]
    assert page.locator(".results > li").count() == len(ledger) > 0
    for meta in page.locator(".results > li .meta").all_inner_texts():
        assert meta.startswith("The Northern Ledger")
    screenshot(page, "search")


def test_briefing_citation_opens_the_cited_sentence(visit, site, store):
    page = visit
    archived = store.briefings(limit=1)[0]
    page.goto(site + "/briefings")
    page.click(f"table.archive a:text-is('{archived.title}')")
    page.wait_for_url(re.compile(rf"/briefings/{archived.id}$"))
    citations = archived.document["citations"]
    assert page.locator("#sources ol.sources > li").count() == len(citations)
    screenshot(page, "briefing")

    marker = page.locator("#headline a.cite").first
    number = int(marker.inner_text().strip("[]"))
    cited = next(c for c in citations if c["number"] == number)
    marker.click()
    page.wait_for_url(re.compile(rf"/articles/{cited['article_id']}#s-{cited['sentence_index']}$"))
    target = page.locator(":target")
    assert target.get_attribute("id") == f"s-{cited['sentence_index']}"
    assert target.inner_text().endswith(cited["sentence_text"])
    assert page.inner_text("h1") == cited["title"]
    screenshot(page, "article")


def test_entity_page_lists_mentions_and_stories(visit, site, top_story):
    page = visit
    page.goto(site + "/entity?name=Vitali+Klitschko")
    assert page.inner_text("h1") == "Vitali Klitschko"
    assert page.locator("#entity-articles a.sentence").count() > 0
    for sentence in page.locator("#entity-articles a.sentence").all_inner_texts():
        assert "Klitschko" in sentence
    assert top_story in page.locator("#entity-stories").inner_text()


def test_map_draws_natural_earth_countries_and_event_markers(visit, site):
    page = visit
    page.goto(site + "/map")
    countries = worldmap.world_countries()
    assert countries, "the Natural Earth shapes are installed (make venv)"
    assert page.locator("#shapes-missing").count() == 0
    assert page.locator("#world-map path.country").count() == len(countries)
    markers = page.locator("#world-map circle.marker")
    assert markers.count() == page.locator("#places > ol > li").count() > 5
    kyiv = page.locator("#places > ol > li", has=page.locator("strong:text-is('Kyiv')"))
    assert kyiv.count() == 1
    # Ukraine, where most events happened, is shaded darkest.
    assert page.get_attribute("#world-map path[data-code='UA']", "class") == "country c5"
    screenshot(page, "map")

    # Zoomed to where the events are (Europe to Korea), the whole world one click away.
    x, y, width, height = map(float, page.get_attribute("#world-map", "viewBox").split())
    assert width < worldmap.WIDTH and width / height == pytest.approx(2.5, rel=1e-3)
    assert x + width <= worldmap.WIDTH and y + height <= worldmap.HEIGHT
    marker = kyiv.get_attribute("id")
    page.click(f"#world-map a[href='#{marker}']")
    page.wait_for_url(re.compile(rf"/map#{marker}$"))
    page.click("figure.map a:text-is('Whole world')")
    page.wait_for_url(re.compile(r"/map\?.*world=1"))
    whole = f"0.0 0.0 {worldmap.WIDTH:.1f} {worldmap.HEIGHT:.1f}"
    assert page.get_attribute("#world-map", "viewBox") == whole


def test_status_page_shows_store_and_rejects(visit, site, store):
    page = visit
    page.goto(site + "/status")
    rows = page.locator("#store tr")
    assert rows.count() == len(store.stats())
    assert page.inner_text("#rejects .none") == "Nothing was rejected."
