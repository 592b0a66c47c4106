"""Ingestion measurements, one per process so each reports its own peak memory.

``bench/run.py`` starts ``python -m bench.ingest <measurement> ...`` for each step and reads
the JSON line it prints. The steps:

- ``convert``: AllSides rows -> JSON Lines with our field names. The AllSides files name the
  date ``published_date`` and the authors ``authors``; our JSONL reader expects ``published``
  and ``author`` and has no field mapping, so without this step the dates and authors would be
  dropped. Timed on its own, outside the ingestion figures.
- ``read``: ``read_path`` over the converted file, nothing stored (the reader's share).
- ``ingest``: ``ingest_paths(..., extract=False)`` into a fresh SQLite store.
- ``near-duplicates``: ``NearDuplicateFinder`` fingerprint and lookup per article.
- ``extraction``: the bare spaCy pass and our full extraction over the same articles, one
  after the other in one process (same texts, same machine state): the ratio is the figure.
- ``throughput``: articles per second of the whole pipeline (``ingest_paths`` with
  extraction: read, deduplicate, extract, store) or of the bare spaCy pass over the same
  English texts, in this process or on a local Dask cluster of N workers; peak memory of this
  process and of the largest worker.
"""

from __future__ import annotations

import argparse
import functools
import json
import lzma
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from itertools import islice
from pathlib import Path

# Our field name -> the AllSides field it comes from.
ALLSIDES_FIELDS = {
    "url": "url",
    "title": "title",
    "source": "source",
    "published": "published_date",
    "author": "authors",
    "text": "text",
}


def peak_rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm_up() -> float:
    """Load what every run loads once (the readers' modules, the language model) before the
    clock starts; the peak RSS so far, in MB."""
    from watchfloor.ingest.language import detect_language
    from watchfloor.ingest.readers import reader_for

    reader_for(Path("warm-up.jsonl"))
    detect_language("Load the model before the clock starts.")
    return peak_rss_mb()


def allsides_rows(folder: Path) -> Iterator[dict]:
    for shard in sorted(folder.glob("articles-*.jsonl.xz")):
        with lzma.open(shard, "rt", encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)


def convert(folder: Path, out: Path, limit: int | None) -> dict:
    started = time.perf_counter()
    rows = 0
    with out.open("w", encoding="utf-8") as sink:
        for row in allsides_rows(folder):
            if limit is not None and rows >= limit:
                break
            record = {ours: row.get(theirs) for ours, theirs in ALLSIDES_FIELDS.items()}
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            rows += 1
    return {"rows": rows, "seconds": time.perf_counter() - started, "bytes": out.stat().st_size}


def read(path: Path) -> dict:
    """The reader alone, and within it the language detection every article gets."""
    from watchfloor.ingest.language import detect_language
    from watchfloor.ingest.readers import read_path
    from watchfloor.model import Article

    warm_up()
    started, cpu = time.perf_counter(), time.process_time()
    texts = []
    rejects = 0
    for item in read_path(path):
        if isinstance(item, Article):
            texts.append(item.text)
        else:
            rejects += 1
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    language_cpu = time.process_time()
    for text in texts:
        detect_language(text)
    return {
        "articles": len(texts),
        "rejects": rejects,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "language_cpu_seconds": time.process_time() - language_cpu,
        "peak_rss_mb": peak_rss_mb(),
    }


