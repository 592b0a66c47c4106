"""Search and briefing latency on large stores, one measurement per process (as
``bench/ingest.py``) so each reports its own peak memory.

- ``build``: a copy of a store of ingested articles with their facts (their stories placed
  first, as ``watchfloor ingest`` places them), grown to about N articles by
  ``watchfloor.store.replicate``: real articles copied with new identities, copy k published
  k days after the original, so each day holds as many articles whatever the store's size.
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


def build(base: Path, db: Path, articles: int, days_apart: float) -> dict:
    from watchfloor.analyze.stories import update_stories
    from watchfloor.config import Settings
    from watchfloor.store.replicate import replicate
    from watchfloor.store.sqlite import SqliteStore

    fresh = not db.exists()
    if fresh:
        shutil.copy(base, db)
    store = SqliteStore(db)
    if fresh:  # stories as `watchfloor ingest` leaves them, for the copies to carry
        update_stories(store, Settings())
    originals = store.db.execute(
        "SELECT count(*) FROM articles WHERE instr(id, '.') = 0"
    ).fetchone()[0]
    started, cpu = time.perf_counter(), time.process_time()
    stored = replicate(store, math.ceil(articles / originals) - 1, days_apart)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    stats = store.stats()
    store.close()
    return {
        "originals": originals,
        "articles": stored,
        "sentences": stats["sentences"],
        "facts": sum(v for k, v in stats.items() if k not in ("articles", "sentences")),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "store_bytes": store_bytes(db),
        "peak_rss_mb": peak_rss_mb(),
    }


def percentiles(seconds: list[float]) -> dict:
    cuts = statistics.quantiles(seconds, n=20, method="inclusive")
    return {"p50": statistics.median(seconds), "p95": cuts[18], "max": max(seconds)}


def search_words(store, count: int) -> list[str]:
    """The longest word of each of the first ``count`` original titles (real, varied terms)."""
    titles = [
        r[0]
        for r in store.db.execute(
            "SELECT title FROM articles WHERE instr(id, '.') = 0 ORDER BY rowid"
        )
    ]
    words = []
    for title in titles:
        found = sorted(_WORD.findall(title), key=lambda w: (-len(w), w))
        if found and found[0].lower() not in words:
            words.append(found[0].lower())
        if len(words) == count:
            break
    return words


def briefing_days(store, count: int) -> list[datetime]:
    """``count`` days spread evenly over the store, each a day some article appeared."""
    total = store.db.execute("SELECT max(rowid) FROM articles").fetchone()[0]
    days = []
    for i in range(count):
        row = store.db.execute(
            "SELECT published_utc FROM articles WHERE rowid >= ? AND published_utc IS NOT NULL"
            " ORDER BY rowid LIMIT 1",
            (1 + i * total // count,),
        ).fetchone()
        moment = datetime.fromisoformat(row[0])
        days.append(datetime(moment.year, moment.month, moment.day, tzinfo=UTC))
    return days


def measure(db: Path) -> dict:
    from watchfloor.brief import compose_briefing, render
    from watchfloor.store.sqlite import SqliteStore

    store = SqliteStore(db)
    words = search_words(store, SEARCHES)
    days = briefing_days(store, BRIEFING_DAYS)

    def search(word: str) -> int:
        return len(store.search(word, limit=20))

    def brief(day: datetime) -> int:
        return len(render(compose_briefing(store, since=day, until=day + timedelta(days=1)), "md"))

    result: dict = {"articles": store.db.execute("SELECT count(*) FROM articles").fetchone()[0]}
    for name, run, cases in (("search", search, words), ("briefing", brief, days)):
        for case in cases:  # warm the cache: the timed pass measures the queries, not the disk
            run(case)
        timings = []
        for case in cases:
            started = time.perf_counter()
            run(case)
            timings.append(time.perf_counter() - started)
        result[name] = percentiles(timings) | {"cases": len(cases)}
    result["search"]["words"] = words
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
    step.add_argument("base", type=Path)
    step.add_argument("db", type=Path)
    step.add_argument("--articles", type=int, required=True)
    step.add_argument("--days-apart", type=float, default=1.0)
    step = steps.add_parser("measure")
    step.add_argument("db", type=Path)
    args = parser.parse_args(argv)
    if args.step == "build":
        result = build(args.base, args.db, args.articles, args.days_apart)
    else:
        result = measure(args.db)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
