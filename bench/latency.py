"""Search and briefing latency on large stores, one measurement per process (as
``bench/ingest.py``) so each reports its own peak memory.

- ``build``: a SQLite store of ingested articles with their facts, copied (a file copy, or
  its rows into an empty PostgreSQL store), their stories placed as ``watchfloor ingest``
  places them, then grown to about N articles by ``watchfloor.store.replicate``: real
  articles copied with new identities, copy k published k days after the original.
- ``measure``: full-text search (``Store.search``, 20 best hits) for words taken from the
  originals' titles, and the briefing of one day (``compose_briefing`` then Markdown), each
  over a fixed set of queries and days, after one untimed pass (warm cache); p50 and p95.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.ingest import peak_rss_mb, store_bytes

SEARCHES = 20
BRIEFING_DAYS = 10
_WORD = re.compile(r"[A-Za-z]{5,}")


def build(base: Path, location: str, articles: int, days_apart: float) -> dict:
    """Grow the store at ``location`` (a SQLite path or a PostgreSQL URL) to about ``articles``
    articles; an empty one first gets the articles of ``base`` (a SQLite store) and their
    stories."""
    from watchfloor.analyze.stories import update_stories
    from watchfloor.config import Settings
    from watchfloor.store import open_store
    from watchfloor.store.postgres import is_postgres_url
    from watchfloor.store.replicate import dialect, replicate

    postgres = is_postgres_url(location)
    if not postgres and not Path(location).exists():
        shutil.copy(base, location)
    store = open_store(location)
    sql = dialect(store)
    if postgres and not store.stats()["articles"]:
        load_sqlite(base, sql)
    if not sql.execute("SELECT count(*) FROM story_articles")[0][0]:
        update_stories(store, Settings())  # as `watchfloor ingest` leaves them, for the copies
    originals = sql.execute("SELECT count(*) FROM articles WHERE id NOT LIKE '%.%'")[0][0]
    started, cpu = time.perf_counter(), time.process_time()
    stored = replicate(store, math.ceil(articles / originals) - 1, days_apart)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    stats = store.stats()
    size = store_size(location, sql)
    store.close()
    return {
        "engine": "postgresql" if postgres else "sqlite",
        "originals": originals,
        "articles": stored,
        "sentences": stats["sentences"],
        "facts": sum(v for k, v in stats.items() if k not in ("articles", "sentences")),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "store_bytes": size,
        "peak_rss_mb": peak_rss_mb(),
    }


def load_sqlite(base: Path, target) -> None:
    """Copy the articles, facts and stories of the SQLite store ``base`` into the empty
    PostgreSQL store behind ``target`` (its dialect), in the order they were stored."""
    import sqlite3

    from watchfloor.store.replicate import TABLES

    source = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
    with target.transaction():
        for table in TABLES:
            # Every column both have; PostgreSQL computes its generated ones (search terms).
            ours = {r[1] for r in source.execute(f"SELECT * FROM pragma_table_info('{table}')")}
            columns = [
                name
                for (name,) in target.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_schema = current_schema() AND table_name = %s"
                    " AND is_generated = 'NEVER'"
                    " AND identity_generation IS DISTINCT FROM 'ALWAYS'"
                    " ORDER BY ordinal_position",
                    (table,),
                )
                if name in ours
            ]
            rows = source.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
            into = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with target.store.db.cursor() as cursor, cursor.copy(into) as copy:
                for row in rows:
                    copy.write_row(row)
    source.close()
    target.finish()  # identity sequences past the ids copied


def store_size(location: str, sql) -> int:
    """Bytes on disk: the SQLite file and its journal, or the PostgreSQL database."""
    from watchfloor.store.postgres import is_postgres_url

    if is_postgres_url(location):
        return sql.execute("SELECT pg_database_size(current_database())")[0][0]
    return store_bytes(Path(location))


def percentiles(seconds: list[float]) -> dict:
    cuts = statistics.quantiles(seconds, n=20, method="inclusive")
    return {"p50": statistics.median(seconds), "p95": cuts[18], "max": max(seconds)}


def originals(sql) -> list[tuple[str, str]]:
    """The original articles (id, title), in the order they were stored."""
    return sql.execute(
        f"SELECT id, title FROM articles WHERE id NOT LIKE '%.%' ORDER BY {sql.rowid}"
    )


def search_words(titles: list[str], count: int) -> list[str]:
    """The longest word of each of the first ``count`` titles (real, varied terms)."""
    words = []
    for title in titles:
        found = sorted(_WORD.findall(title), key=lambda w: (-len(w), w))
        if found and found[0].lower() not in words:
            words.append(found[0].lower())
        if len(words) == count:
            break
    return words


def briefing_days(sql, count: int) -> list[datetime]:
    """``count`` days spread over the store by publication: split its dated articles, in the
    order they were published, into ``count`` equal shares; the day of the middle article of
    each. Days are so weighted by articles (a date a lone original's copies spread over, far
    from the others, is seldom picked) and are the same in either engine."""
    total = sql.execute("SELECT count(*) FROM articles WHERE published_utc IS NOT NULL")[0][0]
    days = []
    for share in range(count):
        (published,) = sql.execute(
            "SELECT published_utc FROM articles WHERE published_utc IS NOT NULL"
            f" ORDER BY published_utc LIMIT 1 OFFSET {sql.mark}",
            ((2 * share + 1) * total // (2 * count),),
        )[0]
        moment = datetime.fromisoformat(published)
        days.append(datetime(moment.year, moment.month, moment.day, tzinfo=UTC))
    return days


def measure(location: str, searches: int = SEARCHES, briefings: int = BRIEFING_DAYS) -> dict:
    """Search latency for ``searches`` words and briefing latency for ``briefings`` days on
    the store at ``location`` (SQLite path or PostgreSQL URL)."""
    from watchfloor.brief import compose_briefing, render
    from watchfloor.store import open_store
    from watchfloor.store.replicate import dialect

    store = open_store(location)
    sql = dialect(store)
    first = originals(sql)
    words = search_words([title for _, title in first], searches)
    days = briefing_days(sql, briefings)

    def search(word: str) -> int:
        return len(store.search(word, limit=20))

    def brief(day: datetime) -> int:
        return len(render(compose_briefing(store, since=day, until=day + timedelta(days=1)), "md"))

    result: dict = {"articles": sql.execute("SELECT count(*) FROM articles")[0][0]}
    for name, run, cases in (("search", search, words), ("briefing", brief, days)):
        # The untimed pass warms the cache (the timed one measures the queries, not the disk)
        # and fills whatever a store computes on first demand.
        first = []
        for case in cases:
            started = time.perf_counter()
            run(case)
            first.append(time.perf_counter() - started)
        timings = []
        for case in cases:
            started = time.perf_counter()
            run(case)
            timings.append(time.perf_counter() - started)
        result[name] = percentiles(timings) | {
            "cases": len(cases),
            "warm_up_seconds": sum(first),
            "first_pass": percentiles(first),
        }
    result["search"]["words"] = words
    result["briefing"]["days"] = [day.date().isoformat() for day in days]
    result["briefing"]["days_by"] = "publication"
    result["briefing"]["articles_per_day"] = statistics.median(
        len(store.articles(since=day, until=day + timedelta(days=1))) for day in days
    )
    store.close()
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One latency measurement; prints JSON.")
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("build")
    step.add_argument("base", type=Path, help="SQLite store of the articles to copy")
    step.add_argument("store", help="SQLite path or PostgreSQL URL")
    step.add_argument("--articles", type=int, required=True)
    step.add_argument("--days-apart", type=float, default=1.0)
    step = steps.add_parser("measure")
    step.add_argument("store", help="SQLite path or PostgreSQL URL")
    step.add_argument("--searches", type=int, default=SEARCHES)
    step.add_argument("--briefings", type=int, default=BRIEFING_DAYS, help="days briefed")
    args = parser.parse_args(argv)
    if args.step == "build":
        result = build(args.base, args.store, args.articles, args.days_apart)
    else:
        result = measure(args.store, args.searches, args.briefings)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
