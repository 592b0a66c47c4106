"""`make bench`: ingestion throughput, near-duplicate cost, the full pipeline against the bare
spaCy pass (here and on 1 and 2 Dask workers), and search and briefing latency on stores of up
to 1,000,000 articles (SQLite or PostgreSQL), on the AllSides set; writes BENCHMARKS.md.

Each section's figures go to their own file, ``bench/results/<section>.json`` (latency:
``latency-<engine>.json``; scale: ``scale/workers-<n>.jsonl``, a line a chunk), with the
date, commit and machine of the run; BENCHMARKS.md is
rendered from all of them, so sections measured by separate runs are kept side by side.
Each measurement runs in its own process (``bench/ingest.py``, ``bench/latency.py``), so its
peak memory is its own.

    python -m bench.run                 # every section, all 37,554 articles
    python -m bench.run --limit 2000    # a quick run, results and report printed, not kept
    python -m bench.run --sections ingest
    python -m bench.run --sections throughput --throughput-articles 300
    python -m bench.run --sections scale   # all articles, 2 then 1 workers; goes on when rerun
    python -m bench.run --sections latency --store-sizes 10000,100000,1000000
    python -m bench.run --sections latency --engine postgresql \\
        --postgres-url postgresql://user:password@localhost/watchfloor_bench
    python -m bench.run --sections latency --measure-only   # the store as built, measured again
    python -m bench.run --render        # BENCHMARKS.md from bench/results only
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from eval.paths import REPO, allsides_dir
from eval.report import RunInfo

from bench.ingest import read_progress, summary
from bench.machine import load_average, machine
from watchfloor.config import Settings
from watchfloor.store.postgres import redact

ALLSIDES_ROWS = 37_554
SECTIONS = ("ingest", "throughput", "scale", "latency")
ENGINES = ("sqlite", "postgresql")
RESULTS = REPO / "bench" / "results"
WORKERS = (0, 1, 2)  # 0: in the measuring process, no cluster
SCALE_WORKERS = (2, 1)  # the cluster first: it covers the whole set soonest
SCALE_BATCHES = 4  # a turn of the scale section: extraction batches a worker
STORE_SIZES = (10_000, 100_000, 1_000_000)
TARGET_ARTICLES = 1_000_000  # the size the latency targets are set for
LATENCY_ORIGINALS = 60
LATENCY_SQLITE = REPO / "out" / "bench" / "latency-sqlite.db"
# PostgreSQL latency stores live in this schema of the database given, dropped for a new build.
LATENCY_SCHEMA = "watchfloor_bench"


def run_step(*args: str, module: str = "bench.ingest") -> dict:
    """One ``bench.ingest`` (or ``module``) step in a fresh interpreter; its JSON result."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench: step {' '.join(map(redact, args))} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    shown = " ".join(redact(arg) for arg in args)  # a PostgreSQL URL's password left out
    print(f"bench: {shown} done in {result['process_seconds']:.0f} s", file=sys.stderr)
    return result


