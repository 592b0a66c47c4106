"""Readers turn one local file into Articles, and whatever cannot be read into Rejects.

A reader never raises for bad content: it yields a Reject with the reason and goes on, so one
malformed item never costs the rest of the file.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import lzma
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from watchfloor.model import Article, Imported, Reject

ReadResult = Article | Imported | Reject


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Everything a user can tell the readers, in one object."""

    # CSV and JSON Lines: our field name -> the file's column or key (e.g. {"text": "body"});
    # fields not named are found by their usual names (see readers/table.py ALIASES).
    columns: dict[str, str] = field(default_factory=dict)


Reader = Callable[[Path, bytes, ReadOptions], Iterator[ReadResult]]
COMPRESSED = (".gz", ".xz", ".zip")


def raw_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def reject(source: str, reason: str, raw: bytes, detail: str = "") -> Reject:
    return Reject(source=source, reason=reason, raw_hash=raw_hash(raw), detail=detail)


def decode(path: Path, raw: bytes) -> str:
    """UTF-8 (with or without BOM); anything else is an error the caller records."""
    return raw.decode("utf-8-sig")


def _readers() -> dict[str, Reader]:
    from watchfloor.ingest.readers import feed, html, jsonfeed, jsonl, table, text

    return {
        ".jsonl": jsonl.read,
        ".csv": table.read,
        ".tsv": table.read,
        ".txt": text.read,
        ".md": text.read,
        ".markdown": text.read,
        ".html": html.read,
        ".htm": html.read,
        ".rss": feed.read,
        ".atom": feed.read,
        ".xml": feed.read,
        ".json": jsonfeed.read,
    }


def supported_suffixes() -> list[str]:
    return sorted(_readers())


def content_suffix(path: Path) -> str:
    """The suffix that names the format: ``page.html.gz`` is HTML."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSED:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _named_readers() -> dict[str, Reader]:
    """Formats known by how their files end, checked before the suffix: a GDELT export ends
    in .CSV but is not a CSV file with a header."""
    from watchfloor.ingest.readers import gdelt

    return {
        ".export.csv": gdelt.read_events,
        ".gkg.csv": gdelt.read_gkg,
        ".mentions.csv": gdelt.read_mentions,
    }


def reader_for(path: Path) -> Reader | None:
    name = path.name.lower()
    if path.suffix.lower() in COMPRESSED:
        name = name.removesuffix(path.suffix.lower())
    for ending, reader in _named_readers().items():
        if name.endswith(ending):
            return reader
    return _readers().get(content_suffix(path))


def decompress(suffix: str, raw: bytes) -> bytes:
    """The content of a .gz, .xz or single-file .zip archive."""
    if suffix == ".gz":
        return gzip.decompress(raw)
    if suffix == ".xz":
        return lzma.decompress(raw)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1:
            raise ValueError(f"expected one file in the zip archive, found {len(members)}")
        return archive.read(members[0])


def read_path(path: Path, options: ReadOptions | None = None) -> Iterator[ReadResult]:
    """Articles (or imported stubs with their facts) and rejects from one file."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield Reject(source=source, reason="unreadable file", raw_hash="", detail=str(exc))
        return
    suffix = path.suffix.lower()
    if suffix in COMPRESSED:
        try:
            raw = decompress(suffix, raw)
        except (
            OSError,
            EOFError,
            ValueError,
            zlib.error,
            lzma.LZMAError,
            zipfile.BadZipFile,
        ) as exc:
            yield reject(source, f"corrupt {suffix[1:]} archive", raw, str(exc))
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
        yield from reader(path, raw, options or ReadOptions())
    except UnicodeDecodeError as exc:
        yield reject(source, "undecodable bytes", raw, f"not UTF-8: {exc}")
