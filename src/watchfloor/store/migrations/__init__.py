"""Numbered schema migrations, one folder per engine: ``<engine>/NNNN_name.sql``."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: list[str]


def split_statements(script: str) -> list[str]:
    """Split a script into complete statements (trigger bodies keep their inner semicolons)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        if not pending and line.lstrip().startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement at the end of a migration: {pending[:80]!r}")
    return statements


def load_migrations(engine: str) -> list[Migration]:
    folder = resources.files(__package__).joinpath(engine)
    migrations = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            migrations.append(
                Migration(int(match[1]), match[2], split_statements(entry.read_text("utf-8")))
            )
    return sorted(migrations, key=lambda m: m.version)
