"""Plain text and Markdown: title from YAML front matter, else the first line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from watchfloor.ingest.readers import ReadOptions, ReadResult, decode, reject
from watchfloor.ingest.readers.fields import FieldError, build_article


def split_front_matter(content: str) -> tuple[dict, str]:
    """YAML between leading '---' lines, and the body after it."""
    if not content.startswith("---"):
        return {}, content
    head, sep, body = content[3:].partition("\n---")
    if not sep:
        return {}, content
    meta = yaml.safe_load(head) or {}
    if not isinstance(meta, dict):
        raise FieldError("front matter is not a mapping")
    return meta, body.partition("\n")[2]


_MARKDOWN = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE), ""),  # heading markers
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # strong emphasis
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # emphasis
]


def markdown_to_text(body: str) -> str:
    for pattern, replacement in _MARKDOWN:
        body = pattern.sub(replacement, body)
    return body


def read(path: Path, raw: bytes, options: ReadOptions) -> Iterator[ReadResult]:
    content = decode(path, raw).replace("\r\n", "\n")
    try:
        meta, body = split_front_matter(content)
    except yaml.YAMLError as exc:
        yield reject(str(path), "malformed front matter", raw, str(exc))
        return
    except FieldError as exc:
        yield reject(str(path), str(exc), raw)
        return
    if not meta.get("title"):
        first, _, rest = body.strip().partition("\n")
        meta["title"] = first.lstrip("#").strip()
        body = rest
    try:
        if path.suffix.lower() in (".md", ".markdown"):
            body = markdown_to_text(body)
        yield build_article({**meta, "text": body}, path)
    except FieldError as exc:
        yield reject(str(path), str(exc), raw)
