"""Stories, timelines, indicators and alerts on a real corpus: the 1,796 English press
releases of the Kremlin and of the President of Ukraine, October 2021 to June 2022
(../shared/corpus/ukr_rus_press_releases_2021_2022). There is no gold: the section records
what the commands produce, so that a reader can judge it, and the figures a change would move.

The corpus is ingested once, exactly as ``watchfloor ingest press_releases.jsonl.gz`` does (the
JSONL reader takes ``published_at`` and ``text`` by their usual names), into out/press.db,
which is kept while complete: an ingest takes most of an hour on a busy 2-core machine.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from eval.paths import REPO, shared_dir
from eval.report import Section
from watchfloor.analyze.alerts import evaluate_alerts
from watchfloor.analyze.indicators import indicators
from watchfloor.analyze.stories import story_rows
from watchfloor.analyze.timeline import timeline
from watchfloor.config import Settings
from watchfloor.pipeline import ingest_paths
from watchfloor.store import open_store
from watchfloor.store.base import Store

CORPUS = "ukr_rus_press_releases_2021_2022"
STORE = REPO / "out" / "press.db"
# The bundled example rules, dry-run at the end of each day around the invasion.
RULES = REPO / "src" / "watchfloor" / "data" / "alerts.yaml"
ALERT_DAYS = [date(2022, 2, 20) + timedelta(days=i) for i in range(9)]
TIMELINE = {"query": "Macron", "since": date(2022, 1, 1), "until": date(2022, 3, 31)}
INDICATOR_SPAN = (date(2022, 2, 20), date(2022, 2, 28))


def press_dir() -> Path:
    return shared_dir() / "corpus" / CORPUS


def _marker(path: Path) -> Path:
    return path.with_suffix(".done")


def press_store(path: Path = STORE) -> Store:
    """The ingested corpus, ingested first when no complete store is kept."""
    if path.exists() and _marker(path).exists():
        return open_store(path)
    path.unlink(missing_ok=True)
    store = open_store(path)
    started = time.perf_counter()
    report = ingest_paths([press_dir() / "press_releases.jsonl.gz"], store, Settings())
    seconds = time.perf_counter() - started
    _marker(path).write_text(f"{report.summary()}; {seconds:.0f} s\n", encoding="utf-8")
    return store


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split()).replace("|", "/")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _story_notes(store: Store) -> tuple[list[str], float]:
    started = time.perf_counter()
    rows = story_rows(store)
    seconds = time.perf_counter() - started
    sizes = Counter(min(r["articles"], 5) for r in rows)
    both = [r for r in rows if r["sources"] >= 2]
    largest = sorted(rows, key=lambda r: (-r["articles"], r["start"] or ""))[:3]

    def described(r: dict) -> str:
        return (
            f'"{_short(r["title"])}" ({(r["start"] or "")[:10]} to {(r["end"] or "")[:10]}, '
            f"{r['articles']} articles, {r['sources']} source(s))"
        )

    notes = [
        f"Stories: {len(rows)} from the stored articles; by size "
        + ", ".join(f"{sizes[n]} of {n}{'+' if n == 5 else ''} article(s)" for n in sorted(sizes))
        + f". Listing them took {seconds:.1f} s. Most releases are their own happening (a "
        "greeting, a decree, one call), so most stories are single articles.",
        f"Stories that gather both presidencies' releases: {len(both)}: "
        + "; ".join(described(r) for r in both)
        + ". The largest: "
        + "; ".join(described(r) for r in largest)
        + ".",
    ]
    return notes, seconds


def _timeline_note(store: Store) -> str:
    started = time.perf_counter()
    made = timeline(store, max_dates=6, sentences_per_date=1, **TIMELINE)
    seconds = time.perf_counter() - started
    days = "; ".join(
        f"{d.day}: \u201c{_short(d.sentences[0].text, 160)}\u201d ({d.sentences[0].source})"
        for d in made.dates
    )
    return (
        f"`watchfloor timeline --query {TIMELINE['query']} --since {TIMELINE['since']} "
        f"--until {TIMELINE['until']} --max-dates 6 --sentences-per-date 1`: "
        f"{made.articles} articles, {len(made.dates)} dates in {seconds:.1f} s: {days}."
    )


def _indicator_notes(store: Store) -> list[str]:
    first, last = INDICATOR_SPAN
    notes = []
    for theatre in ("UA", "RU"):
        series = indicators(store, theatre=theatre, since=first, until=last)
        days = "; ".join(
            f"{i.day:%d %b} events {i.measures['events'].value:.0f}, strikes "
            f"{i.measures['strikes'].value:.0f}, killed {i.measures['killed'].value:.0f}, "
            f"escalation {i.escalation:.1f}"
            for i in series
        )
        peak = max(series, key=lambda i: i.escalation)
        drivers = ", ".join(f"{d.measure} +{d.contribution:.1f}" for d in peak.drivers)
        notes.append(
            f"`watchfloor indicators --theatre {theatre} --since {first} --until {last}`: "
            f"{days}. Peak {peak.day}: escalation {peak.escalation:.1f} ({drivers})."
        )
    return notes


def _alert_note(store: Store) -> str:
    fired = []
    for day in ALERT_DAYS:
        moment = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        for alert in evaluate_alerts(store, Settings(), RULES, dry_run=True, now=moment):
            fired.append(
                f"{alert.rule.name} on {alert.day} ({alert.theatre}, {alert.value:g}, "
                f"{len(alert.outlets)} outlet(s))"
            )
    return (
        "`watchfloor alerts test --rules src/watchfloor/data/alerts.yaml --at` the end of "
        f"each day from {ALERT_DAYS[0]} to {ALERT_DAYS[-1]} (the bundled example rules, which "
        "mostly ask for two independent sources; here there are two outlets in all): "
        + ("; ".join(dict.fromkeys(fired)) if fired else "nothing fires")
        + "."
    )


def press_releases_section() -> Section:
    store = press_store()
    try:
        ingested = _marker(STORE).read_text(encoding="utf-8").strip()
        articles = len(store.articles())
        story_notes, _ = _story_notes(store)
        notes = [
            f"Ingest (`watchfloor ingest {CORPUS}/press_releases.jsonl.gz --db out/press.db`, "
            f"no column mapping needed): {ingested} (wall time on a shared 2-core machine); "
            f"{articles} articles stored.",
            *story_notes,
            _timeline_note(store),
            *_indicator_notes(store),
            _alert_note(store),
        ]
    finally:
        store.close()
    return Section(
        title="Real corpus: presidential press releases",
        intro=(
            "The 1,796 English press releases of the Kremlin and of the Office of the President "
            "of Ukraine, 24 October 2021 to 24 June 2022 (`../shared/corpus/" + CORPUS + "`), "
            "through ingest, stories, timeline, indicators and alerts. No gold exists for this "
            "corpus: these are the outputs, to be read, and the figures a change would move."
        ),
        notes=notes,
    )
