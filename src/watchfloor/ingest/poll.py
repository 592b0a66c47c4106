"""Polling network sources: one fetch pass over the declared sources, and the `watch` loop.

A feed's new entries (by canonical URL) each have their page fetched and extracted; the feed's
own fields fill what the page lacks. The articles then take the same path as files
(``pipeline.ingest_articles``), one source at a time, so an interrupted pass keeps every source
it finished. A feed's validators (ETag, Last-Modified) are kept only once all of its entries
are settled, so an entry that failed for a passing reason is tried again next time instead of
being hidden behind a 304.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser

from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.ingest.fetch import FetchCancelled, Fetcher, FetchError, FetchOptions
from watchfloor.ingest.readers import raw_hash
from watchfloor.ingest.readers.feed import entry_fields
from watchfloor.ingest.readers.fields import FieldError, build_article
from watchfloor.ingest.readers.html import MIN_ARTICLE_WORDS, extract_page, published_meta
from watchfloor.ingest.sources import parse_feed
from watchfloor.ingest.urls import canonical_url
from watchfloor.model import Article, Reject
from watchfloor.pipeline import IngestReport, ingest_articles
from watchfloor.store.base import Source, SourcePoll, Store

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# build_article wants a file path only for items without a URL; ours always have one.
NO_PATH = Path()


def parse_duration(text: str) -> float:
    """Seconds in a duration such as ``90s``, ``15m``, ``1h`` or ``1h30m``."""
    compact = "".join(text.split()).lower()
    parts = _DURATION_PART.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise WatchfloorError(f"{text!r} is not a duration: write it like 90s, 15m, 1h or 1h30m")
    seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in parts)
    if seconds <= 0:
        raise WatchfloorError(f"{text!r}: the interval must be longer than zero")
    return seconds


@dataclass(slots=True)
class SourceOutcome:
    """What one poll of one source did."""

    source: Source
    error: str | None = None  # the source itself could not be fetched or read
    reached: bool = False  # the feed or page itself arrived (200 or 304)
    not_modified: bool = False  # 304: nothing new since the last poll
    complete: bool = True  # False when the pass was stopped inside this source
    entries: int = 0  # items the feed lists (1 for a page)
    known: int = 0  # entries already stored, not fetched again
    rejects: list[Reject] = field(default_factory=list)  # from fetching and reading
    ingest: IngestReport = field(default_factory=IngestReport)

    @property
    def all_rejects(self) -> list[Reject]:
        return self.rejects + self.ingest.rejects


@dataclass(slots=True)
class FetchReport:
    outcomes: list[SourceOutcome] = field(default_factory=list)
    stopped: bool = False  # the stop event ended the pass early

    @property
    def rejects(self) -> list[Reject]:
        return [r for o in self.outcomes for r in o.all_rejects]

    @property
    def added(self) -> int:
        return sum(o.ingest.added for o in self.outcomes)

    def summary(self) -> str:
        failed = sum(1 for o in self.outcomes if o.error)
        unchanged = sum(1 for o in self.outcomes if o.not_modified)
        totals = IngestReport()
        for o in self.outcomes:
            totals.read += o.ingest.read
            totals.added += o.ingest.added
            totals.duplicates += o.ingest.duplicates + o.known
            totals.near_duplicates += o.ingest.near_duplicates
            totals.rejects += o.all_rejects
        text = (
            f"{len(self.outcomes)} source(s) polled, {unchanged} unchanged, {failed} failed; "
            f"{totals.summary()}"
        )
        return text + (" (stopped early)" if self.stopped else "")


def fetch_all(
    store: Store,
    settings: Settings,
    client: Fetcher | None = None,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[SourceOutcome], None] | None = None,
    source: str | None = None,
    stop: threading.Event | None = None,
    extract: bool = True,
) -> FetchReport:
    """One pass over every declared source (or only ``source``, by id or URL)."""
    if source is None:
        sources = store.sources()
    else:
        found = store.find_source(canonical_url(source) if "://" in source else source)
        if found is None:
            raise WatchfloorError(
                f"no source {source!r}; `watchfloor sources list` shows ids and URLs"
            )
        sources = [found]
    if on_start:
        on_start(len(sources))
    report = FetchReport()
    fetcher = client or Fetcher(FetchOptions.from_settings(settings), stop=stop)
    try:
        for declared in sources:
            if stop is not None and stop.is_set():
                report.stopped = True
                break
            outcome = poll_source(store, declared, settings, fetcher, stop, extract)
            report.outcomes.append(outcome)
            if on_progress:
                on_progress(outcome)
            if not outcome.complete:
                report.stopped = True
                break
    finally:
        if client is None:
            fetcher.close()
    return report


def poll_source(
    store: Store,
    source: Source,
    settings: Settings,
    fetcher: Fetcher,
    stop: threading.Event | None = None,
    extract: bool = True,
) -> SourceOutcome:
    """Fetch one source, store its new articles and rejects, and record the poll."""
    outcome = SourceOutcome(source)
    polled_at = datetime.now(UTC)
    articles: list[Article] = []
    validators: tuple[str | None, str | None] = (source.etag, source.last_modified)
    title = None
    try:
        if source.kind == "feed":
            validators, title = _poll_feed(store, source, fetcher, stop, outcome, articles)
        else:
            validators = _poll_page(source, fetcher, outcome, articles)
    except FetchCancelled:
        outcome.complete = False
    except FetchError as exc:
        outcome.error = exc.reason + (f": {exc.detail}" if exc.detail else "")
        outcome.rejects.append(Reject(source.url, exc.reason, exc.raw_hash, exc.detail))
    except Exception as exc:  # one source's surprise must not end a month-long watch
        outcome.error = f"unexpected error: {exc!r}"
        outcome.rejects.append(Reject(source.url, "unexpected error", "", repr(exc)))
    # What was fetched is stored even when the pass stopped midway: each article is whole.
    if articles:
        outcome.ingest = ingest_articles(articles, store, settings, extract=extract)
    if outcome.rejects:
        store.add_rejects(outcome.rejects)
    if outcome.reached or outcome.error:
        etag, last_modified = (
            validators if outcome.complete else (source.etag, source.last_modified)
        )
        store.record_poll(
            SourcePoll(
                source_id=source.id,
                polled_at=polled_at,
                error=outcome.error,
                articles_added=outcome.ingest.added,
                rejects=len(outcome.all_rejects),
                etag=etag,
                last_modified=last_modified,
                title=title,
            )
        )
    return outcome


def _poll_feed(
    store: Store,
    source: Source,
    fetcher: Fetcher,
    stop: threading.Event | None,
    outcome: SourceOutcome,
    articles: list[Article],
) -> tuple[tuple[str | None, str | None], str | None]:
    """Fetch a feed and each new entry's page; returns the validators to keep and the feed's
    title."""
    result = fetcher.get(source.url, "feed", source.etag, source.last_modified)
    outcome.reached = True
    if result.not_modified:
        outcome.not_modified = True
        return (result.etag or source.etag, result.last_modified or source.last_modified), None
    parsed = parse_feed(result)
    if parsed.bozo and not parsed.entries:
        raise FetchError(
            source.url,
            "malformed feed",
            str(parsed.get("bozo_exception", "")),
            body=result.body,
        )
    feed_title = " ".join(parsed.feed.get("title", "").split())
    outcome.entries = len(parsed.entries)
    linked: dict[str, feedparser.FeedParserDict] = {}
    for number, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link") or entry.get("id") or ""
        if urlsplit(link).scheme.lower() not in ("http", "https"):
            outcome.rejects.append(
                Reject(
                    f"{source.url}#entry-{number}",
                    "feed entry has no link",
                    raw_hash(repr(entry).encode()),
                    link,
                )
            )
            continue
        linked.setdefault(canonical_url(link), entry)
    known = store.known_urls(linked)
    outcome.known = len(known)
    settled = True
    for url, entry in linked.items():
        if url in known:
            continue
        if stop is not None and stop.is_set():
            raise FetchCancelled(url)
        item, transient = entry_article(fetcher, url, entry, feed_title or source.title)
        if isinstance(item, Reject):
            outcome.rejects.append(item)
            settled = settled and not transient
        else:
            articles.append(item)
    validators = (
        (result.etag, result.last_modified) if settled else (source.etag, source.last_modified)
    )
    return validators, feed_title or None


def entry_article(
    fetcher: Fetcher, url: str, entry: feedparser.FeedParserDict, feed_title: str
) -> tuple[Article | Reject, bool]:
    """The article for one feed entry, from its page with the feed's fields filling gaps, or
    the reject; the flag says a later poll may succeed where this one failed."""
    from_feed = entry_fields(entry, feed_title)
    page: dict = {}
    stated_date = None  # the page's own publication timestamp, from its meta tags
    failure: FetchError | None = None
    body = repr(entry).encode()
    try:
        result = fetcher.get(url, "page")
        body = result.body
        html = result.text()
        page = _extract(html, result.url) or {}
        stated_date = published_meta(html)
    except FetchError as exc:
        failure = exc
    page_text = page.get("text") or ""
    words = len(page_text.split())
    if words >= MIN_ARTICLE_WORDS:
        text = page_text
    elif len((from_feed["text"] or "").split()) >= MIN_ARTICLE_WORDS:
        # The page had no article (or could not be fetched) but the feed carries one. A teaser
        # does not stand in: storing it would hide the article behind its URL for good.
        text = from_feed["text"]
    elif failure is not None:
        return Reject(url, failure.reason, failure.raw_hash, failure.detail), failure.transient
    else:
        return Reject(url, "no article text found in HTML", raw_hash(body), f"{words} words"), False
    fields = {
        "url": url,
        "title": page.get("title") or from_feed["title"],
        "author": page.get("author") or from_feed["author"],
        # A date the page states beats the feed's; the feed's beats one the extractor guessed
        # (from a copyright line, say).
        "published": stated_date or from_feed["published"] or page.get("published"),
        "source": page.get("source") or feed_title,
        "language": None,  # detected from the text: declared languages are often a template's
        "text": text,
    }
    try:
        return build_article(fields, NO_PATH), False
    except FieldError as exc:
        return Reject(url, str(exc), raw_hash(body)), False


def _poll_page(
    source: Source, fetcher: Fetcher, outcome: SourceOutcome, articles: list[Article]
) -> tuple[str | None, str | None]:
    result = fetcher.get(source.url, "page", source.etag, source.last_modified)
    outcome.reached = True
    outcome.entries = 1
    if result.not_modified:
        outcome.not_modified = True
        return result.etag or source.etag, result.last_modified or source.last_modified
    page = _extract(result.text(), result.url)
    words = len(page["text"].split()) if page else 0
    if not page or words < MIN_ARTICLE_WORDS:
        outcome.rejects.append(
            Reject(source.url, "no article text found in HTML", result.raw_hash, f"{words} words")
        )
    else:
        try:
            articles.append(build_article({**page, "url": source.url, "language": None}, NO_PATH))
        except FieldError as exc:
            outcome.rejects.append(Reject(source.url, str(exc), result.raw_hash))
    return result.etag, result.last_modified


def _extract(html: str, url: str) -> dict | None:
    try:
        return extract_page(html, url)
    except Exception:  # a page that breaks the extractor is a reject, not a crash
        return None


def watch(
    store: Store,
    settings: Settings,
    every: float,
    stop: threading.Event,
    client: Fetcher | None = None,
    on_pass: Callable[[FetchReport], None] | None = None,
    extract: bool = True,
) -> int:
    """Poll all sources every ``every`` seconds until ``stop`` is set; the pass under way
    stops between requests (a download in progress is abandoned). Returns the passes run."""
    if every <= 0:
        raise WatchfloorError("the watch interval must be longer than zero")
    fetcher = client or Fetcher(FetchOptions.from_settings(settings), stop=stop)
    passes = 0
    try:
        while not stop.is_set():
            started = time.monotonic()
            report = fetch_all(store, settings, fetcher, stop=stop, extract=extract)
            passes += 1
            if on_pass:
                on_pass(report)
            stop.wait(max(0.0, every - (time.monotonic() - started)))
    finally:
        if client is None:
            fetcher.close()
    return passes


@contextmanager
def stop_on_signals(
    stop: threading.Event, signals: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)
) -> Iterator[threading.Event]:
    """Inside this block SIGINT and SIGTERM set ``stop`` so work ends cleanly; a second signal
    interrupts at once. Call from the main thread."""

    def handle(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {number: signal.signal(number, handle) for number in signals}
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
