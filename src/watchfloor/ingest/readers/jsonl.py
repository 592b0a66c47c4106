"""JSON Lines: one article per line with url, title, source, published, text (author, language),
or the same fields under their usual other names (body, headline, date, ...) or a mapping."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from watchfloor.ingest.readers import Content, ReadOptions, ReadResult, reject
from watchfloor.ingest.readers.fields import FieldError, build_article
from watchfloor.ingest.readers.table import resolve_columns


def read(path: Path, content: Content, options: ReadOptions) -> Iterator[ReadResult]:
    # Line by line from the stream of bytes: memory holds one line whatever the file's size, a
    # line that is not UTF-8 costs only that line, and only "\n" ends a line (JSON strings may
    # hold U+2028).
    for number, raw_line in enumerate(content, start=1):
        source = f"{path}:{number}"
        try:
            line = raw_line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield reject(source, "undecodable bytes", raw_line, f"not UTF-8: {exc}")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield reject(source, "malformed JSON", line.encode(), str(exc))
            continue
        if not isinstance(record, dict):
            yield reject(source, "not a JSON object", line.encode())
            continue
        keys = list(record)
        try:
            # Keys are matched like CSV columns: our names, their usual aliases, or a mapping.
            fields = {f: record[keys[i]] for f, i in resolve_columns(keys, options.columns).items()}
            yield build_article(fields, path, position=f"#line-{number}")
        except (FieldError, ValueError) as exc:
            yield reject(source, str(exc), line.encode())
