"""Readers turn one local file into Articles, and whatever cannot be read into Rejects.

A reader never raises for bad content: it yields a Reject with the reason and goes on, so one
malformed item never costs the rest of the file.

Files are read as a stream, decompressed as they go: formats of one record per line or row
(JSON Lines, CSV and TSV, GDELT exports) are read record by record, so memory does not grow with
the file; formats that are one document (pages, notes, feeds) are read whole.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from watchfloor.model import Article, Imported, Reject

ReadResult = Article | Imported | Reject


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Everything a user can tell the readers, in one object."""

    # CSV and JSON Lines: our field name -> the file's column or key (e.g. {"text": "body"});
    # fields not named are found by their usual names (see readers/table.py ALIASES).
    columns: dict[str, str] = field(default_factory=dict)


class ContentError(Exception):
    """The file's content cannot be read on: a corrupt archive, or the disk failing mid-file."""


# What the decompressors and file reads raise for content that cannot be read on.
_CONTENT_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile)


class _HashedStream(io.RawIOBase):
    """Passes ``stream`` through, hashing every byte read, and turns read failures into
    ContentError so readers never mistake them for bad records."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        # One read of the stream at a time (readinto1): a decompressor gives what it has before
        # it fails, so a truncated archive yields the records before the cut.
        self._readinto = getattr(stream, "readinto1", stream.readinto)
        self._stream = stream
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            count = self._readinto(buffer) or 0
        except _CONTENT_ERRORS as exc:
            raise ContentError(str(exc)) from exc
        self.sha256.update(memoryview(buffer)[:count])
        return count

    def close(self) -> None:
        self._stream.close()
        super().close()


class Content(io.BufferedReader):
    """A file's content (decompressed) as a binary stream. Knows the SHA-256 of all of it, for
    a reject of the whole file, without holding it: the hash grows as the bytes are read."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__(_HashedStream(stream), buffer_size=1 << 16)

    def sha256(self) -> str:
        """The hash of the whole content; reads what is left of it (and raises ContentError
        if that cannot be read)."""
        while self.read(1 << 20):
            pass
        return self.raw.sha256.hexdigest()


Reader = Callable[[Path, bytes, ReadOptions], Iterator[ReadResult]]
"""Reads a format that is one document (a page, a note, a feed) from all of its bytes."""
StreamReader = Callable[[Path, Content, ReadOptions], Iterator[ReadResult]]
"""Reads a format of one record per line or row from a stream, record by record."""
COMPRESSED = (".gz", ".xz", ".bz2", ".zip")


def raw_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def reject(source: str, reason: str, raw: bytes | Content, detail: str = "") -> Reject:
    """A reject identified by the hash of ``raw``: a record's bytes, or a whole file's content."""
    digest = raw.sha256() if isinstance(raw, Content) else raw_hash(raw)
    return Reject(source=source, reason=reason, raw_hash=digest, detail=detail)


def decode(path: Path, raw: bytes) -> str:
    """UTF-8 (with or without BOM); anything else is an error the caller records."""
    return raw.decode("utf-8-sig")


def _stream_readers() -> dict[str, StreamReader]:
    from watchfloor.ingest.readers import jsonl, table

    return {".jsonl": jsonl.read, ".csv": table.read, ".tsv": table.read}


def _document_readers() -> dict[str, Reader]:
    from watchfloor.ingest.readers import feed, html, jsonfeed, text

    return {
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
    return sorted({**_stream_readers(), **_document_readers()})


def content_suffix(path: Path) -> str:
    """The suffix that names the format: ``page.html.gz`` is HTML."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSED:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _named_readers() -> dict[str, StreamReader]:
    """Formats known by how their files end, checked before the suffix: a GDELT export ends
    in .CSV but is not a CSV file with a header."""
    from watchfloor.ingest.readers import gdelt

    return {
        ".export.csv": gdelt.read_events,
        ".gkg.csv": gdelt.read_gkg,
        ".mentions.csv": gdelt.read_mentions,
    }


def reader_for(path: Path) -> StreamReader | Reader | None:
    name = path.name.lower()
    if path.suffix.lower() in COMPRESSED:
        name = name.removesuffix(path.suffix.lower())
    for ending, reader in _named_readers().items():
        if name.endswith(ending):
            return reader
    suffix = content_suffix(path)
    return _stream_readers().get(suffix) or _document_readers().get(suffix)


def _streams(reader: StreamReader | Reader) -> bool:
    return reader in (*_stream_readers().values(), *_named_readers().values())


def _zip_member(path: Path) -> BinaryIO:
    """The one file in a zip archive, as a stream (it keeps the archive open until closed)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise ContentError(f"expected one file in the zip archive, found {len(members)}")
            return archive.open(members[0])
    # RuntimeError: an encrypted member, or (NotImplementedError) an unknown compression method;
    # as unreadable as a corrupt archive.
    except (zipfile.BadZipFile, RuntimeError, ValueError, EOFError) as exc:
        raise ContentError(str(exc)) from exc


def open_content(path: Path) -> Content:
    """The file's content, decompressed as it is read (.gz, .xz, .bz2, or the one file in a
    .zip). Raises OSError when the file cannot be opened, ContentError for a broken zip."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return Content(_zip_member(path))
    opener = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}.get(suffix)
    return Content(opener(path, "rb") if opener else open(path, "rb", buffering=0))


def _file_sha256(path: Path) -> str:
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return ""


def _unreadable(path: Path, exc: ContentError) -> Reject:
    """The reject of a file whose content stops being readable; it stands for the file's bytes
    as stored (what was read before the failure has been yielded already)."""
    suffix = path.suffix.lower()
    reason = f"corrupt {suffix[1:]} archive" if suffix in COMPRESSED else "unreadable file"
    return Reject(source=str(path), reason=reason, raw_hash=_file_sha256(path), detail=str(exc))


def _read(path: Path, content: Content, options: ReadOptions) -> Iterator[ReadResult]:
    reader = reader_for(path)
    if reader is None:
        suffix = content_suffix(path) or "no suffix"
        detail = f"{suffix}; supported: {', '.join(supported_suffixes())}"
        yield reject(str(path), "unsupported file type", content, detail)
    elif _streams(reader):
        yield from reader(path, content, options)
    else:
        raw = content.read()
        try:
            yield from reader(path, raw, options)
        except UnicodeDecodeError as exc:
            yield reject(str(path), "undecodable bytes", raw, f"not UTF-8: {exc}")


def read_path(path: Path, options: ReadOptions | None = None) -> Iterator[ReadResult]:
    """Articles (or imported stubs with their facts) and rejects from one file. Content that
    stops being readable part way (a truncated archive) keeps what was read before it."""
    try:
        content = open_content(path)
    except OSError as exc:
        yield Reject(source=str(path), reason="unreadable file", raw_hash="", detail=str(exc))
        return
    except ContentError as exc:
        yield _unreadable(path, exc)
        return
    with content:
        try:
            yield from _read(path, content, options or ReadOptions())
        except ContentError as exc:
            yield _unreadable(path, exc)
