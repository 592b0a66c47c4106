"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org): the JSON sibling of RSS and Atom."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from watchfloor.ingest.readers import ReadOptions, ReadResult, decode, reject
from watchfloor.ingest.readers.feed import html_fragment_to_text, published_of
from watchfloor.ingest.readers.fields import FieldError, build_article

VERSION_PREFIX = "https://jsonfeed.org/version/"


def _author(item: dict, feed: dict) -> str | None:
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    authors = authors or feed.get("authors") or ([feed["author"]] if feed.get("author") else [])
    names = [a.get("name") for a in authors if isinstance(a, dict) and a.get("name")]
    return ", ".join(names) or None


def read(path: Path, raw: bytes, options: ReadOptions) -> Iterator[ReadResult]:
    try:
        feed = json.loads(decode(path, raw))
    except json.JSONDecodeError as exc:
        yield reject(str(path), "malformed JSON", raw, str(exc))
        return
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith(VERSION_PREFIX):
        yield reject(str(path), "not a JSON Feed", raw, f"no version starting {VERSION_PREFIX}")
        return
    base = feed.get("home_page_url") or feed.get("feed_url") or ""
    language = feed.get("language")
    for number, item in enumerate(feed.get("items") or [], start=1):
        if not isinstance(item, dict):
            yield reject(f"{path}#entry-{number}", "item is not an object", repr(item).encode())
            continue
        link = urljoin(base, item.get("url") or "") if item.get("url") else ""
        html = item.get("content_html")
        fields = {
            "url": link if urlsplit(link).scheme in ("http", "https") else None,
            "title": item.get("title") or "",
            "author": _author(item, feed),
            "published": published_of(
                item.get("date_published") or item.get("date_modified"), None
            ),
            "source": feed.get("title", ""),
            "language": (item.get("language") or language or "").split("-")[0].lower() or None,
            "text": html_fragment_to_text(html) if html else item.get("content_text") or "",
        }
        try:
            yield build_article(fields, path, position=f"#entry-{number}")
        except FieldError as exc:
            yield reject(f"{path}#entry-{number}", str(exc), json.dumps(item).encode())
