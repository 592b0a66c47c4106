"""The JSON API (under /api): reads over the store; the writes and briefings are in
api_writes.py and api_briefings.py. app.py guards the reads with the token when the settings
say so.

Periods are days: ``since`` and ``until`` are both included (YYYY-MM-DD), as on the command line.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response
from pydantic import BeforeValidator

from watchfloor.analyze.corpus import day_after, day_start
from watchfloor.analyze.indicator_views import indicator_dict, render_csv
from watchfloor.analyze.indicators import indicators as compute_indicators
from watchfloor.analyze.stories import story_row, story_rows
from watchfloor.analyze.theatres import theatre_code
from watchfloor.store.base import Store
from watchfloor.web import deps
from watchfloor.web.api_models import (
    ENTITY_KINDS,
    AlertList,
    AlertOut,
    ArticleDetail,
    ArticleList,
    ArticleSummary,
    EntityDetail,
    EntityKind,
    EntityList,
    EntityMentionOut,
    EntityOut,
    ErrorOut,
    EventCollection,
    EventFeature,
    EventList,
    EventOut,
    FactsOut,
    GeoPoint,
    IndicatorList,
    IndicatorOut,
    QuoteFact,
    QuoteList,
    QuoteOut,
    RejectList,
    RejectOut,
    SearchHitOut,
    SearchResults,
    SourceList,
    SourceOut,
    StatusOut,
    StoryDetail,
    StoryList,
    StoryOut,
)
from watchfloor.web.queries import Citer, EventQuery, matching_events

router = APIRouter(
    responses={
        400: {"model": ErrorOut, "description": "The request makes no sense (says why)."},
    },
)

StoreDep = Annotated[Store, Depends(deps.store)]


def _iso_day(value: object) -> object:
    """Only YYYY-MM-DD of the years 1900 to 2999: pydantic alone would also read "0" as a day
    (Unix time), and far years would take a period's edges past the calendar's."""
    if isinstance(value, str) and not re.fullmatch(ISO_DAY, value):
        raise ValueError("give a day as YYYY-MM-DD, from 1900 to 2999")
    return value


ISO_DAY = "(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}"
Day = Annotated[date, BeforeValidator(_iso_day)]
Since = Annotated[
    Day | None,
    Query(description="First day (YYYY-MM-DD).", json_schema_extra={"pattern": f"^{ISO_DAY}$"}),
]
Until = Annotated[
    Day | None,
    Query(description="Last day, included.", json_schema_extra={"pattern": f"^{ISO_DAY}$"}),
]
NOT_FOUND = {404: {"model": ErrorOut, "description": "No such record."}}


def _limit(default: int, most: int) -> object:
    return Query(default, ge=1, le=most, description=f"At most this many (up to {most}).")


# -- articles ------------------------------------------------------------------------------


@router.get("/articles", response_model=ArticleList)
def list_articles(
    store: StoreDep,
    since: Since = None,
    until: Until = None,
    source: Annotated[str | None, Query(description="Only this outlet (exact name).")] = None,
    q: Annotated[str | None, Query(description="Only articles with these words.")] = None,
    limit: int = _limit(50, 1000),
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ArticleList:
    """Articles published in the period, newest first."""
    found = store.articles(since=day_start(since), until=day_after(until), query=q or None)
    if source:
        found = [a for a in found if a.source == source]
    found.reverse()
    return ArticleList(
        total=len(found),
        articles=[ArticleSummary.model_validate(a) for a in found[offset : offset + limit]],
    )


@router.get("/articles/{article_id}", response_model=ArticleDetail, responses=NOT_FOUND)
def get_article(article_id: str, store: StoreDep) -> ArticleDetail:
    """One article with its text and every fact read from it."""
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return ArticleDetail(
        article=ArticleSummary.model_validate(article),
        text=article.text,
        facts=FactsOut.model_validate(store.facts(article_id)),
    )


# -- stories -------------------------------------------------------------------------------


@router.get("/stories", response_model=StoryList)
def list_stories(
    store: StoreDep,
    since: Since = None,
    until: Until = None,
    q: Annotated[str | None, Query(description="Only stories matching these words.")] = None,
    limit: int = _limit(50, 1000),
) -> StoryList:
    """Stories with articles in the period, latest activity first."""
    rows = story_rows(store, day_start(since), day_after(until), query=q or None, limit=limit)
    return StoryList(stories=[StoryOut(**row) for row in rows])


@router.get("/stories/{story_id}", response_model=StoryDetail, responses=NOT_FOUND)
def get_story(story_id: str, store: StoreDep) -> StoryDetail:
    """One story with its articles."""
    story = store.story(story_id)
    if story is None:
        raise HTTPException(404, f"no story {story_id!r}")
    citer = Citer(store)
    return StoryDetail(
        story=StoryOut(**story_row(story)),
        articles=[ArticleSummary.model_validate(citer.article(i)) for i in story.article_ids],
    )


# -- events --------------------------------------------------------------------------------


class EventFilters(EventQuery):
    """The filters /api/events, its GeoJSON and its CSV share, read from the request."""

    def __init__(
        self,
        since: Since = None,
        until: Until = None,
        theatre: Annotated[
            str | None, Query(description="Where it happened: ISO code or country name.")
        ] = None,
        category: Annotated[str | None, Query(description="A threat taxonomy key.")] = None,
        actor: Annotated[
            str | None, Query(description="Part of an actor's name, or its country code.")
        ] = None,
        place: Annotated[
            str | None, Query(description="Part of the place name, its id or country code.")
        ] = None,
        limit: int = _limit(500, 5000),
    ) -> None:
        super().__init__(
            since,
            until,
            theatre_code(theatre) if theatre else None,
            category or None,
            actor or None,
            place or None,
            limit,
        )


@router.get("/events", response_model=EventList)
def list_events(store: StoreDep, filters: Annotated[EventFilters, Depends()]) -> EventList:
    """Events on the days of the period (an event's date, else its publication day), oldest
    first, each with where it happened and the sentence it was read from."""
    return EventList(events=list(matching_events(store, filters)))


@router.get(
    "/events.geojson",
    response_model=EventCollection,
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {}}}},
)
def events_geojson(store: StoreDep, filters: Annotated[EventFilters, Depends()]) -> Response:
    """The located events (those with coordinates) as a GeoJSON FeatureCollection of points."""
    features = [
        EventFeature(
            id=event.id,
            geometry=GeoPoint(coordinates=(event.lon, event.lat)),
            properties=event.model_dump(mode="json", exclude={"id", "lat", "lon"}),
        )
        for event in matching_events(store, filters, located_only=True)
    ]
    body = EventCollection(features=features).model_dump_json()
    return Response(body, media_type="application/geo+json")


EVENT_CSV_FIELDS = (
    "id", "day", "category", "trigger", "theatres", "place", "place_country", "lat", "lon",
    "actors", "targets", "killed", "injured", "article_id", "title", "source", "url",
    "published", "sentence_index", "sentence",
)  # fmt: skip
# Cells a spreadsheet would read as a formula; written with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def _toll(event: EventOut, role: str) -> str:
    values = [c.value for c in event.counts if c.role == role]
    return _number(max(values)) if values else ""


@router.get(
    "/events.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One row per event."}},
)
def events_csv(store: StoreDep, filters: Annotated[EventFilters, Depends()]) -> Response:
    """The events as CSV, one row per event (lists joined with "; "). Text cells that a
    spreadsheet would take for a formula start with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EVENT_CSV_FIELDS)
    for e in matching_events(store, filters):
        text = [e.category, e.trigger, "; ".join(e.theatres), e.place or ""]
        writer.writerow(
            [e.id, e.day.isoformat() if e.day else ""]
            + [_cell(t) for t in text]
            + [e.place_country or "", _number(e.lat), _number(e.lon)]
            + [_cell("; ".join(e.actors)), _cell("; ".join(e.targets))]
            + [_toll(e, "killed"), _toll(e, "injured"), e.cited.article_id]
            + [_cell(e.cited.title), _cell(e.cited.source), _cell(e.cited.url)]
            + [e.cited.published.isoformat() if e.cited.published else ""]
            + ["" if e.sentence_index is None else str(e.sentence_index), _cell(e.cited.sentence)]
        )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="events.csv"'},
    )


