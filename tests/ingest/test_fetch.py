"""The HTTP client against a real server on 127.0.0.1: statuses, retries, conditional GET,
redirects, caps, content types, robots.txt, pacing and the private-address guard."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from types import SimpleNamespace

import pytest

from tests.ingest.httpserver import LoopbackServer, Reply
from watchfloor.config import Settings
from watchfloor.ingest.fetch import (
    USER_AGENT,
    Fetcher,
    FetchError,
    FetchOptions,
    decode_body,
    refused_address,
    retry_after_seconds,
)

FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour Watch</title>
<item><title>Ferry resumes</title><link>https://harbour.example/a</link></item>
</channel></rss>"""
RSS = "application/rss+xml; charset=utf-8"

# Loopback server, short timeouts, no pacing and tiny backoff so every test is quick.
FAST = FetchOptions(
    allow_private=True,
    connect_timeout=1.0,
    read_timeout=0.3,
    total_timeout=2.0,
    host_interval=0.0,
    backoff=0.01,
)


@pytest.fixture
def server():
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def fetcher(sleeps):
    with Fetcher(FAST, sleep=sleeps.append) as client:
        yield client


def fail(call) -> FetchError:
    with pytest.raises(FetchError) as caught:
        call()
    return caught.value


def test_200_returns_the_body_and_sends_an_honest_user_agent(server, fetcher):
    server.route("/feed.rss", Reply(body=FEED, content_type=RSS))
    result = fetcher.get(server.url("/feed.rss"), "feed")
    assert (result.status, result.content_type, result.charset) == (
        200,
        "application/rss+xml",
        "utf-8",
    )
    assert result.body == FEED
    assert result.url == server.url("/feed.rss")
    assert server.paths() == ["/robots.txt", "/feed.rss"]
    sent = server.requests[1].headers
    assert sent["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("Watchfloor/0.1.0 (+https://github.com/watchfloor/watchfloor)")
    assert sent["Accept"].startswith("application/rss+xml, application/atom+xml")
    assert sent["Host"] == f"127.0.0.1:{server.port}"


def test_conditional_get_sends_the_validators_and_304_means_nothing_new(server, fetcher):
    modified = "Tue, 17 Jun 2025 13:30:00 GMT"
    server.route(
        "/feed.rss",
        Reply(body=FEED, content_type=RSS, etag='"v1"', headers={"Last-Modified": modified}),
    )
    first = fetcher.get(server.url("/feed.rss"), "feed")
    assert (first.status, first.etag, first.last_modified) == (200, '"v1"', modified)
    again = fetcher.get(server.url("/feed.rss"), "feed", first.etag, first.last_modified)
    assert again.not_modified and again.body == b""
    assert again.etag == '"v1"'
    sent = server.requests[-1].headers
    assert (sent["If-None-Match"], sent["If-Modified-Since"]) == ('"v1"', modified)


def test_404_is_a_permanent_failure_and_not_retried(server, fetcher):
    error = fail(lambda: fetcher.get(server.url("/gone"), "page"))
    assert (error.reason, error.status, error.transient) == ("HTTP 404", 404, False)
    assert server.paths() == ["/robots.txt", "/gone"]


def test_429_waits_what_retry_after_says_then_succeeds(server, fetcher, sleeps):
    server.route(
        "/feed.rss",
        Reply(429, b"slow down", "text/plain", headers={"Retry-After": "7"}),
        Reply(body=FEED, content_type=RSS),
    )
    assert fetcher.get(server.url("/feed.rss"), "feed").body == FEED
    assert sleeps == [7.0]
    assert server.paths() == ["/robots.txt", "/feed.rss", "/feed.rss"]


def test_retry_after_longer_than_the_cap_skips_the_host_until_then(server, fetcher, sleeps):
    server.route("/a", Reply(503, b"", "text/plain", headers={"Retry-After": "3600"}))
    error = fail(lambda: fetcher.get(server.url("/a"), "page"))
    assert (error.reason, error.transient) == ("HTTP 503", True)
    assert "asks to wait 3600 s, more than the 120 s we wait" in error.detail
    later = fail(lambda: fetcher.get(server.url("/b"), "page"))
    assert later.reason == "host asked us to wait"
    assert server.paths() == ["/robots.txt", "/a"]  # /b was never requested
    assert sleeps == []


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2025, 6, 17, 12, 0, tzinfo=UTC)
    later = format_datetime(datetime(2025, 6, 17, 12, 1, 30, tzinfo=UTC), usegmt=True)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds(later, now) == 90.0
    assert retry_after_seconds("Mon, 16 Jun 2025 12:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_500_is_retried_with_exponential_backoff(server, fetcher, sleeps):
    server.route("/page", Reply(500, b"oops", "text/plain"), Reply(body=b"<html>ok</html>"))
    assert fetcher.get(server.url("/page"), "page").body == b"<html>ok</html>"
    assert sleeps == [0.01]


def test_persistent_503_fails_after_the_last_attempt(server, fetcher, sleeps):
    server.route("/page", Reply(503, b"down", "text/plain"))
    error = fail(lambda: fetcher.get(server.url("/page"), "page"))
    assert (error.reason, error.transient) == ("HTTP 503", True)
    assert sleeps == [0.01, 0.02]
    assert server.paths() == ["/robots.txt", "/page", "/page", "/page"]


def test_redirects_are_followed_hop_by_hop(server, fetcher):
    server.route("/old", Reply(301, headers={"Location": "/moved"}))
    server.route("/moved", Reply(302, headers={"Location": server.url("/new")}))
    server.route("/new", Reply(body=b"<html>here</html>"))
    result = fetcher.get(server.url("/old"), "page")
    assert (result.url, result.body) == (server.url("/new"), b"<html>here</html>")
    assert server.paths() == ["/robots.txt", "/old", "/moved", "/new"]


def test_redirect_loops_stop_at_the_cap(server, sleeps):
    server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    with Fetcher(FetchOptions(**{**_fast(), "max_redirects": 3}), sleep=sleeps.append) as client:
        error = fail(lambda: client.get(server.url("/loop"), "page"))
    assert (error.reason, error.detail) == ("too many redirects", "more than 3")
    assert server.paths().count("/loop") == 4


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/inside",
        "http://10.0.0.7/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/inside",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(server, location):
    # Only the host "localhost" may be private here, so the first hop is allowed and the
    # redirect's target is checked on its own.
    server.route("/hop", Reply(302, headers={"Location": location.format(port=server.port)}))
    options = FetchOptions(**{**_fast(), "allow_private": False, "private_hosts": {"localhost"}})
    with Fetcher(options) as client:
        error = fail(lambda: client.get(server.url("/hop", host="localhost"), "page"))
    assert error.reason == "refused address"
    assert "pass --allow-private" in error.detail
    assert server.paths() == ["/robots.txt", "/hop"]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:{port}/", "127.0.0.1 (loopback)"),
        ("http://[::1]:{port}/", "::1 (loopback)"),
        ("http://10.1.2.3/", "10.1.2.3 (private)"),
        ("http://192.168.0.10/", "192.168.0.10 (private)"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 (link-local)"),
        ("http://0.0.0.0:{port}/", "0.0.0.0 (unspecified)"),
        ("http://localhost:{port}/", "localhost resolves to "),
    ],
)
def test_private_addresses_are_refused_without_allow_private(server, url, why):
    with Fetcher(FetchOptions(**{**_fast(), "allow_private": False})) as client:
        error = fail(lambda: client.get(url.format(port=server.port), "page"))
    assert error.reason == "refused address"
    assert why in error.detail
    assert server.requests == []


def test_refused_address_names_each_kind_of_non_public_address():
    assert refused_address("8.8.8.8") is None
    assert refused_address("2001:4860:4860::8888") is None
    assert refused_address("127.0.0.1") == "loopback"
    assert refused_address("::ffff:10.0.0.1") == "private"  # IPv4-mapped IPv6
    assert refused_address("fe80::1%eth0") == "link-local"
    assert refused_address("224.0.0.1") == "multicast"
    assert refused_address("240.0.0.1") == "reserved"
    assert refused_address("fc00::1") == "private"
    assert refused_address("100.64.0.1") == "not public"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "unsupported URL scheme"),
        ("ftp://files.example/feed.xml", "unsupported URL scheme"),
        ("gopher://old.example/", "unsupported URL scheme"),
        ("http:///no-host", "invalid URL"),
    ],
)
def test_only_http_and_https_are_fetched(fetcher, url, reason):
    assert fail(lambda: fetcher.get(url, "page")).reason == reason


