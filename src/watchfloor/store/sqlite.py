"""The SQLite store: one file, WAL journal, FTS5 over sentences."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from watchfloor.errors import WatchfloorError
from watchfloor.model import (
    Article,
    ArticleFacts,
    Count,
    Event,
    Mention,
    PersonTitle,
    Quote,
    Reject,
    Sentence,
    Story,
    TimeExpr,
)
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
    TollFigure,
)
from watchfloor.store.migrations import Migration, load_migrations

FACT_TABLES = ("mentions", "time_expressions", "events", "counts", "quotes", "person_titles")
_WORD = re.compile(r"\w+", re.UNICODE)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _json_list(text: str) -> list:
    # Most events name no actors or targets: reading facts in bulk skips parsing those.
    return [] if text == "[]" else json.loads(text)


def story_from_row(row, article_ids: list[str]) -> Story:
    """A stored story row (either engine) with its articles, oldest first."""
    return Story(
        id=row["id"],
        title=row["title"],
        start=_parse_dt(row["start_utc"]),
        end=_parse_dt(row["end_utc"]),
        article_ids=article_ids,
        key_actors=json.loads(row["key_actors"]),
        key_places=json.loads(row["key_places"]),
        article_count=row["article_count"],
        source_count=row["source_count"],
        title_article_id=row["title_article_id"] or "",
    )


def _count_key(c: Count) -> tuple:
    """A count's identity within one article: its span, and what it says."""
    return (c.start, c.end, c.role, c.value)


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own % and _ taken literally."""
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def facts_digest(facts: ArticleFacts) -> str:
    """Imported facts' identity, whatever article they came with: merging is idempotent."""
    return hashlib.sha256(repr(replace(facts, article_id="")).encode()).hexdigest()


def fts_query(text: str) -> str:
    """Turn free text into an FTS5 query of quoted terms (all must match), so user input can
    never be read as FTS syntax."""
    terms = _WORD.findall(text)
    if not terms:
        raise WatchfloorError(f"search query {text!r} has no words to search for")
    return " ".join(f'"{term}"' for term in terms)


_MANY = " WHERE article_id IN (SELECT value FROM json_each(?))"
# What facts_many() reads, table by table, each row with its article's id; within an article
# the rows come in the order facts are read back in (NULL sentence indexes first).
_FACT_QUERIES = {
    "sentences": "SELECT * FROM sentences" + _MANY + " ORDER BY sentence_index",
    **{
        table: f"SELECT * FROM {table}" + _MANY + " ORDER BY sentence_index, id"
        for table in ("mentions", "time_expressions", "counts", "quotes", "events")
    },
    "event_evidence": "SELECT article_id, event_id, sentence_index FROM event_evidence"
    + _MANY
    + " ORDER BY event_id, sentence_index",
    "person_titles": "SELECT * FROM person_titles" + _MANY + " ORDER BY sentence_index, id",
    "near_duplicate_keys": "SELECT article_id, band_key FROM near_duplicate_keys"
    + _MANY
    + " ORDER BY rowid",
    "article_themes": "SELECT article_id, theme FROM article_themes" + _MANY + " ORDER BY theme",
}


# The tables each field of ArticleFacts is read from.
FACT_FIELD_TABLES = {
    "sentences": ("sentences",),
    "mentions": ("mentions",),
    "times": ("time_expressions",),
    "counts": ("counts",),
    "quotes": ("quotes",),
    "events": ("events", "event_evidence", "counts"),
    "titles": ("person_titles",),
    "band_keys": ("near_duplicate_keys",),
    "themes": ("article_themes",),
}


def fact_tables(only: Iterable[str] | None) -> list[str]:
    """The tables to read for these fields of ArticleFacts (None: all of them)."""
    fields = FACT_FIELD_TABLES if only is None else only
    return list(dict.fromkeys(t for f in fields for t in FACT_FIELD_TABLES[f]))


def assemble_facts(
    article_ids: list[str], rows: dict[str, list], only: Collection[str] | None = None
) -> dict[str, ArticleFacts]:
    """Each article's facts from the rows read of the fact tables (``fact_tables(only)``),
    rows of one article in the order they are read back in; an article without rows has none.
    Fields not in ``only`` stay empty (counts read for the events alone among them)."""
    found = {a: ArticleFacts(article_id=a) for a in article_ids}
    rows = {table: rows.get(table, []) for table in _FACT_QUERIES}
    own_counts = only is None or "counts" in only
    counts_by_event: dict[int, list[Count]] = {}
    for row in rows["counts"]:
        if own_counts:
            found[row["article_id"]].counts.append(SqliteStore._count(row))
        if row["event_id"] is not None:
            counts_by_event.setdefault(row["event_id"], []).append(SqliteStore._count(row))
    evidence: dict[int, list[int]] = {}
    for row in rows["event_evidence"]:
        evidence.setdefault(row["event_id"], []).append(row["sentence_index"])
    for row in rows["sentences"]:
        found[row["article_id"]].sentences.append(SqliteStore._sentence(row))
    for row in rows["mentions"]:
        found[row["article_id"]].mentions.append(SqliteStore._mention(row))
    for row in rows["time_expressions"]:
        found[row["article_id"]].times.append(SqliteStore._time(row))
    for row in rows["quotes"]:
        found[row["article_id"]].quotes.append(SqliteStore._quote(row))
    for row in rows["events"]:
        found[row["article_id"]].events.append(
            SqliteStore._event(row, evidence.get(row["id"], []), counts_by_event.get(row["id"], []))
        )
    for row in rows["person_titles"]:
        found[row["article_id"]].titles.append(SqliteStore._title(row))
    for row in rows["near_duplicate_keys"]:
        found[row["article_id"]].band_keys.append(row["band_key"])
    for row in rows["article_themes"]:
        found[row["article_id"]].themes.append(row["theme"])
    return found


