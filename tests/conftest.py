"""Shared fixtures. Third-party data comes from ../shared (beside the repo, also in CI);
tests that need it skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WATCHFLOOR_SHARED", REPO.parent / "shared"))
DEMO = REPO / "src" / "watchfloor" / "data" / "demo"


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder {SHARED} is not present")
    return SHARED


@pytest.fixture
def store(tmp_path):
    from watchfloor.store import open_store

    s = open_store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory):
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
