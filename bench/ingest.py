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
from datetime import UTC, datetime
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
    """``path``'s lines in files of ``size`` lines each, in order (streamed: the whole set
    never sits in this process's memory)."""
    folder.mkdir(parents=True, exist_ok=True)
    chunks = []
    with path.open(encoding="utf-8") as lines:
        while block := list(islice(lines, size)):
            chunk = folder / f"chunk-{len(chunks):04d}.jsonl"
            chunk.write_text("".join(block), encoding="utf-8")
            chunks.append(chunk)
    return chunks


def read_progress(path: Path) -> tuple[dict | None, list[dict], dict[int, dict]]:
    """A progress file's header, runs and chunks (see ``Progress``)."""
    lines = []
    for text in path.read_text(encoding="utf-8").splitlines():
        try:
            lines.append(json.loads(text))
        except json.JSONDecodeError:
            break  # the last line, cut short by a kill
    if not lines or "header" not in lines[0]:
        return None, [], {}
    runs = [line["run"] for line in lines if "run" in line]
    return lines[0]["header"], runs, {line["chunk"]: line for line in lines if "chunk" in line}


class Progress:
    """Chunks measured so far, one JSON line each, after a header saying what was measured
    and a line for each run that added to it: a run cut short (or stopped at the end of a
    working session) keeps every chunk it finished, and the next run with the same header
    (same articles, chunking and workers; the same code, ``code_version``) goes on from there.
    Without a file, nothing is kept."""

    def __init__(self, path: Path | None, header: dict) -> None:
        self.path, self.header = path, header
        self.runs: list[dict] = []
        self.chunks: dict[int, dict] = {}
        if path and path.exists() and header["code"]:
            kept, runs, chunks = read_progress(path)
            if kept == header:
                self.runs, self.chunks = runs, chunks
        if path:
            # Written afresh: a line cut short by a kill is dropped here, not appended to. Into
            # a file beside it first, so a kill while writing leaves the old file whole.
            path.parent.mkdir(parents=True, exist_ok=True)
            lines = [{"header": header}, *({"run": r} for r in self.runs), *self.chunks.values()]
            fresh = path.with_name(path.name + ".new")
            fresh.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
            fresh.replace(path)

    def add(self, line: dict) -> None:
        if "chunk" in line:
            self.chunks[line["chunk"]] = line
        else:
            self.runs.append(line["run"])
        if self.path:
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(line) + "\n")


def this_run() -> dict:
    from eval.report import git_commit

    from bench.machine import load_average, machine

    return {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "machine": machine(),
        "load_at_start": load_average(),
    }