class Section:
    """One section's run: when, on what, with which options; saved with its figures."""

    def __init__(self, name: str, options: dict) -> None:
        info = RunInfo.now()
        self.name, self.options = name, options
        self.run = {
            "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": info.commit,
            "load_at_start": load_average(),
        }

    def save(self, folder: Path, results: dict) -> Path:
        """Write the section's file (again after each step of a long section: a run cut short
        keeps what it measured)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.name}.json"
        record = {
            "section": self.name,
            "run": self.run | {"load_at_end": load_average()},
            "machine": machine(),
            "options": self.options,
            "results": results,
        }
        path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        return path


def head(source: Path, target: Path, lines: int) -> Path:
    with source.open(encoding="utf-8") as rows, target.open("w", encoding="utf-8") as out:
        out.writelines(islice(rows, lines))
    return target


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds else "—"


def hours(seconds: float) -> str:
    return f"{seconds / 3600:,.1f} h" if seconds >= 3600 else f"{seconds / 60:,.0f} min"


# -- running ---------------------------------------------------------------------------------


def run_ingest(folder: Path, converted: Path, args: argparse.Namespace) -> dict:
    limit = ["--limit", str(args.limit)] if args.limit else []
    results = {"convert": run_step("convert", str(allsides_dir()), str(converted), *limit)}
    sample = head(converted, folder / "sample.jsonl", args.read_articles)
    results["read"] = run_step("read", str(sample))
    db = folder / "store.db"
    results["ingest"] = run_step("ingest", str(converted), str(db))
    results["near"] = run_step(
        "near-duplicates", str(converted), str(db), "--articles", str(args.near_duplicate_articles)
    )
    return results


def run_throughput(folder: Path, converted: Path, args: argparse.Namespace) -> dict:
    """The full pipeline and the bare pass, in turns, on 0, 1 and 2 workers."""
    sample = head(converted, folder / "throughput.jsonl", args.throughput_articles)
    return {
        "steps": [
            run_step(
                "throughput", str(sample), str(folder / f"pipeline-{n}.db"), "--workers", str(n)
            )
            for n in WORKERS
        ]
    }


def run_scale(folder: Path, converted: Path, args: argparse.Namespace) -> None:
    """The full pipeline and the bare pass, in turns, on every article, with 2 then 1
    workers. Its results are the progress files (``bench/results/scale/``): each chunk is
    kept as it is measured, and a rerun with the same code goes on from there."""
    batch = Settings().batch_size
    for n in SCALE_WORKERS:
        run_step(
            "throughput",
            str(converted),
            str(folder / f"scale-{n}.db"),
            "--workers",
            str(n),
            "--chunk",
            str(SCALE_BATCHES * batch * n),
            "--progress",
            str(scale_progress(args.results, n)),
        )


def scale_progress(results: Path, workers: int) -> Path:
    return results / "scale" / f"workers-{workers}.jsonl"


def with_schema(url: str, schema: str) -> str:
    """``url`` with ``schema`` first on its search_path (where the store puts its tables)."""
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def fresh_latency_store(args: argparse.Namespace) -> str:
    """An empty place for the latency store of ``args.engine``: its location."""
    if args.engine == "sqlite":
        for path in args.latency_store.parent.glob(args.latency_store.name + "*"):
            path.unlink()
        args.latency_store.parent.mkdir(parents=True, exist_ok=True)
        return str(args.latency_store)
    import psycopg

    with psycopg.connect(args.postgres_url, autocommit=True) as db:
        db.execute(f"DROP SCHEMA IF EXISTS {LATENCY_SCHEMA} CASCADE")
        db.execute(f"CREATE SCHEMA {LATENCY_SCHEMA}")
    return with_schema(args.postgres_url, LATENCY_SCHEMA)


def latency_base(folder: Path, converted: Path | None, args: argparse.Namespace) -> Path:
    """The SQLite store the latency stores copy: given, or the first articles of the set
    (``converted``) stored by the full pipeline."""
    if args.latency_base or converted is None:
        return args.latency_base
    sample = head(converted, folder / "originals.jsonl", LATENCY_ORIGINALS)
    base = folder / "originals.db"
    run_step("throughput", str(sample), str(base), "--modes", "full")
    return base


def measure_options(args: argparse.Namespace) -> list[str]:
    return ["--searches", str(args.searches), "--briefings", str(args.briefing_days)]


def run_latency(
    section: Section, folder: Path, converted: Path | None, args: argparse.Namespace
) -> dict:
    """Stores grown size by size, each measured; or (``--measure-only``) the store as it is
    measured again and added to the section's earlier figures."""
    if args.measure_only:
        path = args.results / f"{section.name}.json"
        results = json.loads(path.read_text(encoding="utf-8"))["results"]
        location = results["location"]
        if args.engine == "postgresql":
            location = with_schema(args.postgres_url, LATENCY_SCHEMA)
        measured = run_step("measure", location, *measure_options(args), module="bench.latency")
        results["steps"].append({"build": None, "measure": measured} | section.run)
        section.save(args.results, results)
        return results
    base = latency_base(folder, converted, args)
    location = fresh_latency_store(args)
    results: dict = {
        "engine": args.engine,
        "location": location if args.engine == "sqlite" else LATENCY_SCHEMA,
        "steps": [],
    }
    for size in sorted(int(n) for n in args.store_sizes.split(",") if n):
        built = run_step(
            "build", str(base), location, "--articles", str(size), module="bench.latency"
        )
        measured = run_step("measure", location, *measure_options(args), module="bench.latency")
        results["steps"].append({"build": built, "measure": measured} | section.run)
        section.save(args.results, results)
    return results


