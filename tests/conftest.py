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
