"""The articles of a period with their facts, loaded once from the store for the analyses."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from watchfloor.model import Article, ArticleFacts
from watchfloor.store.base import Store


def day_start(day: date | datetime | None) -> datetime | None:
    """A date as the UTC instant its day begins; datetimes pass through."""
    if day is None or isinstance(day, datetime):
        return day
    return datetime.combine(day, time.min, tzinfo=UTC)


def day_after(day: date | datetime | None) -> datetime | None:
    """The exclusive end of a period whose last day is ``day`` (datetimes pass through)."""
    if day is None or isinstance(day, datetime):
        return day
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


# "ODESA, June 17 (Meridian Wire) - ", "SEOUL - ": where and when a story was filed; "NATO
# PATROLS: ": a factbox label. Neither is part of what the sentence says.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'\u2019-]+"
    r"(?:(?:, [A-Z][a-z]+\.? \d{1,2})?(?: \([^)]*\))? ?[-\u2013\u2014]+ |: )"
    r"(?=[A-Z\"\u201c])"
)


def strip_dateline(text: str) -> str:
    """The sentence without a leading wire dateline or capitalised label."""
    return _DATELINE.sub("", text, count=1)


def published_day(article: Article) -> date | None:
    return article.published.date() if article.published else None


@dataclass(slots=True)
class Corpus:
    articles: list[Article]  # oldest first
    facts: dict[str, ArticleFacts]
    by_id: dict[str, Article]

    @classmethod
    def load(
        cls,
        store: Store,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        topic: str | None = None,
        only: Collection[str] | None = None,
    ) -> Corpus:
        """Articles published from ``since`` through ``until`` (a date includes its whole day),
        only those matching ``topic`` when given; with ``only``, those fields of their facts
        alone (``Store.facts_many``)."""
        articles = store.articles(since=day_start(since), until=day_after(until), query=topic)
        return cls(
            articles=articles,
            facts=store.facts_many((a.id for a in articles), only),
            by_id={a.id: a for a in articles},
        )

    def sentence_text(self, article_id: str, index: int) -> str:
        sentences = self.facts[article_id].sentences
        # Sentences are stored in index order, so the index is usually the position.
        if index < len(sentences) and sentences[index].index == index:
            return sentences[index].text
        return next(s.text for s in sentences if s.index == index)

    def display_text(self, article_id: str, index: int) -> str:
        """The sentence as a briefing quotes it: verbatim, less a leading dateline."""
        return strip_dateline(self.sentence_text(article_id, index))
