"""The feed reader on 99 real RSS/Atom/JSON feeds (../shared/corpus/fixtures_feeds).

93 fixtures ship the parse of a reference parser (rss-parser or feed-rs); every entry must
come out as that parse says (rules and the reference's own slips in eval/feeds.py). A fixture
in KNOWN_DEFECTS fails for a reason in our reader, reported for fixing; it is a strict
expected failure, so the fix makes the test fail until its entry here is removed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from eval.feeds import FeedFixture, feed_fixtures, fixture_problems
from eval.paths import feed_fixtures_dir

from watchfloor.ingest.readers import ReadResult, read_path
from watchfloor.model import Article, Reject

if not feed_fixtures_dir().is_dir():
    pytest.skip(
        f"feed fixtures not found at {feed_fixtures_dir()} (set WATCHFLOOR_SHARED)",
        allow_module_level=True,
    )

FIXTURES = feed_fixtures()
WITH_EXPECTED = [f for f in FIXTURES if f.entries is not None]


@cache
def _read(path: Path) -> list[ReadResult]:
    return list(read_path(path))


def _param(fixture: FeedFixture):
    return pytest.param(fixture, id=fixture.name)


def test_fixture_set_is_complete():
    assert (len(FIXTURES), len(WITH_EXPECTED)) == (99, 93)


@pytest.mark.parametrize("fixture", [_param(f) for f in WITH_EXPECTED])
def test_entries_match_reference_parse(fixture: FeedFixture):
    assert fixture_problems(fixture, _read(fixture.path)) == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_every_fixture_reads_without_raising(fixture: FeedFixture):
    results = _read(fixture.path)
    assert results
    assert all(isinstance(r, Article | Reject) for r in results)


def _outcome(fixture_name: str) -> list[str]:
    fixture = next(f for f in FIXTURES if f.name == fixture_name)
    return [
        r.reason if isinstance(r, Reject) else f"article: {r.title}" for r in _read(fixture.path)
    ]


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        # An HTML "Object Moved" page saved as .rss.
        ("rss_parser/input/unrecognized.rss", ["malformed feed"]),
        # Cut off mid-document before the first item.
        ("feed_rs/rss2/rss_2.0_invalid_1.xml", ["malformed feed"]),
        # Well-formed XML that is not a feed.
        ("feed_rs/xml/xml_sample_1.xml", ["feed has no entries"]),
        ("feed_rs/xml/xml_sample_2.xml", ["feed has no entries"]),
        # ISO-8859-1 bytes must come out as the right characters.
        (
            "feed_rs/xml/xml_iso8859.xml",
            ["article: Digitalministerium: Neue Glasfaserförderung mit Schnellkasse"],
        ),
    ],
)
def test_fixture_without_reference_parse(name: str, outcome: list[str]):
    assert _outcome(name) == outcome


def test_podcast_without_images_reads_all_131_episodes():
    outcome = _outcome("rss_parser/input/itunes-missing-image.rss")
    assert len(outcome) == 131
    assert outcome[0] == "article: Taverncast 62 - Temporal Anomaly"
    assert outcome[-1] == "article: Taverncast 1: Welcome to the Bar"
