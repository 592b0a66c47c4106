"""Our feed reader against the expected parses shipped with the real feed fixtures.

Two reference parsers produced the expected output: rss-parser (Node, ``expected_output/*.json``)
and feed-rs (Rust, ``*.serde.json``). Every entry the reference lists must come out of
``read_path`` as exactly one Article or Reject, in order:

- an Article has the reference title (whitespace collapsed; a title the reference kept as HTML
  is compared by its text; a title the reference mis-decoded is not compared), the reference
  link canonicalised (a relative link resolved against the feed's own address; an entry
  without a web link gets the file's URL with its entry number), and the reference date as
  the same instant (a value without a zone counts as UTC, as the references do); where the
  reference has no date, the date is not compared;
- a Reject is right only when the reference shows why: "empty text" when the entry has no text
  or only repeats its title (the reader drops a first paragraph that repeats the title),
  "missing title" when it has no title.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml.etree import ParserError

from eval.paths import feed_fixtures_dir
from eval.report import Score, Section
from eval.scoring import share
from watchfloor.ingest.readers import ReadResult, read_path
from watchfloor.ingest.urls import canonical_url, file_url
from watchfloor.model import Article, Reject

RSS_PARSER = "rss_parser"
FEED_RS = "feed_rs"
WEB_SCHEMES = ("http", "https")
_MARKUP = re.compile(r"<[A-Za-z/]|&#?\w+;")
# rss-parser's test reads xml2js-options.rss with xml2js's emptyTag option set to "EMPTY", so an
# empty element appears in its expected output as that word.
EMPTY_PLACEHOLDER = {"xml2js-options": "EMPTY"}
REPLACEMENT_CHARACTER = "\ufffd"


@dataclass(frozen=True, slots=True)
class ExpectedEntry:
    title: str
    link: str | None
    published: datetime | None
    text: str  # the entry's longest text, as visible text


@dataclass(frozen=True, slots=True)
class FeedFixture:
    path: Path
    # None: the fixture ships without an expected parse.
    entries: list[ExpectedEntry] | None
    # The feed's own web address, against which relative entry links resolve.
    base: str | None

    @property
    def name(self) -> str:
        return str(self.path.relative_to(feed_fixtures_dir()))


def html_text(value: str | None) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    if not value or not value.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (ParserError, ValueError):
        return " ".join(value.split())
    return " ".join(root.text_content().split())


def _longest(fragments: Iterable[str | None]) -> str:
    return max((html_text(f) for f in fragments), key=len, default="")


def _load_json(path: Path) -> dict:
    raw = path.read_bytes()
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        # rss-parser wrote encoding.json in the feed's own ISO-8859-1.
        return json.loads(raw.decode("latin-1"))


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _absolute(link: str | None) -> str | None:
    return link if link and urlsplit(link).scheme in WEB_SCHEMES else None


def _rss_parser_fixture(path: Path, expected: Path) -> FeedFixture:
    feed = _load_json(expected)["feed"]
    entries = [
        ExpectedEntry(
            title=item.get("title") or "",
            link=item.get("link"),
            published=_instant(item.get("isoDate")),
            text=_longest(
                item.get(key) if item.get(key) != EMPTY_PLACEHOLDER.get(path.stem) else ""
                for key in ("content:encoded", "content", "contentSnippet", "summary")
            ),
        )
        for item in feed.get("items", [])
    ]
    base = _absolute(feed.get("feedUrl")) or _absolute(feed.get("link"))
    return FeedFixture(path, entries, base)


def _feed_rs_fixture(path: Path, expected: Path) -> FeedFixture:
    feed = _load_json(expected)
    entries = []
    for entry in feed.get("entries", []):
        links = entry.get("links") or []
        content = (entry.get("content") or {}).get("body")
        summary = (entry.get("summary") or {}).get("content")
        entries.append(
            ExpectedEntry(
                title=(entry.get("title") or {}).get("content") or "",
                link=links[0]["href"] if links else None,
                published=_instant(entry.get("published") or entry.get("updated")),
                text=_longest([content, summary]),
            )
        )
    links = feed.get("links") or []
    by_rel = {link.get("rel"): link.get("href") for link in links}
    base = _absolute(by_rel.get("self")) or next(
        (href for link in links if (href := _absolute(link.get("href")))), None
    )
    return FeedFixture(path, entries, base)


def feed_fixtures() -> list[FeedFixture]:
    """Every feed fixture, with its expected parse where one ships."""
    root = feed_fixtures_dir()
    fixtures = []
    for path in sorted((root / RSS_PARSER / "input").iterdir()):
        expected = root / RSS_PARSER / "expected_output" / f"{path.stem}.json"
        fixtures.append(
            _rss_parser_fixture(path, expected)
            if expected.exists()
            else FeedFixture(path, None, None)
        )
    for path in sorted((root / FEED_RS).glob("*/*")):
        if path.name.endswith(".serde.json"):
            continue
        expected = path.with_name(f"{path.stem}.serde.json")
        fixtures.append(
            _feed_rs_fixture(path, expected) if expected.exists() else FeedFixture(path, None, None)
        )
    return fixtures


def expected_url(fixture: FeedFixture, entry: ExpectedEntry, number: int) -> str:
    link = (entry.link or "").strip()
    if _absolute(link):
        return canonical_url(link)
    if link and fixture.base and not urlsplit(link).scheme:
        return canonical_url(urljoin(fixture.base, link))
    return file_url(fixture.path) + f"#entry-{number}"


def expected_title(entry: ExpectedEntry) -> str:
    title = entry.title
    return html_text(title) if _MARKUP.search(title) else " ".join(title.split())


def as_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def entry_problems(
    fixture: FeedFixture, number: int, entry: ExpectedEntry, result: ReadResult
) -> list[str]:
    """What differs between our result for entry ``number`` (from 1) and the reference."""
    where = f"{fixture.name} entry {number}"
    if isinstance(result, Reject):
        title = expected_title(entry)
        no_text = not entry.text or entry.text.casefold() == title.casefold()
        justified = (result.reason == "empty text" and no_text) or (
            result.reason == "missing title" and not title
        )
        return [] if justified else [f"{where}: rejected ({result.reason})"]
    if not isinstance(result, Article):
        return [f"{where}: read as {type(result).__name__}, not an article"]
    problems = []
    # rss-parser decoded uolNoticias.rss (ISO-8859-1) as UTF-8: its titles hold U+FFFD
    # replacement characters where the accented letters were, so they cannot be compared.
    if REPLACEMENT_CHARACTER not in entry.title and result.title != expected_title(entry):
        problems.append(f"{where}: title {result.title!r}, expected {expected_title(entry)!r}")
    if result.url != expected_url(fixture, entry, number):
        problems.append(
            f"{where}: URL {result.url}, expected {expected_url(fixture, entry, number)}"
        )
    if entry.published and as_utc(result.published) != entry.published:
        problems.append(f"{where}: published {result.published}, expected {entry.published}")
    return problems


def read_fixture(fixture: FeedFixture) -> list[ReadResult]:
    return list(read_path(fixture.path))


def fixture_problems(fixture: FeedFixture, results: list[ReadResult]) -> list[str]:
    """Every difference between our reading of a fixture and its expected parse."""
    assert fixture.entries is not None, f"{fixture.name} has no expected parse"
    if len(results) != len(fixture.entries):
        return [
            f"{fixture.name}: {len(results)} results "
            f"({sum(isinstance(r, Article) for r in results)} articles), "
            f"expected one per entry: {len(fixture.entries)}"
        ]
    return [
        problem
        for number, (entry, result) in enumerate(zip(fixture.entries, results, strict=True), 1)
        for problem in entry_problems(fixture, number, entry, result)
    ]


def feeds_section() -> Section:
    fixtures = [f for f in feed_fixtures() if f.entries is not None]
    entries_ok: list[bool] = []
    notes = []
    for fixture in fixtures:
        results = read_fixture(fixture)
        problems = fixture_problems(fixture, results)
        if len(results) != len(fixture.entries):
            ok = [False] * len(fixture.entries)
        else:
            ok = [
                not entry_problems(fixture, number, entry, result)
                for number, (entry, result) in enumerate(
                    zip(fixture.entries, results, strict=True), 1
                )
            ]
        entries_ok += ok
        if problems:
            first = problems[0].removeprefix(fixture.name).lstrip(": ")
            notes.append(
                f"`{fixture.name}`: {ok.count(False)} of {len(ok)} entries differ; first: {first}"
            )
    entry_share, entries = share(entries_ok)
    return Section(
        title="Feed reading (RSS/Atom/JSON Feed files through `read_path`)",
        intro=(
            "Every entry of a fixture with a reference parse (rss-parser or feed-rs) must come "
            "out as one article with the reference title, canonical link and date, or as a "
            "reject the reference explains (no text, no title); rules in `eval/feeds.py`."
        ),
        scores=[
            Score("entries read as the reference parse", "feed fixtures", entries, entry_share),
            Score(
                "fixtures read entirely as the reference parse",
                "feed fixtures",
                len(fixtures),
                1 - len(notes) / len(fixtures),
            ),
        ],
        notes=notes,
    )
