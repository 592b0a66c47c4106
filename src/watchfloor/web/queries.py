"""Store reads the API and the pages share: facts with the article and sentence they were read
from, and the events matching a set of filters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date

from fastapi import HTTPException

from watchfloor.analyze.theatres import article_theatre, event_theatres
from watchfloor.model import Article
from watchfloor.store.base import Store, StoredEvent
from watchfloor.web.api_models import Cited, EventOut


class Citer:
    """Articles and sentences looked up once per request, for citing where facts come from."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._articles: dict[str, Article | None] = {}
        self._theatres: dict[str, str | None] = {}

    def article(self, article_id: str) -> Article:
        if article_id not in self._articles:
            self._articles[article_id] = self.store.article(article_id)
        found = self._articles[article_id]
        if found is None:  # facts outlive no article (ON DELETE CASCADE): a broken store
            raise HTTPException(500, f"article {article_id} of a stored fact is missing")
        return found

    def cite(self, article_id: str, sentence_index: int | None) -> Cited:
        article = self.article(article_id)
        sentence = (
            self.store.sentence(article_id, sentence_index) if sentence_index is not None else None
        )
        return Cited(
            article_id=article.id,
            title=article.title,
            source=article.source,
            url=article.url,
            published=article.published,
            sentence_index=sentence_index,
            sentence=sentence.text if sentence else "",
        )

    def article_theatre(self, article_id: str) -> str | None:
        if article_id not in self._theatres:
            self._theatres[article_id] = article_theatre(self.store.facts(article_id))
        return self._theatres[article_id]


@dataclass
class EventQuery:
    """Which events to read: days both included, each filter off when None."""

    since: date | None = None
    until: date | None = None
    theatre: str | None = None  # ISO alpha-2
    category: str | None = None  # a taxonomy key
    actor: str | None = None  # part of an actor's name, or its country code
    place: str | None = None  # part of the place name, its id or country code
    limit: int | None = None


def matching_events(
    store: Store, query: EventQuery, located_only: bool = False
) -> Iterator[EventOut]:
    """The events matching ``query`` (with ``located_only``, only those with coordinates),
    oldest first, each with its theatres and its sentence. A theatre is decided as the
    indicators decide it (analyze/theatres.py)."""
    citer = Citer(store)
    stored = store.events(
        query.since,
        query.until,
        query.category,
        query.actor,
        query.place,
        # Filters applied here (theatre, location) decide before the limit applies.
        limit=None if query.theatre or located_only else query.limit,
    )
    emitted = 0
    for row in stored:
        if located_only and (row.event.lat is None or row.event.lon is None):
            continue
        theatres = _theatres(row, citer)
        if query.theatre and query.theatre not in theatres:
            continue
        yield _event_out(row, theatres, citer)
        emitted += 1
        if emitted == query.limit:
            return


def _theatres(row: StoredEvent, citer: Citer) -> list[str]:
    # The article's theatre is read (from all its facts) only for events that need it.
    return event_theatres(row.event, None) or event_theatres(
        row.event, citer.article_theatre(row.article_id)
    )


def _event_out(row: StoredEvent, theatres: list[str], citer: Citer) -> EventOut:
    event = row.event
    return EventOut(
        **asdict(event),
        id=row.id,
        day=event.date or _published_day(citer.article(row.article_id)),
        theatres=theatres,
        cited=citer.cite(row.article_id, event.sentence_index),
    )


def _published_day(article: Article) -> date:
    moment = article.published or article.fetched_at
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).date()
