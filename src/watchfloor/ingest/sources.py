"""Declared network sources: add a feed or page URL (or every feed of an OPML file), remove
one, and write them all out as OPML."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.etree
import lxml.html

from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.ingest.fetch import Fetcher, FetchError, FetchOptions, FetchResult
from watchfloor.ingest.urls import canonical_url
from watchfloor.store.base import Source, Store

KINDS = ("feed", "page")


@dataclass(slots=True)
class AddedSources:
    added: list[Source] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # URLs that were declared before
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (OPML entry, why) skipped


@dataclass(frozen=True, slots=True)
class OpmlEntry:
    url: str
    kind: str  # "feed" (an outline's xmlUrl) or "page" (a link outline's url)
    title: str


def source_url(url: str) -> str:
    """The canonical form of a source URL; only http(s) URLs with a host are sources."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise WatchfloorError(f"{url!r} is not a source: give an http(s) URL or an OPML file")
    return canonical_url(url)


def parse_feed(result: FetchResult) -> feedparser.FeedParserDict:
    """feedparser over a fetched body: given as a stream, so it never opens a file or a URL the
    content names; relative links resolve against the URL, the HTTP charset is heard."""
    content_type = result.content_type or "application/xml"
    if result.charset:
        content_type += f"; charset={result.charset}"
    headers = {"content-location": result.url, "content-type": content_type}
    return feedparser.parse(io.BytesIO(result.body), response_headers=headers)


def page_title(html: str) -> str:
    try:
        title = lxml.html.document_fromstring(html).findtext(".//title") or ""
    except (lxml.etree.ParserError, ValueError):
        return ""
    return " ".join(title.split())


def detect_kind(result: FetchResult) -> tuple[str, str]:
    """("feed" or "page", its title) for a fetched URL; raises when it is neither."""
    if result.content_type == "text/html":
        return "page", page_title(result.text())
    parsed = parse_feed(result)
    if parsed.get("version") or parsed.entries:
        return "feed", " ".join(parsed.feed.get("title", "").split())
    head = result.body[:1024].lower()
    if b"<html" in head or b"<!doctype html" in head:
        return "page", page_title(result.text())
    raise WatchfloorError(
        f"{result.url} is neither a feed nor an HTML page "
        f"(content type {result.content_type or 'not given'})"
    )


def read_opml(raw: bytes, origin: str) -> list[OpmlEntry]:
    """Every feed (outline with an xmlUrl) and page (link outline with a url) of an OPML file,
    nested outlines included."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = lxml.etree.fromstring(raw, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise WatchfloorError(f"{origin} is not valid OPML: {exc}") from exc
    if root.tag != "opml":
        raise WatchfloorError(f"{origin} is not an OPML file (its root element is <{root.tag}>)")
    entries = []
    for outline in root.iter("outline"):
        attrs = {key.lower(): value.strip() for key, value in outline.attrib.items()}
        title = " ".join((attrs.get("title") or attrs.get("text") or "").split())
        if attrs.get("xmlurl"):
            entries.append(OpmlEntry(attrs["xmlurl"], "feed", title))
        elif attrs.get("type") == "link" and attrs.get("url"):
            entries.append(OpmlEntry(attrs["url"], "page", title))
    return entries


def opml_document(sources: list[Source], now: datetime | None = None) -> str:
    """The sources as an OPML 2.0 document: feeds as rss outlines, pages as link outlines."""
    opml = lxml.etree.Element("opml", version="2.0")
    head = lxml.etree.SubElement(opml, "head")
    lxml.etree.SubElement(head, "title").text = "Watchfloor sources"
    created = (now or datetime.now(UTC)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    lxml.etree.SubElement(head, "dateCreated").text = created
    body = lxml.etree.SubElement(opml, "body")
    for source in sources:
        title = source.title or source.url
        if source.kind == "feed":
            attrs = {"type": "rss", "text": title, "title": title, "xmlUrl": source.url}
        else:
            attrs = {"type": "link", "text": title, "title": title, "url": source.url}
        lxml.etree.SubElement(body, "outline", attrs)
    return lxml.etree.tostring(opml, encoding="unicode", pretty_print=True, doctype=None)


def probe(url: str, fetcher: Fetcher) -> tuple[str, str]:
    """Fetch ``url`` once to learn whether it is a feed or a page, and its title."""
    try:
        result = fetcher.get(url, "any")
    except FetchError as exc:
        raise WatchfloorError(
            f"cannot add {url}: {exc.reason}"
            + (f" ({exc.detail})" if exc.detail else "")
            + "; check the URL, or give --kind feed|page to add it without fetching it"
        ) from exc
    return detect_kind(result)


def add_sources(
    store: Store,
    target: str,
    settings: Settings,
    client: Fetcher | None = None,
    kind: str | None = None,
) -> AddedSources:
    """Declare ``target``: an http(s) URL of a feed or a page, or an OPML file (each of its
    feeds). A URL is fetched once to learn its kind unless ``kind`` is given."""
    if kind is not None and kind not in KINDS:
        raise WatchfloorError(f"kind {kind!r}: choose feed or page")
    outcome = AddedSources()
    path = Path(target)
    if urlsplit(target).scheme.lower() not in ("http", "https") and path.is_file():
        for entry in read_opml(path.read_bytes(), target):
            try:
                url = source_url(entry.url)
            except WatchfloorError as exc:
                outcome.invalid.append((entry.url, str(exc)))
                continue
            _declare(store, url, entry.kind, entry.title, outcome)
        return outcome
    if not target.lower().startswith(("http://", "https://")):
        raise WatchfloorError(f"{target!r} is neither an http(s) URL nor an existing OPML file")
    url = source_url(target)
    if store.find_source(url):
        outcome.already.append(url)
        return outcome
    title = ""
    if kind is None:
        fetcher = client or Fetcher(FetchOptions.from_settings(settings))
        try:
            kind, title = probe(url, fetcher)
        finally:
            if client is None:
                fetcher.close()
    _declare(store, url, kind, title, outcome)
    return outcome


def _declare(store: Store, url: str, kind: str, title: str, outcome: AddedSources) -> None:
    source = store.add_source(url, kind, title)
    if source is None:
        outcome.already.append(url)
    else:
        outcome.added.append(source)


def remove_source(store: Store, key: str) -> Source:
    """Forget the source with this id or URL (the articles it brought stay)."""
    key = key.strip()
    source = store.find_source(canonical_url(key) if "://" in key else key)
    if source is None:
        raise WatchfloorError(f"no source {key!r}; `watchfloor sources list` shows ids and URLs")
    store.remove_source(source.id)
    return source
