"""The PostgreSQL store: the SQLite store's schema, semantics and orders on a server that many
processes write at once.

Columns hold the same values as SQLite's (ISO 8601 text for instants, JSON text for lists), so
rows map to records with the SQLite store's mappers. Full-text search is a generated tsvector
(english stemming) with a GIN index. Concurrent writers are safe: every uniqueness is a
constraint and inserts skip conflicts (ON CONFLICT DO NOTHING), so several processes ingesting
the same files store each article once; migrations run under an advisory lock.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

import psycopg
from psycopg.rows import dict_row

from watchfloor.errors import WatchfloorError
from watchfloor.model import Article, ArticleFacts, Count, Reject, Sentence, Story
from watchfloor.store.base import (
    SEARCH_WINDOW,
    AddResult,
    AlertRecord,
    ArchivedBriefing,
    DayFigures,
    EntitySummary,
    SearchHit,
    Source,
    SourcePoll,
    StoredEvent,
    StoredMention,
    StoredQuote,
    StoryLink,
    StoryMaterial,
)
from watchfloor.store.migrations import Migration, load_migrations
from watchfloor.store.sqlite import (
    FACT_TABLES,
    SqliteStore,
    _count_key,
    _iso,
    _like,
    _parse_dt,
    _utc,
    assemble_facts,
    day_bounds,
    fact_tables,
    facts_digest,
    figure_rows,
    fts_query,
    read_day_figures,
    read_publication_days,
    story_from_row,
)

T = TypeVar("T")

# pg_advisory_lock key held while migrating: b"watchflr" as a signed 64-bit integer.
MIGRATION_LOCK = int.from_bytes(b"watchflr", "big", signed=True)
# A writer that deadlocks with another (both inserting the same articles in different orders)
# is rolled back by the server; its batch is then written again.
WRITE_ATTEMPTS = 5
# Imported facts are remembered by digest, so merging them again adds nothing.
RECORD_IMPORT = (
    "INSERT INTO imported_facts (article_id, facts_hash, merged_at) VALUES (%s, %s, %s)"
    " ON CONFLICT DO NOTHING"
)
SENTENCE_COLUMNS = "article_id, sentence_index, start_char, end_char, text"
# What facts_many() reads of a list of articles, table by table, each row with its article's
# id. Facts imported without a sentence (NULL) come first, as SQLite sorts them.
_MANY = " WHERE article_id = ANY(%s)"
_BY_ARTICLE = _MANY + " ORDER BY sentence_index NULLS FIRST, id"
FACT_QUERIES = {
    "sentences": f"SELECT {SENTENCE_COLUMNS} FROM sentences" + _MANY + " ORDER BY sentence_index",
    "mentions": "SELECT * FROM mentions" + _BY_ARTICLE,
    "time_expressions": "SELECT * FROM time_expressions" + _BY_ARTICLE,
    "counts": "SELECT * FROM counts" + _BY_ARTICLE,
    "quotes": "SELECT * FROM quotes" + _BY_ARTICLE,
    "events": "SELECT * FROM events" + _BY_ARTICLE,
    "event_evidence": "SELECT article_id, event_id, sentence_index FROM event_evidence"
    + _MANY
    + " ORDER BY event_id, sentence_index",
    "person_titles": "SELECT * FROM person_titles" + _BY_ARTICLE,
    "near_duplicate_keys": "SELECT article_id, band_key FROM near_duplicate_keys"
    + _MANY
    + " ORDER BY id",
    "article_themes": "SELECT article_id, theme FROM article_themes" + _MANY + " ORDER BY theme",
}
# Search snippets: matched terms in [brackets], at most 24 words, as SQLite's snippet().
HEADLINE = 'StartSel="[", StopSel="]", MaxWords=24, MinWords=20'
_MARKED = re.compile(r"\[([^\[\]]*)\]")
_PASSWORD = re.compile(r"(://[^:/@]*):[^@]*@")

# The SQLite store's row mappers: the columns hold the same values here.
_article = SqliteStore._article
_sentence = SqliteStore._sentence
_count = SqliteStore._count
_mention = SqliteStore._mention
_quote = SqliteStore._quote
_title = SqliteStore._title
_time = SqliteStore._time
_event = SqliteStore._event
_source = SqliteStore._source
_briefing = SqliteStore._briefing


def is_postgres_url(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """A store location fit for messages: a URL's password replaced by ***."""
    return _PASSWORD.sub(r"\1:***@", url)


def _ellipsised(text: str, headline: str) -> str:
    """Mark with … the ends of ``text`` that ``headline`` (a fragment of it) leaves out."""
    plain = _MARKED.sub(r"\1", headline)
    return (
        ("" if text.startswith(plain) else "…") + headline + ("" if text.endswith(plain) else "…")
    )


