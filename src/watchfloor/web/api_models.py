"""The JSON API's request and response bodies: they make the OpenAPI schema say what each
endpoint returns. Records from the store are read into them by attribute (``from_attributes``).

Dates are written ``dt.date`` because several fields are themselves called ``date``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Record(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorOut(BaseModel):
    detail: str = Field(description="What was wrong, in words.")


# -- articles and their facts --------------------------------------------------------------


class ArticleSummary(_Record):
    id: str
    url: str
    title: str
    source: str = Field(description="The outlet's name.")
    published: dt.datetime | None
    fetched_at: dt.datetime
    language: str
    author: str | None
    duplicate_of: str | None = Field(description="A near-duplicate's first copy.")


class ArticleList(BaseModel):
    total: int = Field(description="Articles matching the filters, before limit and offset.")
    articles: list[ArticleSummary]


class SentenceOut(_Record):
    index: int
    start: int
    end: int
    text: str


class MentionOut(_Record):
    text: str
    label: str
    start: int
    end: int
    sentence_index: int | None
    linked_id: str | None
    lat: float | None
    lon: float | None


class TimeOut(_Record):
    text: str
    start: int
    end: int
    sentence_index: int
    value: str = Field(description="TIMEX3 value: 2025-06-17, 2025-W24, P3D, ...")
    precision: str
    date: dt.date | None
    relative: bool
    timex_type: str


class CountOut(_Record):
    text: str
    start: int
    end: int
    sentence_index: int | None
    value: float
    value_max: float | None
    what: str
    role: str
    approx: str | None
    approx_kind: str
    is_update: bool


class QuoteFact(_Record):
    text: str
    start: int
    end: int
    sentence_index: int | None
    speaker: str | None
    role: str | None
    direct: bool
    cue: str | None


class EventFact(_Record):
    category: str
    trigger: str
    sentence_index: int | None
    evidence: list[int]
    date: dt.date | None
    date_precision: str | None
    actors: list[str]
    targets: list[str]
    place: str | None
    place_id: str | None
    place_country: str | None
    actor_countries: list[str]
    target_countries: list[str]
    lat: float | None
    lon: float | None
    counts: list[CountOut]
    origin: str
    plover: str | None
    cameo_code: str | None
    goldstein: float | None
    tone: float | None


class TitleOut(_Record):
    text: str
    start: int
    end: int
    sentence_index: int | None
    person: str
    role: str
    jurisdiction: str | None


class FactsOut(_Record):
    sentences: list[SentenceOut]
    mentions: list[MentionOut]
    times: list[TimeOut]
    counts: list[CountOut]
    quotes: list[QuoteFact]
    events: list[EventFact]
    titles: list[TitleOut]
    themes: list[str]


class ArticleDetail(BaseModel):
    article: ArticleSummary
    text: str
    facts: FactsOut


# -- stories -------------------------------------------------------------------------------


class StoryOut(BaseModel):
    id: str
    title: str
    start: dt.datetime | None
    end: dt.datetime | None
    articles: int = Field(description="Articles in the story, copies included.")
    sources: int = Field(description="Independent outlets: copies of one wire story count once.")
    key_actors: list[str]
    key_places: list[str]
    title_article_id: str
    article_ids: list[str]


class StoryList(BaseModel):
    stories: list[StoryOut]


class StoryDetail(BaseModel):
    story: StoryOut
    articles: list[ArticleSummary] = Field(description="In the order they appeared.")


# -- events and quotes ---------------------------------------------------------------------


class Cited(BaseModel):
    """The article a fact was read from, and the sentence that says it."""

    article_id: str
    title: str
    source: str
    url: str
    published: dt.datetime | None
    sentence_index: int | None
    sentence: str = Field(description='The sentence as stored; "" for imported facts.')


class EventOut(EventFact):
    id: int
    day: dt.date | None = Field(description="The event's date, else its publication day.")
    theatres: list[str] = Field(description="ISO 3166 alpha-2 codes of where it happened.")
    cited: Cited


class EventList(BaseModel):
    events: list[EventOut]


class GeoPoint(BaseModel):
    type: Literal["Point"] = "Point"
    coordinates: tuple[float, float] = Field(description="[longitude, latitude]")


class EventFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: GeoPoint
    properties: dict[str, Any] = Field(description="The event as /api/events gives it.")


class EventCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[EventFeature]


class QuoteOut(QuoteFact):
    cited: Cited


class QuoteList(BaseModel):
    quotes: list[QuoteOut]


# -- indicators and alerts -----------------------------------------------------------------


class EvidenceOut(BaseModel):
    article_id: str
    title: str
    outlet: str
    url: str
    published: dt.datetime | None
    sentence_index: int | None
    sentence: str


class MeasureOut(BaseModel):
    value: float | None
    baseline: float | None
    spread: float | None
    anomaly: float | None = Field(description="Robust z-score against the 28 days before.")
    outlets: list[str]
    articles: int
    evidence: list[EvidenceOut]


class DriverOut(BaseModel):
    measure: str
    contribution: float


class IndicatorOut(BaseModel):
    theatre: str
    theatre_name: str
    day: dt.date
    escalation: float
    drivers: list[DriverOut]
    explanation: list[str]
    measures: dict[str, MeasureOut]
    categories: dict[str, MeasureOut] = Field(description="Reports per taxonomy category.")


class IndicatorList(BaseModel):
    indicators: list[IndicatorOut]


class AlertOut(_Record):
    id: int | None
    rule: str
    theatre: str
    day: dt.date
    fired_at: dt.datetime
    metric: str
    category: str
    value: float
    threshold: float
    payload: dict[str, Any] = Field(description="Figures, outlets and evidence.")
    deliveries: list[dict[str, Any]] = Field(description='Per channel: "channel", "ok", "detail".')


class AlertList(BaseModel):
    alerts: list[AlertOut]


# -- search and entities -------------------------------------------------------------------


class SearchHitOut(BaseModel):
    article: ArticleSummary
    sentence_index: int
    sentence: str
    snippet: str = Field(description="The sentence with the matched words marked [like this].")
    rank: float = Field(description="Lower is better.")


class SearchResults(BaseModel):
    query: str
    hits: list[SearchHitOut]


ENTITY_KINDS: dict[str, tuple[str, ...]] = {
    "person": ("PERSON",),
    "org": ("ORG",),
    "place": ("GPE", "LOC", "FAC"),
    "group": ("NORP",),
}
EntityKind = Literal["person", "org", "place", "group"]


class EntityOut(_Record):
    key: str = Field(description="The linked id (iso:UA, gn:703448, org:NATO), else the name.")
    name: str
    label: str
    linked_id: str | None
    mentions: int
    articles: int


class EntityList(BaseModel):
    entities: list[EntityOut]


class EntityMentionOut(BaseModel):
    text: str
    label: str
    start: int
    end: int
    cited: Cited


class EntityDetail(BaseModel):
    entity: EntityOut
    mentions: list[EntityMentionOut] = Field(description="Newest article first.")


# -- sources, rejects, status --------------------------------------------------------------


class SourceOut(_Record):
    id: int
    url: str
    kind: str
    title: str
    added_at: dt.datetime | None
    last_poll: dt.datetime | None
    last_success: dt.datetime | None
    error_streak: int
    last_error: str | None
    articles_added: int
    rejects: int


class SourceList(BaseModel):
    sources: list[SourceOut]


class RejectOut(_Record):
    source: str
    reason: str
    raw_hash: str
    detail: str


class RejectList(BaseModel):
    rejects: list[RejectOut]


class StatusOut(BaseModel):
    rows: dict[str, int] = Field(description="Row counts per table.")
    sources: int
    rejects: int


# -- writes --------------------------------------------------------------------------------


def _web_url(value: str | None) -> str | None:
    if value is not None and not value.strip().lower().startswith(("http://", "https://")):
        raise ValueError("give an http(s) URL")
    return value


class IngestRequest(BaseModel):
    """A URL to fetch (``url`` alone), or a document (``title`` and ``text``, with ``url``
    as its address)."""

    url: str | None = Field(None, max_length=2000)
    title: str | None = None
    text: str | None = None
    source: str | None = Field(None, description="The outlet; default: the URL's host.")
    published: str | None = Field(None, description="ISO 8601 timestamp or date.")
    author: str | None = None
    language: str | None = Field(None, description="Default: detected from the text.")

    _url_is_web = field_validator("url")(_web_url)


class RejectedInput(BaseModel):
    source: str
    reason: str
    detail: str


class IngestResult(BaseModel):
    added: list[str] = Field(description="Ids of the articles stored.")
    duplicate_of: list[str] = Field(description="Ids of stored articles the input duplicates.")
    near_duplicates: int
    rejects: list[RejectedInput]
    stories_placed: int
    alerts_fired: int


class SourceRequest(BaseModel):
    url: str = Field(max_length=2000)
    kind: Literal["feed", "page"] | None = Field(
        None, description="Default: the URL is fetched once to find out."
    )

    _url_is_web = field_validator("url")(_web_url)


class SourceAdded(BaseModel):
    added: list[SourceOut]
    already: list[str] = Field(description="URLs declared before.")


class BriefingRequest(BaseModel):
    since: dt.date | None = None
    until: dt.date | None = Field(None, description="Last day, included.")
    topic: str | None = Field(None, max_length=500)


# -- briefings -----------------------------------------------------------------------------


class BriefingSummary(_Record):
    id: int
    title: str
    headline: str
    topic: str | None
    period_start: dt.date | None
    period_end: dt.date | None = Field(description="Last day covered, included.")
    generated_at: dt.datetime


class BriefingList(BaseModel):
    briefings: list[BriefingSummary] = Field(description="Newest first.")


class BriefingOut(BriefingSummary):
    document: dict[str, Any] = Field(
        description="The briefing as `watchfloor brief --format json` writes it "
        "(schema: watchfloor/data/briefing.schema.json): sections of statements, each "
        "citing numbered article sentences, and the citations."
    )
