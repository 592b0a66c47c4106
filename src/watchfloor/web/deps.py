"""Request dependencies shared by the API and the pages."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request

from watchfloor.config import Settings
from watchfloor.store import Store, open_store


def settings(request: Request) -> Settings:
    return request.app.state.settings


def store(request: Request) -> Iterator[Store]:
    """A store opened for this request: SQLite connections belong to one thread, and FastAPI
    runs handlers on a thread pool."""
    opened = open_store(request.app.state.settings.db)
    try:
        yield opened
    finally:
        opened.close()
