"""Storage: the Store protocol and its engines. Nothing outside this package writes SQL."""

from __future__ import annotations

from pathlib import Path

from watchfloor.store.base import AddResult, SearchHit, Store
from watchfloor.store.postgres import PostgresStore, is_postgres_url, redact
from watchfloor.store.sqlite import SqliteStore

__all__ = [
    "AddResult",
    "PostgresStore",
    "SearchHit",
    "SqliteStore",
    "Store",
    "open_store",
    "redact",
]


def open_store(location: str | Path) -> Store:
    """Open the store at ``location``: a PostgreSQL URL (postgresql://user:password@host/db),
    or else a SQLite file path (created when missing). Either is migrated to the latest
    schema."""
    text = str(location)
    if is_postgres_url(text):
        return PostgresStore(text)
    return SqliteStore(text)
