"""One Watchfloor store per Entities topic, built once by our pipeline and kept under out/.

Ingesting a topic runs the whole product path (near-duplicate detection, extraction, SQLite)
on its articles; it takes minutes, so the store is kept and reused while it is complete.
``python -m eval.tls_stores`` builds them all ahead of ``make eval``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from eval.paths import REPO
from eval.tls_data import entities, read_articles
from watchfloor.config import Settings
from watchfloor.pipeline import ingest_articles
from watchfloor.store import open_store
from watchfloor.store.base import Store

CACHE = REPO / "out" / "tls"


def store_path(entity: str, cache: Path = CACHE) -> Path:
    return cache / f"{entity}.db"


def _done_marker(entity: str, cache: Path) -> Path:
    return cache / f"{entity}.done"


def topic_store(entity: str, cache: Path = CACHE) -> Store:
    """The topic's store, ingested first when no complete one is cached."""
    path = store_path(entity, cache)
    marker = _done_marker(entity, cache)
    if path.exists() and marker.exists():
        return open_store(path)
    path.unlink(missing_ok=True)
    store = open_store(path)
    started = time.perf_counter()
    report = ingest_articles(read_articles(entity), store, Settings())
    seconds = time.perf_counter() - started
    marker.write_text(f"{report.summary()}; {seconds:.0f} s\n", encoding="utf-8")
    return store


def build_all(cache: Path = CACHE) -> None:
    for entity in entities():
        started = time.perf_counter()
        topic_store(entity, cache).close()
        print(f"{entity}: {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    build_all()