# -- rendering -------------------------------------------------------------------------------


def render_ingest(r: dict, options: dict) -> list[str]:
    conv, read, ingest, near = r["convert"], r["read"], r["ingest"], r["near"]
    read_ms = 1000 * read["cpu_seconds"] / max(read["articles"], 1)
    lang_ms = 1000 * read["language_cpu_seconds"] / max(read["articles"], 1)
    ingest_ms = 1000 * ingest["cpu_seconds"] / max(ingest["read"], 1)
    dedup_ms = (near["this_run"]["fingerprint_us"] + near["this_run"]["lookup_us"]) / 1000
    growth_mb = ingest["peak_rss_mb"] - ingest["baseline_rss_mb"]
    limit = options.get("limit")
    scope = f"first {limit:,} of {ALLSIDES_ROWS:,}" if limit else f"all {ALLSIDES_ROWS:,}"
    reasons = ", ".join(f"{k}: {v}" for k, v in ingest["reject_reasons"].items()) or "none"
    lines = [
        f"## Ingestion without NLP: AllSides articles ({scope})",
        "",
        "Data: `../shared/corpus/allsides_bias_37k_scale` (4 `.jsonl.xz` shards). "
        "`ingest_paths(..., extract=False)` into a fresh SQLite store: read, canonical-URL "
        "and content-hash duplicates, near-duplicates (MinHash LSH), store, one transaction "
        "per batch.",
        "",
        "| step | articles | wall s | CPU s | articles/s (wall) | articles per CPU s "
        "| peak RSS | |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
        f"| convert AllSides fields to ours (not part of ingestion) | {conv['rows']:,} "
        f"| {conv['seconds']:.1f} | — | {per_second(conv['rows'], conv['seconds'])} | — | — "
        f"| {conv['bytes'] / 1e6:,.0f} MB of JSON Lines |",
        f"| read only (`read_path`, first {read['articles']:,}) | {read['articles']:,} "
        f"| {read['seconds']:.1f} | {read['cpu_seconds']:.1f} "
        f"| {per_second(read['articles'], read['seconds'])} "
        f"| {per_second(read['articles'], read['cpu_seconds'])} "
        f"| {read['peak_rss_mb']:,.0f} MB | nothing stored |",
        f"| **ingest** (read, deduplicate, store) | {ingest['read']:,} "
        f"| {ingest['seconds']:.1f} | {ingest['cpu_seconds']:.1f} "
        f"| **{per_second(ingest['read'], ingest['seconds'])}** "
        f"| {per_second(ingest['read'], ingest['cpu_seconds'])} "
        f"| **{ingest['peak_rss_mb']:,.0f} MB** "
        f"| store {ingest['store_bytes'] / 1e6:,.0f} MB |",
        "",
        f"Outcome: {ingest['read']:,} read, {ingest['added']:,} stored, "
        f"{ingest['duplicates']:,} exact duplicates skipped, {ingest['near_duplicates']:,} "
        f"near-duplicates (stored, linked to their first copy; containment >= "
        f"{ingest['threshold']}), {ingest['rejects']:,} rejected ({reasons}).",
        "",
        f"Where an article's {ingest_ms:.1f} ms of ingestion CPU time goes: reading "
        f"{read_ms:.1f} ms (of which language detection, timed on its own: {lang_ms:.1f} ms), "
        f"near-duplicate fingerprint and lookup {dedup_ms:.1f} ms, the rest "
        f"({max(ingest_ms - read_ms - dedup_ms, 0):.1f} ms) is the store and the pipeline "
        "(derived: ingest minus the two measured parts).",
        "",
        f"Memory: the ingest's peak RSS is {ingest['peak_rss_mb']:,.0f} MB, of which "
        f"{ingest['baseline_rss_mb']:,.0f} MB before the first article (interpreter, "
        f"libraries, language model): {1024 * growth_mb / ingest['read']:,.1f} KB more per "
        f"article of the run. The store is {ingest['store_bytes'] / conv['bytes']:.1f} times "
        f"the {conv['bytes'] / 1e6:,.0f} MB of JSON Lines read (text, full-text index, "
        "near-duplicate keys).",
        "",
        "### Near-duplicate detection cost",
        "",
        f"`NearDuplicateFinder` on the first {near['articles']:,} AllSides articles, per "
        "article: the fingerprint (word 3-shingles, MinHash 128 permutations, LSH band keys) "
        "and the lookup (band-key query, then the containment check on each candidate).",
        "",
        "| compared against | fingerprint, CPU µs | lookup, CPU µs | both, wall µs "
        "| near-duplicates found |",
        "|---|--:|--:|--:|--:|",
    ]
    for label, key in (
        ("this run only (empty store)", "this_run"),
        (f"the store filled by the ingest above ({ingest['added']:,} articles)", "filled_store"),
    ):
        cost = near[key]
        lines.append(
            f"| {label} | {cost['fingerprint_us']:,.0f} | {cost['lookup_us']:,.0f} "
            f"| {cost['wall_us']:,.0f} | {cost['near_duplicates']} |"
        )
    return lines