# -- quotes --------------------------------------------------------------------------------


@router.get("/quotes", response_model=QuoteList)
def list_quotes(
    store: StoreDep,
    since: Since = None,
    until: Until = None,
    speaker: Annotated[str | None, Query(description="Part of the speaker's name.")] = None,
    limit: int = _limit(100, 2000),
) -> QuoteList:
    """Quotes (direct and reported speech) with their speakers, newest article first."""
    citer = Citer(store)
    found = store.quotes(day_start(since), day_after(until), speaker or None, limit)
    return QuoteList(
        quotes=[
            QuoteOut(
                **QuoteFact.model_validate(q.quote).model_dump(),
                cited=citer.cite(q.article_id, q.quote.sentence_index),
            )
            for q in found
        ]
    )


# -- indicators and alerts -----------------------------------------------------------------


def _indicators(
    store: Store,
    theatre: str | None,
    category: str | None,
    since: date | None,
    until: date | None,
) -> list:
    series = compute_indicators(store, theatre=theatre, since=since, until=until)
    if category:
        series = [i for i in series if category in i.categories]
        for i in series:
            i.categories = {category: i.categories[category]}
    return series


@router.get("/indicators", response_model=IndicatorList)
def list_indicators(
    store: StoreDep,
    theatre: Annotated[str | None, Query(description="ISO code or country name.")] = None,
    category: Annotated[
        str | None, Query(description="Only days with reports of this taxonomy category.")
    ] = None,
    since: Since = None,
    until: Until = None,
) -> IndicatorList:
    """Daily indicators per theatre: measures against their 28-day baselines, the escalation
    index and the articles that drove it."""
    series = _indicators(store, theatre or None, category or None, since, until)
    return IndicatorList(indicators=[IndicatorOut(**indicator_dict(i)) for i in series])