class PostgresStore:
    """Implements :class:`watchfloor.store.base.Store` on a PostgreSQL database.

    ``url`` is a libpq URL (postgresql://user:password@host:port/database?options=...); the
    tables are created in the first schema of the connection's search_path.
    """

    search_window = SEARCH_WINDOW
    # A search's first slice of stored order holds this many sentences per match wanted: a
    # word in 1 % of sentences or more is found in one.
    first_slice_per_match = 100

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            # Autocommit: reads see the latest commits; writes are explicit transactions.
            self.db = psycopg.connect(url, autocommit=True, row_factory=dict_row)
            self.migrate()
        except psycopg.Error as exc:  # unreachable, refused, or not allowed to create tables
            raise WatchfloorError(f"cannot open database {redact(url)}: {exc}") from exc

    # -- schema ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        row = self.db.execute("SELECT to_regclass('schema_migrations') AS t").fetchone()
        if row["t"] is None:
            return 0
        row = self.db.execute("SELECT max(version) AS v FROM schema_migrations").fetchone()
        return row["v"] or 0

    def migrate(self, migrations: list[Migration] | None = None) -> list[int]:
        """Apply migrations newer than the database's version, each in its own transaction.
        Processes opening a new database at once wait for each other: one applies them."""
        migrations = migrations or load_migrations("postgresql")
        if max(m.version for m in migrations) <= self.schema_version():
            return []  # the usual case: no lock taken
        applied = []
        self.db.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            current = self.schema_version()
            for migration in migrations:
                if migration.version <= current:
                    continue
                with self.db.transaction():
                    for statement in migration.statements:
                        self.db.execute(statement)
                    self.db.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at)"
                        " VALUES (%s, %s, %s)",
                        (migration.version, migration.name, _utc(datetime.now(UTC))),
                    )
                applied.append(migration.version)
        finally:
            self.db.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
        return applied

    def close(self) -> None:
        self.db.close()

    # -- writing --------------------------------------------------------------------------

    def find_duplicate(self, article: Article) -> str | None:
        row = self.db.execute(
            "SELECT id FROM articles WHERE url = %s OR content_hash = %s LIMIT 1",
            (article.url, article.content_hash),
        ).fetchone()
        return row["id"] if row else None

    def _write(self, write: Callable[[], T]) -> T:
        """Run ``write`` in a transaction; again when the server rolled it back to break a
        deadlock with another writer."""
        for attempt in itertools.count(1):
            try:
                with self.db.transaction():
                    return write()
            except psycopg.errors.DeadlockDetected:
                if attempt == WRITE_ATTEMPTS:
                    raise

    def add(self, batch: Iterable[tuple[Article, ArticleFacts]]) -> AddResult:
        items = list(batch)
        return self._write(lambda: self._add(items))

    def _add(self, items: list[tuple[Article, ArticleFacts]]) -> AddResult:
        # Every statement is sent for the whole batch in one pipeline: a round trip per table,
        # not per row. An article insert waits for a concurrent writer of the same URL or text
        # to finish, then skips the article if that writer committed it.
        with self.db.cursor() as cur:
            cur.executemany(
                "INSERT INTO articles (id, url, content_hash, title, source, published,"
                " published_utc, fetched_at, language, author, text, duplicate_of)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING RETURNING id",
                [
                    (
                        a.id,
                        a.url,
                        a.content_hash,
                        a.title,
                        a.source,
                        _iso(a.published),
                        _utc(a.published),
                        _iso(a.fetched_at),
                        a.language,
                        a.author,
                        a.text,
                        a.duplicate_of,
                    )
                    for a, _ in items
                ],
                returning=True,
            )
            inserted = [bool(result.fetchall()) for result in cur.results()]
        result = AddResult(added=[], duplicates=[])
        stored = []
        for (article, facts), new in zip(items, inserted, strict=True):
            if new:
                result.added.append(article.id)
                stored.append((article, facts))
            else:
                result.duplicates.append((article.url, self.find_duplicate(article)))
        self._insert_facts([(a.id, f) for a, f in stored])
        self._drop_day_figures({_utc(a.published)[:10] for a, _ in stored if a.published})
        with self.db.cursor() as cur:  # stubs: all their facts were imported
            cur.executemany(
                RECORD_IMPORT,
                [(a.id, facts_digest(f), _utc(datetime.now(UTC))) for a, f in stored if not a.text],
            )
        return result

    def _insert_facts(self, batch: list[tuple[str, ArticleFacts]]) -> None:
        """Insert the facts of these articles (article id, facts)."""
        with self.db.cursor() as cur:
            self._copy(
                cur,
                "sentences (article_id, sentence_index, start_char, end_char, text)",
                [(i, s.index, s.start, s.end, s.text) for i, f in batch for s in f.sentences],
            )
            self._copy(
                cur,
                "mentions (article_id, sentence_index, text, label, start_char, end_char,"
                " linked_id, lat, lon)",
                [
                    (i, m.sentence_index, m.text, m.label, m.start, m.end, m.linked_id)
                    + (m.lat, m.lon)
                    for i, f in batch
                    for m in f.mentions
                ],
            )
            self._copy(
                cur,
                "person_titles (article_id, sentence_index, text, start_char, end_char, person,"
                " role, jurisdiction)",
                [
                    (i, t.sentence_index, t.text, t.start, t.end, t.person, t.role, t.jurisdiction)
                    for i, f in batch
                    for t in f.titles
                ],
            )
            self._copy(
                cur,
                "near_duplicate_keys (band_key, article_id)",
                [(key, i) for i, f in batch for key in f.band_keys],
            )
            cur.executemany(  # merged imports may repeat a theme the article has
                "INSERT INTO article_themes (article_id, theme) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING",
                [(i, theme) for i, f in batch for theme in f.themes],
            )
            self._copy(
                cur,
                "time_expressions (article_id, sentence_index, text, start_char, end_char, value,"
                " precision, date, is_relative, timex_type)",
                [
                    (
                        i,
                        t.sentence_index,
                        t.text,
                        t.start,
                        t.end,
                        t.value,
                        t.precision,
                        t.date.isoformat() if t.date else None,
                        int(t.relative),
                        t.timex_type,
                    )
                    for i, f in batch
                    for t in f.times
                ],
            )
            self._copy(
                cur,
                "quotes (article_id, sentence_index, text, start_char, end_char, speaker,"
                " speaker_role, is_direct, cue, speaker_start, speaker_end)",
                [
                    (
                        i,
                        q.sentence_index,
                        q.text,
                        q.start,
                        q.end,
                        q.speaker,
                        q.role,
                        int(q.direct),
                        q.cue,
                        q.speaker_start,
                        q.speaker_end,
                    )
                    for i, f in batch
                    for q in f.quotes
                ],
            )
            # An imported event is stored once however many files or articles repeat it: a
            # repeat returns no id.
            cur.executemany(
                "INSERT INTO events (article_id, sentence_index, category, trigger_text, date,"
                " date_precision, actors, targets, actor_countries, target_countries, place,"
                " place_id, place_country, lat, lon, origin, external_id, cameo_code, goldstein,"
                " tone, plover) VALUES (" + ", ".join(["%s"] * 21) + ")"
                " ON CONFLICT (origin, external_id) DO NOTHING RETURNING id",
                [
                    (
                        i,
                        e.sentence_index,
                        e.category,
                        e.trigger,
                        e.date.isoformat() if e.date else None,
                        e.date_precision,
                        json.dumps(e.actors, ensure_ascii=False),
                        json.dumps(e.targets, ensure_ascii=False),
                        json.dumps(e.actor_countries),
                        json.dumps(e.target_countries),
                        e.place,
                        e.place_id,
                        e.place_country,
                        e.lat,
                        e.lon,
                        e.origin,
                        e.external_id,
                        e.cameo_code,
                        e.goldstein,
                        e.tone,
                        e.plover,
                    )
                    for i, f in batch
                    for e in f.events
                ],
                returning=True,
            )
            event_ids = iter([rows[0]["id"] if rows else None for rows in map(list, cur.results())])
            evidence_rows, count_rows = [], []
            for i, f in batch:
                # A count belongs to the event whose sentence it came from, matched by its span.
                event_of_count: dict[tuple, int] = {}
                for e in f.events:
                    event_id = next(event_ids)
                    if event_id is None:
                        continue
                    evidence = e.evidence or (
                        [e.sentence_index] if e.sentence_index is not None else []
                    )
                    evidence_rows += [(event_id, i, n) for n in dict.fromkeys(evidence)]
                    for c in e.counts:
                        event_of_count.setdefault(_count_key(c), event_id)
                counts: dict[tuple, Count] = {_count_key(c): c for c in f.counts}
                for e in f.events:  # counts attached only to an event are stored too
                    for c in e.counts:
                        counts.setdefault(_count_key(c), c)
                count_rows += [
                    (
                        i,
                        c.sentence_index,
                        event_of_count.get(span),
                        c.text,
                        c.start,
                        c.end,
                        c.value,
                        c.value_max,
                        c.what,
                        c.role,
                        c.approx,
                        int(c.is_update),
                        c.approx_kind,
                    )
                    for span, c in sorted(counts.items())
                ]
            self._copy(cur, "event_evidence (event_id, article_id, sentence_index)", evidence_rows)
            self._copy(
                cur,
                "counts (article_id, sentence_index, event_id, text, start_char, end_char, value,"
                " value_max, what, role, approx, is_update, approx_kind)",
                count_rows,
            )

    @staticmethod
    def _copy(cur: psycopg.Cursor, into: str, rows: list[tuple]) -> None:
        """Write rows into ``into`` ("table (columns)") with COPY: one stream for the batch,
        far faster than an INSERT per row. For tables where nothing can conflict."""
        if rows:
            with cur.copy(f"COPY {into} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def merge_imported(self, article_id: str, facts: ArticleFacts) -> bool:
        """Add facts imported for an article already stored. The same facts merged twice (or
        by two processes at once) are stored once."""

        def merge() -> bool:
            merged = self._record_import(article_id, facts)
            if merged:
                self._insert_facts([(article_id, replace(facts, sentences=[], band_keys=[]))])
                self._drop_figures_of(article_id)
            return merged

        return self._write(merge)

    def _record_import(self, article_id: str, facts: ArticleFacts) -> bool:
        """Remember imported facts by digest; False when they were recorded before."""
        cur = self.db.execute(
            RECORD_IMPORT, (article_id, facts_digest(facts), _utc(datetime.now(UTC)))
        )
        return bool(cur.rowcount)

    def near_duplicate_candidates(self, band_keys: list[int]) -> list[str]:
        if not band_keys:
            return []
        rows = self.db.execute(
            "SELECT DISTINCT article_id FROM near_duplicate_keys WHERE band_key = ANY(%s)",
            (band_keys,),
        )
        return [r["article_id"] for r in rows]

    def add_rejects(self, rejects: Iterable[Reject]) -> None:
        now = _utc(datetime.now(UTC))
        rows = [(r.source, r.reason, r.raw_hash, r.detail, now) for r in rejects]
        self._write(
            lambda: self.db.cursor().executemany(
                "INSERT INTO rejects (source, reason, raw_hash, detail, first_seen)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                rows,
            )
        )

    # -- reading --------------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = %s", (article_id,)).fetchone()
        return _article(row) if row else None

    def articles(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        query: str | None = None,
    ) -> list[Article]:
        where, params = [], []
        if since:
            where.append("published_utc >= %s")
            params.append(_utc(since))
        if until:
            where.append("published_utc < %s")
            params.append(_utc(until))
        if query:
            where.append(
                "(id IN (SELECT article_id FROM sentences"
                " WHERE terms @@ plainto_tsquery('english', %s)) OR title ILIKE %s)"
            )
            params += [fts_query(query), f"%{query}%"]
        sql = "SELECT * FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published_utc NULLS FIRST, id"  # SQLite sorts NULL first
        return [_article(r) for r in self.db.execute(sql, params)]

    def sentence(self, article_id: str, index: int) -> Sentence | None:
        row = self.db.execute(
            f"SELECT {SENTENCE_COLUMNS} FROM sentences"
            " WHERE article_id = %s AND sentence_index = %s",
            (article_id, index),
        ).fetchone()
        return _sentence(row) if row else None

    def facts(self, article_id: str) -> ArticleFacts:
        return self.facts_many([article_id])[article_id]

    def facts_many(
        self, article_ids: Iterable[str], only: Collection[str] | None = None
    ) -> dict[str, ArticleFacts]:
        # The queries go out together in one pipeline: one round trip to the server, not ten.
        wanted = list(dict.fromkeys(article_ids))
        with self.db.pipeline():
            sent = {t: self.db.execute(FACT_QUERIES[t], (wanted,)) for t in fact_tables(only)}
        return assemble_facts(wanted, {t: cur.fetchall() for t, cur in sent.items()}, only)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        # The search_window newest matches are gathered slice by slice of stored order, newest
        # first: each slice is a bitmap of the word's matches (GIN) cut to a range of stored
        # order (BRIN), so only pages holding matches are read. One unbounded query walked
        # sentences_by_stored_order back over millions of rows for a word in 0.2 % of
        # sentences, or fetched and sorted every match of a rarer one. The next slice is sized
        # from how often the word matched so far. Only the order and rank of each match come
        # back; the ``limit`` best are then read whole, terms marked (ts_headline is costly).
        # Never prepared: which plan is best depends on how common the words are.
        words = fts_query(query)
        newest = self.db.execute("SELECT max(stored_order) AS n FROM sentences").fetchone()["n"]
        matches: list[dict] = []  # rank and stored_order of each
        high, span = newest or 0, max(1, round(self.search_window * self.first_slice_per_match))
        while high > 0 and len(matches) < self.search_window:
            low = max(high - span, 0)
            matches += self.db.execute(
                "SELECT -ts_rank(terms, q) AS rank, stored_order"
                " FROM (SELECT stored_order, terms, q"
                " FROM sentences, plainto_tsquery('english', %s) AS q"
                " WHERE terms @@ q AND stored_order > %s AND stored_order <= %s"
                " ORDER BY stored_order DESC LIMIT %s) AS slice",
                (words, low, high, self.search_window - len(matches)),
                prepare=False,
            ).fetchall()
            wanted, read = self.search_window - len(matches), newest - low
            # At the rate seen so far, with a margin; eight times wider when none matched yet.
            span = max(span, int(wanted * read / len(matches) * 1.25)) if matches else span * 8
            high = low
        best = sorted((r["rank"], -r["stored_order"]) for r in matches)[:limit]
        found = {
            r["stored_order"]: r
            for r in self.db.execute(
                f"SELECT {SENTENCE_COLUMNS}, stored_order,"
                " ts_headline('english', text, plainto_tsquery('english', %s), %s) AS snippet"
                " FROM sentences WHERE stored_order = ANY(%s)",
                (words, HEADLINE, [-order for _, order in best]),
            )
        }
        rows = [found[-order] | {"rank": rank} for rank, order in best]
        articles = {
            r["id"]: _article(r)
            for r in self.db.execute(
                "SELECT * FROM articles WHERE id = ANY(%s)",
                ([r["article_id"] for r in rows],),
            )
        }
        return [
            SearchHit(
                _sentence(r),
                articles[r["article_id"]],
                _ellipsised(r["text"], r["snippet"]),
                r["rank"],
            )
            for r in rows
        ]

    def rejects(self) -> list[Reject]:
        return [
            Reject(
                source=r["source"], reason=r["reason"], raw_hash=r["raw_hash"], detail=r["detail"]
            )
            for r in self.db.execute("SELECT * FROM rejects ORDER BY id")
        ]

    def stats(self) -> dict[str, int]:
        tables = ("articles", "sentences", *FACT_TABLES, "rejects")
        return {
            t: self.db.execute(f"SELECT count(*) AS n FROM {t}").fetchone()["n"] for t in tables
        }

    # -- sources ---------------------------------------------------------------------------

    def add_source(self, url: str, kind: str, title: str = "") -> Source | None:
        with self.db.transaction():
            cur = self.db.execute(
                "INSERT INTO sources (url, kind, title, added_at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                (url, kind, title, _utc(datetime.now(UTC))),
            )
        return self.find_source(url) if cur.rowcount else None

    def sources(self) -> list[Source]:
        return [_source(r) for r in self.db.execute("SELECT * FROM sources ORDER BY id")]

    def find_source(self, key: str) -> Source | None:
        if key.isdigit():
            row = self.db.execute("SELECT * FROM sources WHERE id = %s", (int(key),)).fetchone()
        else:
            row = self.db.execute("SELECT * FROM sources WHERE url = %s", (key,)).fetchone()
        return _source(row) if row else None

    def remove_source(self, source_id: int) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM sources WHERE id = %s", (source_id,))

    def record_poll(self, poll: SourcePoll) -> None:
        when = _utc(poll.polled_at)
        with self.db.transaction():
            if poll.error is None:
                self.db.execute(
                    "UPDATE sources SET last_poll = %s, last_success = %s, error_streak = 0,"
                    " last_error = NULL, etag = %s, last_modified = %s,"
                    " title = CASE WHEN title = '' THEN coalesce(%s, '') ELSE title END,"
                    " articles_added = articles_added + %s, rejects = rejects + %s"
                    " WHERE id = %s",
                    (
                        when,
                        when,
                        poll.etag,
                        poll.last_modified,
                        poll.title,
                        poll.articles_added,
                        poll.rejects,
                        poll.source_id,
                    ),
                )
            else:
                self.db.execute(
                    "UPDATE sources SET last_poll = %s, error_streak = error_streak + 1,"
                    " last_error = %s, articles_added = articles_added + %s,"
                    " rejects = rejects + %s WHERE id = %s",
                    (when, poll.error, poll.articles_added, poll.rejects, poll.source_id),
                )

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(urls))
        rows = self.db.execute("SELECT url FROM articles WHERE url = ANY(%s)", (wanted,))
        return {r["url"] for r in rows}

    # -- alerts ----------------------------------------------------------------------------

    def record_alert(self, alert: AlertRecord) -> int:
        with self.db.transaction():
            row = self.db.execute(
                "INSERT INTO alerts (rule, theatre, day, fired_at, metric, category, value,"
                " threshold, payload, deliveries)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (
                    alert.rule,
                    alert.theatre,
                    alert.day.isoformat(),
                    _utc(alert.fired_at),
                    alert.metric,
                    alert.category,
                    alert.value,
                    alert.threshold,
                    json.dumps(alert.payload, ensure_ascii=False),
                    json.dumps(alert.deliveries, ensure_ascii=False),
                ),
            ).fetchone()
        return row["id"]

    def last_alert_at(self, rule: str, theatre: str) -> datetime | None:
        row = self.db.execute(
            "SELECT max(fired_at) AS last FROM alerts WHERE rule = %s AND theatre = %s",
            (rule, theatre),
        ).fetchone()
        return _parse_dt(row["last"])

    def alert_log(self, limit: int = 50, rule: str | None = None) -> list[AlertRecord]:
        where, params = "", []
        if rule:
            where, params = " WHERE rule = %s", [rule]
        rows = self.db.execute(
            f"SELECT * FROM alerts{where} ORDER BY fired_at DESC, id DESC LIMIT %s",
            [*params, limit],
        )
        return [
            AlertRecord(
                id=r["id"],
                rule=r["rule"],
                theatre=r["theatre"],
                day=date.fromisoformat(r["day"]),
                fired_at=_parse_dt(r["fired_at"]),
                metric=r["metric"],
                category=r["category"],
                value=r["value"],
                threshold=r["threshold"],
                payload=json.loads(r["payload"]),
                deliveries=json.loads(r["deliveries"]),
            )
            for r in rows
        ]

    # -- stories ---------------------------------------------------------------------------

    def story_material(
        self,
        since: datetime | None = None,
        article_ids: Iterable[str] | None = None,
        lead_sentences: int = 3,
    ) -> list[StoryMaterial]:
        # A few set-wise queries rather than facts() per article: a rebuild reads thousands.
        select = (
            "SELECT a.*, sa.story_id FROM articles a"
            " LEFT JOIN story_articles sa ON sa.article_id = a.id"
        )
        if article_ids is not None:
            ids = list(dict.fromkeys(article_ids))
            rows = self.db.execute(select + " WHERE a.id = ANY(%s)", (ids,)).fetchall()
        elif since is not None:
            # Undated articles appeared when they were fetched.
            rows = self.db.execute(
                select + " WHERE coalesce(a.published_utc, a.fetched_at) >= %s", (_utc(since),)
            ).fetchall()
        else:
            rows = self.db.execute(select).fetchall()
        material = {
            r["id"]: StoryMaterial(_article(r), r["story_id"], ArticleFacts(r["id"])) for r in rows
        }
        scope = (list(material),)
        for r in self.db.execute(
            f"SELECT {SENTENCE_COLUMNS} FROM sentences"
            " WHERE article_id = ANY(%s) AND sentence_index < %s"
            " ORDER BY article_id, sentence_index",
            (*scope, lead_sentences),
        ):
            material[r["article_id"]].facts.sentences.append(_sentence(r))
        scoped = " WHERE article_id = ANY(%s) ORDER BY id"
        for r in self.db.execute("SELECT * FROM mentions" + scoped, scope):
            material[r["article_id"]].facts.mentions.append(_mention(r))
        for r in self.db.execute("SELECT * FROM time_expressions" + scoped, scope):
            material[r["article_id"]].facts.times.append(_time(r))
        for r in self.db.execute("SELECT * FROM events" + scoped, scope):
            material[r["article_id"]].facts.events.append(_event(r))
        return list(material.values())

    def articles_without_story(self) -> list[Article]:
        rows = self.db.execute(
            # unplaced_articles is kept by triggers (migration 0010): reading it costs what
            # is waiting, not the whole store.
            "SELECT a.* FROM unplaced_articles u JOIN articles a ON a.id = u.article_id"
            " ORDER BY coalesce(a.published_utc, a.fetched_at), a.id"
        )
        return [_article(r) for r in rows]

    def save_stories(self, stories: Iterable[Story], links: Iterable[StoryLink]) -> None:
        with self.db.transaction(), self.db.cursor() as cur:
            # An upsert: replacing the row would delete the story's placements (ON DELETE
            # CASCADE).
            cur.executemany(
                "INSERT INTO stories (id, title, title_article_id, start_utc, end_utc,"
                " article_count, source_count, key_actors, key_places)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
                " title = excluded.title, title_article_id = excluded.title_article_id,"
                " start_utc = excluded.start_utc, end_utc = excluded.end_utc,"
                " article_count = excluded.article_count, source_count = excluded.source_count,"
                " key_actors = excluded.key_actors, key_places = excluded.key_places",
                [
                    (
                        st.id,
                        st.title,
                        st.title_article_id or None,
                        _utc(st.start),
                        _utc(st.end),
                        st.article_count,
                        st.source_count,
                        json.dumps(st.key_actors, ensure_ascii=False),
                        json.dumps(st.key_places, ensure_ascii=False),
                    )
                    for st in stories
                ],
            )
            cur.executemany(
                "INSERT INTO story_articles (article_id, story_id, how, score)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (article_id) DO UPDATE SET"
                " story_id = excluded.story_id, how = excluded.how, score = excluded.score",
                [(k.article_id, k.story_id, k.how, k.score) for k in links],
            )

    def clear_stories(self) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM story_articles")
            self.db.execute("DELETE FROM stories")

    def _stories(self, where: str, params: list) -> list[Story]:
        rows = self.db.execute(
            "SELECT * FROM stories"
            + where
            + " ORDER BY end_utc DESC NULLS LAST, article_count DESC, id",
            params,
        ).fetchall()
        members: dict[str, list[str]] = {r["id"]: [] for r in rows}
        if members:
            for r in self.db.execute(
                "SELECT sa.story_id, sa.article_id FROM story_articles sa"
                " JOIN articles a ON a.id = sa.article_id"
                " WHERE sa.story_id = ANY(%s)"
                " ORDER BY coalesce(a.published_utc, a.fetched_at), a.id",
                (list(members),),
            ):
                members[r["story_id"]].append(r["article_id"])
        return [story_from_row(r, members[r["id"]]) for r in rows]

    def stories(self, since: datetime | None = None, until: datetime | None = None) -> list[Story]:
        where, params = [], []
        if since is not None:
            # A story that overlaps the period started at most the longest story's span
            # before it: that bound keeps the index scan to the period's neighbourhood.
            longest = self.db.execute("SELECT longest_days FROM story_extent").fetchone()
            if longest is not None:  # (a store emptied by hand lost it: no bound then)
                earliest = since - timedelta(days=longest["longest_days"] + 1)
                where.append("start_utc >= %s")
                params.append(_utc(earliest))
            where.append("end_utc >= %s")
            params.append(_utc(since))
        if until is not None:
            where.append("start_utc < %s")
            params.append(_utc(until))
        return self._stories(" WHERE " + " AND ".join(where) if where else "", params)

    def story(self, story_id: str) -> Story | None:
        found = self._stories(" WHERE id = %s", [story_id])
        return found[0] if found else None

    # -- browsing (the web API) --------------------------------------------------------------

    def events(
        self,
        since: date | None = None,
        until: date | None = None,
        category: str | None = None,
        actor: str | None = None,
        place: str | None = None,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        day = "coalesce(e.date, substr(coalesce(a.published_utc, a.fetched_at), 1, 10))"
        where, params = [], []
        if since is not None:
            where.append(f"{day} >= %s")
            params.append(since.isoformat())
        if until is not None:
            where.append(f"{day} <= %s")
            params.append(until.isoformat())
        if category:
            where.append("e.category = %s")
            params.append(category)
        # ILIKE on COLLATE "C" columns folds ASCII case only, as SQLite's LIKE does.
        if actor:
            where.append(
                "(e.actors ILIKE %s ESCAPE '\\' OR e.actor_countries ILIKE %s ESCAPE '\\')"
            )
            params += [_like(actor), _like(f'"{actor.strip().upper()}"')]
        if place:
            where.append(
                "(e.place ILIKE %s ESCAPE '\\' OR e.place_id = %s OR e.place_country = %s)"
            )
            params += [_like(place), place.strip(), place.strip().upper()]
        rows = self.db.execute(
            "SELECT e.* FROM events e JOIN articles a ON a.id = e.article_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {day}, e.id LIMIT %s",
            [*params, limit],
        ).fetchall()
        ids = ([r["id"] for r in rows],)
        counts: dict[int, list[Count]] = {}
        for r in self.db.execute("SELECT * FROM counts WHERE event_id = ANY(%s) ORDER BY id", ids):
            counts.setdefault(r["event_id"], []).append(_count(r))
        evidence: dict[int, list[int]] = {}
        for r in self.db.execute(
            "SELECT event_id, sentence_index FROM event_evidence WHERE event_id = ANY(%s)"
            " ORDER BY event_id, sentence_index",
            ids,
        ):
            evidence.setdefault(r["event_id"], []).append(r["sentence_index"])
        return [
            StoredEvent(
                r["id"],
                r["article_id"],
                _event(r, evidence.get(r["id"], []), counts.get(r["id"], [])),
            )
            for r in rows
        ]

    def quotes(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        speaker: str | None = None,
        limit: int | None = None,
    ) -> list[StoredQuote]:
        where, params = [], []
        if since is not None:
            where.append("a.published_utc >= %s")
            params.append(_utc(since))
        if until is not None:
            where.append("a.published_utc < %s")
            params.append(_utc(until))
        if speaker:
            where.append("q.speaker ILIKE %s ESCAPE '\\'")
            params.append(_like(speaker))
        rows = self.db.execute(
            "SELECT q.* FROM quotes q JOIN articles a ON a.id = q.article_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY coalesce(a.published_utc, a.fetched_at) DESC, a.id, q.start_char"
            " LIMIT %s",
            [*params, limit],
        )
        return [StoredQuote(r["article_id"], _quote(r)) for r in rows]

    def entities(
        self, labels: Iterable[str] | None = None, query: str | None = None, limit: int = 100
    ) -> list[EntitySummary]:
        where, params = [], []
        wanted = list(labels or [])
        if wanted:
            where.append("label = ANY(%s)")
            params.append(wanted)
        if query:
            where.append("text ILIKE %s ESCAPE '\\'")
            params.append(_like(query))
        # Each entity's written forms and labels by frequency: the first of each names it.
        rows = self.db.execute(
            "WITH picked AS (SELECT coalesce(linked_id, text) AS key, linked_id, text, label,"
            " article_id FROM mentions" + (" WHERE " + " AND ".join(where) if where else "") + "),"
            " ranked AS (SELECT key, count(*) AS mentions, count(DISTINCT article_id) AS articles"
            " FROM picked GROUP BY key ORDER BY articles DESC, mentions DESC, key LIMIT %s)"
            " SELECT r.key, r.mentions, r.articles, max(p.linked_id) AS linked_id, p.text,"
            " p.label, count(*) AS uses FROM ranked r JOIN picked p ON p.key = r.key"
            " GROUP BY r.key, r.mentions, r.articles, p.text, p.label"
            " ORDER BY r.articles DESC, r.mentions DESC, r.key, uses DESC, p.text, p.label",
            [*params, limit],
        )
        found: dict[str, EntitySummary] = {}
        for r in rows:
            if r["key"] not in found:
                found[r["key"]] = EntitySummary(
                    r["key"], r["text"], r["label"], r["linked_id"], r["mentions"], r["articles"]
                )
        return list(found.values())

    def entity_mentions(self, key: str, limit: int = 500) -> list[StoredMention]:
        rows = self.db.execute(
            "SELECT m.*, coalesce(s.text, '') AS sentence FROM mentions m"
            " JOIN articles a ON a.id = m.article_id"
            " LEFT JOIN sentences s"
            " ON s.article_id = m.article_id AND s.sentence_index = m.sentence_index"
            " WHERE m.linked_id = %s OR (m.linked_id IS NULL AND m.text = %s)"
            " ORDER BY coalesce(a.published_utc, a.fetched_at) DESC, a.id, m.start_char"
            " LIMIT %s",
            (key, key, limit),
        )
        return [StoredMention(r["article_id"], _mention(r), r["sentence"]) for r in rows]

    # -- briefing archive ------------------------------------------------------------------

    def save_briefing(self, briefing: ArchivedBriefing) -> int:
        with self.db.transaction():
            row = self.db.execute(
                "INSERT INTO briefings (generated_at, period_start, period_end, topic, title,"
                " headline, document) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (
                    _utc(briefing.generated_at),
                    briefing.period_start.isoformat() if briefing.period_start else None,
                    briefing.period_end.isoformat() if briefing.period_end else None,
                    briefing.topic,
                    briefing.title,
                    briefing.headline,
                    json.dumps(briefing.document, ensure_ascii=False),
                ),
            ).fetchone()
        return row["id"]

    def briefings(self, limit: int = 20) -> list[ArchivedBriefing]:
        rows = self.db.execute(
            "SELECT * FROM briefings ORDER BY generated_at DESC, id DESC LIMIT %s", (limit,)
        )
        return [_briefing(r) for r in rows]

    def briefing(self, briefing_id: int) -> ArchivedBriefing | None:
        row = self.db.execute("SELECT * FROM briefings WHERE id = %s", (briefing_id,)).fetchone()
        return _briefing(row) if row else None

    # -- stored figures -----------------------------------------------------------------------

    def article_theatres(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        rows = self.db.execute(
            "SELECT article_id, theatre FROM article_theatres WHERE article_id = ANY(%s)",
            (list(dict.fromkeys(article_ids)),),
        )
        return {r["article_id"]: r["theatre"] for r in rows}

    def save_article_theatres(self, theatres: dict[str, str | None]) -> None:
        self._write(
            lambda: self.db.cursor().executemany(
                "INSERT INTO article_theatres (article_id, theatre) VALUES (%s, %s)"
                " ON CONFLICT (article_id) DO UPDATE SET theatre = excluded.theatre",
                list(theatres.items()),
            )
        )

    def publication_days(self, since: date, until: date) -> dict[date, int]:
        return read_publication_days(self.db, "%s", since, until)

    def day_figures(self, since: date, until: date) -> list[DayFigures]:
        return read_day_figures(self.db, "%s", since, until)

    def save_day_figures(self, figures: DayFigures) -> bool:
        day, counts, tolls = figure_rows(figures)

        def save() -> bool:
            # The day's row locked first: two readers computing the same day store it in turn.
            self.db.execute(
                "SELECT pg_advisory_xact_lock(hashtext('indicator_days ' || %s))", (day[0],)
            )
            stored = self.db.execute(
                "SELECT count(*) AS n FROM articles"
                " WHERE published_utc >= %s AND published_utc < %s",
                day_bounds(figures.published_day, figures.published_day),
            ).fetchone()["n"]
            if stored != figures.articles:
                return False
            self._drop_day_figures([day[0]])
            self.db.execute(
                "INSERT INTO indicator_days (published_day, articles, first_published_day,"
                " computed_at) VALUES (%s, %s, %s, %s)",
                (*day, _utc(datetime.now(UTC))),
            )
            with self.db.cursor() as cur:
                cur.executemany(
                    "INSERT INTO indicator_figures (published_day, theatre, day, measure, value)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    counts,
                )
                cur.executemany(
                    "INSERT INTO indicator_tolls (published_day, position, theatre, role, day,"
                    " value, hedged, is_update, article_id, published)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    tolls,
                )
            return True

        return self._write(save)

    def _drop_day_figures(self, days: Iterable[str]) -> None:
        """Forget the figures of these UTC days (ISO dates): their facts changed."""
        wanted = sorted(days)
        if wanted:
            self.db.execute("DELETE FROM indicator_days WHERE published_day = ANY(%s)", (wanted,))

    def _drop_figures_of(self, article_id: str) -> None:
        """Forget what was derived from an article's facts: they changed."""
        self.db.execute("DELETE FROM article_theatres WHERE article_id = %s", (article_id,))
        row = self.db.execute(
            "SELECT substr(published_utc, 1, 10) AS day FROM articles WHERE id = %s",
            (article_id,),
        ).fetchone()
        if row and row["day"]:
            self._drop_day_figures([row["day"]])
