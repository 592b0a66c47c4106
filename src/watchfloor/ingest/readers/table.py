"""CSV and TSV files: a header row, then one article per row.

Which column holds which of our fields comes from ``ReadOptions.columns`` (our field ->
the file's column, e.g. ``{"text": "body"}``); a field not mapped there is looked up by its own
name or a common alias (headline, body, content, date, link, outlet, ...), ignoring case.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from watchfloor.errors import WatchfloorError
from watchfloor.ingest.readers import Content, ReadOptions, ReadResult, content_suffix, reject
from watchfloor.ingest.readers.fields import FieldError, build_article

# Our fields and the column names that stand for them when the user maps nothing.
ALIASES: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "uri", "href"),
    "title": ("title", "headline", "heading"),
    "text": ("text", "body", "content", "article", "story", "full_text"),
    "source": ("source", "outlet", "publisher", "publication", "site"),
    "published": (
        "published", "date", "published_at", "published_date", "publish_date", "pubdate",
        "datetime", "timestamp",
    ),
    "author": ("author", "byline", "authors", "writer"),
    "language": ("language", "lang"),
}  # fmt: skip
FIELDS = tuple(ALIASES)
# Fields a row cannot do without (build_article rejects a row lacking either).
REQUIRED = ("title", "text")
# Long article bodies exceed the csv module's default 128 KiB field limit.
MAX_FIELD_CHARS = 64 * 1024 * 1024
_EXAMPLE = "e.g. --columns title=headline,text=body"


def parse_column_mapping(text: str) -> dict[str, str]:
    """``"title=headline,text=body"`` -> ``{"title": "headline", "text": "body"}``."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        field, sign, column = (s.strip() for s in part.partition("="))
        if not sign or not field or not column:
            raise WatchfloorError(
                f"column mapping {part.strip()!r} is not FIELD=COLUMN; {_EXAMPLE}"
            )
        field = field.lower()
        if field not in ALIASES:
            raise WatchfloorError(
                f"column mapping names unknown field {field!r}; fields are {', '.join(FIELDS)}"
            )
        if field in mapping:
            raise WatchfloorError(f"column mapping names {field!r} twice; give each field once")
        mapping[field] = column
    return mapping


def _normal(name: str) -> str:
    return "_".join(name.strip().casefold().replace("-", " ").split())


def resolve_columns(header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Our field -> column position. Raises ValueError (a message for the reject) when a
    mapped column is absent or a required field has no column."""
    positions = {_normal(name): i for i, name in reversed(list(enumerate(header)))}
    columns: dict[str, int] = {}
    for field in FIELDS:
        if field in mapping:
            position = positions.get(_normal(mapping[field]))
            if position is None:
                raise ValueError(f"no column {mapping[field]!r} (mapped to {field})")
            columns[field] = position
            continue
        for alias in ALIASES[field]:
            if alias in positions:
                columns[field] = positions[alias]
                break
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        raise ValueError(f"no column for {' and '.join(missing)}")
    return columns


def _delimiter(path: Path, header_line: str) -> str:
    if content_suffix(path) == ".tsv":
        return "\t"
    # A .csv file may use semicolons or tabs; the header line tells which.
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _not_utf8(exc: UnicodeEncodeError) -> str:
    """The detail for a cell holding a byte that was not UTF-8 (kept as a lone surrogate)."""
    return f"not UTF-8: byte 0x{ord(exc.object[exc.start]) - 0xDC00:02x}"


def read(path: Path, content: Content, options: ReadOptions) -> Iterator[ReadResult]:
    source = str(path)
    unknown = sorted(set(options.columns) - set(ALIASES))
    if unknown:
        yield reject(source, "unknown field in column mapping", content, ", ".join(unknown))
        return
    csv.field_size_limit(MAX_FIELD_CHARS)
    # Decoded as it is read, row by row. A byte that is not UTF-8 stays in its cell as a lone
    # surrogate, so it costs only its own row: encoding the row back finds it.
    text = io.TextIOWrapper(content, encoding="utf-8-sig", errors="surrogateescape", newline="")
    header_line = text.readline()
    reader = csv.reader(chain([header_line], text), delimiter=_delimiter(path, header_line))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield reject(source, "malformed CSV header", content, str(exc))
        return
    if not header or not any(name.strip() for name in header):
        yield reject(source, "CSV file without a header row", content)
        return
    try:
        "".join(header).encode()
    except UnicodeEncodeError as exc:
        yield reject(source, "undecodable bytes", content, f"{_not_utf8(exc)} in the header row")
        return
    try:
        columns = resolve_columns(header, options.columns)
    except ValueError as exc:
        yield reject(
            source,
            "CSV columns do not fit",
            content,
            f"{exc}; the columns are {', '.join(repr(h) for h in header)}; "
            f"name them with a column mapping ({_EXAMPLE})",
        )
        return
    number = 0
    while True:
        number += 1
        position = f"#row-{number}"
        line = reader.line_num
        try:
            row = next(reader, None)
        except csv.Error as exc:
            yield reject(f"{source}{position}", "malformed CSV row", b"", str(exc))
            if reader.line_num == line:  # nothing consumed: the parser cannot go on
                return
            continue
        if row is None:
            return
        cells = "\x1f".join(row)  # the row's cells, for the reject's hash
        try:
            row_bytes = cells.encode()
        except UnicodeEncodeError as exc:
            raw = cells.encode(errors="surrogateescape")
            yield reject(f"{source}{position}", "undecodable bytes", raw, _not_utf8(exc))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield reject(
                f"{source}{position}",
                "CSV row does not match the header",
                row_bytes,
                f"{len(row)} fields, the header has {len(header)}",
            )
            continue
        fields = {field: row[i] for field, i in columns.items()}
        try:
            yield build_article(fields, path, position=position)
        except FieldError as exc:
            yield reject(f"{source}{position}", str(exc), row_bytes)