@router.get(
    "/indicators.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "Long format."}},
)
def indicators_csv(
    store: StoreDep,
    theatre: Annotated[str | None, Query(description="ISO code or country name.")] = None,
    category: Annotated[str | None, Query(description="A threat taxonomy key.")] = None,
    since: Since = None,
    until: Until = None,
) -> Response:
    """The indicators as CSV, as `watchfloor indicators --format csv` writes them."""
    series = _indicators(store, theatre or None, category or None, since, until)
    return Response(render_csv(series), media_type="text/csv; charset=utf-8")


@router.get("/alerts", response_model=AlertList)
def list_alerts(
    store: StoreDep,
    rule: Annotated[str | None, Query(description="Only this rule.")] = None,
    limit: int = _limit(50, 1000),
) -> AlertList:
    """Alerts that fired, newest first, with their evidence and deliveries."""
    return AlertList(
        alerts=[AlertOut.model_validate(a) for a in store.alert_log(limit, rule or None)]
    )


# -- search and entities -------------------------------------------------------------------


@router.get("/search", response_model=SearchResults)
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find.")],
    limit: int = _limit(20, 500),
) -> SearchResults:
    """Full-text search over every stored sentence (all words must match), best first."""
    return SearchResults(
        query=q,
        hits=[
            SearchHitOut(
                article=ArticleSummary.model_validate(hit.article),
                sentence_index=hit.sentence.index,
                sentence=hit.sentence.text,
                snippet=hit.snippet,
                rank=hit.rank,
            )
            for hit in store.search(q, limit=limit)
        ],
    )


@router.get("/entities", response_model=EntityList)
def list_entities(
    store: StoreDep,
    kind: Annotated[EntityKind | None, Query(description="Default: every kind.")] = None,
    q: Annotated[str | None, Query(description="Part of a name.")] = None,
    limit: int = _limit(100, 2000),
) -> EntityList:
    """People, organisations, places and groups, most widely named first."""
    found = store.entities(ENTITY_KINDS[kind] if kind else None, q or None, limit)
    return EntityList(entities=[EntityOut.model_validate(e) for e in found])


@router.get("/entities/{key:path}", response_model=EntityDetail, responses=NOT_FOUND)
def get_entity(
    key: str,
    store: StoreDep,
    limit: int = _limit(200, 2000),
) -> EntityDetail:
    """One entity (a linked id such as iso:UA, else a name as written) and its mentions,
    each with its sentence."""
    found = store.entity_mentions(key, limit=limit)
    if not found:
        raise HTTPException(404, f"no entity {key!r}")
    citer = Citer(store)
    forms = [(m.mention.text, m.mention.label) for m in found]
    name, label = max(set(forms), key=lambda form: (forms.count(form), form))
    entity = EntityOut(
        key=key,
        name=name,
        label=label,
        linked_id=found[0].mention.linked_id,
        mentions=len(found),
        articles=len({m.article_id for m in found}),
    )
    return EntityDetail(
        entity=entity,
        mentions=[
            EntityMentionOut(
                text=m.mention.text,
                label=m.mention.label,
                start=m.mention.start,
                end=m.mention.end,
                cited=citer.cite(m.article_id, m.mention.sentence_index),
            )
            for m in found
        ],
    )


# -- sources, rejects, status --------------------------------------------------------------


@router.get("/sources", response_model=SourceList)
def list_sources(store: StoreDep) -> SourceList:
    """Declared feeds and pages with their polling health."""
    return SourceList(sources=[SourceOut.model_validate(s) for s in store.sources()])


@router.get("/rejects", response_model=RejectList)
def list_rejects(store: StoreDep) -> RejectList:
    """Every input that could not be ingested, with its reason."""
    return RejectList(rejects=[RejectOut.model_validate(r) for r in store.rejects()])


@router.get("/status", response_model=StatusOut)
def status(store: StoreDep) -> StatusOut:
    """Row counts of the store, and how many sources and rejects it has."""
    return StatusOut(rows=store.stats(), sources=len(store.sources()), rejects=len(store.rejects()))
