"""RSS and Atom files (feedparser); each entry's HTML content becomes the article text."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import feedparser
import lxml.html

from watchfloor.ingest.readers import ReadOptions, ReadResult, reject
from watchfloor.ingest.readers.fields import FieldError, build_article

BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "li", "blockquote", "pre")


def html_fragment_to_text(fragment: str) -> str:
    """Paragraph text of an HTML fragment, one paragraph per block element."""
    if "<" not in fragment:
        return fragment
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    blocks = [" ".join(el.text_content().split()) for el in root.iter(*BLOCK_TAGS)]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else " ".join(root.text_content().split())


def entry_fields(entry: feedparser.FeedParserDict, feed_title: str) -> dict:
    # The longest of the entry's content blocks and its summary is the article body.
    bodies = [c.get("value", "") for c in entry.get("content", [])]
    bodies.append(entry.get("summary", ""))
    body = max(bodies, key=len)
    return {
        "url": entry.get("link") or entry.get("id"),
        "title": entry.get("title"),
        "author": entry.get("author"),
        "published": entry.get("published") or entry.get("updated"),
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
    for number, entry in enumerate(parsed.entries, start=1):
        fields = entry_fields(entry, feed_title)
        fields["language"] = language.split("-")[0].lower() if language else None
        try:
            yield build_article(fields, path, position=f"#entry-{number}")
        except FieldError as exc:
            yield reject(f"{path}#entry-{number}", str(exc), repr(entry).encode())
