"""Turn loosely typed fields (from JSON, front matter, feeds, page metadata) into an Article."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dateutil import parser as date_parser

from watchfloor.ingest.language import detect_language
from watchfloor.ingest.urls import canonical_url, file_url
from watchfloor.model import Article


class FieldError(ValueError):
    """A field that makes the item unusable; the message becomes the reject reason."""


def parse_published(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    digits = str(value).strip()
    if digits.isdigit() and len(digits) in (10, 13):  # Unix time, in seconds or milliseconds
        return datetime.fromtimestamp(int(digits) / (1000 if len(digits) == 13 else 1), tz=UTC)
    try:
        return date_parser.isoparse(str(value))
    except ValueError:
        try:
            return date_parser.parse(str(value))
        except (ValueError, OverflowError) as exc:
            raise FieldError(f"unreadable publication date {value!r}") from exc


def clean_text(text: str) -> str:
    """Normalise line endings and trim each paragraph; paragraphs stay separated by a blank line."""
    paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


_PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def same_line(a: str, b: str) -> bool:
    """Equal but for case and curly versus straight quotes."""
    return a.translate(_PLAIN_QUOTES).casefold() == b.translate(_PLAIN_QUOTES).casefold()


def _author(value: Any) -> str | None:
    """One author string; a list of names (or of {"name": ...}) is joined."""
    if isinstance(value, list):
        names = [v.get("name", "") if isinstance(v, dict) else str(v) for v in value]
        value = ", ".join(n.strip() for n in names if n and n.strip())
    return str(value).strip() or None if value else None


def build_article(fields: dict[str, Any], path: Path, position: str = "") -> Article:
    """Validate ``fields`` (url, title, text, source, published, author, language); the
    language is detected from the text when the source does not declare it."""
    title = " ".join(str(fields.get("title") or "").split())
    text = clean_text(str(fields.get("text") or ""))
    # Pages and feeds often repeat the headline as the body's first line.
    first, _, rest = text.partition("\n\n")
    if title and same_line(first, title):
        text = rest
    if not text:
        raise FieldError("empty text")
    if not title:
        raise FieldError("missing title")
    raw_url = str(fields.get("url") or "").strip()
    if raw_url:
        scheme = urlsplit(raw_url).scheme.lower()
        if scheme not in ("http", "https", "file"):
            raise FieldError(f"unsupported URL {raw_url!r}")
        url = canonical_url(raw_url)
    else:
        url = file_url(path) + position
    source = str(fields.get("source") or "").strip() or urlsplit(url).hostname or "local file"
    return Article(
        url=url,
        title=title,
        text=text,
        source=source,
        published=parse_published(fields.get("published")),
        fetched_at=datetime.now(UTC),
        language=str(fields.get("language") or detect_language(text)),
        author=_author(fields.get("author")),
    )
