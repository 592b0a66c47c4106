"""Storage: the Store protocol and its engines. Nothing outside this package writes SQL."""

from __future__ import annotations

from pathlib import Path

from watchfloor.errors import WatchfloorError
from watchfloor.store.base import AddResult, SearchHit, Store
from watchfloor.store.sqlite import SqliteStore

__all__ = ["AddResult", "SearchHit", "SqliteStore", "Store", "open_store"]


def open_store(location: str | Path) -> Store:
    """Open the store at ``location``: a SQLite file path (created when missing)."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        raise WatchfloorError(
            f"{text}: the PostgreSQL store is not available in this version; use a SQLite file path"
        )
    return SqliteStore(text)
