"""The web app over the demo corpus: a copy of the session's demo store with stories built and
the example alert rules fired, served by the app through FastAPI's test client."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from watchfloor.config import Settings

API_TOKEN = "test-token-5f2c"
EXAMPLE_RULES = Path(str(resources.files("watchfloor") / "data" / "alerts.yaml"))
# The example rules fire on the night attack on Kyiv and Odesa as of this evening.
RULES_CHECKED_AT = datetime(2025, 6, 17, 20, 0, tzinfo=UTC)


def copy_store(source: str | Path, target: Path) -> Path:
    """A consistent copy of a SQLite store (its write-ahead log included)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def prepare_demo(location: str) -> None:
    """Build the stories of the demo corpus stored at ``location``, fire the example alert rules
    and archive a briefing on the whole corpus."""
    from watchfloor.analyze.alerts import evaluate_alerts
    from watchfloor.analyze.stories import update_stories
    from watchfloor.brief import archive_briefing, compose_briefing
    from watchfloor.store import open_store

    settings = Settings(db=location, alerts=str(EXAMPLE_RULES))
    store = open_store(location)
    try:
        update_stories(store, settings)
        evaluate_alerts(store, settings, now=RULES_CHECKED_AT)
        archive_briefing(store, compose_briefing(store))
    finally:
        store.close()


@pytest.fixture(scope="session")
def web_db(demo_sqlite, tmp_path_factory) -> Path:
    """The demo store, copied and prepared (``prepare_demo``)."""
    path = copy_store(demo_sqlite.path, tmp_path_factory.mktemp("web") / "web.db")
    prepare_demo(str(path))
    return path


@pytest.fixture(scope="session")
def web_postgres(pg_schemas, demo_sqlite) -> str:
    """The demo corpus copied to PostgreSQL and prepared (``prepare_demo``): its URL."""
    from tests.store.pg import copy_articles
    from watchfloor.store import open_store

    url = pg_schemas.empty("web")
    with closing(open_store(url)) as store:
        assert copy_articles(demo_sqlite, store) == 42
    prepare_demo(url)
    return url


@pytest.fixture(scope="session")
def web_settings(web_db) -> Settings:
    return Settings(db=str(web_db), api_token=API_TOKEN)


@pytest.fixture(scope="session")
def app(web_settings):
    """The app over the prepared demo store (tests must not write through it)."""
    from watchfloor.web.app import create_app

    return create_app(web_settings)


@pytest.fixture(scope="session")
def client(app) -> TestClient:
    return TestClient(app)


@pytest.fixture
def writable_settings(web_db, tmp_path) -> Settings:
    """Settings over a copy of the prepared store that a test may write to."""
    return Settings(db=str(copy_store(web_db, tmp_path / "web.db")), api_token=API_TOKEN)