def assemble_day_figures(days: list, figures: list, tolls: list) -> list[DayFigures]:
    """Stored days' figures from their rows (indicator_days, indicator_figures and
    indicator_tolls, the tolls in the order read); rows are read by column name."""
    found = {
        r["published_day"]: DayFigures(
            published_day=date.fromisoformat(r["published_day"]),
            articles=r["articles"],
            first_published_day=(
                date.fromisoformat(r["first_published_day"]) if r["first_published_day"] else None
            ),
            counts={},
            tolls=[],
        )
        for r in days
    }
    for r in figures:
        key = (r["theatre"], date.fromisoformat(r["day"]), r["measure"])
        found[r["published_day"]].counts[key] = r["value"]
    for r in tolls:
        found[r["published_day"]].tolls.append(
            TollFigure(
                theatre=r["theatre"],
                role=r["role"],
                day=date.fromisoformat(r["day"]),
                value=r["value"],
                hedged=bool(r["hedged"]),
                is_update=bool(r["is_update"]),
                article_id=r["article_id"],
                published=_parse_dt(r["published"]),
            )
        )
    return [found[day] for day in sorted(found)]


def read_publication_days(db, placeholder: str, since: date, until: date) -> dict[date, int]:
    """Articles published on each UTC day from ``since`` through ``until``; ``placeholder``
    is the engine's parameter mark, the only difference between the stores here."""
    rows = db.execute(
        "SELECT substr(published_utc, 1, 10) AS day, count(*) AS articles FROM articles"
        f" WHERE published_utc >= {placeholder} AND published_utc < {placeholder} GROUP BY day",
        day_bounds(since, until),
    )
    return {date.fromisoformat(r["day"]): r["articles"] for r in rows}


def read_day_figures(db, placeholder: str, since: date, until: date) -> list[DayFigures]:
    """The stored figures of the publication days from ``since`` through ``until``."""
    span = (since.isoformat(), until.isoformat())
    where = f" WHERE published_day BETWEEN {placeholder} AND {placeholder}"
    return assemble_day_figures(
        db.execute("SELECT * FROM indicator_days" + where, span).fetchall(),
        db.execute("SELECT * FROM indicator_figures" + where, span).fetchall(),
        db.execute(
            "SELECT * FROM indicator_tolls" + where + " ORDER BY published_day, position", span
        ).fetchall(),
    )


def figure_rows(f: DayFigures) -> tuple[tuple, list[tuple], list[tuple]]:
    """A day's figures as rows of indicator_days (less computed_at), indicator_figures and
    indicator_tolls."""
    day = f.published_day.isoformat()
    first = f.first_published_day.isoformat() if f.first_published_day else None
    counts = [(day, t, d.isoformat(), m, v) for (t, d, m), v in f.counts.items()]
    tolls = [
        (day, n, t.theatre, t.role, t.day.isoformat(), t.value, t.hedged, t.is_update)
        + (t.article_id, _iso(t.published))
        for n, t in enumerate(f.tolls)
    ]
    return (day, f.articles, first), counts, tolls


def day_bounds(since: date, until: date) -> tuple[str, str]:
    """published_utc bounds of the UTC days ``since`` through ``until``: a day's ISO date
    sorts before all its instants."""
    return since.isoformat(), date.fromordinal(until.toordinal() + 1).isoformat()


