"""Shared fixtures. Third-party data comes from ../shared (beside the repo, also in CI);
tests that need it skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WATCHFLOOR_SHARED", REPO.parent / "shared"))
DEMO = REPO / "src" / "watchfloor" / "data" / "demo"
# Store engines the `store` and `demo_store` fixtures run each test on.
ENGINES = ["sqlite", "postgresql"]


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder {SHARED} is not present")
    return SHARED


@pytest.fixture(scope="session")
def pg_schemas():
    """PostgreSQL schemas for this session (skips when WATCHFLOOR_TEST_POSTGRES is unset or
    unreachable)."""
    from tests.store.pg import SessionSchemas

    schemas = SessionSchemas()
    yield schemas
    schemas.drop()


def _empty_store(engine: str, role: str, request, tmp_path: Path):
    """A new empty store of ``engine``: a SQLite file in ``tmp_path``, or this session's
    PostgreSQL schema for ``role``, emptied."""
    from watchfloor.store import open_store

    if engine == "sqlite":
        return open_store(tmp_path / f"{role}.db")
    return open_store(request.getfixturevalue("pg_schemas").empty(role))


@pytest.fixture(params=ENGINES)
def store(request, tmp_path):
    s = _empty_store(request.param, "store", request, tmp_path)
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory):
    """The demo corpus ingested once per test session (read-only for tests)."""
    from watchfloor.cli import demo_paths
    from watchfloor.config import Settings
    from watchfloor.pipeline import ingest_paths
    from watchfloor.store import open_store

    s = open_store(tmp_path_factory.mktemp("demo") / "demo.db")
    report = ingest_paths(demo_paths(), s, Settings())
    assert report.rejects == [] and report.added == 42
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_postgres(pg_schemas, demo_sqlite):
    """The demo corpus in PostgreSQL (read-only for tests): the SQLite store's articles and
    facts copied, so the demo is ingested once."""
    from tests.store.pg import copy_articles
    from watchfloor.store import open_store

    s = open_store(pg_schemas.empty("demo"))
    assert copy_articles(demo_sqlite, s) == 42
    yield s
    s.close()


@pytest.fixture(scope="session", params=ENGINES)
def demo_store(request):
    """The demo corpus in each engine (read-only for tests)."""
    return request.getfixturevalue("demo_sqlite" if request.param == "sqlite" else "demo_postgres")


@pytest.fixture
def demo_copy(demo_store, request, tmp_path):
    """A private copy of the demo corpus in the engine of ``demo_store``, for tests that write."""
    from tests.store.pg import copy_articles
    from watchfloor.store import SqliteStore

    engine = "sqlite" if isinstance(demo_store, SqliteStore) else "postgresql"
    s = _empty_store(engine, "demo_copy", request, tmp_path)
    assert copy_articles(demo_store, s) == 42
    yield s
    s.close()
