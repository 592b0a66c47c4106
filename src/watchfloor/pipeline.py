"""Runs the stages in order: ingest -> extract -> store.

Duplicates are dropped before extraction (no work twice); each batch of articles is extracted
and written in one store transaction, so an interrupted run leaves whole articles only and a
rerun completes it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from watchfloor.config import Settings
from watchfloor.ingest.dedup import NearDuplicateFinder
from watchfloor.ingest.readers import ReadOptions, content_suffix, read_path, supported_suffixes
from watchfloor.model import Article, ArticleFacts, Imported, Reject
from watchfloor.store.base import Store


@dataclass(slots=True)
class IngestReport:
    read: int = 0  # articles read from the inputs
    added: int = 0  # stored, near-duplicates included
    duplicates: int = 0  # already stored (same canonical URL or same text): skipped
    near_duplicates: int = 0  # stored, linked to their first copy, not extracted
    rejects: list[Reject] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.read} read, {self.added} ingested, {self.duplicates} duplicates, "
            f"{self.near_duplicates} near-duplicates, {len(self.rejects)} rejected"
        )


def collect_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to read: named files as given, folders searched recursively for supported files."""
    suffixes = set(supported_suffixes())
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.is_file() and content_suffix(p) in suffixes
            )
        else:
            files.append(path)
    return files


def extract_batch(
    nlp, batch: list[Article], settings: Settings
) -> tuple[dict[str, ArticleFacts], list[Reject]]:
    """Facts by article id, and rejects for the articles extraction failed on.

    Articles not in English get no English extraction (they are stored with their text only).
    When a batch fails, its articles are retried one by one so a bad article costs only itself.
    """
    # Imported here so commands that never extract don't pay for loading spaCy.
    from watchfloor.extract import extract_facts

    def run(articles: list[Article]) -> list[ArticleFacts]:
        return list(
            extract_facts(
                nlp, articles, batch_size=settings.batch_size, n_process=settings.n_process
            )
        )

    english = [a for a in batch if a.language == "en"]
    facts: dict[str, ArticleFacts] = {}
    rejects: list[Reject] = []
    try:
        facts.update(zip((a.id for a in english), run(english), strict=True))
    except Exception:
        for article in english:
            try:
                facts[article.id] = run([article])[0]
            except Exception as exc:
                rejects.append(
                    Reject(article.url, "extraction failed", article.content_hash, repr(exc))
                )
    return facts, rejects


class Extraction(Protocol):
    """Where batches are extracted: in this process (:class:`LocalExtraction`) or on a Dask
    cluster (``watchfloor.distributed``). Results are taken in submission order."""

    # Batches submitted before the oldest is stored: 0 extracts and stores each in turn.
    ahead: int

    def submit(self, articles: list[Article]) -> Any:
        """Start extracting ``articles``; a handle for :meth:`result`."""

    def result(self, handle: Any) -> tuple[dict[str, ArticleFacts], list[Reject]]:
        """What :func:`extract_batch` returns for the submitted articles."""


class LocalExtraction:
    """Extraction in this process; spaCy is loaded on the first English article."""

    ahead = 0

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp = None

    def submit(self, articles: list[Article]) -> tuple[dict[str, ArticleFacts], list[Reject]]:
        if not any(a.language == "en" for a in articles):
            return {}, []
        if self.nlp is None:
            from watchfloor.extract import load_pipeline  # see extract_batch on the late import

            self.nlp = load_pipeline(self.settings)
        return extract_batch(self.nlp, articles, self.settings)

    def result(
        self, handle: tuple[dict[str, ArticleFacts], list[Reject]]
    ) -> tuple[dict[str, ArticleFacts], list[Reject]]:
        return handle


def read_items(
    paths: Iterable[Path],
    on_rejects: Callable[[list[Reject]], None],
    options: ReadOptions | None = None,
) -> Iterator[Article | Imported]:
    """Everything readable under ``paths``; what is not goes to ``on_rejects``, file by file."""
    for path in collect_paths(paths):
        rejects = []
        for item in read_path(path, options):
            if isinstance(item, Reject):
                rejects.append(item)
            else:
                yield item
        if rejects:
            on_rejects(rejects)


def extract_paths(
    paths: Iterable[Path],
    settings: Settings,
    on_rejects: Callable[[list[Reject]], None],
    options: ReadOptions | None = None,
) -> Iterator[tuple[Article, ArticleFacts]]:
    """Read and extract without storing (``watchfloor extract``), in input order."""
    extraction = LocalExtraction(settings)
    for batch in _batches_of(read_items(paths, on_rejects, options), settings.batch_size):
        extracted, rejects = extraction.submit([i for i in batch if isinstance(i, Article)])
        if rejects:
            on_rejects(rejects)
        rejected = {r.source for r in rejects}
        for item in batch:
            if isinstance(item, Imported):
                yield item.article, item.facts
            elif item.url not in rejected:
                yield item, extracted.get(item.id) or ArticleFacts(article_id=item.id)


