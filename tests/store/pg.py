"""PostgreSQL for tests: the server named by WATCHFLOOR_TEST_POSTGRES (a postgresql:// URL).
Stores live in schemas made for the test session and dropped at its end; tests skip when the
variable is unset or the server unreachable."""

from __future__ import annotations

import functools
import os
import uuid
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg
import pytest

from watchfloor.store import Store, open_store
from watchfloor.store.postgres import PostgresStore, redact

URL = os.environ.get("WATCHFLOOR_TEST_POSTGRES", "")


@functools.cache
def unavailable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    if not URL:
        return "WATCHFLOOR_TEST_POSTGRES is not set"
    try:
        psycopg.connect(URL, connect_timeout=5).close()
    except psycopg.Error as exc:
        return f"PostgreSQL at {redact(URL)} is unreachable: {exc}"
    return None


def in_schema(url: str, schema: str) -> str:
    """``url`` with its connections' search_path set to ``schema``."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), ("options", f"-csearch_path={schema}")]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


class SessionSchemas:
    """Schemas for one test session, one per use (``role``), dropped by :meth:`drop`. Each is
    migrated once and emptied before every test that uses it: creating and migrating a schema
    takes about a second, emptying one a few milliseconds."""

    def __init__(self) -> None:
        reason = unavailable()
        if reason:
            pytest.skip(reason)
        self.schemas: dict[str, str] = {}  # role -> schema name
        self.emptying: dict[str, str] = {}  # schema -> the statements that empty it

    def empty(self, role: str) -> str:
        """The URL of the schema for ``role``, its tables empty and its ids restarted."""
        schema = self.schemas.get(role)
        if schema is None:
            schema = self.schemas[role] = self._create()
            open_store(in_schema(URL, schema)).close()  # migrates it
            with psycopg.connect(URL, autocommit=True) as admin:
                tables = admin.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = %s"
                    " AND tablename <> 'schema_migrations'",
                    (schema,),
                ).fetchall()
                sequences = admin.execute(
                    "SELECT sequencename FROM pg_sequences WHERE schemaname = %s", (schema,)
                ).fetchall()
            # One round trip, one transaction: DELETE, as TRUNCATE is far slower on tiny tables.
            self.emptying[schema] = "; ".join(
                [f"DELETE FROM {schema}.{t}" for (t,) in tables]
                + [f"SELECT setval('{schema}.{s}', 1, false)" for (s,) in sequences]
            )
        else:
            with psycopg.connect(URL, autocommit=True) as admin:
                admin.execute(self.emptying[schema])
        return in_schema(URL, schema)

    def blank(self) -> str:
        """The URL of a new schema with no tables at all (not migrated)."""
        schema = self._create()
        self.schemas[schema] = schema
        return in_schema(URL, schema)

    @staticmethod
    def _create() -> str:
        schema = f"test_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(URL, autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {schema}")
        return schema

    def drop(self) -> None:
        with psycopg.connect(URL, autocommit=True) as admin:
            for schema in self.schemas.values():
                admin.execute(f"DROP SCHEMA {schema} CASCADE")


def copy_articles(source: Store, target: Store) -> int:
    """Copy every article with its facts from ``source`` into ``target`` (originals before
    the near-duplicates that point at them); returns how many were added."""
    articles = sorted(source.articles(), key=lambda a: a.duplicate_of is not None)
    result = target.add((a, source.facts(a.id)) for a in articles)
    return len(result.added)


def location(store: Store) -> str:
    """What ``open_store`` opens ``store`` again from (in another process): its SQLite file
    or its PostgreSQL URL."""
    return store.url if isinstance(store, PostgresStore) else store.path
