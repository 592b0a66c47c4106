"""Large stores for benchmarks: the stored articles copied with new identities, in SQL inside
the store (SQLite or PostgreSQL).

Copy k of article X gets the id ``X.k``, the URL ``<url>#copy-k`` and the content hash
``<hash>.k``, and appears ``k * days_apart`` days later; its sentences, facts and story placement
are copied with it (full dates moved alike). A store of any size so holds real text and real
facts, at the density per day of the articles copied. Used by ``bench/latency.py`` only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from psycopg.rows import tuple_row

from watchfloor.store.postgres import PostgresStore
from watchfloor.store.sqlite import SqliteStore

# Copied in this order (references first), with the article's sentences and facts.
TABLES = (
    "articles",
    "sentences",
    "mentions",
    "time_expressions",
    "events",
    "event_evidence",
    "counts",
    "quotes",
    "person_titles",
    "article_themes",
    "near_duplicate_keys",
    "stories",
    "story_articles",
)
# The column naming a row's original article, where it is not ``article_id``.
_ORIGINAL = {"articles": "id", "stories": "substr(id, 3)"}  # story ids are 's-' + article id


class _Sqlite:
    """SQLite's spelling of what replication needs."""

    rowid = "rowid"  # numbers a table's rows in the order they were stored
    mark = "?"  # a positional parameter

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def execute(self, sql: str, params: dict | tuple = ()) -> list[tuple]:
        return [tuple(r) for r in self.store.db.execute(sql, params)]

    @staticmethod
    def param(name: str) -> str:
        return f":{name}"

    def shift(self) -> str:
        return f"'+' || (k * {self.param('days')}) || ' days'"

    def moved_instant(self, column: str) -> str:
        return f"strftime('%Y-%m-%dT%H:%M:%SZ', {column}, {self.shift()})"

    def moved_local(self, column: str) -> str:
        """A date and time as the source gave it (19 characters, then its UTC offset)."""
        return f"strftime('%Y-%m-%dT%H:%M:%S', substr({column}, 1, 19), {self.shift()})"

    def moved_day(self, column: str) -> str:
        return f"date({column}, {self.shift()})"

    def columns(self, table: str) -> list[str]:
        """The columns a copy sets; integer keys of a table's own are numbered afresh (events'
        ids are referenced, so they are set)."""
        return [
            name
            for name, kind, pk in self.execute(
                f"SELECT name, type, pk FROM pragma_table_info('{table}')"
            )
            if not (name == "id" and pk and kind.upper() == "INTEGER" and table != "events")
        ]

    def secondary_indexes(self) -> list[tuple[str, str]]:
        return self.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({', '.join('?' * len(TABLES))})",
            TABLES,
        )

    @contextmanager
    def foreign_keys_unchecked(self) -> Iterator[None]:
        # The copies of rows that met the foreign keys meet them too.
        self.store.db.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            self.store.db.execute("PRAGMA foreign_keys = ON")

    def transaction(self) -> AbstractContextManager:
        return self.store._transaction()

    def finish(self) -> None:
        """Nothing to do: SQLite numbers integer keys from the largest stored."""


class _Postgres(_Sqlite):
    """PostgreSQL's spelling of what replication needs."""

    rowid = "ctid"  # the originals were stored first and never moved: storage order
    mark = "%s"

    def __init__(self, store: PostgresStore) -> None:
        self.store = store  # type: ignore[assignment]

    def execute(self, sql: str, params: dict | tuple = ()) -> list[tuple]:
        # Without parameters the statement goes as written (a % in it is no placeholder).
        with self.store.db.cursor(row_factory=tuple_row) as cursor:
            cursor.execute(sql, params or None)
            return cursor.fetchall() if cursor.description else []

    @staticmethod
    def param(name: str) -> str:
        return f"%({name})s"

    def shift(self) -> str:
        return f"k * {self.param('days')} * interval '1 day'"

    def moved_instant(self, column: str) -> str:
        return f"""to_char({column}::timestamp + {self.shift()}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""

    def moved_local(self, column: str) -> str:
        return (
            f"to_char(substr({column}, 1, 19)::timestamp + {self.shift()},"
            """ 'YYYY-MM-DD"T"HH24:MI:SS')"""
        )

    def moved_day(self, column: str) -> str:
        return f"to_char({column}::date + {self.shift()}, 'YYYY-MM-DD')"

    def columns(self, table: str) -> list[str]:
        # Generated columns (the search terms, the stored order) are computed for each copy.
        return [
            name
            for name, identity in self.execute(
                "SELECT column_name, is_identity FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s"
                " AND is_generated = 'NEVER' AND identity_generation IS DISTINCT FROM 'ALWAYS'"
                " ORDER BY ordinal_position",
                (table,),
            )
            if not (name == "id" and identity == "YES" and table != "events")
        ]

    def secondary_indexes(self) -> list[tuple[str, str]]:
        return self.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() AND tablename = ANY(%s)"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            (list(TABLES),),
        )

    @contextmanager
    def foreign_keys_unchecked(self) -> Iterator[None]:
        # Checked as usual: turning them off takes a superuser; the referenced keys stay
        # indexed, so each check is one index lookup.
        yield

    def transaction(self) -> AbstractContextManager:
        return self.store.db.transaction()

    def finish(self) -> None:
        """Identity sequences past the ids copied; fresh statistics for the planner."""
        for (table,) in self.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = ANY(%s) AND column_name = 'id'"
            " AND is_identity = 'YES'",
            (list(TABLES),),
        ):
            self.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM {table}",
                (table,),
            )
        self.execute("ANALYZE")


def _copy_expressions(sql: _Sqlite) -> dict[tuple[str, str], str]:
    """How a column's value changes in copy k; other columns are copied as they are."""
    as_given = (
        f"CASE WHEN length(published) >= 19 THEN {sql.moved_local('published')}"
        " || substr(published, 20)"
        f" WHEN length(published) = 10 THEN {sql.moved_day('published')} ELSE published END"
    )
    event_id = f"event_id + k * {sql.param('event_ids')}"
    return {
        ("articles", "id"): "id || '.' || k",
        ("articles", "url"): "url || '#copy-' || k",
        ("articles", "content_hash"): "content_hash || '.' || k",
        ("articles", "duplicate_of"): "duplicate_of || '.' || k",
        ("articles", "published"): as_given,
        ("articles", "published_utc"): sql.moved_instant("published_utc"),
        ("events", "id"): f"id + k * {sql.param('event_ids')}",
        ("events", "external_id"): "external_id || '.' || k",
        ("events", "date"): _moved_full_date(sql, "date"),
        ("time_expressions", "date"): _moved_full_date(sql, "date"),
        ("event_evidence", "event_id"): event_id,
        ("counts", "event_id"): event_id,
        ("stories", "id"): "id || '.' || k",
        ("stories", "title_article_id"): "title_article_id || '.' || k",
        ("stories", "start_utc"): sql.moved_instant("start_utc"),
        ("stories", "end_utc"): sql.moved_instant("end_utc"),
        ("story_articles", "story_id"): "story_id || '.' || k",
    }


