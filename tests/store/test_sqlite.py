"""What is particular to the SQLite store: one plain file in WAL mode, FTS5 syntax escaped."""

from __future__ import annotations

import sqlite3

import pytest

from tests.store.sample import make_article, make_facts
from watchfloor.errors import WatchfloorError
from watchfloor.store import SqliteStore
from watchfloor.store.migrations import Migration
from watchfloor.store.sqlite import fts_query


def test_wal_journal_and_migrations_table(tmp_path):
    s = SqliteStore(tmp_path / "w.db")
    assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = s.db.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert [tuple(r) for r in rows][0] == (1, "initial")
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    s.close()


def test_fts_query_quotes_every_term():
    assert fts_query('Kyiv AND "drones') == '"Kyiv" "AND" "drones"'
    with pytest.raises(WatchfloorError, match="no words"):
        fts_query("!!")


def test_database_opens_in_plain_sqlite3(tmp_path):
    path = tmp_path / "plain.db"
    s = SqliteStore(path)
    article = make_article()
    s.add([(article, make_facts(article))])
    s.close()
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "articles",
        "sentences",
        "mentions",
        "time_expressions",
        "counts",
        "quotes",
        "events",
        "event_evidence",
        "rejects",
        "schema_migrations",
    } <= tables
    assert db.execute("SELECT role, value, event_id IS NOT NULL FROM counts").fetchall() == [
        ("drones", 440.0, 1)
    ]


def test_migrations_apply_in_order_once(tmp_path):
    s = SqliteStore(tmp_path / "m.db")
    current = s.schema_version()
    extra = Migration(current + 1, "notes", ["CREATE TABLE notes (id INTEGER PRIMARY KEY)"])
    assert s.migrate([extra]) == [current + 1]
    assert s.migrate([extra]) == []
    broken = Migration(current + 2, "broken", ["CREATE TABLE t (x)", "NOT SQL"])
    with pytest.raises(sqlite3.OperationalError):
        s.migrate([broken])
    assert s.schema_version() == current + 1  # the failed migration left nothing behind
    assert s.db.execute("SELECT name FROM sqlite_master WHERE name = 't'").fetchone() is None
