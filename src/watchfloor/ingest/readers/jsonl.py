"""JSON Lines: one article per line with url, title, source, published, text (author, language),
or the same fields under their usual other names (body, headline, date, ...) or a mapping."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from watchfloor.ingest.readers import ReadOptions, ReadResult, decode, reject
from watchfloor.ingest.readers.fields import FieldError, build_article
from watchfloor.ingest.readers.table import resolve_columns


def read(path: Path, raw: bytes, options: ReadOptions) -> Iterator[ReadResult]:
    for number, line in enumerate(decode(path, raw).splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
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