class SqliteStore:
    """Implements :class:`watchfloor.store.base.Store` on one SQLite file."""

    search_window = SEARCH_WINDOW

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise WatchfloorError(f"cannot open database {self.path}: {exc}") from exc
        self.migrate()

    # -- schema ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        row = self.db.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    def migrate(self, migrations: list[Migration] | None = None) -> list[int]:
        """Apply migrations newer than the database's version, each in its own transaction."""
        applied = []
        current = self.schema_version()
        for migration in migrations or load_migrations("sqlite"):
            if migration.version <= current:
                continue
            with self._transaction():
                for statement in migration.statements:
                    self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, _utc(datetime.now(UTC))),
                )
            applied.append(migration.version)
        return applied

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    # -- writing --------------------------------------------------------------------------

    def find_duplicate(self, article: Article) -> str | None:
        row = self.db.execute(
            "SELECT id FROM articles WHERE url = ? OR content_hash = ? LIMIT 1",
            (article.url, article.content_hash),
        ).fetchone()
        return row["id"] if row else None

    def add(self, batch: Iterable[tuple[Article, ArticleFacts]]) -> AddResult:
        result = AddResult(added=[], duplicates=[])
        with self._transaction():
            for article, facts in batch:
                existing = self.find_duplicate(article)
                if existing:
                    result.duplicates.append((article.url, existing))
                    continue
                self._insert_article(article)
                self._insert_facts(article.id, facts)
                if not article.text:  # a stub: all its facts were imported
                    self._record_import(article.id, facts)
                result.added.append(article.id)
                if article.published:
                    self._drop_day_figures([_utc(article.published)[:10]])
        return result

    def _insert_article(self, a: Article) -> None:
        self.db.execute(
            "INSERT INTO articles (id, url, content_hash, title, source, published, published_utc,"
            " fetched_at, language, author, text, duplicate_of)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            ),
        )

    def _insert_facts(self, article_id: str, f: ArticleFacts) -> None:
        db = self.db
        db.executemany(
            "INSERT INTO sentences (article_id, sentence_index, start_char, end_char, text)"
            " VALUES (?, ?, ?, ?, ?)",
            [(article_id, s.index, s.start, s.end, s.text) for s in f.sentences],
        )
        db.executemany(
            "INSERT INTO mentions (article_id, sentence_index, text, label, start_char, end_char,"
            " linked_id, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    article_id,
                    m.sentence_index,
                    m.text,
                    m.label,
                    m.start,
                    m.end,
                    m.linked_id,
                    m.lat,
                    m.lon,
                )
                for m in f.mentions
            ],
        )
        db.executemany(
            "INSERT INTO person_titles (article_id, sentence_index, text, start_char, end_char,"
            " person, role, jurisdiction) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    article_id,
                    t.sentence_index,
                    t.text,
                    t.start,
                    t.end,
                    t.person,
                    t.role,
                    t.jurisdiction,
                )
                for t in f.titles
            ],
        )
        db.executemany(
            "INSERT INTO near_duplicate_keys (band_key, article_id) VALUES (?, ?)",
            [(key, article_id) for key in f.band_keys],
        )
        db.executemany(
            "INSERT OR IGNORE INTO article_themes (article_id, theme) VALUES (?, ?)",
            [(article_id, theme) for theme in f.themes],
        )
        db.executemany(
            "INSERT INTO time_expressions (article_id, sentence_index, text, start_char, end_char,"
            " value, precision, date, is_relative, timex_type)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    article_id,
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
                for t in f.times
            ],
        )
        db.executemany(
            "INSERT INTO quotes (article_id, sentence_index, text, start_char, end_char, speaker,"
            " speaker_role, is_direct, cue, speaker_start, speaker_end)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    article_id,
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
                for q in f.quotes
            ],
        )
        # A count belongs to the event whose sentence it came from, matched by its span.
        event_of_count: dict[tuple[int, int], int] = {}
        for e in f.events:
            # An imported event is stored once however many files or articles repeat it.
            cur = db.execute(
                "INSERT INTO events (article_id, sentence_index, category, trigger_text, date,"
                " date_precision, actors, targets, actor_countries, target_countries, place,"
                " place_id, place_country, lat, lon, origin, external_id, cameo_code, goldstein,"
                " tone, plover) VALUES (" + ", ".join("?" * 21) + ")"
                " ON CONFLICT (origin, external_id) DO NOTHING",
                (
                    article_id,
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
                ),
            )
            if not cur.rowcount:
                continue
            event_id = cur.lastrowid
            evidence = e.evidence or ([e.sentence_index] if e.sentence_index is not None else [])
            db.executemany(
                "INSERT OR IGNORE INTO event_evidence (event_id, article_id, sentence_index)"
                " VALUES (?, ?, ?)",
                [(event_id, article_id, i) for i in evidence],
            )
            for c in e.counts:
                event_of_count.setdefault(_count_key(c), event_id)
        counts = {_count_key(c): c for c in f.counts}
        for e in f.events:  # counts attached only to an event are stored too
            for c in e.counts:
                counts.setdefault(_count_key(c), c)
        db.executemany(
            "INSERT INTO counts (article_id, sentence_index, event_id, text, start_char, end_char,"
            " value, value_max, what, role, approx, is_update, approx_kind)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    article_id,
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
            ],
        )

    def merge_imported(self, article_id: str, facts: ArticleFacts) -> bool:
        """Add facts imported for an article already stored (e.g. a URL found in both a GDELT
        Events export and a GKG file). The same facts merged twice are stored once."""
        with self._transaction():
            merged = self._record_import(article_id, facts)
            if merged:
                self._insert_facts(article_id, replace(facts, sentences=[], band_keys=[]))
                self._drop_figures_of(article_id)
        return merged

    def _drop_figures_of(self, article_id: str) -> None:
        """Forget what was derived from an article's facts: they changed."""
        self.db.execute("DELETE FROM article_theatres WHERE article_id = ?", (article_id,))
        row = self.db.execute(
            "SELECT substr(published_utc, 1, 10) FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row and row[0]:
            self._drop_day_figures([row[0]])

    def _record_import(self, article_id: str, facts: ArticleFacts) -> bool:
        """Remember imported facts by digest; False when they were recorded before."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO imported_facts (article_id, facts_hash, merged_at)"
            " VALUES (?, ?, ?)",
            (article_id, facts_digest(facts), _utc(datetime.now(UTC))),
        )
        return bool(cur.rowcount)

    def near_duplicate_candidates(self, band_keys: list[int]) -> list[str]:
        if not band_keys:
            return []
        marks = ", ".join("?" * len(band_keys))
        rows = self.db.execute(
            f"SELECT DISTINCT article_id FROM near_duplicate_keys WHERE band_key IN ({marks})",
            band_keys,
        )
        return [r[0] for r in rows]

    def add_rejects(self, rejects: Iterable[Reject]) -> None:
        now = _utc(datetime.now(UTC))
        with self._transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO rejects (source, reason, raw_hash, detail, first_seen)"
                " VALUES (?, ?, ?, ?, ?)",
                [(r.source, r.reason, r.raw_hash, r.detail, now) for r in rejects],
            )

    # -- reading --------------------------------------------------------------------------

    @staticmethod
    def _article(row: sqlite3.Row) -> Article:
        return Article(
            id=row["id"],
            url=row["url"],
            content_hash=row["content_hash"],
            title=row["title"],
            source=row["source"],
            published=_parse_dt(row["published"]),
            fetched_at=_parse_dt(row["fetched_at"]),
            language=row["language"],
            author=row["author"],
            text=row["text"],
            duplicate_of=row["duplicate_of"],
        )

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def articles(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        query: str | None = None,
    ) -> list[Article]:
        where, params = [], []
        if since:
            where.append("published_utc >= ?")
            params.append(_utc(since))
        if until:
            where.append("published_utc < ?")
            params.append(_utc(until))
        if query:
            where.append(
                "(id IN (SELECT s.article_id FROM sentences_fts f JOIN sentences s"
                " ON s.rowid = f.rowid WHERE sentences_fts MATCH ?) OR title LIKE ?)"
            )
            params += [fts_query(query), f"%{query}%"]
        sql = "SELECT * FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published_utc, id"
        return [self._article(r) for r in self.db.execute(sql, params)]

    def sentence(self, article_id: str, index: int) -> Sentence | None:
        row = self.db.execute(
            "SELECT * FROM sentences WHERE article_id = ? AND sentence_index = ?",
            (article_id, index),
        ).fetchone()
        return self._sentence(row) if row else None

    @staticmethod
    def _sentence(row: sqlite3.Row) -> Sentence:
        return Sentence(
            article_id=row["article_id"],
            index=row["sentence_index"],
            start=row["start_char"],
            end=row["end_char"],
            text=row["text"],
        )

    @staticmethod
    def _count(row: sqlite3.Row) -> Count:
        return Count(
            text=row["text"],
            start=row["start_char"],
            end=row["end_char"],
            sentence_index=row["sentence_index"],
            value=row["value"],
            value_max=row["value_max"],
            what=row["what"],
            role=row["role"],
            approx=row["approx"],
            is_update=bool(row["is_update"]),
            approx_kind=row["approx_kind"],
        )

    @staticmethod
    def _mention(r: sqlite3.Row) -> Mention:
        return Mention(
            text=r["text"],
            label=r["label"],
            start=r["start_char"],
            end=r["end_char"],
            sentence_index=r["sentence_index"],
            linked_id=r["linked_id"],
            lat=r["lat"],
            lon=r["lon"],
        )

    @staticmethod
    def _title(r: sqlite3.Row) -> PersonTitle:
        return PersonTitle(
            text=r["text"],
            start=r["start_char"],
            end=r["end_char"],
            sentence_index=r["sentence_index"],
            person=r["person"],
            role=r["role"],
            jurisdiction=r["jurisdiction"],
        )

    @staticmethod
    def _quote(r: sqlite3.Row) -> Quote:
        return Quote(
            text=r["text"],
            start=r["start_char"],
            end=r["end_char"],
            sentence_index=r["sentence_index"],
            speaker=r["speaker"],
            role=r["speaker_role"],
            direct=bool(r["is_direct"]),
            cue=r["cue"],
            speaker_start=r["speaker_start"],
            speaker_end=r["speaker_end"],
        )

    @staticmethod
    def _time(r: sqlite3.Row) -> TimeExpr:
        return TimeExpr(
            text=r["text"],
            start=r["start_char"],
            end=r["end_char"],
            sentence_index=r["sentence_index"],
            value=r["value"],
            precision=r["precision"],
            date=date.fromisoformat(r["date"]) if r["date"] else None,
            relative=bool(r["is_relative"]),
            timex_type=r["timex_type"],
        )

    @staticmethod
    def _event(r: sqlite3.Row, evidence: Iterable[int] = (), counts: Iterable[Count] = ()) -> Event:
        return Event(
            category=r["category"],
            trigger=r["trigger_text"],
            sentence_index=r["sentence_index"],
            evidence=list(evidence),
            date=date.fromisoformat(r["date"]) if r["date"] else None,
            date_precision=r["date_precision"],
            actors=_json_list(r["actors"]),
            targets=_json_list(r["targets"]),
            place=r["place"],
            place_id=r["place_id"],
            counts=list(counts),
            actor_countries=_json_list(r["actor_countries"]),
            target_countries=_json_list(r["target_countries"]),
            place_country=r["place_country"],
            lat=r["lat"],
            lon=r["lon"],
            origin=r["origin"],
            external_id=r["external_id"],
            cameo_code=r["cameo_code"],
            goldstein=r["goldstein"],
            tone=r["tone"],
            plover=r["plover"],
        )

    def facts(self, article_id: str) -> ArticleFacts:
        return self.facts_many([article_id])[article_id]

    def facts_many(
        self, article_ids: Iterable[str], only: Collection[str] | None = None
    ) -> dict[str, ArticleFacts]:
        # One query per table for all the articles (their ids as one JSON parameter, so any
        # number fits); rows come in each article's order and are grouped by article after.
        wanted = json.dumps(list(dict.fromkeys(article_ids)))
        rows = {
            table: self.db.execute(_FACT_QUERIES[table], (wanted,)).fetchall()
            for table in fact_tables(only)
        }
        return assemble_facts(json.loads(wanted), rows, only)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        # bm25 (FTS5's rank column) only for the matches from the search_window-th most recent
        # one on: FTS5 finds that rowid by walking the term's rowids backwards, not ranking them.
        rows = self.db.execute(
            "SELECT s.*, snippet(sentences_fts, 0, '[', ']', '…', 24) AS snippet,"
            " sentences_fts.rank AS rank"
            " FROM sentences_fts JOIN sentences s ON s.rowid = sentences_fts.rowid"
            " WHERE sentences_fts MATCH :query AND sentences_fts.rowid >= coalesce("
            "(SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH :query"
            " ORDER BY rowid DESC LIMIT 1 OFFSET :window - 1), 0)"
            " ORDER BY rank, sentences_fts.rowid DESC LIMIT :limit",
            {"query": fts_query(query), "window": self.search_window, "limit": limit},
        ).fetchall()
        hits = []
        for row in rows:
            article = self.article(row["article_id"])
            hits.append(SearchHit(self._sentence(row), article, row["snippet"], row["rank"]))
        return hits

    def rejects(self) -> list[Reject]:
        return [
            Reject(
                source=r["source"], reason=r["reason"], raw_hash=r["raw_hash"], detail=r["detail"]
            )
            for r in self.db.execute("SELECT * FROM rejects ORDER BY id")
        ]

    def stats(self) -> dict[str, int]:
        tables = ("articles", "sentences", *FACT_TABLES, "rejects")
        return {t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    # -- sources ---------------------------------------------------------------------------

    @staticmethod
    def _source(row: sqlite3.Row) -> Source:
        return Source(
            id=row["id"],
            url=row["url"],
            kind=row["kind"],
            title=row["title"],
            added_at=_parse_dt(row["added_at"]),
            etag=row["etag"],
            last_modified=row["last_modified"],
            last_poll=_parse_dt(row["last_poll"]),
            last_success=_parse_dt(row["last_success"]),
            error_streak=row["error_streak"],
            last_error=row["last_error"],
            articles_added=row["articles_added"],
            rejects=row["rejects"],
        )

    def add_source(self, url: str, kind: str, title: str = "") -> Source | None:
        with self._transaction():
            cur = self.db.execute(
                "INSERT OR IGNORE INTO sources (url, kind, title, added_at) VALUES (?, ?, ?, ?)",
                (url, kind, title, _utc(datetime.now(UTC))),
            )
        return self.find_source(url) if cur.rowcount else None

    def sources(self) -> list[Source]:
        return [self._source(r) for r in self.db.execute("SELECT * FROM sources ORDER BY id")]

    def find_source(self, key: str) -> Source | None:
        column = "id" if key.isdigit() else "url"
        row = self.db.execute(f"SELECT * FROM sources WHERE {column} = ?", (key,)).fetchone()
        return self._source(row) if row else None

    def remove_source(self, source_id: int) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM sources WHERE id = ?", (source_id,))

    def record_poll(self, poll: SourcePoll) -> None:
        when = _utc(poll.polled_at)
        with self._transaction():
            if poll.error is None:
                self.db.execute(
                    "UPDATE sources SET last_poll = ?, last_success = ?, error_streak = 0,"
                    " last_error = NULL, etag = ?, last_modified = ?,"
                    " title = CASE WHEN title = '' THEN coalesce(?, '') ELSE title END,"
                    " articles_added = articles_added + ?, rejects = rejects + ? WHERE id = ?",
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
                    "UPDATE sources SET last_poll = ?, error_streak = error_streak + 1,"
                    " last_error = ?, articles_added = articles_added + ?,"
                    " rejects = rejects + ? WHERE id = ?",
                    (when, poll.error, poll.articles_added, poll.rejects, poll.source_id),
                )

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(urls))
        known: set[str] = set()
        for start in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT url FROM articles WHERE url IN ({marks})", chunk)
            known.update(r[0] for r in rows)
        return known

    # -- alerts ----------------------------------------------------------------------------

    def record_alert(self, alert: AlertRecord) -> int:
        with self._transaction():
            cur = self.db.execute(
                "INSERT INTO alerts (rule, theatre, day, fired_at, metric, category, value,"
                " threshold, payload, deliveries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            )
        return cur.lastrowid

    def last_alert_at(self, rule: str, theatre: str) -> datetime | None:
        row = self.db.execute(
            "SELECT max(fired_at) FROM alerts WHERE rule = ? AND theatre = ?", (rule, theatre)
        ).fetchone()
        return _parse_dt(row[0])

    def alert_log(self, limit: int = 50, rule: str | None = None) -> list[AlertRecord]:
        where, params = "", []
        if rule:
            where, params = " WHERE rule = ?", [rule]
        rows = self.db.execute(
            f"SELECT * FROM alerts{where} ORDER BY fired_at DESC, id DESC LIMIT ?",
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
        if article_ids is not None:
            ids = list(dict.fromkeys(article_ids))
            rows = []
            for start in range(0, len(ids), 500):  # under SQLite's bound-parameter limit
                chunk = ids[start : start + 500]
                rows += self.db.execute(
                    "SELECT a.*, sa.story_id FROM articles a"
                    " LEFT JOIN story_articles sa ON sa.article_id = a.id"
                    f" WHERE a.id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
        else:
            # Undated articles appeared when they were fetched.
            where, params = "", []
            if since is not None:
                where, params = " WHERE coalesce(a.published_utc, a.fetched_at) >= ?", [_utc(since)]
            rows = self.db.execute(
                "SELECT a.*, sa.story_id FROM articles a"
                " LEFT JOIN story_articles sa ON sa.article_id = a.id" + where,
                params,
            ).fetchall()
        material = {
            r["id"]: StoryMaterial(self._article(r), r["story_id"], ArticleFacts(r["id"]))
            for r in rows
        }
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS story_scope (id TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM story_scope")
        self.db.executemany("INSERT INTO story_scope VALUES (?)", [(i,) for i in material])
        scoped = " WHERE article_id IN (SELECT id FROM story_scope)"
        for r in self.db.execute(
            "SELECT * FROM sentences" + scoped + " AND sentence_index < ?"
            " ORDER BY article_id, sentence_index",
            (lead_sentences,),
        ):
            material[r["article_id"]].facts.sentences.append(self._sentence(r))
        for r in self.db.execute("SELECT * FROM mentions" + scoped + " ORDER BY id"):
            material[r["article_id"]].facts.mentions.append(
                Mention(
                    text=r["text"],
                    label=r["label"],
                    start=r["start_char"],
                    end=r["end_char"],
                    sentence_index=r["sentence_index"],
                    linked_id=r["linked_id"],
                    lat=r["lat"],
                    lon=r["lon"],
                )
            )
        for r in self.db.execute("SELECT * FROM time_expressions" + scoped + " ORDER BY id"):
            material[r["article_id"]].facts.times.append(
                TimeExpr(
                    text=r["text"],
                    start=r["start_char"],
                    end=r["end_char"],
                    sentence_index=r["sentence_index"],
                    value=r["value"],
                    precision=r["precision"],
                    date=date.fromisoformat(r["date"]) if r["date"] else None,
                    relative=bool(r["is_relative"]),
                    timex_type=r["timex_type"],
                )
            )
        for r in self.db.execute("SELECT * FROM events" + scoped + " ORDER BY id"):
            material[r["article_id"]].facts.events.append(self._event(r))
        self.db.execute("DELETE FROM story_scope")
        return list(material.values())

    def articles_without_story(self) -> list[Article]:
        rows = self.db.execute(
            # unplaced_articles is kept by triggers (migration 0010): reading it costs what
            # is waiting, not the whole store.
            # (CROSS JOIN: SQLite then loops over the few waiting, not over every article)
            "SELECT a.* FROM unplaced_articles u CROSS JOIN articles a ON a.id = u.article_id"
            " ORDER BY coalesce(a.published_utc, a.fetched_at), a.id"
        )
        return [self._article(r) for r in rows]

    def save_stories(self, stories: Iterable[Story], links: Iterable[StoryLink]) -> None:
        with self._transaction():
            # An upsert, not INSERT OR REPLACE: replacing would delete the story's placements
            # (ON DELETE CASCADE).
            self.db.executemany(
                "INSERT INTO stories (id, title, title_article_id, start_utc, end_utc,"
                " article_count, source_count, key_actors, key_places)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
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
            self.db.executemany(
                "INSERT OR REPLACE INTO story_articles (article_id, story_id, how, score)"
                " VALUES (?, ?, ?, ?)",
                [(k.article_id, k.story_id, k.how, k.score) for k in links],
            )

    def clear_stories(self) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM story_articles")
            self.db.execute("DELETE FROM stories")

    def _stories(self, where: str, params: list) -> list[Story]:
        rows = self.db.execute(
            "SELECT * FROM stories" + where + " ORDER BY end_utc DESC, article_count DESC, id",
            params,
        ).fetchall()
        members: dict[str, list[str]] = {r["id"]: [] for r in rows}
        if members:
            for r in self.db.execute(
                "SELECT sa.story_id, sa.article_id FROM story_articles sa"
                " JOIN articles a ON a.id = sa.article_id"
                " WHERE sa.story_id IN (SELECT id FROM stories" + where + ")"
                " ORDER BY coalesce(a.published_utc, a.fetched_at), a.id",
                params,
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
                where.append("start_utc >= ?")
                params.append(_utc(earliest))
            where.append("end_utc >= ?")
            params.append(_utc(since))
        if until is not None:
            where.append("start_utc < ?")
            params.append(_utc(until))
        return self._stories(" WHERE " + " AND ".join(where) if where else "", params)

    def story(self, story_id: str) -> Story | None:
        found = self._stories(" WHERE id = ?", [story_id])
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
            where.append(f"{day} >= ?")
            params.append(since.isoformat())
        if until is not None:
            where.append(f"{day} <= ?")
            params.append(until.isoformat())
        if category:
            where.append("e.category = ?")
            params.append(category)
        if actor:
            where.append("(e.actors LIKE ? ESCAPE '\\' OR e.actor_countries LIKE ? ESCAPE '\\')")
            params += [_like(actor), _like(f'"{actor.strip().upper()}"')]
        if place:
            where.append("(e.place LIKE ? ESCAPE '\\' OR e.place_id = ? OR e.place_country = ?)")
            params += [_like(place), place.strip(), place.strip().upper()]
        rows = self.db.execute(
            "SELECT e.* FROM events e JOIN articles a ON a.id = e.article_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {day}, e.id LIMIT ?",
            [*params, -1 if limit is None else limit],
        ).fetchall()
        ids = [r["id"] for r in rows]
        counts: dict[int, list[Count]] = {}
        evidence: dict[int, list[int]] = {}
        for start in range(0, len(ids), 500):  # under SQLite's bound-parameter limit
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for r in self.db.execute(
                f"SELECT * FROM counts WHERE event_id IN ({marks}) ORDER BY id", chunk
            ):
                counts.setdefault(r["event_id"], []).append(self._count(r))
            for r in self.db.execute(
                f"SELECT event_id, sentence_index FROM event_evidence WHERE event_id IN ({marks})"
                " ORDER BY event_id, sentence_index",
                chunk,
            ):
                evidence.setdefault(r["event_id"], []).append(r["sentence_index"])
        return [
            StoredEvent(
                r["id"],
                r["article_id"],
                self._event(r, evidence.get(r["id"], []), counts.get(r["id"], [])),
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
            where.append("a.published_utc >= ?")
            params.append(_utc(since))
        if until is not None:
            where.append("a.published_utc < ?")
            params.append(_utc(until))
        if speaker:
            where.append("q.speaker LIKE ? ESCAPE '\\'")
            params.append(_like(speaker))
        rows = self.db.execute(
            "SELECT q.* FROM quotes q JOIN articles a ON a.id = q.article_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY coalesce(a.published_utc, a.fetched_at) DESC, a.id, q.start_char"
            " LIMIT ?",
            [*params, -1 if limit is None else limit],
        )
        return [StoredQuote(r["article_id"], self._quote(r)) for r in rows]

    def entities(
        self, labels: Iterable[str] | None = None, query: str | None = None, limit: int = 100
    ) -> list[EntitySummary]:
        where, params = [], []
        wanted = list(labels or [])
        if wanted:
            where.append(f"label IN ({', '.join('?' * len(wanted))})")
            params += wanted
        if query:
            where.append("text LIKE ? ESCAPE '\\'")
            params.append(_like(query))
        # Each entity's written forms and labels by frequency: the first of each names it.
        rows = self.db.execute(
            "WITH picked AS (SELECT coalesce(linked_id, text) AS key, linked_id, text, label,"
            " article_id FROM mentions" + (" WHERE " + " AND ".join(where) if where else "") + "),"
            " ranked AS (SELECT key, count(*) AS mentions, count(DISTINCT article_id) AS articles"
            " FROM picked GROUP BY key ORDER BY articles DESC, mentions DESC, key LIMIT ?)"
            " SELECT r.key, r.mentions, r.articles, p.linked_id, p.text, p.label,"
            " count(*) AS uses FROM ranked r JOIN picked p ON p.key = r.key"
            " GROUP BY r.key, p.text, p.label"
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
            " WHERE m.linked_id = ? OR (m.linked_id IS NULL AND m.text = ?)"
            " ORDER BY coalesce(a.published_utc, a.fetched_at) DESC, a.id, m.start_char LIMIT ?",
            (key, key, limit),
        )
        return [StoredMention(r["article_id"], self._mention(r), r["sentence"]) for r in rows]

    # -- briefing archive ------------------------------------------------------------------

    def save_briefing(self, briefing: ArchivedBriefing) -> int:
        with self._transaction():
            cur = self.db.execute(
                "INSERT INTO briefings (generated_at, period_start, period_end, topic, title,"
                " headline, document) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    _utc(briefing.generated_at),
                    briefing.period_start.isoformat() if briefing.period_start else None,
                    briefing.period_end.isoformat() if briefing.period_end else None,
                    briefing.topic,
                    briefing.title,
                    briefing.headline,
                    json.dumps(briefing.document, ensure_ascii=False),
                ),
            )
        return cur.lastrowid

    @staticmethod
    def _briefing(r: sqlite3.Row) -> ArchivedBriefing:
        return ArchivedBriefing(
            id=r["id"],
            generated_at=_parse_dt(r["generated_at"]),
            period_start=date.fromisoformat(r["period_start"]) if r["period_start"] else None,
            period_end=date.fromisoformat(r["period_end"]) if r["period_end"] else None,
            topic=r["topic"],
            title=r["title"],
            headline=r["headline"],
            document=json.loads(r["document"]),
        )

    def briefings(self, limit: int = 20) -> list[ArchivedBriefing]:
        rows = self.db.execute(
            "SELECT * FROM briefings ORDER BY generated_at DESC, id DESC LIMIT ?", (limit,)
        )
        return [self._briefing(r) for r in rows]

    def briefing(self, briefing_id: int) -> ArchivedBriefing | None:
        row = self.db.execute("SELECT * FROM briefings WHERE id = ?", (briefing_id,)).fetchone()
        return self._briefing(row) if row else None

    # -- stored figures -----------------------------------------------------------------------

    def article_theatres(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        rows = self.db.execute(
            "SELECT article_id, theatre FROM article_theatres"
            " WHERE article_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(dict.fromkeys(article_ids))),),
        )
        return {r["article_id"]: r["theatre"] for r in rows}

    def save_article_theatres(self, theatres: dict[str, str | None]) -> None:
        with self._transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO article_theatres (article_id, theatre) VALUES (?, ?)",
                list(theatres.items()),
            )

    def publication_days(self, since: date, until: date) -> dict[date, int]:
        return read_publication_days(self.db, "?", since, until)

    def day_figures(self, since: date, until: date) -> list[DayFigures]:
        return read_day_figures(self.db, "?", since, until)

    def save_day_figures(self, figures: DayFigures) -> bool:
        day, counts, tolls = figure_rows(figures)
        with self._transaction():
            stored = self.db.execute(
                "SELECT count(*) FROM articles WHERE published_utc >= ? AND published_utc < ?",
                day_bounds(figures.published_day, figures.published_day),
            ).fetchone()[0]
            if stored != figures.articles:
                return False
            self._drop_day_figures([day[0]])
            self.db.execute(
                "INSERT INTO indicator_days (published_day, articles, first_published_day,"
                " computed_at) VALUES (?, ?, ?, ?)",
                (*day, _utc(datetime.now(UTC))),
            )
            self.db.executemany(
                "INSERT INTO indicator_figures (published_day, theatre, day, measure, value)"
                " VALUES (?, ?, ?, ?, ?)",
                counts,
            )
            self.db.executemany(
                "INSERT INTO indicator_tolls (published_day, position, theatre, role, day,"
                " value, hedged, is_update, article_id, published)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tolls,
            )
        return True

    def _drop_day_figures(self, days: Iterable[str]) -> None:
        """Forget the figures of these UTC days (ISO dates): their facts changed."""
        for table in ("indicator_tolls", "indicator_figures", "indicator_days"):
            self.db.executemany(
                f"DELETE FROM {table} WHERE published_day = ?", [(d,) for d in days]
            )
