"""Fetch passes and the watch loop against a real server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import select
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime

import pytest

from tests.ingest.httpserver import LoopbackServer, Reply
from tests.ingest.newsroom import CABLE, GDANSK, PATROL, STORIES, Story, feed, item, rss
from tests.store.pg import location
from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.ingest.fetch import Fetcher, FetchOptions
from watchfloor.ingest.poll import fetch_all, parse_duration, watch
from watchfloor.model import Reject

RSS = "application/rss+xml"
FAST = FetchOptions(
    allow_private=True,
    connect_timeout=1.0,
    read_timeout=0.5,
    total_timeout=3.0,
    host_interval=0.0,
    backoff=0.01,
)
SETTINGS = Settings()


@pytest.fixture
def server():
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def client():
    with Fetcher(FAST) as fetcher:
        yield fetcher


def serve_stories(server: LoopbackServer, stories=STORIES, etag: str | None = '"feed-1"') -> str:
    base = server.url("")
    server.route("/feed.rss", Reply(body=feed(base), content_type=RSS, etag=etag))
    for story in stories:
        server.route(story.path, Reply(body=story.page()))
    return server.url("/feed.rss")


def stored(store) -> dict[str, object]:
    return {a.url.rsplit("/", 1)[1]: a for a in store.articles()}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("15m", 900), ("1h", 3600), ("1h30m", 5400), ("2d", 172800), ("0.5m", 30)],
)
def test_durations_read_with_their_units(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["15", "m", "15x", "0s", "", "1h 30", "-5m"])
def test_durations_without_a_unit_or_length_are_refused(text):
    with pytest.raises(WatchfloorError):
        parse_duration(text)


def test_a_pass_stores_each_new_item_from_its_page_and_a_second_pass_adds_nothing(
    server, client, store
):
    url = serve_stories(server)
    source = store.add_source(url, "feed")
    report = fetch_all(store, SETTINGS, client, extract=False)
    assert report.added == 3 and report.rejects == []
    articles = stored(store)
    assert sorted(articles) == ["cable", "gdansk", "patrol"]
    cable = articles["cable"]
    # Canonical URL, fetched as such: the feed's tracking parameter is gone.
    assert cable.url == server.url("/news/cable")
    assert (cable.title, cable.author, cable.source, cable.language) == (
        CABLE.title,
        CABLE.author,
        "Harbour Watch",
        "en",
    )
    assert cable.published == datetime.fromisoformat(CABLE.published)
    assert cable.text == CABLE.text  # the page's full text, not the feed's teaser
    polled = store.find_source(str(source.id))
    assert (polled.articles_added, polled.rejects, polled.error_streak) == (3, 0, 0)
    assert (polled.etag, polled.title, polled.last_error) == ('"feed-1"', "Harbour Watch", None)
    assert polled.last_success == polled.last_poll is not None

    again = fetch_all(store, SETTINGS, client, extract=False)
    assert again.outcomes[0].not_modified and again.added == 0
    assert server.requests[-1].headers["If-None-Match"] == '"feed-1"'
    assert sorted(server.paths()) == sorted(
        ["/robots.txt", "/feed.rss", "/feed.rss"] + [s.path for s in STORIES]
    )
    assert again.summary() == (
        "1 source(s) polled, 1 unchanged, 0 failed; "
        "0 read, 0 ingested, 0 duplicates, 0 near-duplicates, 0 rejected"
    )


def test_without_validators_entries_already_stored_are_not_fetched_again(server, client, store):
    url = serve_stories(server, etag=None)
    store.add_source(url, "feed")
    fetch_all(store, SETTINGS, client, extract=False)
    pages_before = len(server.requests)
    again = fetch_all(store, SETTINGS, client, extract=False)
    assert (again.outcomes[0].known, again.outcomes[0].entries, again.added) == (3, 3, 0)
    assert server.paths()[pages_before:] == ["/feed.rss"]


def test_the_feed_fills_what_the_page_lacks_and_failures_become_rejects(server, client, store):
    base = server.url("")
    without_text = Story("/news/teaser", "Pilot boats strike", "Desk", "", PATROL.feed_date, ())
    pdf = Story("/news/brochure", "Port brochure", "Desk", "", PATROL.feed_date, ())
    paywall = Story(
        "/news/paywall",
        "Icebreaker contract signed",
        "Desk",
        "",
        PATROL.feed_date,
        ("Subscribe to read the full story.",),
    )
    server.route(
        "/feed.rss",
        Reply(
            body=rss(
                base,
                [
                    item(base, CABLE),  # page without author or date meta
                    item(base, PATROL, content="".join(f"<p>{p}</p>" for p in PATROL.paragraphs)),
                    item(base, without_text),  # page 404, no text in the feed
                    item(base, pdf),  # not an HTML page
                    # a page without the article, and a feed with only a teaser
                    item(base, paywall, summary="Shipyard wins the order."),
                ],
            ),
            content_type=RSS,
        ),
    )
    server.route(CABLE.path, Reply(body=CABLE.page(with_meta=False)))
    server.route(pdf.path, Reply(body=b"%PDF-1.7", content_type="application/pdf"))
    server.route(paywall.path, Reply(body=paywall.page()))
    source = store.add_source(server.url("/feed.rss"), "feed")
    report = fetch_all(store, SETTINGS, client, extract=False)
    articles = stored(store)
    assert sorted(articles) == ["cable", "patrol"]
    cable, patrol = articles["cable"], articles["patrol"]
    assert (cable.author, cable.published.isoformat()) == (
        CABLE.author,
        "2025-06-18T06:20:00+00:00",
    )
    assert cable.text == CABLE.text
    # The page is missing (404); the feed carried the whole story.
    assert (patrol.title, patrol.author, patrol.text) == (PATROL.title, PATROL.author, PATROL.text)
    assert patrol.source == "Harbour Watch"
    empty_hash = hashlib.sha256(b"").hexdigest()
    expected = [
        Reject(server.url("/news/teaser"), "HTTP 404", empty_hash, "Not Found"),
        Reject(
            server.url("/news/brochure"),
            "wrong content type",
            empty_hash,
            "application/pdf where an HTML page was expected",
        ),
        Reject(
            server.url("/news/paywall"),
            "no article text found in HTML",
            hashlib.sha256(paywall.page()).hexdigest(),
            "16 words",
        ),
    ]
    assert report.rejects == expected
    assert store.rejects() == expected
    polled = store.find_source(str(source.id))
    assert (polled.articles_added, polled.rejects, polled.error_streak) == (2, 3, 0)


def test_an_item_that_failed_for_now_is_tried_again_next_pass(server, client, store):
    url = serve_stories(server)
    server.route(
        CABLE.path,
        Reply(503, b"", "text/plain"),
        Reply(503, b"", "text/plain"),
        Reply(503, b"", "text/plain"),
        Reply(body=CABLE.page()),
    )
    source = store.add_source(url, "feed")
    first = fetch_all(store, SETTINGS, client, extract=False)
    assert first.added == 2
    assert [(r.source, r.reason) for r in first.rejects] == [
        (server.url("/news/cable"), "HTTP 503")
    ]
    # The feed's ETag is not kept while an entry is unsettled, so the next pass sees it all.
    assert store.find_source(str(source.id)).etag is None
    second = fetch_all(store, SETTINGS, client, extract=False)
    assert "If-None-Match" not in server.requests[-2].headers  # the feed request
    assert (second.added, second.outcomes[0].known) == (1, 2)
    assert store.find_source(str(source.id)).etag == '"feed-1"'


def test_a_failing_source_builds_an_error_streak_and_a_success_clears_it(server, client, store):
    base = server.url("")
    server.route(
        "/feed.rss",
        Reply(404, b"no feed", "text/plain"),
        Reply(404, b"no feed", "text/plain"),
        Reply(body=rss(base, []), content_type=RSS),
    )
    source = store.add_source(server.url("/feed.rss"), "feed")
    fetch_all(store, SETTINGS, client, extract=False)
    report = fetch_all(store, SETTINGS, client, extract=False)
    failing = store.find_source(str(source.id))
    assert report.outcomes[0].error == "HTTP 404: Not Found"
    assert (failing.error_streak, failing.last_error, failing.last_success) == (
        2,
        "HTTP 404: Not Found",
        None,
    )
    assert failing.rejects == 2
    assert store.rejects() == [
        Reject(server.url("/feed.rss"), "HTTP 404", hashlib.sha256(b"").hexdigest(), "Not Found")
    ]
    fetch_all(store, SETTINGS, client, extract=False)
    healthy = store.find_source(str(source.id))
    assert (healthy.error_streak, healthy.last_error) == (0, None)
    assert healthy.last_success is not None


def test_a_malformed_feed_is_rejected_with_the_hash_of_its_bytes(server, client, store):
    server.route("/feed.rss", Reply(body=b"this is {not} a feed", content_type="application/xml"))
    store.add_source(server.url("/feed.rss"), "feed")
    report = fetch_all(store, SETTINGS, client, extract=False)
    [reject] = report.rejects
    assert (reject.source, reject.reason) == (server.url("/feed.rss"), "malformed feed")
    assert reject.raw_hash == hashlib.sha256(b"this is {not} a feed").hexdigest()
    assert report.outcomes[0].error.startswith("malformed feed: ")


def test_a_page_source_is_fetched_and_extracted_directly(server, client, store):
    server.route("/news/gdansk", Reply(body=GDANSK.page(), etag='"g1"'))
    source = store.add_source(server.url("/news/gdansk"), "page")
    fetch_all(store, SETTINGS, client, extract=False)
    [article] = store.articles()
    assert (article.url, article.title, article.author) == (
        server.url("/news/gdansk"),
        GDANSK.title,
        GDANSK.author,
    )
    assert article.published == datetime.fromisoformat(GDANSK.published)
    again = fetch_all(store, SETTINGS, client, extract=False)
    assert again.outcomes[0].not_modified
    assert store.find_source(str(source.id)).articles_added == 1


def test_one_source_can_be_polled_alone(server, client, store):
    url = serve_stories(server)
    store.add_source(url, "feed")
    page = store.add_source(server.url("/news/gdansk"), "page")
    report = fetch_all(store, SETTINGS, client, source=str(page.id), extract=False)
    assert [o.source.id for o in report.outcomes] == [page.id]
    assert "/feed.rss" not in server.paths()
    by_url = fetch_all(store, SETTINGS, client, source=server.url("/news/gdansk"), extract=False)
    assert [o.source.id for o in by_url.outcomes] == [page.id]
    with pytest.raises(WatchfloorError, match="no source '99'"):
        fetch_all(store, SETTINGS, client, source="99", extract=False)


def test_stopping_inside_a_feed_keeps_the_finished_articles_and_the_rest_waits(server, store):
    url = serve_stories(server)
    stop = threading.Event()
    # The second page's request sets the stop: that download is abandoned, the third never
    # starts, and the first article is stored.
    server.route(PATROL.path, Reply(body=PATROL.page(), on_request=stop.set))
    source = store.add_source(url, "feed")
    with Fetcher(FAST, stop=stop) as stoppable:
        report = fetch_all(store, SETTINGS, stoppable, stop=stop, extract=False)
    assert report.stopped and not report.outcomes[0].complete
    assert [a.title for a in store.articles()] == [GDANSK.title]  # the feed lists it first
    assert GDANSK.path in server.paths()
    assert CABLE.path not in server.paths()
    assert store.find_source(str(source.id)).etag is None  # not settled: asked in full next time

    server.route(PATROL.path, Reply(body=PATROL.page()))
    with Fetcher(FAST) as fresh:
        resumed = fetch_all(store, SETTINGS, fresh, extract=False)
    assert (resumed.added, resumed.outcomes[0].known) == (2, 1)
    assert store.find_source(str(source.id)).articles_added == 3


def test_stopping_between_sources_leaves_the_rest_for_next_time(server, client, store):
    url = serve_stories(server)
    store.add_source(url, "feed")
    store.add_source(server.url("/news/gdansk"), "page")
    stop = threading.Event()
    report = fetch_all(
        store, SETTINGS, client, on_progress=lambda outcome: stop.set(), stop=stop, extract=False
    )
    assert report.stopped and len(report.outcomes) == 1


def test_watch_polls_until_stopped(server, client, store):
    url = serve_stories(server)
    store.add_source(url, "feed")
    stop = threading.Event()
    reports = []

    def after_pass(report):
        reports.append(report)
        if len(reports) == 2:
            stop.set()

    assert watch(store, SETTINGS, 0.01, stop, client, on_pass=after_pass, extract=False) == 2
    assert [r.added for r in reports] == [3, 0]
    assert server.paths().count("/feed.rss") == 2


def test_watch_wakes_from_its_wait_when_stopped(server, client, store):
    store.add_source(serve_stories(server), "feed")
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    assert watch(store, SETTINGS, 3600.0, stop, client, extract=False) == 1
    assert time.monotonic() - started < 3.0


WATCHER = """
import sys, threading
from watchfloor.config import Settings
from watchfloor.ingest.fetch import Fetcher, FetchOptions
from watchfloor.ingest.poll import stop_on_signals, watch
from watchfloor.store import open_store

store = open_store(sys.argv[1])
stop = threading.Event()
options = FetchOptions(allow_private=True, host_interval=0.0, read_timeout=2.0)
with stop_on_signals(stop), Fetcher(options, stop=stop) as client:
    passes = watch(
        store, Settings(), 3600.0, stop, client,
        on_pass=lambda report: print("pass added", report.added, flush=True), extract=False,
    )
store.close()
print("stopped after", passes, "pass(es)", flush=True)
"""


def test_watch_shuts_down_cleanly_on_sigterm(server, store):
    store.add_source(serve_stories(server), "feed")
    watcher = subprocess.Popen(
        [sys.executable, "-c", WATCHER, location(store)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([watcher.stdout], [], [], 60)
        assert ready, "the watcher printed nothing within 60 s"
        assert watcher.stdout.readline() == "pass added 3\n"
        watcher.send_signal(signal.SIGTERM)
        out, err = watcher.communicate(timeout=20)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    assert (watcher.returncode, out, err) == (0, "stopped after 1 pass(es)\n", "")
    assert len(store.articles()) == 3