def render_throughput(r: dict, options: dict) -> list[str]:
    steps = {step["runs"][0]["workers"]: step for step in r["steps"]}
    articles = steps[0]["runs"][0]["articles"]
    lines = [
        f"## Full pipeline against the bare spaCy pass, 0, 1 and 2 workers ({articles:,} "
        f"AllSides articles of {ALLSIDES_ROWS:,})",
        "",
        "*Full* is `ingest_paths` with extraction into a fresh SQLite store (read, "
        "deduplicate, extract, store, one transaction per batch); with workers, extraction "
        "runs on a local Dask cluster (`watchfloor ingest --workers N`) and reading, "
        "deduplication and storing stay in the measuring process. *Bare* is the spaCy model's "
        "own components over the same English texts (`nlp.pipe`, batches of 32; ours switched "
        "off), in the measuring process or mapped over the same cluster. The two take turns, "
        "chunk by chunk of the articles (two batches a worker; bare first on even chunks, full "
        "first on odd ones), so both meet the same machine: identical runs a few minutes apart "
        "differ by up to 10 % here. The pipeline is loaded and clusters started before the "
        "clock starts. CPU s counts every process of the run (the measuring process and the "
        "workers). Peak RSS, of the one pipeline both modes use: the measuring process / the "
        f"largest worker. *All {ALLSIDES_ROWS:,}*: the time the whole set would take at the "
        "rate measured (extraction, nearly all of the cost, is done article by article, so its "
        "cost grows linearly with the number of articles).",
        "",
        *run_table([steps[n] for n in WORKERS], projected=True),
        "",
        "Full pipeline / bare pass, in articles per second:",
        "",
        *(ratio_line(steps[n]) for n in WORKERS),
    ]
    return lines


