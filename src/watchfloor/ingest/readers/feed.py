"""RSS and Atom files (feedparser); each entry's HTML content becomes the article text."""

from __future__ import annotations

import html
import io
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import dateparser
import feedparser
import lxml.html
from dateutil.parser import UnknownTimezoneWarning

from watchfloor.ingest.readers import ReadOptions, ReadResult, reject
from watchfloor.ingest.readers.fields import FieldError, build_article, parse_published

BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "li", "blockquote", "pre")


def html_fragment_to_text(fragment: str) -> str:
    """Paragraph text of an HTML fragment, one paragraph per block element."""
    if "<" not in fragment:
        return html.unescape(fragment)
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    blocks = [" ".join(el.text_content().split()) for el in root.iter(*BLOCK_TAGS)]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else " ".join(root.text_content().split())


def published_of(text: str | None, parsed_utc: tuple | None) -> datetime | str | None:
    """The entry's date, layered: our parser when it finds the offset; feedparser's UTC reading
    when the date names its zone ("PST"); dateparser for month names in other languages."""
    if not text:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownTimezoneWarning)
            moment = parse_published(text)
    except FieldError:
        moment = None
    if moment is not None and moment.tzinfo is not None:
        return moment
    if parsed_utc:
        return datetime(*parsed_utc[:6], tzinfo=UTC)
    if moment is not None:
        return moment
    # Unreadable here too: the original text goes on, and build_article rejects it with reason.
    return dateparser.parse(text, settings={"RETURN_AS_TIMEZONE_AWARE": True}) or text


def entry_url(entry: feedparser.FeedParserDict, base: str) -> str | None:
    """The entry's web address, resolved against the feed's; None when it has none (an Atom
    entry with only a urn: or tag: id), so the reader names it by its place in the file."""
    link = urljoin(base, entry.get("link") or "") if entry.get("link") else ""
    return link if urlsplit(link).scheme in ("http", "https") else None


def plain_title(entry: feedparser.FeedParserDict) -> str:
    title = entry.get("title", "")
    if entry.get("title_detail", {}).get("type") == "text/html" and title:
        return html_fragment_to_text(title)
    return title


def entry_fields(entry: feedparser.FeedParserDict, feed_title: str, base: str = "") -> dict:
    # The longest of the entry's content blocks and its summary is the article body.
    bodies = [c.get("value", "") for c in entry.get("content", [])]
    bodies.append(entry.get("summary", ""))
    body = max(bodies, key=len)
    published_key = "published" if entry.get("published") else "updated"
    return {
        "url": entry_url(entry, base),
        "title": plain_title(entry),
        "author": entry.get("author"),
        "published": published_of(entry.get(published_key), entry.get(f"{published_key}_parsed")),
        "source": feed_title,
        "language": None,
        "text": html_fragment_to_text(body),
    }


def read(path: Path, raw: bytes, options: ReadOptions) -> Iterator[ReadResult]:
    # A BytesIO, because feedparser opens bytes that happen to name a local file.
    parsed = feedparser.parse(io.BytesIO(raw))
    if parsed.bozo and not parsed.entries:
        yield reject(str(path), "malformed feed", raw, str(parsed.get("bozo_exception", "")))
        return
    if not parsed.entries:
        yield reject(str(path), "feed has no entries", raw)
        return
    feed_title = parsed.feed.get("title", "")
    language = parsed.feed.get("language")
    # Relative entry links resolve against the feed's site link, itself resolved against the
    # feed's own address (its rel="self" link) when relative.
    own = next(
        (lk.get("href", "") for lk in parsed.feed.get("links", []) if lk.get("rel") == "self"), ""
    )
    base = urljoin(own, parsed.feed.get("link", ""))
    for number, entry in enumerate(parsed.entries, start=1):
        fields = entry_fields(entry, feed_title, base)
        fields["language"] = language.split("-")[0].lower() if language else None
        try:
            yield build_article(fields, path, position=f"#entry-{number}")
        except FieldError as exc:
            yield reject(f"{path}#entry-{number}", str(exc), repr(entry).encode())
