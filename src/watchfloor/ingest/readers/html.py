"""Saved web pages: main text and metadata by trafilatura."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import trafilatura
from lxml.etree import ParserError

from watchfloor.ingest.readers import ReadOptions, ReadResult, decode, reject
from watchfloor.ingest.readers.fields import FieldError, build_article

# Fewer words than this is navigation or a teaser, not an article; characters count too, for
# languages written without spaces (Chinese, Japanese).
MIN_ARTICLE_WORDS = 25
MIN_ARTICLE_CHARS = 200

# Ask htmldate for the full timestamp, not only the day, and for the original publication date.
DATE_OPTIONS = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


# Meta tags that carry the full publication timestamp; htmldate keeps only the day.
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "dc.date.issued",
    "pubdate",
)


def published_meta(html: str) -> str | None:
    """The publication timestamp from the page's meta tags, when it names one."""
    try:
        root = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None
    found = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in PUBLISHED_META and meta.get("content"):
            found.setdefault(key, meta.get("content").strip())
    return next((found[k] for k in PUBLISHED_META if k in found), None)


def extract_page(html: str, url: str | None = None) -> dict | None:
    """Main text (paragraphs separated by blank lines) and metadata of a page, or None."""
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=DATE_OPTIONS,
    )
    if document is None:
        return None
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = data.get("text") or ""
    return {
        "title": data.get("title"),
        "author": data.get("author"),
        "published": published_meta(html) or data.get("date"),
        "url": data.get("url") or url,
        "source": data.get("sitename") or data.get("hostname"),
        "language": data.get("language"),
        # trafilatura separates paragraphs with single newlines; our text uses blank lines.
        "text": "\n\n".join(line for line in text.splitlines() if line.strip()),
    }


def read(path: Path, raw: bytes, options: ReadOptions) -> Iterator[ReadResult]:
    page = extract_page(decode(path, raw))
    words = len(page["text"].split()) if page else 0
    if words < MIN_ARTICLE_WORDS and (not page or len(page["text"]) < MIN_ARTICLE_CHARS):
        yield reject(str(path), "no article text found in HTML", raw, f"{words} words of text")
        return
    try:
        yield build_article(page, path)
    except FieldError as exc:
        yield reject(str(path), str(exc), raw)