def store_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def ingest(path: Path, db: Path) -> dict:
    from watchfloor.config import Settings
    from watchfloor.pipeline import ingest_paths
    from watchfloor.store.sqlite import SqliteStore

    baseline_mb = warm_up()
    settings = Settings(db=str(db))
    store = SqliteStore(db)
    started, cpu = time.perf_counter(), time.process_time()
    report = ingest_paths([path], store, settings, extract=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    store.close()
    return {
        "read": report.read,
        "added": report.added,
        "duplicates": report.duplicates,
        "near_duplicates": report.near_duplicates,
        "rejects": len(report.rejects),
        "reject_reasons": _reasons(report.rejects),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mb": peak_rss_mb(),
        "baseline_rss_mb": baseline_mb,
        "store_bytes": store_bytes(db),
        "threshold": settings.near_duplicate_threshold,
    }


def _reasons(rejects: list) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reject in rejects:
        kind = reject.reason.split(" '")[0]
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def near_duplicates(path: Path, articles: int, db: Path) -> dict:
    """CPU cost per article of the two steps of near-duplicate detection, on the first
    ``articles`` readable articles: against this run only (an empty store), and against the
    store ``db`` filled by the ingest step (the lookups then load candidate texts)."""
    from watchfloor.config import Settings
    from watchfloor.ingest.dedup import NearDuplicateFinder
    from watchfloor.ingest.readers import read_path
    from watchfloor.model import Article
    from watchfloor.store.sqlite import SqliteStore

    sample = []
    for item in read_path(path):
        if isinstance(item, Article):
            sample.append(item)
            if len(sample) == articles:
                break
    threshold = Settings().near_duplicate_threshold
    result: dict = {"articles": len(sample), "threshold": threshold}
    empty = db.with_name(db.stem + "-empty.db")
    for label, store_path in (("this_run", empty), ("filled_store", db)):
        store = SqliteStore(store_path)
        finder = NearDuplicateFinder(store, threshold)
        fingerprint_cpu = lookup_cpu = 0.0
        found = 0
        started = time.perf_counter()
        for article in sample:
            t0 = time.process_time()
            fp = finder.fingerprint(article.text)
            t1 = time.process_time()
            copy_of = finder.first_copy(article, fp)
            t2 = time.process_time()
            fingerprint_cpu += t1 - t0
            lookup_cpu += t2 - t1
            if copy_of:
                found += 1
            else:
                finder.remember(article, fp)
        wall = time.perf_counter() - started
        store.close()
        result[label] = {
            "fingerprint_us": 1e6 * fingerprint_cpu / len(sample),
            "lookup_us": 1e6 * lookup_cpu / len(sample),
            "wall_us": 1e6 * wall / len(sample),
            "near_duplicates": found,
        }
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def extraction(path: Path, articles: int) -> dict:
    """Articles per second of the bare spaCy pipeline and of our extraction (spaCy plus our
    components plus conversion to records) on the same texts, and the ratio."""
    import spacy

    from watchfloor.config import Settings
    from watchfloor.extract import extract_facts, load_pipeline
    from watchfloor.ingest.readers import read_path
    from watchfloor.model import Article

    items = [a for a in islice(read_path(path), articles) if isinstance(a, Article)]
    items = [a for a in items if a.language == "en"]
    settings = Settings()
    bare = spacy.load(settings.model)
    full = load_pipeline(settings)
    texts = [a.text for a in items]
    list(bare.pipe(texts[:8]))  # warm up both before the clock starts
    list(extract_facts(full, items[:8]))
    timings = {}
    for name, run in (
        ("bare", lambda: sum(1 for _ in bare.pipe(texts, batch_size=32))),
        ("full", lambda: sum(1 for _ in extract_facts(full, items, batch_size=32))),
    ):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        timings[name] = (time.perf_counter() - wall, time.process_time() - cpu)
    words = sum(len(t.split()) for t in texts)
    return {
        "articles": len(items),
        "words": words,
        "bare_seconds": timings["bare"][0],
        "bare_cpu_seconds": timings["bare"][1],
        "full_seconds": timings["full"][0],
        "full_cpu_seconds": timings["full"][1],
        "ratio": timings["bare"][1] / timings["full"][1],
        "peak_rss_mb": peak_rss_mb(),
    }


@functools.cache
def bare_model(name: str):
    import spacy

    return spacy.load(name)


def bare_pass(texts: list[str], model: str) -> int:
    """The bare spaCy pipeline over ``texts``; how many it processed."""
    return sum(1 for _ in bare_model(model).pipe(texts, batch_size=32))


def throughput(path: Path, db: Path, mode: str, workers: int) -> dict:
    """Wall-clock articles per second of ``mode`` ("full": the pipeline into a fresh store at
    ``db``; "bare": spaCy alone over the same English texts), here or on ``workers`` Dask
    workers. Models are loaded and clusters started before the clock starts."""
    from watchfloor.config import Settings
    from watchfloor.distributed import dask_extraction, local_cluster
    from watchfloor.extract import load_pipeline
    from watchfloor.ingest.readers import read_path
    from watchfloor.model import Article
    from watchfloor.pipeline import ingest_paths
    from watchfloor.store.sqlite import SqliteStore

    settings = Settings(db=str(db), workers=workers)
    client = None
    with ExitStack() as stack:
        if mode == "full":
            extraction = None
            if workers:
                extraction = stack.enter_context(dask_extraction(settings))
                client = extraction.client
            else:
                load_pipeline(settings)
            store = SqliteStore(db)
            worker_cpu = client.run(time.process_time) if client else {}
            started, cpu = time.perf_counter(), time.process_time()
            report = ingest_paths([path], store, settings, extraction=extraction)
            store.close()
            articles, done = report.read, report.added
        else:
            texts = [
                a.text for a in read_path(path) if isinstance(a, Article) and a.language == "en"
            ]
            if workers:
                from distributed import Client

                client = stack.enter_context(Client(stack.enter_context(local_cluster(workers))))
                client.run(bare_model, settings.model)
            else:
                bare_model(settings.model)
            worker_cpu = client.run(time.process_time) if client else {}
            started, cpu = time.perf_counter(), time.process_time()
            if client:
                batches = [texts[i : i + 32] for i in range(0, len(texts), 32)]
                done = sum(client.gather(client.map(bare_pass, batches, model=settings.model)))
            else:
                done = bare_pass(texts, settings.model)
            articles = len(texts)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        # CPU seconds of every process, this one and the workers (a worker replaced mid-run
        # would be missing: none is here).
        if client:
            cpu += sum(t - worker_cpu[w] for w, t in client.run(time.process_time).items())
        worker_rss = max(client.run(peak_rss_mb).values()) if client else 0.0
    return {
        "mode": mode,
        "workers": workers,
        "articles": articles,
        "processed": done,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "per_second": articles / seconds,
        "per_cpu_second": articles / cpu,
        "peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": worker_rss,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One ingestion measurement; prints JSON.")
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("convert")
    step.add_argument("folder", type=Path)
    step.add_argument("out", type=Path)
    step.add_argument("--limit", type=int)
    step = steps.add_parser("read")
    step.add_argument("path", type=Path)
    step = steps.add_parser("ingest")
    step.add_argument("path", type=Path)
    step.add_argument("db", type=Path)
    step = steps.add_parser("near-duplicates")
    step.add_argument("path", type=Path)
    step.add_argument("db", type=Path)
    step.add_argument("--articles", type=int, default=3000)
    step = steps.add_parser("extraction")
    step.add_argument("path", type=Path)
    step.add_argument("--articles", type=int, default=300)
    step = steps.add_parser("throughput")
    step.add_argument("path", type=Path)
    step.add_argument("db", type=Path)
    step.add_argument("--mode", choices=("full", "bare"), required=True)
    step.add_argument("--workers", type=int, default=0)
    args = parser.parse_args(argv)
    if args.step == "convert":
        result = convert(args.folder, args.out, args.limit)
    elif args.step == "read":
        result = read(args.path)
    elif args.step == "ingest":
        result = ingest(args.path, args.db)
    elif args.step == "throughput":
        result = throughput(args.path, args.db, args.mode, args.workers)
    elif args.step == "extraction":
        result = extraction(args.path, args.articles)
    else:
        result = near_duplicates(args.path, args.articles, args.db)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