def test_a_name_that_does_not_resolve_is_a_dns_failure():
    def no_such_host(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with Fetcher(FAST, resolve=no_such_host) as client:
        error = fail(lambda: client.get("https://nowhere.example/feed", "feed"))
    assert (error.reason, error.transient) == ("DNS lookup failed", True)
    assert error.detail.startswith("nowhere.example: ")


def test_the_connection_goes_to_the_checked_address():
    # The server listens on 127.0.0.2 only; "localhost" would resolve to 127.0.0.1 if the
    # client resolved it again, so reaching the server proves the address was pinned.
    with LoopbackServer("127.0.0.2") as server:
        server.route("/page", Reply(body=b"<html>pinned</html>"))
        with Fetcher(FAST, resolve=lambda host, port: ["127.0.0.2"]) as client:
            result = client.get(server.url("/page", host="localhost"), "page")
        assert result.body == b"<html>pinned</html>"
        assert server.requests[-1].headers["Host"] == f"localhost:{server.port}"


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for the name feeds.localtest (made by the openssl tool)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=feeds.localtest",
            "-addext",
            "subjectAltName=DNS:feeds.localtest",
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


def test_https_to_the_pinned_address_still_verifies_the_host_name(certificate):
    trusted = ssl.create_default_context(cafile=certificate[0])
    with LoopbackServer("127.0.0.2", certificate) as server:
        server.route("/page", Reply(body=b"<html>secure</html>"))
        with Fetcher(FAST, resolve=lambda host, port: ["127.0.0.2"], verify=trusted) as client:
            result = client.get(server.url("/page", host="feeds.localtest"), "page")
            assert result.body == b"<html>secure</html>"
            error = fail(lambda: client.get(server.url("/page", host="other.localtest"), "page"))
        assert (error.reason, error.detail) == (
            "TLS certificate rejected",
            "robots.txt: Hostname mismatch, certificate is not valid for 'other.localtest'.",
        )
        assert server.requests[-1].headers["Host"] == f"feeds.localtest:{server.port}"


def test_an_unreachable_address_falls_back_to_the_next_one(server):
    server.route("/page", Reply(body=b"<html>v4</html>"))
    with Fetcher(FAST, resolve=lambda host, port: ["::1", "127.0.0.1"]) as client:
        assert client.get(server.url("/page", host="localhost"), "page").body == b"<html>v4</html>"


def test_gzip_bodies_are_decoded(server, fetcher):
    server.route("/feed.rss", Reply(body=FEED, content_type=RSS, gzip=True))
    assert fetcher.get(server.url("/feed.rss"), "feed").body == FEED
    assert "gzip" in server.requests[-1].headers["Accept-Encoding"]


def test_a_slow_response_hits_the_read_timeout(server, fetcher):
    server.route("/slow", Reply(body=b"<html>late</html>", delay=1.5))
    started = time.monotonic()
    error = fail(lambda: fetcher.get(server.url("/slow"), "page"))
    assert (error.reason, error.detail, error.transient) == ("timeout", "no data for 0.3 s", True)
    assert time.monotonic() - started < 1.2
    assert server.paths() == ["/robots.txt", "/slow"]  # a read timeout is not retried at once


def test_a_trickling_response_hits_the_total_time_cap(server, sleeps):
    server.route("/trickle", Reply(body=b"<p>word</p>" * 1000, drip=0.1))
    options = FetchOptions(**{**_fast(), "total_timeout": 0.4})
    with Fetcher(options, sleep=sleeps.append) as client:
        error = fail(lambda: client.get(server.url("/trickle"), "page"))
    assert (error.reason, error.detail) == ("timeout", "took longer than 0.4 s in all")


def test_a_huge_body_is_abandoned_at_the_size_cap(server, sleeps):
    server.route("/huge", Reply(stream_bytes=50 * 1024 * 1024))
    options = FetchOptions(**{**_fast(), "max_bytes": 100_000})
    with Fetcher(options, sleep=sleeps.append) as client:
        error = fail(lambda: client.get(server.url("/huge"), "page"))
    assert (error.reason, error.detail) == ("oversized response", "more than 100000 bytes")


def test_a_declared_length_over_the_cap_is_refused_before_reading(server, sleeps):
    server.route("/big", Reply(body=b"x" * 200_000))
    options = FetchOptions(**{**_fast(), "max_bytes": 100_000})
    with Fetcher(options, sleep=sleeps.append) as client:
        error = fail(lambda: client.get(server.url("/big"), "page"))
    assert (error.reason, error.detail) == ("oversized response", "Content-Length 200000 > 100000")


@pytest.mark.parametrize(
    ("kind", "content_type", "detail"),
    [
        ("page", "application/pdf", "application/pdf where an HTML page was expected"),
        ("page", "image/png", "image/png where an HTML page was expected"),
        ("feed", "text/html; charset=utf-8", "text/html where a feed (XML or JSON) was expected"),
    ],
)
def test_wrong_content_types_are_rejected_with_the_reason(
    server, fetcher, kind, content_type, detail
):
    server.route("/thing", Reply(body=b"%PDF-1.7", content_type=content_type))
    error = fail(lambda: fetcher.get(server.url("/thing"), kind))
    assert (error.reason, error.detail) == ("wrong content type", detail)


def test_robots_txt_disallow_is_obeyed_and_cached(server, fetcher):
    robots = b"User-agent: *\nDisallow: /private/\n\nUser-agent: Watchfloor\nDisallow: /drafts/\n"
    server.route("/robots.txt", Reply(body=robots, content_type="text/plain"))
    server.route("/news/a", Reply(body=b"<html>a</html>"))
    assert fetcher.get(server.url("/news/a"), "page").body == b"<html>a</html>"
    error = fail(lambda: fetcher.get(server.url("/drafts/b"), "page"))
    assert (error.reason, error.detail) == (
        "disallowed by robots.txt",
        f"http://127.0.0.1:{server.port}/robots.txt",
    )
    assert server.paths() == ["/robots.txt", "/news/a"]  # robots.txt once; /drafts/b never


def test_an_unreachable_robots_txt_disallows_the_host_for_now(server, fetcher):
    server.route("/robots.txt", Reply(500, b"", "text/plain"))
    error = fail(lambda: fetcher.get(server.url("/news/a"), "page"))
    assert (error.reason, error.detail, error.transient) == (
        "HTTP 500",
        "robots.txt: Internal Server Error",
        True,
    )
    assert server.paths() == ["/robots.txt"]


def test_requests_to_one_host_are_spaced_by_the_interval_or_crawl_delay(server):
    server.route(
        "/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 5\n", content_type="text/plain")
    )
    server.route("/a", Reply(body=b"<html>a</html>"))
    sleeps: list[float] = []
    options = FetchOptions(**{**_fast(), "host_interval": 2.0})
    # A clock that stands still: each wait is exactly the interval.
    with Fetcher(options, clock=lambda: 1000.0, sleep=sleeps.append) as client:
        client.get(server.url("/a"), "page")
        client.get(server.url("/a"), "page")
    assert sleeps == [5.0, 5.0]  # robots.txt, then /a after 5 s, then /a after 5 s more


def test_options_come_from_settings_with_defaults_for_what_they_lack():
    assert FetchOptions.from_settings(Settings()) == FetchOptions()
    settings = SimpleNamespace(
        fetch_read_timeout=5.0,
        fetch_private_hosts="Intranet.example, feeds.local,",
        allow_private=False,
        user_agent="",
    )
    options = FetchOptions.from_settings(settings, max_bytes=1000)
    assert options.read_timeout == 5.0
    assert options.private_hosts == frozenset({"intranet.example", "feeds.local"})
    assert (options.max_bytes, options.user_agent) == (1000, USER_AGENT)


def test_bodies_decode_by_header_then_meta_then_utf8():
    latin = "<meta charset='iso-8859-1'><p>Päijänne</p>".encode("latin-1")
    assert decode_body(latin, None) == "<meta charset='iso-8859-1'><p>Päijänne</p>"
    assert decode_body("Kyiv – Київ".encode(), None) == "Kyiv – Київ"
    assert decode_body("café".encode("cp1252"), "utf-8") == "café"


def _fast() -> dict:
    return {name: getattr(FAST, name) for name in FAST.__dataclass_fields__}
