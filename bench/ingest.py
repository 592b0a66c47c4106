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
- ``throughput``: articles per second of the whole pipeline (``ingest_paths`` with
  extraction: read, deduplicate, extract, store) and of the bare spaCy pass over the same
  English texts, taking turns chunk by chunk, in this process or on a local Dask cluster of N
  workers; peak memory of this process and of the largest worker.
"""

from __future__ import annotations

import argparse
import json
import lzma
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
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


def bare_pass(texts: list[str], settings) -> int:
    """The model's own components over ``texts``, ours (``wf_*``) switched off: the bare spaCy
    pass, on the pipeline this process already holds; how many texts it processed."""
    from watchfloor.extract import load_pipeline

    nlp = load_pipeline(settings)
    with nlp.select_pipes(disable=[name for name in nlp.pipe_names if name.startswith("wf_")]):
        return sum(1 for _ in nlp.pipe(texts, batch_size=settings.batch_size))


def warm_pipeline(articles: list, settings) -> None:
    """Both modes once over a few articles, before the clock starts: spaCy's first batch
    costs more than later ones."""
    from watchfloor.extract import extract_facts, load_pipeline

    bare_pass([a.text for a in articles], settings)
    list(extract_facts(load_pipeline(settings), articles))


def chunk_files(path: Path, folder: Path, size: int) -> list[Path]:
    """``path``'s lines in files of ``size`` lines each, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    chunks = []
    for number, start in enumerate(range(0, len(lines), size)):
        chunk = folder / f"chunk-{number:04d}.jsonl"
        chunk.write_text("".join(lines[start : start + size]), encoding="utf-8")
        chunks.append(chunk)
    return chunks


def throughput(
    path: Path, db: Path, workers: int, modes: list[str], chunk: int | None = None
) -> dict:
    """Articles per second of the full pipeline (``ingest_paths`` with extraction into a fresh
    store at ``db``) and of the bare spaCy pass over the same English texts, here or on
    ``workers`` Dask workers.

    The modes take turns chunk by chunk (bare first on even chunks, full first on odd ones),
    so both see the same machine: on a shared virtual machine the speed of identical runs a
    few minutes apart differs by up to 10 %, more than the ratio's margin. A chunk is
    ``chunk`` articles, by default two extraction batches a worker. Both modes run on the one
    pipeline, loaded and warmed up (and clusters started) before the clock starts, so the peak
    memory is the full pipeline's.
    """
    from watchfloor.config import Settings
    from watchfloor.distributed import dask_extraction
    from watchfloor.ingest.readers import read_path
    from watchfloor.model import Article
    from watchfloor.pipeline import ingest_paths
    from watchfloor.store.sqlite import SqliteStore

    settings = Settings(db=str(db), workers=workers)
    size = chunk or 2 * settings.batch_size * max(workers, 1)
    chunks = chunk_files(path, db.parent / f"{db.stem}-chunks", size)
    english = [
        [a for a in read_path(chunk) if isinstance(a, Article) and a.language == "en"]
        for chunk in chunks
    ]
    texts = [[a.text for a in chunk] for chunk in english]
    warm_up()
    totals = {mode: {"articles": 0, "processed": 0, "seconds": 0.0, "cpu": 0.0} for mode in modes}
    with ExitStack() as stack:
        extraction = stack.enter_context(dask_extraction(settings)) if workers else None
        client = extraction.client if extraction else None
        if client:
            client.run(warm_pipeline, english[0][:4], extraction.settings)
        else:
            warm_pipeline(english[0][:4], settings)
        store = SqliteStore(db)
        stack.callback(store.close)

        def bare(number: int) -> tuple[int, int]:
            batch = settings.batch_size
            if client:
                batches = [
                    texts[number][i : i + batch] for i in range(0, len(texts[number]), batch)
                ]
                futures = client.map(bare_pass, batches, settings=extraction.settings, pure=False)
                done = sum(client.gather(futures))
            else:
                done = bare_pass(texts[number], settings)
            return len(texts[number]), done

        def full(number: int) -> tuple[int, int]:
            report = ingest_paths([chunks[number]], store, settings, extraction=extraction)
            return report.read, report.added

        for number in range(len(chunks)):
            for mode in modes if number % 2 == 0 else modes[::-1]:
                worker_cpu = client.run(time.process_time) if client else {}
                started, cpu = time.perf_counter(), time.process_time()
                articles, done = (bare if mode == "bare" else full)(number)
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                # CPU seconds of every process, this one and the workers (a worker replaced
                # mid-run would be missing: none is here).
                if client:
                    cpu += sum(t - worker_cpu[w] for w, t in client.run(time.process_time).items())
                total = totals[mode]
                total["articles"] += articles
                total["processed"] += done
                total["seconds"] += seconds
                total["cpu"] += cpu
        worker_rss = max(client.run(peak_rss_mb).values()) if client else 0.0
    return {
        "chunks": len(chunks),
        "chunk_size": size,
        "peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": worker_rss,
        "runs": [
            {
                "mode": mode,
                "workers": workers,
                "articles": t["articles"],
                "processed": t["processed"],
                "seconds": t["seconds"],
                "cpu_seconds": t["cpu"],
                "per_second": t["articles"] / t["seconds"],
                "per_cpu_second": t["articles"] / t["cpu"],
            }
            for mode, t in totals.items()
        ],
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
    step = steps.add_parser("throughput")
    step.add_argument("path", type=Path)
    step.add_argument("db", type=Path)
    step.add_argument("--workers", type=int, default=0)
    step.add_argument("--modes", default="bare,full", help="of bare, full, comma-separated")
    step.add_argument("--chunk", type=int, help="articles a turn (two batches a worker)")
    args = parser.parse_args(argv)
    if args.step == "convert":
        result = convert(args.folder, args.out, args.limit)
    elif args.step == "read":
        result = read(args.path)
    elif args.step == "ingest":
        result = ingest(args.path, args.db)
    elif args.step == "throughput":
        result = throughput(args.path, args.db, args.workers, args.modes.split(","), args.chunk)
    else:
        result = near_duplicates(args.path, args.articles, args.db)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
