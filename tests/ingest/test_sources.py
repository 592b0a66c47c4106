"""Declaring sources: URLs (fetched once to learn their kind), OPML import and export,
removal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.ingest.httpserver import LoopbackServer, Reply
from tests.ingest.newsroom import CABLE, feed
from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.ingest.fetch import Fetcher, FetchOptions, FetchResult
from watchfloor.ingest.sources import (
    OpmlEntry,
    add_sources,
    opml_document,
    parse_feed,
    read_opml,
    remove_source,
)

FAST = FetchOptions(allow_private=True, read_timeout=0.5, host_interval=0.0, backoff=0.01)
SETTINGS = Settings()

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Desk subscriptions</title></head>
  <body>
    <outline text="Baltic">
      <outline type="rss" text="Harbour Watch" xmlUrl="https://Harbour.example/feed.rss?utm_source=opml"/>
      <outline type="rss" title="Northern Post" text="NP" xmlURL="https://northern.example/rss"/>
    </outline>
    <outline type="rss" text="Old FTP mirror" xmlUrl="ftp://mirror.example/feed.xml"/>
    <outline type="link" text="Ministry statement" url="https://gov.example/statement/42"/>
    <outline text="A folder with no feed"/>
  </body>
</opml>"""


@pytest.fixture
def server():
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def client():
    with Fetcher(FAST) as fetcher:
        yield fetcher


def test_opml_outlines_become_feeds_and_pages_nested_ones_included():
    assert read_opml(OPML, "subs.opml") == [
        OpmlEntry("https://Harbour.example/feed.rss?utm_source=opml", "feed", "Harbour Watch"),
        OpmlEntry("https://northern.example/rss", "feed", "Northern Post"),
        OpmlEntry("ftp://mirror.example/feed.xml", "feed", "Old FTP mirror"),
        OpmlEntry("https://gov.example/statement/42", "page", "Ministry statement"),
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"<opml><body><outline", "subs.opml is not valid OPML"),
        (b"<rss version='2.0'><channel/></rss>", "its root element is <rss>"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
            b'<opml><body><outline text="&x;" xmlUrl="https://a.example/f"/></body></opml>',
            "references external entity",
        ),
    ],
)
def test_files_that_are_not_opml_are_refused_and_entities_are_not_read(raw, message):
    with pytest.raises(WatchfloorError, match=message):
        read_opml(raw, "subs.opml")


def test_adding_an_opml_file_declares_each_feed_once(tmp_path, store):
    path = tmp_path / "subs.opml"
    path.write_bytes(OPML)
    first = add_sources(store, str(path), SETTINGS)
    assert [(s.url, s.kind, s.title) for s in first.added] == [
        ("https://harbour.example/feed.rss", "feed", "Harbour Watch"),
        ("https://northern.example/rss", "feed", "Northern Post"),
        ("https://gov.example/statement/42", "page", "Ministry statement"),
    ]
    assert first.invalid == [
        (
            "ftp://mirror.example/feed.xml",
            "'ftp://mirror.example/feed.xml' is not a source: give an http(s) URL or an OPML file",
        )
    ]
    again = add_sources(store, str(path), SETTINGS)
    assert (again.added, len(again.already)) == ([], 3)
    assert [s.id for s in store.sources()] == [1, 2, 3]


def test_a_url_is_fetched_once_to_learn_it_is_a_feed(server, client, store):
    server.route("/feed.rss", Reply(body=feed(server.url("")), content_type="application/rss+xml"))
    outcome = add_sources(store, server.url("/feed.rss?utm_campaign=x"), SETTINGS, client)
    [source] = outcome.added
    assert (source.url, source.kind, source.title) == (
        server.url("/feed.rss"),
        "feed",
        "Harbour Watch",
    )
    assert add_sources(store, server.url("/feed.rss"), SETTINGS, client).already == [source.url]
    assert server.paths() == ["/robots.txt", "/feed.rss"]


def test_a_url_serving_html_is_a_page(server, client, store):
    server.route(CABLE.path, Reply(body=CABLE.page()))
    [source] = add_sources(store, server.url(CABLE.path), SETTINGS, client).added
    assert (source.kind, source.title) == ("page", f"{CABLE.title} | Harbour Watch")


def test_a_given_kind_skips_the_fetch(server, client, store):
    [source] = add_sources(store, server.url("/later.rss"), SETTINGS, client, kind="feed").added
    assert (source.kind, server.requests) == ("feed", [])


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(404, b"", "text/plain"), r"cannot add .*/x: HTTP 404 \(Not Found\); check the URL"),
        (
            Reply(body=b"%PDF", content_type="application/pdf"),
            "wrong content type .*application/pdf where a feed or a page was expected",
        ),
        (
            Reply(body=b"just words", content_type="text/plain"),
            "is neither a feed nor an HTML page",
        ),
    ],
)
def test_a_url_that_is_neither_feed_nor_page_is_not_added(server, client, store, reply, message):
    server.route("/x", reply)
    with pytest.raises(WatchfloorError, match=message):
        add_sources(store, server.url("/x"), SETTINGS, client)
    assert store.sources() == []


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://files.example/feed.xml", "no-such-file.opml"]
)
def test_targets_that_are_neither_http_urls_nor_opml_files_are_refused(store, target):
    with pytest.raises(WatchfloorError):
        add_sources(store, target, SETTINGS, kind="feed")
    assert store.sources() == []


def test_sources_are_removed_by_id_or_url(store):
    first = store.add_source("https://harbour.example/feed.rss", "feed")
    second = store.add_source("https://northern.example/rss", "feed")
    assert remove_source(store, str(first.id)) == first
    assert remove_source(store, "HTTPS://northern.example:443/rss#top") == second
    assert store.sources() == []
    with pytest.raises(WatchfloorError, match="no source '7'"):
        remove_source(store, "7")


def test_sources_export_as_opml_and_read_back(store):
    store.add_source("https://harbour.example/feed.rss", "feed", "Harbour Watch")
    store.add_source("https://gov.example/statement/42", "page")
    document = opml_document(store.sources(), now=datetime(2025, 6, 20, 8, 0, tzinfo=UTC))
    assert document == (
        '<opml version="2.0">\n'
        "  <head>\n"
        "    <title>Watchfloor sources</title>\n"
        "    <dateCreated>Fri, 20 Jun 2025 08:00:00 +0000</dateCreated>\n"
        "  </head>\n"
        "  <body>\n"
        '    <outline type="rss" text="Harbour Watch" title="Harbour Watch"'
        ' xmlUrl="https://harbour.example/feed.rss"/>\n'
        '    <outline type="link" text="https://gov.example/statement/42"'
        ' title="https://gov.example/statement/42" url="https://gov.example/statement/42"/>\n'
        "  </body>\n"
        "</opml>\n"
    )
    assert read_opml(document.encode(), "export") == [
        OpmlEntry("https://harbour.example/feed.rss", "feed", "Harbour Watch"),
        OpmlEntry("https://gov.example/statement/42", "page", "https://gov.example/statement/42"),
    ]


def test_feeds_are_parsed_with_the_http_charset_and_relative_links_resolved():
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Päijänne Post</title>'
        "<item><title>Lake ferry</title><link>/news/ferry</link></item></channel></rss>"
    ).encode("latin-1")
    result = FetchResult(
        "https://post.example/feeds/main.rss", 200, "application/rss+xml", "iso-8859-1", body
    )
    parsed = parse_feed(result)
    assert parsed.feed.title == "Päijänne Post"
    assert [e.link for e in parsed.entries] == ["https://post.example/news/ferry"]