def render_scale(r: dict, options: dict) -> list[str]:
    steps = r["steps"]
    total = steps[0]["total_articles"]
    scope = f"all {total:,}" if total == ALLSIDES_ROWS else f"the first {total:,}"
    lines = [
        f"## Full pipeline against the bare spaCy pass on {scope} AllSides articles, 2 and 1 "
        "workers",
        "",
        "As the section above, on every article, in turns of "
        f"{SCALE_BATCHES} batches a worker, the cluster of 2 first. Each chunk is kept as "
        "it is measured (`bench/results/scale/`), so the section is measured over several "
        "runs: `make bench SECTIONS=scale` goes on from the chunks kept while the measured "
        "code (`src/`, `bench/ingest.py`, the packages) is the same, and starts over when it "
        "changes. Both modes of a chunk always meet the same machine, so chunks measured on "
        "different machines add up to a fair ratio; a run that goes on stores its own chunks "
        "in a new store.",
        "",
        *run_table(steps, projected=False),
        "",
        "Full pipeline / bare pass, in articles per second:",
        "",
        *(ratio_line(step) for step in steps),
        "",
        "Measured by:",
        "",
    ]
    for step in steps:
        for run, chunks in zip(step["measured_by"], step["chunks_by_run"], strict=True):
            workers = step["runs"][0]["workers"]
            lines.append(
                f"- {workers} worker{'s' if workers != 1 else ''}: {run['started']}, "
                f"{run['commit']}, "
                f"{run['machine']['CPU']} ({run['machine']['cores']}): {chunks} chunks"
            )
    by_workers = {step["runs"][0]["workers"]: step for step in steps}
    for workers in SCALE_WORKERS:
        named = f"{workers} worker{'s' if workers != 1 else ''}"
        step = by_workers.get(workers)
        if step is None:
            lines.append(f"\nWith {named}: not started.")
            continue
        # Counted from what the full pipeline read: the bare pass takes only the articles
        # the pipeline extracts (English ones), so its count may stay below the total.
        read = max(t["articles"] for t in step["runs"])
        left = step["total_articles"] - read
        if step["chunks_measured"] < step["chunks"]:
            seconds = sum(left / t["per_second"] for t in step["runs"])
            lines.append(
                f"\nWith {named}, {left:,} articles are left: about {hours(seconds)} of both "
                "modes at the rates so far."
            )
    return lines


def run_table(steps: list[dict], projected: bool) -> list[str]:
    """Bare and full of each step: articles, time, rates (and, ``projected``, the time all
    AllSides articles would take), peak memory."""
    lines = [
        "| run | workers | articles | chunks | wall s | articles/s (wall) | CPU s "
        "| articles per CPU s"
        + (f" | all {ALLSIDES_ROWS:,}: wall / CPU" if projected else "")
        + " | peak RSS |",
        "|---|--:|--:|--:|--:|--:|--:|--:|" + ("--:|" if projected else "") + "--:|",
    ]
    for step in steps:
        workers = step["runs"][0]["workers"]
        worker_rss = f" / {step['worker_peak_rss_mb']:,.0f} MB" if workers else ""
        chunks = step["chunks"]
        if step.get("chunks_measured", chunks) != chunks:
            chunks = f"{step['chunks_measured']} of {chunks}"
        for t in sorted(step["runs"], key=lambda t: t["mode"]):
            rss = f"{step['peak_rss_mb']:,.0f} MB{worker_rss}" if t["mode"] == "full" else ""
            whole = (
                f" | {hours(ALLSIDES_ROWS / t['per_second'])} "
                f"/ {hours(ALLSIDES_ROWS / t['per_cpu_second'])}"
                if projected
                else ""
            )
            lines.append(
                f"| {t['mode']} | {workers} | {t['articles']:,} | {chunks} | {t['seconds']:.1f} "
                f"| {t['per_second']:.2f} | {t['cpu_seconds']:.1f} | {t['per_cpu_second']:.2f}"
                f"{whole} | {rss} |"
            )
    return lines


