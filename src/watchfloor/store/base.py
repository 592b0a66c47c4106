"""The Store protocol: the only shared state between stages.

SQL lives in the store package only. A PostgreSQL implementation implements the same protocol;
nothing outside ``watchfloor.store`` knows which engine is behind it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, runtime_checkable

from watchfloor.model import (
    Article,
    ArticleFacts,
    Event,
    Mention,
    Quote,
    Reject,
    Sentence,
    Story,
)


@dataclass(slots=True)
class AddResult:
    added: list[str]  # ids of articles stored by this call
    duplicates: list[tuple[str, str]]  # (incoming url, id of the article it duplicates)


# Search ranks at most this many matching sentences, the most recently stored: a word found in
# millions of sentences costs as much as one found in this many (news search wants recent hits).
SEARCH_WINDOW = 10_000


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

    def merge_imported(self, article_id: str, facts: ArticleFacts) -> bool:
        """Add imported facts to a stored article; False when these facts were merged before."""

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

    def facts_many(
        self, article_ids: Iterable[str], only: Collection[str] | None = None
    ) -> dict[str, ArticleFacts]:
        """``facts`` of each article, by id, read in a few queries for all of them; with
        ``only`` (names of ArticleFacts fields), those fields alone, the others left empty."""

    def sentence(self, article_id: str, index: int) -> Sentence | None: ...

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over sentences, best first, among the ``SEARCH_WINDOW`` most
        recently stored matches (all of them when fewer match)."""

    def rejects(self) -> list[Reject]: ...

    def stats(self) -> dict[str, int]:
        """Row counts per table, for status output."""

    # -- sources ---------------------------------------------------------------------------

    def add_source(self, url: str, kind: str, title: str = "") -> Source | None:
        """Declare a network source ("feed" or "page"); None when ``url`` is declared already."""

    def sources(self) -> list[Source]:
        """Declared sources, in the order they were added."""

    def find_source(self, key: str) -> Source | None:
        """The source with this id (digits) or this canonical URL."""

    def remove_source(self, source_id: int) -> None: ...

    def record_poll(self, poll: SourcePoll) -> None:
        """Record one poll of a source: its outcome, counts and (after a success) the
        validators for the next conditional GET."""

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of ``urls`` (canonical) that stored articles have."""

    # -- alerts ----------------------------------------------------------------------------

    def record_alert(self, alert: AlertRecord) -> int:
        """Log an alert that fired (its deliveries included); returns its id."""

    def last_alert_at(self, rule: str, theatre: str) -> datetime | None:
        """When ``rule`` last fired for ``theatre``: the cool-down state."""

    def alert_log(self, limit: int = 50, rule: str | None = None) -> list[AlertRecord]:
        """Alerts that fired, newest first."""

    # -- stories ---------------------------------------------------------------------------

    def story_material(
        self,
        since: datetime | None = None,
        article_ids: Iterable[str] | None = None,
        lead_sentences: int = 3,
    ) -> list[StoryMaterial]:
        """Articles with their story and what story clustering reads of their facts: those
        that appeared (were published, or fetched when undated) at or after ``since``, or
        those of ``article_ids``; all articles when neither is given."""

    def articles_without_story(self) -> list[Article]:
        """Articles not placed in any story yet."""

    def save_stories(self, stories: Iterable[Story], links: Iterable[StoryLink]) -> None:
        """Write stories (replacing those with the same id) and article placements, in one
        transaction."""

    def clear_stories(self) -> None:
        """Forget all stories and placements (before a rebuild)."""

    def stories(self, since: datetime | None = None, until: datetime | None = None) -> list[Story]:
        """Stories with articles that appeared in [since, until), latest activity first."""

    def story(self, story_id: str) -> Story | None: ...

    # -- browsing (the web API) --------------------------------------------------------------

    def events(
        self,
        since: date | None = None,
        until: date | None = None,
        category: str | None = None,
        actor: str | None = None,
        place: str | None = None,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """Events on the days ``since`` through ``until`` (both included; an event's own date,
        else its article's publication day), oldest first, with their counts and evidence.
        ``category``: a taxonomy key; ``actor``: part of an actor's name (any case) or an
        actor's country code; ``place``: part of the place name (any case), its id or its
        country code."""

    def quotes(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        speaker: str | None = None,
        limit: int | None = None,
    ) -> list[StoredQuote]:
        """Quotes from articles published in [since, until), newest article first;
        ``speaker``: part of the speaker's name, any case."""

    def entities(
        self, labels: Iterable[str] | None = None, query: str | None = None, limit: int = 100
    ) -> list[EntitySummary]:
        """Named entities, most widely named first: a linked entity is its linked id, an
        unlinked one its name as written. ``labels``: only mentions with these labels;
        ``query``: part of a name (any case)."""

    def entity_mentions(self, key: str, limit: int = 500) -> list[StoredMention]:
        """Mentions of the entity ``key`` (a linked id, else a name as written, unlinked), with
        their sentences, newest article first."""

    # -- briefing archive ------------------------------------------------------------------

    def save_briefing(self, briefing: ArchivedBriefing) -> int:
        """Archive a briefing (its JSON form and what lists it); returns its id."""

    def briefings(self, limit: int = 20) -> list[ArchivedBriefing]:
        """Archived briefings, newest generated first."""

    def briefing(self, briefing_id: int) -> ArchivedBriefing | None: ...

    # -- stored figures (derived from the facts; an ingest drops those it changes) -----------

    def article_theatres(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """The stored theatres of these articles (None: unclear); articles without a stored
        theatre are left out."""

    def save_article_theatres(self, theatres: dict[str, str | None]) -> None:
        """Store article theatres computed from the articles' facts."""

    def publication_days(self, since: date, until: date) -> dict[date, int]:
        """The UTC days from ``since`` through ``until`` with articles published, and how many."""

    def day_figures(self, since: date, until: date) -> list[DayFigures]:
        """The stored indicator figures of the UTC publication days ``since`` through
        ``until``, oldest first."""

    def save_day_figures(self, figures: DayFigures) -> bool:
        """Replace a day's stored figures, in one transaction; False (nothing stored) when the
        day no longer holds ``figures.articles`` articles (an ingest came in between)."""


# -- stored figures ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TollFigure:
    """A casualty figure as the indicators read it (analyze/indicators.py)."""

    theatre: str
    role: str  # "killed" or "injured"
    day: date  # the day reported
    value: float
    hedged: bool  # "more than 100", "dozens"
    is_update: bool
    article_id: str
    published: datetime | None  # the article's, as the source gave it


@dataclass(slots=True)
class DayFigures:
    """What the articles published on one UTC day report for the indicators: reporting
    sentences and tone per (theatre, day reported, measure), summed over the articles, and
    their casualty figures in the order read."""

    published_day: date
    articles: int
    first_published_day: date | None  # the earliest day the articles give as published
    counts: dict[tuple[str, date, str], float]
    tolls: list[TollFigure]


# -- sources -------------------------------------------------------------------------------


@dataclass(slots=True)
class Source:
    """A declared network source and how polling it has gone."""

    id: int
    url: str  # canonical URL of the feed or page
    kind: str  # "feed" or "page"
    title: str = ""
    added_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_poll: datetime | None = None
    last_success: datetime | None = None
    error_streak: int = 0  # failed polls since the last success
    last_error: str | None = None  # None after a success
    articles_added: int = 0
    rejects: int = 0


@dataclass(slots=True)
class SourcePoll:
    """The outcome of one poll of a source."""

    source_id: int
    polled_at: datetime
    error: str | None = None  # None: the source itself was fetched (some items may still fail)
    articles_added: int = 0
    rejects: int = 0
    # Validators to send next time; on a success they replace the stored ones (None clears).
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None  # the source's own title, kept when none was declared


# -- alerts --------------------------------------------------------------------------------


@dataclass(slots=True)
class AlertRecord:
    """An alert as logged: what fired, on which figures, and how its channels took it."""

    rule: str
    theatre: str
    day: date  # the day the figures are about
    fired_at: datetime  # the moment evaluated; the cool-down counts from here
    metric: str
    category: str
    value: float
    threshold: float
    payload: dict  # the alert as JSON-ready data: figures, outlets, evidence
    deliveries: list[dict]  # per channel: {"channel", "ok", "detail"}
    id: int | None = None


# -- stories -------------------------------------------------------------------------------


@dataclass(slots=True)
class StoryLink:
    """An article's place in a story, and how it got there."""

    article_id: str
    story_id: str
    how: str  # "first" (started the story), "similar" or "copy" (a near-duplicate's original)
    score: float | None = None  # the similarity it joined with ("similar" only)


@dataclass(slots=True)
class StoryMaterial:
    """An article as story clustering reads it: its story (None when not placed yet) and the
    facts it uses (the first sentences, mentions, times and events; no counts or quotes)."""

    article: Article
    story_id: str | None
    facts: ArticleFacts


# -- browsing ------------------------------------------------------------------------------


@dataclass(slots=True)
class StoredEvent:
    """An event with its row id and the article it was read from."""

    id: int
    article_id: str
    event: Event


@dataclass(slots=True)
class StoredQuote:
    article_id: str
    quote: Quote


@dataclass(slots=True)
class EntitySummary:
    """A named entity and how widely it is named."""

    key: str  # the linked id, else the name as written
    name: str  # its most frequent written form
    label: str  # its most frequent mention label (PERSON, ORG, GPE, ...)
    linked_id: str | None
    mentions: int
    articles: int


@dataclass(slots=True)
class StoredMention:
    article_id: str
    mention: Mention
    sentence: str  # the text of the sentence it is in; "" for imported mentions


# -- briefing archive ----------------------------------------------------------------------


@dataclass(slots=True)
class ArchivedBriefing:
    """A briefing as archived: its JSON form (data/briefing.schema.json) and what lists it."""

    generated_at: datetime  # UTC
    period_start: date | None
    period_end: date | None  # last day covered (inclusive)
    topic: str | None
    title: str
    headline: str
    document: dict  # the JSON form, as brief.render.json.briefing_dict gives it
    id: int | None = None
