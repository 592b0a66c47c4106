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


def split_statements(script: str, sqlite_triggers: bool = True) -> list[str]:
    """Split a script into complete statements (SQLite trigger bodies keep their inner
    semicolons). ``sqlite_triggers`` False: a CREATE TRIGGER ends at its first semicolon, as
    PostgreSQL's do (their bodies are functions, quoted)."""
    # SQLite's tokenizer waits for END after CREATE TRIGGER; a leading word turns that off.
    prefix = "" if sqlite_triggers else "SELECT "
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        if not pending and line.lstrip().startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(prefix + pending):
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
                Migration(
                    int(match[1]),
                    match[2],
                    split_statements(entry.read_text("utf-8"), engine == "sqlite"),
                )
            )
    return sorted(migrations, key=lambda m: m.version)