def ratio_line(step: dict) -> str:
    runs = {t["mode"]: t for t in step["runs"]}
    full, bare, workers = runs["full"], runs["bare"], runs["full"]["workers"]
    wall = full["per_second"] / bare["per_second"]
    cpu = full["per_cpu_second"] / bare["per_cpu_second"]
    verdict = "met" if min(wall, cpu) >= 0.8 else "not met" if max(wall, cpu) < 0.8 else ""
    return (
        f"- {workers or 'no'} worker{'s' if workers != 1 else ''}: **{wall:.2f}** by wall "
        f"time, **{cpu:.2f}** by CPU time (target >= 0.8: {verdict or 'met by one only'})"
    )


def render_latency(r: dict, options: dict) -> list[str]:
    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[r["engine"]]
    built = [s for s in r["steps"] if s["build"]]
    if not built:
        return []
    first, measure = built[0]["build"], built[0]["measure"]
    search = (
        "FTS5, bm25 over the 10,000 newest matches"
        if r["engine"] == "sqlite"
        else "tsvector GIN index, ts_rank over the 10,000 newest matches"
    )
    lines = [
        f"## Search and briefing latency on large stores ({engine})",
        "",
        f"The first {first['originals']:,} AllSides articles, stored by the full pipeline "
        "(text, sentences, facts; stories placed as `watchfloor ingest` places them), copied "
        "with new identities (`watchfloor.store.replicate`, SQL inside the store) until the "
        "store holds the size given; copy k appears k days after its original. The store grows "
        "from one size to the next; *build s* is the growth step's time, and *per 1,000* "
        "divides it by the articles it added (flat: the cost grows linearly). *Search*: "
        f"`Store.search` ({search}, 20 best hits) for "
        f"{len(measure['search']['words'])} words (the longest word of each of the first "
        "titles: " + ", ".join(measure["search"]["words"]) + "). *Briefing*: `compose_briefing` "
        "of one day, then Markdown, on *n* days spread over the store by publication (its "
        "dated articles in publication order split into n equal shares: the day of the middle "
        "article of each). Each case "
        "runs once first (*first pass*: fills the caches, loads the catalogs once, and fills "
        "whatever the store computes on first demand), then again, timed for p50 and p95. Peak "
        "RSS is the measuring process's"
        + (
            " (the server's memory is not counted; server settings as installed)"
            if r["engine"] == "postgresql"
            else ""
        )
        + f". Target: p95 < 1 s at {TARGET_ARTICLES:,} articles.",
        "",
        "| articles | sentences | facts | build s | per 1,000 | store | search p50 | search p95 "
        "| briefing p50 | briefing p95 | n | briefing, first pass: p50 / max | articles per "
        "briefed day | peak RSS build / measure | commit |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    previous = first["originals"]
    for step in r["steps"]:
        b, m = step["build"], step["measure"]
        if b:
            added = b["articles"] - previous
            previous = b["articles"]
            growth = (
                f"| {b['articles']:,} | {b['sentences']:,} | {b['facts']:,} | {b['seconds']:,.0f} "
                f"| {1000 * b['seconds'] / max(added, 1):.1f} s "
                f"| {b['store_bytes'] / 1e9:,.2f} GB "
            )
            memory = f"{b['peak_rss_mb']:,.0f} / {m['peak_rss_mb']:,.0f} MB"
        else:
            growth = f"| {m['articles']:,} | measured again | | | | "
            memory = f"— / {m['peak_rss_mb']:,.0f} MB"
        lines.append(
            f"{growth}| {m['search']['p50']:.3f} s | {m['search']['p95']:.3f} s "
            f"| {m['briefing']['p50']:.2f} s | {m['briefing']['p95']:.2f} s "
            f"| {m['briefing']['cases']}{'' if 'days_by' in m['briefing'] else ' ‡'} "
            f"| {first_pass(m['briefing'])} "
            f"| {m['briefing']['articles_per_day']:.0f} | {memory} | {step['commit']} |"
        )
    if any("days_by" not in step["measure"]["briefing"] for step in r["steps"]):
        lines += [
            "",
            "‡ Days chosen by an earlier rule: the days of the articles stored at 0, 1/n, 2/n, "
            "... of the store. Where that lands on the copies of one original dated far from "
            "the others, a day holds a single article (*articles per briefed day* 1) and the "
            "briefing figures say little.",
        ]
    largest = max(step["measure"]["articles"] for step in r["steps"])
    if largest < TARGET_ARTICLES:
        lines += [
            "",
            f"Not measured at {TARGET_ARTICLES:,} articles: the largest store measured here "
            f"holds {largest:,}.",
        ]
    return lines


def first_pass(timed: dict) -> str:
    """The first pass of a measurement: its p50 and max, or (older results) its mean."""
    if "first_pass" in timed:
        return f"{timed['first_pass']['p50']:.2f} / {timed['first_pass']['max']:.2f} s"
    return f"mean {timed['warm_up_seconds'] / timed['cases']:.2f} s"


RENDER = {
    "ingest": render_ingest,
    "throughput": render_throughput,
    "scale": render_scale,
    **{f"latency-{engine}": render_latency for engine in ENGINES},
}


def scale_record(folder: Path) -> dict | None:
    """The scale section as a results record, from its progress files."""
    steps = []
    for n in SCALE_WORKERS:
        path = scale_progress(folder, n)
        header, runs, chunks = read_progress(path) if path.exists() else (None, [], {})
        if header and chunks:
            steps.append(summary(header, runs, chunks) | {"last_load": chunks[max(chunks)]["load"]})
    if not steps:
        return None
    runs = sorted(
        (run for step in steps for run in step["measured_by"]), key=lambda r: r["started"]
    )
    started = runs[0]["started"]
    if runs[-1]["started"] != started:
        started += f" to {runs[-1]['started']}"
    return {
        "run": {
            "started": started,
            "commit": ", ".join(dict.fromkeys(run["commit"] for run in runs)),
            "load_at_start": runs[0]["load_at_start"],
            "load_at_end": steps[-1]["last_load"],
        },
        "machine": runs[-1]["machine"],
        "options": {},
        "results": {"steps": steps},
    }


def render(folder: Path) -> str:
    """BENCHMARKS.md from every section's results file in ``folder``."""
    records = {}
    for name in RENDER:
        path = folder / f"{name}.json"
        if name == "scale":
            records[name] = scale_record(folder)
        elif path.exists():
            records[name] = json.loads(path.read_text(encoding="utf-8"))
    records = {name: record for name, record in records.items() if record}
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`) from the results files in `bench/results/`, "
        "one per section, each from its own run (`make bench SECTIONS=...`); edit the code, "
        "not this file. Each measurement runs in its own process, so peak memory (max RSS) is "
        "per measurement. Wall time depends on what else the machine runs (see the load "
        "average); CPU time (user + system) much less so.",
        "",
        "| section | run (UTC) | commit | CPU | load average at start / end (1, 5, 15 min) |",
        "|---|---|---|---|---|",
    ]
    for name, record in records.items():
        run = record["run"]
        lines.append(
            f"| {name} | {run['started']} | {run['commit']} | {record['machine']['CPU']} "
            f"| {run['load_at_start']} / {run['load_at_end']} |"
        )
    if records:
        lines += ["", "Machine (of the latest run):", ""]
        latest = max(records.values(), key=lambda r: r["run"]["started"])
        lines += [f"- {key}: {value}" for key, value in latest["machine"].items()]
    missing = [name for name in RENDER if name not in records]
    if missing:
        lines += ["", "Not measured yet: " + ", ".join(missing) + "."]
    for name, record in records.items():
        lines += ["", *RENDER[name](record["results"], record["options"])]
    notes = REPO / "bench" / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated, of {', '.join(SECTIONS)} (default: all)",
    )
    parser.add_argument("--limit", type=int, help="first N AllSides articles only (quick run)")
    parser.add_argument("--read-articles", type=int, default=5000)
    parser.add_argument("--near-duplicate-articles", type=int, default=3000)
    parser.add_argument(
        "--throughput-articles",
        type=int,
        default=300,
        help="full pipeline vs bare pass: first N articles",
    )
    parser.add_argument("--searches", type=int, default=20, help="latency: words searched")
    parser.add_argument(
        "--briefing-days",
        type=int,
        default=3,
        help="latency: days briefed (at least 2; each costs two briefings per size)",
    )
    parser.add_argument("--engine", choices=ENGINES, default="sqlite", help="latency stores")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("WATCHFLOOR_BENCH_POSTGRES"),
        help=f"latency on PostgreSQL: a database where schema {LATENCY_SCHEMA} may be "
        "dropped and rebuilt (default: $WATCHFLOOR_BENCH_POSTGRES)",
    )
    parser.add_argument(
        "--store-sizes",
        default=",".join(map(str, STORE_SIZES)),
        help="articles in the replicated stores for latency, comma-separated, ascending",
    )
    parser.add_argument(
        "--latency-base", type=Path, help="SQLite store of the articles to copy (default: made)"
    )
    parser.add_argument("--latency-store", type=Path, default=LATENCY_SQLITE)
    parser.add_argument(
        "--measure-only", action="store_true", help="latency: measure the store as built again"
    )
    parser.add_argument("--results", type=Path, help="results folder (default: bench/results)")
    parser.add_argument("--output", type=Path, help="default: BENCHMARKS.md")
    parser.add_argument("--render", action="store_true", help="only render the results")
    args = parser.parse_args(argv)
    sections = [s for s in args.sections.split(",") if s]
    if unknown := set(sections) - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if "latency" in sections and args.engine == "postgresql" and not args.postgres_url:
        parser.error("latency on PostgreSQL needs --postgres-url")
    # A quick run (--limit) keeps nothing unless told where: its report is printed.
    quick = args.limit and not args.results
    with tempfile.TemporaryDirectory(prefix="watchfloor-bench-") as work:
        folder = Path(work)
        args.results = args.results or (folder / "results" if quick else RESULTS)
        output = args.output or (None if quick else REPO / "BENCHMARKS.md")
        if not args.render:
            measured = run_sections(sections, folder, args)
            if measured is None:
                return 0
        text = render(args.results)
        if output:
            output.write_text(text, encoding="utf-8")
            print(f"bench: wrote {output}", file=sys.stderr)
        else:
            print(text)
    return 0


def run_sections(sections: list[str], folder: Path, args: argparse.Namespace) -> list[Path] | None:
    """Run the sections asked for, each saved to its results file; None without the data."""
    source = allsides_dir()
    # Latency needs the set only to make the store it copies.
    latency_data = not (args.measure_only or args.latency_base)
    needs_data = [s for s in sections if s != "latency" or latency_data]
    if needs_data and not source.is_dir():
        print(f"bench: skipped, AllSides data not found at {source}", file=sys.stderr)
        return None
    options = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    options.pop("postgres_url")  # may hold a password
    converted = None
    if needs_data:
        converted = folder / "allsides.jsonl"
        if "ingest" not in sections:  # ingest converts (and times it); others need the first
            first = (
                ALLSIDES_ROWS
                if "scale" in sections
                else max(args.throughput_articles, LATENCY_ORIGINALS)
            )
            limit = min(args.limit or first, first)
            run_step("convert", str(source), str(converted), "--limit", str(limit))
    saved = []
    for name in sections:
        if name == "scale":  # its progress files are its results
            run_scale(folder, converted, args)
            saved.append(scale_progress(args.results, SCALE_WORKERS[0]).parent)
            continue
        section = Section(f"latency-{args.engine}" if name == "latency" else name, options)
        if name == "ingest":
            results = run_ingest(folder, converted, args)
        elif name == "throughput":
            results = run_throughput(folder, converted, args)
        else:
            results = run_latency(section, folder, converted, args)
        saved.append(section.save(args.results, results))
    return saved


if __name__ == "__main__":
    sys.exit(main())
