"""Readers turn one local file into Articles, and whatever cannot be read into Rejects.

A reader never raises for bad content: it yields a Reject with the reason and goes on, so one
malformed item never costs the rest of the file.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from watchfloor.model import Article, Reject

ReadResult = Article | Reject
Reader = Callable[[Path, bytes], Iterator[ReadResult]]


def raw_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def reject(source: str, reason: str, raw: bytes, detail: str = "") -> Reject:
    return Reject(source=source, reason=reason, raw_hash=raw_hash(raw), detail=detail)


def decode(path: Path, raw: bytes) -> str:
    """UTF-8 (with or without BOM); anything else is an error the caller records."""
    return raw.decode("utf-8-sig")


def _readers() -> dict[str, Reader]:
    from watchfloor.ingest.readers import feed, html, jsonl, text

    return {
        ".jsonl": jsonl.read,
        ".txt": text.read,
        ".md": text.read,
        ".markdown": text.read,
        ".html": html.read,
        ".htm": html.read,
        ".rss": feed.read,
        ".atom": feed.read,
        ".xml": feed.read,
    }


def supported_suffixes() -> list[str]:
    return sorted(_readers())


def content_suffix(path: Path) -> str:
    """The suffix that names the format: ``page.html.gz`` is HTML."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def reader_for(path: Path) -> Reader | None:
    return _readers().get(content_suffix(path))


def read_path(path: Path) -> Iterator[ReadResult]:
    """Articles and rejects from one file."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield Reject(source=source, reason="unreadable file", raw_hash="", detail=str(exc))
        return
    if path.suffix.lower() == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            yield reject(source, "corrupt gzip file", raw, str(exc))
            return
    reader = reader_for(path)
    if reader is None:
        yield reject(
            source,
            "unsupported file type",
            raw,
            f"{content_suffix(path) or 'no suffix'}; supported: {', '.join(supported_suffixes())}",
        )
        return
    try:
        yield from reader(path, raw)
    except UnicodeDecodeError as exc:
        yield reject(source, "undecodable bytes", raw, f"not UTF-8: {exc}")