def _batches_of(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    settings: Settings,
    options: ReadOptions | None = None,
    on_progress: Callable[[int], None] | None = None,
    extract: bool = True,
    extraction: Extraction | None = None,
) -> IngestReport:
    """Read, deduplicate, extract and store everything under ``paths``, batch by batch: memory
    stays flat however large the input, and each batch is one transaction."""
    report = IngestReport()

    def keep(rejects: list[Reject]) -> None:
        store.add_rejects(rejects)
        report.rejects.extend(rejects)

    items = read_items(paths, keep, options)
    return ingest_articles(items, store, settings, report, on_progress, extract, extraction)


@dataclass(slots=True)
class _Batch:
    # Articles with their facts; None: facts still to extract.
    items: list[tuple[Article, ArticleFacts | None]] = field(default_factory=list)
    band_keys: dict[str, list[int]] = field(default_factory=dict)  # originals' LSH keys


def ingest_articles(
    items: Iterable[Article | Imported],
    store: Store,
    settings: Settings,
    report: IngestReport | None = None,
    on_progress: Callable[[int], None] | None = None,
    extract: bool = True,
    extraction: Extraction | None = None,
) -> IngestReport:
    """Deduplicate, extract and store articles from any source (files, feeds, pages).

    Exact duplicates are skipped (the facts an imported duplicate brings are merged into the
    stored article); near-duplicates are stored linked to their first copy without extraction;
    imported stubs keep the facts they came with. With ``extract=False`` articles are
    stored without facts (for measuring intake alone). ``extraction`` says where batches are
    extracted (default: here); they are stored here, in reading order, one transaction each.
    """
    report = report or IngestReport()
    extraction = extraction or LocalExtraction(settings)
    finder = NearDuplicateFinder(
        store,
        settings.near_duplicate_threshold,
        settings.near_duplicate_window_days,
    )
    # Read but not stored yet (the batch filling and those extracting): later articles are
    # checked against these here, and against the store for everything stored before.
    unstored_urls: set[str] = set()
    unstored_hashes: set[str] = set()
    submitted: deque[tuple[_Batch, Any]] = deque()
    batch = _Batch()

    def store_oldest() -> None:
        done, handle = submitted.popleft()
        _store_batch(done, *extraction.result(handle), store, report)
        # What was stored is found through the store from now on: memory stays flat.
        for article, _ in done.items:
            unstored_urls.discard(article.url)
            unstored_hashes.discard(article.content_hash)
        finder.forget(a.id for a, _ in done.items)
        if on_progress:
            on_progress(len(done.items))

    def submit() -> None:
        nonlocal batch
        to_extract = [a for a, f in batch.items if f is None] if extract else []
        submitted.append((batch, extraction.submit(to_extract)))
        batch = _Batch()
        while len(submitted) > extraction.ahead:
            store_oldest()

    for item in items:
        article, facts = (item.article, item.facts) if isinstance(item, Imported) else (item, None)
        report.read += 1
        if article.url in unstored_urls or article.content_hash in unstored_hashes:
            report.duplicates += 1
            continue
        existing = store.find_duplicate(article)
        if existing:
            report.duplicates += 1
            # Facts imported for an article stored before (GDELT Events, then GKG) are merged.
            if facts is not None:
                store.merge_imported(existing, facts)
            continue
        unstored_urls.add(article.url)
        unstored_hashes.add(article.content_hash)
        if facts is None and article.text:
            fp = finder.fingerprint(article.text)
            article.duplicate_of = finder.first_copy(article, fp)
            if article.duplicate_of:
                report.near_duplicates += 1
                facts = ArticleFacts(article_id=article.id)
            else:
                finder.remember(article, fp)
                batch.band_keys[article.id] = fp.band_keys
        batch.items.append((article, facts))
        if len(batch.items) >= settings.batch_size:
            submit()
    if batch.items:
        submit()
    while submitted:
        store_oldest()
    return report


def _store_batch(
    batch: _Batch,
    extracted: dict[str, ArticleFacts],
    rejects: list[Reject],
    store: Store,
    report: IngestReport,
) -> None:
    """Store a batch with its extracted facts in one transaction; rejects are recorded."""
    if rejects:
        store.add_rejects(rejects)
        report.rejects += rejects
    rejected = {r.source for r in rejects}
    rejected_ids = {a.id for a, _ in batch.items if a.url in rejected}
    stored = []
    for article, facts in batch.items:
        if article.url in rejected:
            continue
        if article.duplicate_of in rejected_ids:
            article.duplicate_of = None  # its first copy failed extraction: it stands alone
        facts = facts or extracted.get(article.id) or ArticleFacts(article_id=article.id)
        facts.band_keys = batch.band_keys.get(article.id, [])
        stored.append((article, facts))
    result = store.add(stored)
    report.added += len(result.added)
    report.duplicates += len(result.duplicates)
