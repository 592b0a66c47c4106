"""The Store protocol: the only shared state between stages.

SQL lives in the store package only. A PostgreSQL implementation implements the same protocol;
nothing outside ``watchfloor.store`` knows which engine is behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from watchfloor.model import Article, ArticleFacts, Reject, Sentence


@dataclass(slots=True)
class AddResult:
    added: list[str]  # ids of articles stored by this call
    duplicates: list[tuple[str, str]]  # (incoming url, id of the article it duplicates)


@dataclass(slots=True)
class SearchHit:
    sentence: Sentence
    article: Article
    snippet: str  # the sentence with the matched terms marked [like this]
    rank: float  # lower is better


@runtime_checkable
class Store(Protocol):
    def close(self) -> None: ...

    def find_duplicate(self, article: Article) -> str | None:
        """Id of a stored article with the same canonical URL or content hash, if any."""

    def add(self, batch: Iterable[tuple[Article, ArticleFacts]]) -> AddResult:
        """Store articles with their facts in one transaction; duplicates are skipped."""

    def near_duplicate_candidates(self, band_keys: list[int]) -> list[str]:
        """Ids of stored articles sharing any of these LSH band keys (see ingest/dedup.py)."""

    def add_rejects(self, rejects: Iterable[Reject]) -> None:
        """Record inputs that could not be ingested (once per source and raw hash)."""

    def article(self, article_id: str) -> Article | None: ...

    def articles(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        query: str | None = None,
    ) -> list[Article]:
        """Articles published in [since, until), oldest first; with ``query``, only those
        with a sentence matching it (full-text search)."""

    def facts(self, article_id: str) -> ArticleFacts:
        """Sentences, mentions, times, counts, quotes and events stored for one article."""

    def sentence(self, article_id: str, index: int) -> Sentence | None: ...

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over sentences, best first."""

    def rejects(self) -> list[Reject]: ...

    def stats(self) -> dict[str, int]:
        """Row counts per table, for status output."""
