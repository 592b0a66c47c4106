from __future__ import annotations

import sqlite3

import pytest

from tests.brief.corpus import sample_corpus
from watchfloor.brief import compose_briefing
from watchfloor.store import open_store


@pytest.fixture
def sample_store(store):
    """The store fixture holding the hand-built sample corpus."""
    store.add(builder.build() for builder in sample_corpus())
    return store


@pytest.fixture(scope="session")
def demo_brief(demo_sqlite, tmp_path_factory):
    """A private copy of the session's SQLite demo store (composing places articles in
    stories, a write) and the briefing composed on it, once per session: what is tested here
    is the briefing, the same on any store engine."""
    path = tmp_path_factory.mktemp("brief") / "demo-brief.db"
    source, target = sqlite3.connect(demo_sqlite.path), sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    store = open_store(path)
    yield store, compose_briefing(store)
    store.close()
