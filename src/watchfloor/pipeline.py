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
from watchfloor.ingest.readers import content_suffix, read_path, supported_suffixes
from watchfloor.model import Article, ArticleFacts, Reject
from watchfloor.store.base import Store


@dataclass(slots=True)
class IngestReport:
    read: int = 0  # articles read from the inputs
    added: int = 0
    duplicates: int = 0
    rejects: list[Reject] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.read} read, {self.added} ingested, {self.duplicates} duplicates, "
            f"{len(self.rejects)} rejected"
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


def _batches(items: list[Article], size: int) -> Iterator[list[Article]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def extract_batch(
    nlp, batch: list[Article], settings: Settings
) -> tuple[list[tuple[Article, ArticleFacts]], list[Reject]]:
    """Facts for each article, and rejects for articles extraction failed on.

    Articles not in English are stored without English extraction. When a batch fails, its
    articles are retried one by one so a single bad article costs only itself.
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
    rejected = {r.source for r in rejects}
    stored = [
        (a, facts.get(a.id) or ArticleFacts(article_id=a.id))
        for a in batch
        if a.url not in rejected
    ]
    return stored, rejects


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    settings: Settings,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Read, deduplicate, extract and store everything under ``paths``."""
    report = IngestReport()
    fresh: list[Article] = []
    seen_urls: set[str] = set()
    seen_hashes: set[str] = set()
    for path in collect_paths(paths):
        rejects = []
        for item in read_path(path):
            if isinstance(item, Reject):
                rejects.append(item)
                continue
            report.read += 1
            if (
                item.url in seen_urls
                or item.content_hash in seen_hashes
                or store.find_duplicate(item)
            ):
                report.duplicates += 1
                continue
            seen_urls.add(item.url)
            seen_hashes.add(item.content_hash)
            fresh.append(item)
        if rejects:
            store.add_rejects(rejects)
            report.rejects += rejects
    if on_start:
        on_start(len(fresh))
    if not fresh:
        return report
    from watchfloor.extract import load_pipeline  # see extract_batch on the late import

    nlp = load_pipeline(settings)
    for batch in _batches(fresh, settings.batch_size):
        stored, rejects = extract_batch(nlp, batch, settings)
        if rejects:
            store.add_rejects(rejects)
            report.rejects += rejects
        result = store.add(stored)
        report.added += len(result.added)
        report.duplicates += len(result.duplicates)
        if on_progress:
            on_progress(len(batch))
    return report