def throughput(
    path: Path,
    db: Path,
    workers: int,
    modes: list[str],
    chunk: int | None = None,
    progress: Path | None = None,
) -> dict:
    """Articles per second of the full pipeline (``ingest_paths`` with extraction into a
    store at ``db``) and of the bare spaCy pass over the same English texts, here or on
    ``workers`` Dask workers.

    The modes take turns chunk by chunk (bare first on even chunks, full first on odd ones),
    so both see the same machine: on a shared virtual machine the speed of identical runs a
    few minutes apart differs by up to 10 %, more than the ratio's margin. A chunk is
    ``chunk`` articles, by default two extraction batches a worker. Both modes run on the one
    pipeline, loaded and warmed up (and clusters started) before the clock starts, so the peak
    memory is the full pipeline's. With ``progress`` (a file), chunks measured by an earlier
    run of the same code are kept and not measured again (see ``Progress``); the store of a
    run that goes on holds only the articles of its own chunks.
    """
    from bench.machine import code_version, load_average
    from watchfloor.config import Settings
    from watchfloor.distributed import dask_extraction
    from watchfloor.ingest.readers import read_path
    from watchfloor.model import Article
    from watchfloor.pipeline import ingest_paths
    from watchfloor.store.sqlite import SqliteStore

    settings = Settings(db=str(db), workers=workers)
    size = chunk or 2 * settings.batch_size * max(workers, 1)
    chunks = chunk_files(path, db.parent / f"{db.stem}-chunks", size)
    header = {
        "articles": sum(1 for _ in path.open(encoding="utf-8")),
        "chunk_size": size,
        "workers": workers,
        "modes": modes,
        "code": code_version(),
    }
    done = Progress(progress, header)
    todo = [number for number in range(len(chunks)) if number not in done.chunks]

    def english(number: int) -> list:
        return [
            a for a in read_path(chunks[number]) if isinstance(a, Article) and a.language == "en"
        ]

    if todo:
        done.add({"run": this_run()})
        warm_up()
    with ExitStack() as stack:
        extraction = stack.enter_context(dask_extraction(settings)) if workers and todo else None
        client = extraction.client if extraction else None
        if client:
            client.run(warm_pipeline, english(todo[0])[:4], extraction.settings)
        elif todo:
            warm_pipeline(english(todo[0])[:4], settings)
        store = SqliteStore(db)
        stack.callback(store.close)

        def bare(articles: list) -> int:
            texts, batch = [a.text for a in articles], settings.batch_size
            if client:
                batches = [texts[i : i + batch] for i in range(0, len(texts), batch)]
                futures = client.map(bare_pass, batches, settings=extraction.settings, pure=False)
                return sum(client.gather(futures))
            return bare_pass(texts, settings)

        def full(number: int) -> tuple[int, int]:
            report = ingest_paths([chunks[number]], store, settings, extraction=extraction)
            return report.read, report.added

        for number in todo:
            articles = english(number)  # read before the clock starts: the bare pass's input
            runs = {}
            for mode in modes if number % 2 == 0 else modes[::-1]:
                worker_cpu = client.run(time.process_time) if client else {}
                started, cpu = time.perf_counter(), time.process_time()
                read, processed = (
                    (len(articles), bare(articles)) if mode == "bare" else full(number)
                )
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                # CPU seconds of every process, this one and the workers (a worker replaced
                # mid-run would be missing: none is here).
                if client:
                    cpu += sum(t - worker_cpu[w] for w, t in client.run(time.process_time).items())
                runs[mode] = {
                    "articles": read,
                    "processed": processed,
                    "seconds": seconds,
                    "cpu": cpu,
                }
            worker_rss = max(client.run(peak_rss_mb).values()) if client else 0.0
            done.add(
                {
                    "chunk": number,
                    "run_index": len(done.runs) - 1,
                    "load": load_average(),
                    "runs": runs,
                    "peak_rss_mb": peak_rss_mb(),
                    "worker_peak_rss_mb": worker_rss,
                }
            )
    return summary(header, done.runs, done.chunks)


def summary(header: dict, runs: list[dict], chunks: dict[int, dict]) -> dict:
    """The totals of every chunk measured, by this run and earlier ones."""
    measured = list(chunks.values())
    totals = {
        mode: {
            key: sum(line["runs"][mode][key] for line in measured)
            for key in ("articles", "processed", "seconds", "cpu")
        }
        for mode in header["modes"]
    }
    return {
        "chunks": -(-header["articles"] // header["chunk_size"]),
        "chunks_measured": len(measured),
        "chunk_size": header["chunk_size"],
        "total_articles": header["articles"],
        "code": header["code"],
        "measured_by": runs,
        "chunks_by_run": [
            sum(line.get("run_index") == n for line in measured) for n in range(len(runs))
        ],
        "peak_rss_mb": max((line["peak_rss_mb"] for line in measured), default=0.0),
        "worker_peak_rss_mb": max((line["worker_peak_rss_mb"] for line in measured), default=0.0),
        "runs": [
            {
                "mode": mode,
                "workers": header["workers"],
                "articles": t["articles"],
                "processed": t["processed"],
                "seconds": t["seconds"],
                "cpu_seconds": t["cpu"],
                "per_second": t["articles"] / t["seconds"] if t["seconds"] else 0.0,
                "per_cpu_second": t["articles"] / t["cpu"] if t["cpu"] else 0.0,
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
    step.add_argument("--progress", type=Path, help="keep and go on from chunks measured here")
    args = parser.parse_args(argv)
    if args.step == "convert":
        result = convert(args.folder, args.out, args.limit)
    elif args.step == "read":
        result = read(args.path)
    elif args.step == "ingest":
        result = ingest(args.path, args.db)
    elif args.step == "throughput":
        result = throughput(
            args.path, args.db, args.workers, args.modes.split(","), args.chunk, args.progress
        )
    else:
        result = near_duplicates(args.path, args.articles, args.db)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