def _moved_full_date(sql: _Sqlite, column: str) -> str:
    return f"CASE WHEN length({column}) = 10 THEN {sql.moved_day(column)} ELSE {column} END"


def dialect(store: SqliteStore | PostgresStore) -> _Sqlite:
    """The store's SQL spelling: ``execute`` (rows as tuples), ``mark`` (a positional
    parameter), ``rowid`` (the storage order of rows)."""
    return _Postgres(store) if isinstance(store, PostgresStore) else _Sqlite(store)


def replicate(
    store: SqliteStore | PostgresStore, copies: int, days_apart: float = 1.0, chunk: int = 25
) -> int:
    """Bring the store to ``copies`` copies of each original article (those stored before any
    copy), adding the missing ones ``chunk`` copies per statement; returns the number of
    articles stored."""
    sql = dialect(store)
    originals = [r[0] for r in sql.execute("SELECT id FROM articles WHERE id NOT LIKE '%.%'")]
    if not originals:
        return 0
    done = sql.execute("SELECT count(*) FROM articles")[0][0] // len(originals) - 1
    sql.execute("CREATE TEMP TABLE IF NOT EXISTS originals (id TEXT PRIMARY KEY)")
    sql.execute("CREATE TEMP TABLE IF NOT EXISTS copy_numbers (k INTEGER PRIMARY KEY)")
    sql.execute("DELETE FROM originals")
    for article_id in originals:
        sql.execute(f"INSERT INTO originals VALUES ({sql.mark})", (article_id,))
    changed = _copy_expressions(sql)
    statements = []
    for table in TABLES:
        # The originals' rows, numbered in the order they were stored, set apart once: the
        # copies are then read from these small tables, not found among the growing ones.
        key = _ORIGINAL.get(table, "article_id")
        sql.execute(f"DROP TABLE IF EXISTS original_{table}")
        sql.execute(
            f"CREATE TEMP TABLE original_{table} AS SELECT row_number() OVER"
            f" (ORDER BY {sql.rowid}) AS copy_order, * FROM {table}"
            f" WHERE {key} IN (SELECT id FROM originals)"
        )
        columns = sql.columns(table)
        values = [
            changed.get((table, c), f"{c} || '.' || k" if c == "article_id" else f"t.{c}")
            for c in columns
        ]
        statements.append(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)}"
            f" FROM copy_numbers, original_{table} AS t ORDER BY k, t.copy_order"
        )
    # Copy k of event i is event i + k * event_ids: unique, and the same on every call.
    event_ids = sql.execute("SELECT coalesce(max(id), 0) FROM original_events")[0][0]
    # Secondary indexes are built once at the end (a sort) rather than row by row.
    indexes = sql.secondary_indexes()
    with sql.foreign_keys_unchecked():
        try:
            for name, _ in indexes:
                sql.execute(f"DROP INDEX {name}")
            for first in range(done + 1, copies + 1, chunk):
                with sql.transaction():
                    sql.execute("DELETE FROM copy_numbers")
                    for k in range(first, min(first + chunk, copies + 1)):
                        sql.execute(f"INSERT INTO copy_numbers VALUES ({sql.mark})", (k,))
                    for statement in statements:
                        sql.execute(statement, {"days": days_apart, "event_ids": event_ids})
        finally:
            for _, create in indexes:
                sql.execute(create)
    sql.finish()
    return sql.execute("SELECT count(*) FROM articles")[0][0]
