"""Runs the stages in order: ingest -> extract -> store.

Duplicates are dropped before extraction (no work twice); each batch of articles is extracted
and written in one store transaction, so an interrupted run leaves whole articles only and a
rerun completes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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
    from watchfloor.extract import load_pipeline  # see extract_batch on the late import

    nlp = None
    for batch in _batches_of(read_items(paths, on_rejects, options), settings.batch_size):
        articles = [i for i in batch if isinstance(i, Article)]
        if nlp is None and any(a.language == "en" for a in articles):
            nlp = load_pipeline(settings)
        extracted, rejects = extract_batch(nlp, articles, settings) if nlp else ({}, [])
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
) -> IngestReport:
    """Read, deduplicate, extract and store everything under ``paths``, batch by batch: memory
    stays flat however large the input, and each batch is one transaction."""
    report = IngestReport()

    def keep(rejects: list[Reject]) -> None:
        store.add_rejects(rejects)
        report.rejects.extend(rejects)

    items = read_items(paths, keep, options)
    return ingest_articles(items, store, settings, report, on_progress, extract)


def ingest_articles(
    items: Iterable[Article | Imported],
    store: Store,
    settings: Settings,
    report: IngestReport | None = None,
    on_progress: Callable[[int], None] | None = None,
    extract: bool = True,
) -> IngestReport:
    """Deduplicate, extract and store articles from any source (files, feeds, pages).

    Exact duplicates are skipped (the facts an imported duplicate brings are merged into the
    stored article); near-duplicates are stored linked to their first copy without extraction;
    imported stubs keep the facts they came with. With ``extract=False`` articles are
    stored without facts (for measuring intake alone).
    """
    report = report or IngestReport()
    finder = NearDuplicateFinder(store, settings.near_duplicate_threshold)
    batch: list[tuple[Article, ArticleFacts | None]] = []  # None: facts still to extract
    band_keys: dict[str, list[int]] = {}  # originals' LSH keys, stored with them
    seen_urls: set[str] = set()  # this batch's; earlier batches are in the store
    seen_hashes: set[str] = set()
    nlp = None

    def flush() -> None:
        nonlocal nlp
        if extract and nlp is None and any(f is None and a.language == "en" for a, f in batch):
            from watchfloor.extract import load_pipeline  # see extract_batch on the late import

            nlp = load_pipeline(settings)
        stored = _extract_and_store(batch, band_keys, store, settings, nlp, report)
        if on_progress:
            on_progress(stored)
        # What was stored is found through the store from now on: memory stays flat.
        batch.clear()
        band_keys.clear()
        seen_urls.clear()
        seen_hashes.clear()
        finder.forget()

    for item in items:
        article, facts = (item.article, item.facts) if isinstance(item, Imported) else (item, None)
        report.read += 1
        if article.url in seen_urls or article.content_hash in seen_hashes:
            report.duplicates += 1
            continue
        existing = store.find_duplicate(article)
        if existing:
            report.duplicates += 1
            # Facts imported for an article stored before (GDELT Events, then GKG) are merged.
            if facts is not None:
                store.merge_imported(existing, facts)
            continue
        seen_urls.add(article.url)
        seen_hashes.add(article.content_hash)
        if facts is None and article.text:
            fp = finder.fingerprint(article.text)
            article.duplicate_of = finder.first_copy(article, fp)
            if article.duplicate_of:
                report.near_duplicates += 1
                facts = ArticleFacts(article_id=article.id)
            else:
                finder.remember(article, fp)
                band_keys[article.id] = fp.band_keys
        batch.append((article, facts))
        if len(batch) >= settings.batch_size:
            flush()
    if batch:
        flush()
    return report


def _extract_and_store(
    batch: list[tuple[Article, ArticleFacts | None]],
    band_keys: dict[str, list[int]],
    store: Store,
    settings: Settings,
    nlp,
    report: IngestReport,
) -> int:
    """Extract what the batch needs and store it in one transaction; returns the batch size."""
    to_extract = [a for a, f in batch if f is None]
    extracted, rejects = extract_batch(nlp, to_extract, settings) if nlp else ({}, [])
    if rejects:
        store.add_rejects(rejects)
        report.rejects += rejects
    rejected = {r.source for r in rejects}
    rejected_ids = {a.id for a, _ in batch if a.url in rejected}
    stored = []
    for article, facts in batch:
        if article.url in rejected:
            continue
        if article.duplicate_of in rejected_ids:
            article.duplicate_of = None  # its first copy failed extraction: it stands alone
        facts = facts or extracted.get(article.id) or ArticleFacts(article_id=article.id)
        facts.band_keys = band_keys.get(article.id, [])
        stored.append((article, facts))
    result = store.add(stored)
    report.added += len(result.added)
    report.duplicates += len(result.duplicates)
    return len(batch)
