"""The dashboard: server-rendered pages over the store.

Every page is a Jinja2 template with autoescaping on: article-derived strings are escaped on
output and never marked safe. Pages run no inline script (the app's Content-Security-Policy
forbids it); the charts read their data from a ``<script type="application/json">`` block with
a static script, and the map is SVG drawn here from Natural Earth shapes (web/worldmap.py).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from watchfloor.analyze.contradictions import figure_disputes
from watchfloor.analyze.corpus import Corpus, day_after, day_start, strip_dateline
from watchfloor.analyze.corroboration import corroborate
from watchfloor.analyze.indicator_views import PLOT_PANELS, plot_data
from watchfloor.analyze.indicators import DAY_PRECISIONS, indicators
from watchfloor.analyze.offices import load_offices
from watchfloor.analyze.similarity import NearDuplicates
from watchfloor.analyze.statements import notable_statements
from watchfloor.analyze.theatres import article_theatre, event_theatres, theatre_code, theatre_name
from watchfloor.analyze.titlecheck import check_titles
from watchfloor.brief import compose_briefing
from watchfloor.brief.records import Briefing
from watchfloor.brief.render.json import briefing_from_dict
from watchfloor.brief.render.layout import timeline as briefing_timeline
from watchfloor.brief.text import (
    capitalised,
    format_date,
    format_day,
    format_period,
    is_web_url,
    split_end,
)
from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.extract.taxonomy import TaxonomyEntry, load_taxonomy
from watchfloor.model import Article, ArticleFacts, Story, TitleFlag
from watchfloor.store.base import Store, StoredEvent, StoredMention, StoredQuote
from watchfloor.web import deps, worldmap
from watchfloor.web.api_models import EventOut
from watchfloor.web.queries import EventQuery, matching_events

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATE_DIR = Path(__file__).parent / "templates"

OVERVIEW_STORIES = 8
OVERVIEW_ALERTS = 8
CHART_DAYS = 28  # the overview charts the indicators of the last four weeks
SEARCH_POOL = 500  # sentence hits read before the filters apply
SEARCH_SHOWN = 100
MAP_DAYS = 30  # the map shows the events of the last month unless a period is given
MAP_EVENTS = 5000
MAP_MARGIN = 8  # degrees of map around the outermost markers
MAP_MIN_SPAN = 60  # degrees: the map never zooms closer than this
STORY_CLAIMS = 12
ENTITY_ARTICLES = 50
ARCHIVE_SHOWN = 200
ENTITY_MENTIONS = 500
ENTITY_CANDIDATES = 50
ENTITY_EVENTS = 200  # events, and quotes, read per name
ENTITY_SENTENCES = 20

router = APIRouter(include_in_schema=False)


@cache
def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # every string is escaped unless marked safe; we mark none
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        capitalised=capitalised,
        format_date=format_date,
        format_day=format_day,
        is_web_url=is_web_url,
        split_end=split_end,
        theatre_name=theatre_name,
        query=lambda **params: urlencode({k: v for k, v in params.items() if v}),
        when=_when,
    )
    return Jinja2Templates(env=env)


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return _templates().TemplateResponse(
        request, template, {"page": template.split(".")[0], **context}, status_code=status_code
    )


def _message(request: Request, status_code: int, title: str, *lines: str) -> Response:
    return _page(request, "message.html.j2", status_code, title=title, lines=list(lines))


StoreDep = Annotated[Store, Depends(deps.store)]
SettingsDep = Annotated[Settings, Depends(deps.settings)]


# -- small helpers ---------------------------------------------------------------------------


def _when(moment: datetime | date | None) -> str:
    if moment is None:
        return "undated"
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.isoformat()


def marked_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet (matched terms in [brackets]) as (text, matched) parts, so the template
    can wrap matches in <mark> while escaping every part."""
    parts: list[tuple[str, bool]] = []
    rest = snippet
    while "[" in rest:
        before, _, after = rest.partition("[")
        inside, closed, tail = after.partition("]")
        if not closed:
            break
        if before:
            parts.append((before, False))
        parts.append((inside, True))
        rest = tail
    if rest:
        parts.append((rest, False))
    return parts


@dataclass(slots=True)
class Filters:
    """The filters a page was asked for, read leniently: a bad value is reported, not fatal."""

    since: date | None = None
    until: date | None = None  # included
    theatre: str | None = None  # ISO alpha-2
    category: str | None = None
    source: str | None = None
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(
        cls,
        taxonomy: dict[str, TaxonomyEntry],
        since: str | None = None,
        until: str | None = None,
        theatre: str | None = None,
        category: str | None = None,
        source: str | None = None,
    ) -> Filters:
        found = cls(source=(source or "").strip() or None)
        for name, value in (("since", since), ("until", until)):
            if value and value.strip():
                try:
                    setattr(found, name, date.fromisoformat(value.strip()))
                except ValueError:
                    found.problems.append(f"{name}: {value!r} is not a date (YYYY-MM-DD)")
        if theatre and theatre.strip():
            try:
                found.theatre = theatre_code(theatre)
            except WatchfloorError as exc:
                found.problems.append(str(exc))
        if category:
            if category in taxonomy:
                found.category = category
            else:
                found.problems.append(f"category {category!r} is not in the taxonomy")
        return found

    def keeps(self, article: Article, facts: ArticleFacts) -> bool:
        """Whether an article passes the source, theatre and category filters."""
        if self.source and self.source.casefold() not in article.source.casefold():
            return False
        if self.theatre and self.theatre not in _article_theatres(facts):
            return False
        return not self.category or any(e.category == self.category for e in facts.events)

    def published_in(self, article: Article) -> bool:
        day = article.published.date() if article.published else None
        if day is None:
            return not (self.since or self.until)
        return (not self.since or day >= self.since) and (not self.until or day <= self.until)


def _article_theatres(facts: ArticleFacts) -> set[str]:
    fallback = article_theatre(facts)
    found = {code for e in facts.events for code in event_theatres(e, fallback)}
    return found | ({fallback} if fallback else set())


def _taxonomy(settings: Settings) -> dict[str, TaxonomyEntry]:
    return load_taxonomy(settings.taxonomy or None)


def _latest_day(stories: list[Story]) -> date | None:
    """The day of the latest activity: pages default to the weeks before it, so a store of
    old articles (the demo) shows its news rather than an empty present."""
    ends = [s.end for s in stories if s.end]
    return max(ends).date() if ends else None


def _sentence_text(facts: ArticleFacts, index: int | None) -> str:
    if index is None:
        return ""
    return next((s.text for s in facts.sentences if s.index == index), "")


# -- overview --------------------------------------------------------------------------------


def _top_stories(stories: list[Story], latest: date | None) -> list[Story]:
    """The most widely sourced stories active in the last week of coverage."""
    recent = [
        s for s in stories if latest is None or (s.end and s.end.date() > latest - timedelta(7))
    ]
    recent.sort(key=lambda s: (-s.source_count, -s.article_count, s.title))
    return recent[:OVERVIEW_STORIES]


def _indicator_chart(store: Store, latest: date | None) -> dict[str, Any] | None:
    """Plotly traces of the indicators over the last weeks: one panel per measure, one line
    per theatre (those with the highest escalation)."""
    since = latest - timedelta(days=CHART_DAYS - 1) if latest else None
    series = indicators(store, since=since, until=latest)
    if not series:
        return None
    days, lines = plot_data(series)
    x = [d.isoformat() for d in days]
    return {
        "panels": [
            {
                "title": panel,
                "traces": [
                    {"x": x, "y": values[panel], "name": theatre_name(theatre)}
                    for theatre, values in lines.items()
                ],
            }
            for panel in PLOT_PANELS
        ]
    }


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, store: StoreDep) -> Response:
    stories = store.stories()
    latest = _latest_day(stories)
    archived = next(iter(store.briefings(limit=1)), None)
    briefing = briefing_from_dict(archived.document) if archived else None
    return _page(
        request,
        "overview.html.j2",
        briefing=archived,
        summary=briefing.section("summary").items if briefing else [],
        citations={c.number: c for c in briefing.citations} if briefing else {},
        stories=_top_stories(stories, latest),
        chart=_indicator_chart(store, latest),
        alerts=store.alert_log(OVERVIEW_ALERTS),
        stats=store.stats(),
        latest=latest,
    )


# -- search ----------------------------------------------------------------------------------


@dataclass(slots=True)
class SearchRow:
    article: Article
    sentence_index: int | None
    parts: list[tuple[str, bool]]  # the sentence (or the article's title), matches marked


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    q: str = "",
    since: str | None = None,
    until: str | None = None,
    theatre: str | None = None,
    category: str | None = None,
    source: str | None = None,
) -> Response:
    taxonomy = _taxonomy(settings)
    filters = Filters.read(taxonomy, since, until, theatre, category, source)
    facts: dict[str, ArticleFacts] = {}

    def kept(article: Article) -> bool:
        if not filters.published_in(article):
            return False
        if article.id not in facts:
            facts[article.id] = store.facts(article.duplicate_of or article.id)
        return filters.keeps(article, facts[article.id])

    rows: list[SearchRow] = []
    searched = bool(q.strip()) or any(
        (filters.since, filters.until, filters.theatre, filters.category, filters.source)
    )
    if q.strip():
        for hit in store.search(q, limit=SEARCH_POOL):
            if kept(hit.article):
                rows.append(SearchRow(hit.article, hit.sentence.index, marked_parts(hit.snippet)))
    elif searched:
        articles = store.articles(day_start(filters.since), day_after(filters.until))
        for article in reversed(articles):  # newest first
            if kept(article):
                rows.append(SearchRow(article, None, [(article.title, False)]))
    return _page(
        request,
        "search.html.j2",
        q=q,
        filters=filters,
        taxonomy=taxonomy,
        rows=rows[:SEARCH_SHOWN],
        total=len(rows),
        searched=searched,
        shown=SEARCH_SHOWN,
    )


# -- articles --------------------------------------------------------------------------------


def _title_flags(settings: Settings, article: Article, facts: ArticleFacts) -> list[TitleFlag]:
    """Titles the office-holder knowledge base contradicts on the article's day."""
    book = load_offices(getattr(settings, "offices", "") or None)
    return check_titles(article, facts, book)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request, article_id: str, store: StoreDep, settings: SettingsDep
) -> Response:
    article = store.article(article_id)
    if article is None:
        return _message(request, 404, "Not found", f"There is no article {article_id}.")
    facts = store.facts(article.duplicate_of or article.id)
    original = store.article(article.duplicate_of) if article.duplicate_of else None
    entities = sorted(
        {(m.text, m.label, m.linked_id or m.text) for m in facts.mentions},
        key=lambda e: (e[1], e[0].casefold()),
    )
    placed = store.story_material(article_ids=[article.id], lead_sentences=0)
    story = store.story(placed[0].story_id) if placed and placed[0].story_id else None
    return _page(
        request,
        "article.html.j2",
        article=article,
        original=original,
        facts=facts,
        entities=entities,
        story=story,
        flags=_title_flags(settings, article, facts),
    )


# -- stories ---------------------------------------------------------------------------------


@dataclass(slots=True)
class TimelineEntry:
    text: str
    article: Article
    sentence_index: int
    category: str


def _story_timeline(corpus: Corpus) -> list[tuple[date, list[TimelineEntry]]]:
    """The story's events dated to a day by day, oldest first; each day's sentences once (a
    wire copy or a repeat of a sentence already listed that day is left out). A day after the
    article's publication is a plan, not a happening, and a month or a week is no day."""
    by_day: dict[date, list[TimelineEntry]] = defaultdict(list)
    seen: dict[date, NearDuplicates] = defaultdict(NearDuplicates)
    for article in corpus.articles:
        facts = corpus.facts.get(article.id)
        if facts is None:
            continue
        published = article.published.date() if article.published else None
        listed: set[int] = set()
        for event in facts.events:
            index = event.sentence_index
            if event.date is None or index is None or index in listed:
                continue
            if event.date_precision not in DAY_PRECISIONS or (published and event.date > published):
                continue
            text = strip_dateline(_sentence_text(facts, index))
            if text and seen[event.date].keep(text):
                listed.add(index)
                by_day[event.date].append(TimelineEntry(text, article, index, event.category))
    return sorted(by_day.items())


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, store: StoreDep) -> Response:
    story = store.story(story_id)
    if story is None:
        return _message(request, 404, "Not found", f"There is no story {story_id}.")
    articles = [a for a in (store.article(i) for i in story.article_ids) if a]
    corpus = Corpus(
        articles=articles,
        facts={a.id: store.facts(a.id) for a in articles if not a.duplicate_of},
        by_id={a.id: a for a in articles},
    )
    outlets: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        outlets[article.source].append(article)
    claims = corroborate(store, article_ids=story.article_ids)
    return _page(
        request,
        "story.html.j2",
        story=story,
        articles=articles,
        by_id=corpus.by_id,
        timeline=_story_timeline(corpus),
        outlets=sorted(outlets.items(), key=lambda o: (-len(o[1]), o[0])),
        statements=notable_statements(
            Corpus(
                articles=[a for a in articles if not a.duplicate_of],
                facts=corpus.facts,
                by_id=corpus.by_id,
            )
        ),
        claims=claims[:STORY_CLAIMS],
        claim_total=len(claims),
        disputes=figure_disputes(store, article_ids=story.article_ids),
    )


# -- entities --------------------------------------------------------------------------------


@dataclass(slots=True)
class EntityView:
    key: str  # the linked id, else the name as written
    name: str
    label: str
    linked_id: str | None
    mentions: list[StoredMention]
    articles: list[Article] = field(default_factory=list)
    events: list[tuple[StoredEvent, str]] = field(default_factory=list)  # with its role
    quotes: list[StoredQuote] = field(default_factory=list)
    related: Counter[str] = field(default_factory=Counter)
    stories: list[Story] = field(default_factory=list)

    @property
    def sentences(self) -> list[tuple[str, int, str]]:
        """The sentences naming it, newest article first, each once."""
        found = dict.fromkeys(
            (m.article_id, m.mention.sentence_index, m.sentence)
            for m in self.mentions
            if m.sentence and m.mention.sentence_index is not None
        )
        return list(found)[:ENTITY_SENTENCES]


def _entity_key(store: Store, name: str) -> tuple[str, list[StoredMention]]:
    """The entity ``name`` stands for, with its mentions: a key as the store lists entities
    (a linked id, else a name as written), or a name written in an article whose mentions are
    linked (a story names "Kyiv"; its mentions carry a gazetteer id)."""
    found = store.entity_mentions(name, limit=ENTITY_MENTIONS)
    if found:
        return name, found
    folded = name.casefold()
    for entity in store.entities(query=name, limit=ENTITY_CANDIDATES):
        if folded in (entity.name.casefold(), entity.key.casefold()):
            return entity.key, store.entity_mentions(entity.key, limit=ENTITY_MENTIONS)
    return name, []


def _entity(store: Store, name: str) -> EntityView | None:
    """What the store says about one named entity: its mentions and articles, the events
    naming it as actor, target or place, its quotes, the names most often beside it and the
    stories it leads."""
    key, mentions = _entity_key(store, name)
    if not mentions:
        return None
    forms = Counter((m.mention.text, m.mention.label) for m in mentions)
    (written, label), _ = forms.most_common(1)[0]
    view = EntityView(key, written, label, mentions[0].mention.linked_id, mentions)
    names = {text.casefold() for text, _ in forms}
    article_ids = list(dict.fromkeys(m.article_id for m in mentions))
    view.articles = [a for a in (store.article(i) for i in article_ids) if a]
    for article in view.articles[:ENTITY_ARTICLES]:
        view.related.update(
            m.text
            for m in store.facts(article.duplicate_of or article.id).mentions
            if m.text.casefold() not in names and m.label != "NORP"
        )
    for text in sorted(names):
        for row in store.events(actor=text, limit=ENTITY_EVENTS):
            if any(a.casefold() in names for a in row.event.actors):
                view.events.append((row, "actor"))
        for row in store.events(place=text, limit=ENTITY_EVENTS):
            if (row.event.place or "").casefold() in names:
                view.events.append((row, "place"))
        view.quotes += [
            q
            for q in store.quotes(speaker=text, limit=ENTITY_EVENTS)
            if (q.quote.speaker or "").casefold() in names
        ]
    view.events = list({row.id: (row, role) for row, role in view.events}.values())
    view.stories = [
        s
        for s in store.stories()
        if any(n.casefold() in names for n in (*s.key_actors, *s.key_places))
    ]
    return view


@router.get("/entity", response_class=HTMLResponse)
def entity_page(request: Request, store: StoreDep, name: str = "") -> Response:
    """One entity, by a linked id (iso:UA) or by a name as articles write it."""
    view = _entity(store, name.strip()) if name.strip() else None
    if view is None:
        return _message(request, 404, "Not found", f"No article names {name.strip()!r}.")
    by_id = {a.id: a for a in view.articles}
    for row, _ in view.events:
        by_id.setdefault(row.article_id, store.article(row.article_id))
    for q in view.quotes:
        by_id.setdefault(q.article_id, store.article(q.article_id))
    return _page(
        request,
        "entity.html.j2",
        entity=view,
        articles=view.articles[:ENTITY_ARTICLES],
        by_id=by_id,
        sentence=lambda article_id, index: _sentence_text(store.facts(article_id), index),
    )


# -- briefings -------------------------------------------------------------------------------


def _briefing_context(briefing: Briefing) -> dict[str, Any]:
    return {
        "briefing": briefing,
        "period": format_period(briefing.period_start, briefing.period_end),
        "citations": {c.number: c for c in briefing.citations},
        "timeline": briefing_timeline,
    }


@router.get("/briefings", response_class=HTMLResponse)
def briefing_archive(request: Request, store: StoreDep) -> Response:
    return _page(request, "briefings.html.j2", archive=store.briefings(limit=ARCHIVE_SHOWN))


@router.get("/briefings/current", response_class=HTMLResponse)
def current_briefing(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    since: str | None = None,
    until: str | None = None,
    topic: str | None = None,
) -> Response:
    """A briefing composed now, from the store as it is (nothing is archived)."""
    filters = Filters.read({}, since, until)
    if filters.problems:
        return _message(request, 400, "Briefing", *filters.problems)
    try:
        briefing = compose_briefing(
            store,
            since=filters.since,
            until=filters.until,
            topic=(topic or "").strip() or None,
            preparedness_path=settings.preparedness or None,
            taxonomy_path=settings.taxonomy or None,
            settings=settings,
        )
    except WatchfloorError as exc:
        return _message(request, 404, "Briefing", str(exc))
    return _page(request, "briefing.html.j2", archived=None, **_briefing_context(briefing))


@router.get("/briefings/{briefing_id}", response_class=HTMLResponse)
def archived_briefing(request: Request, briefing_id: int, store: StoreDep) -> Response:
    found = store.briefing(briefing_id)
    if found is None:
        return _message(request, 404, "Not found", f"There is no briefing {briefing_id}.")
    briefing = briefing_from_dict(found.document)
    return _page(request, "briefing.html.j2", archived=found, **_briefing_context(briefing))


# -- map -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Marker:
    """Events at one place: drawn as one circle, listed as one row."""

    number: int
    label: str
    x: float
    y: float
    events: list[EventOut] = field(default_factory=list)

    @property
    def radius(self) -> float:
        return 2.0 + 1.6 * math.sqrt(len(self.events))

    @property
    def categories(self) -> list[tuple[str, int]]:
        return Counter(e.category for e in self.events).most_common()


def _markers(events: list[EventOut], centres: dict[str, tuple[float, float]]) -> list[Marker]:
    """One marker per place: at the event's coordinates when extraction placed it, else at the
    middle of its country (its place's country, else its theatre)."""
    markers: dict[tuple[str, int, int], Marker] = {}
    for event in events:
        if event.lat is not None and event.lon is not None:
            point, label = (event.lon, event.lat), event.place or f"{event.lat}, {event.lon}"
        else:
            country = event.place_country or (event.theatres[0] if event.theatres else None)
            if country not in centres:
                continue
            point, label = centres[country], theatre_name(country)
        x, y = worldmap.project(*point)
        key = (label, round(x), round(y))
        if key not in markers:
            markers[key] = Marker(0, label, x, y)
        markers[key].events.append(event)
    ordered = sorted(markers.values(), key=lambda m: (-len(m.events), m.label))
    for number, marker in enumerate(ordered, start=1):
        marker.number = number
    return ordered


@dataclass(frozen=True, slots=True)
class ViewBox:
    """The part of the map shown, in map pixels; ``scale`` shrinks the markers to match."""

    x: float
    y: float
    width: float
    height: float

    @property
    def scale(self) -> float:
        return self.width / worldmap.WIDTH

    def __str__(self) -> str:
        return f"{self.x:.1f} {self.y:.1f} {self.width:.1f} {self.height:.1f}"


def _view_box(markers: list[Marker]) -> ViewBox:
    """The smallest part of the world, in the map's proportions and at least MAP_MIN_SPAN
    wide, that holds every marker with a margin around it; the whole world without markers."""
    world = ViewBox(0, 0, worldmap.WIDTH, worldmap.HEIGHT)
    if not markers:
        return world
    margin = MAP_MARGIN * worldmap.SCALE
    left = min(m.x for m in markers) - margin
    right = max(m.x for m in markers) + margin
    top = min(m.y for m in markers) - margin
    bottom = max(m.y for m in markers) + margin
    aspect = worldmap.WIDTH / worldmap.HEIGHT
    width = max(right - left, (bottom - top) * aspect, MAP_MIN_SPAN * worldmap.SCALE)
    if width >= worldmap.WIDTH:
        return world
    height = width / aspect
    x = min(max((left + right - width) / 2, 0), worldmap.WIDTH - width)
    y = min(max((top + bottom - height) / 2, 0), worldmap.HEIGHT - height)
    return ViewBox(x, y, width, height)


def _shade(count: int, most: int) -> int:
    """Shade class 0-5 of a country with ``count`` events (log scale up to the busiest)."""
    if count == 0 or most == 0:
        return 0
    return 1 + round(4 * math.log1p(count) / math.log1p(most))


@router.get("/map", response_class=HTMLResponse)
def events_map(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    since: str | None = None,
    until: str | None = None,
    theatre: str | None = None,
    category: str | None = None,
    source: str | None = None,
    world: bool = False,
) -> Response:
    """The events on a world map; zoomed to where they are unless ``world`` is set."""
    taxonomy = _taxonomy(settings)
    filters = Filters.read(taxonomy, since, until, theatre, category, source)
    if not (filters.since or filters.until):
        latest = _latest_day(store.stories())
        if latest:
            filters.since, filters.until = latest - timedelta(days=MAP_DAYS - 1), latest
    wanted = EventQuery(
        filters.since, filters.until, filters.theatre, filters.category, limit=MAP_EVENTS
    )
    events = [
        e
        for e in matching_events(store, wanted)
        if not filters.source or filters.source.casefold() in e.cited.source.casefold()
    ]
    countries = worldmap.world_countries()
    centres = {c.code: c.centre for c in countries or () if c.code}
    per_theatre = Counter(t for e in events for t in e.theatres)
    most = max(per_theatre.values(), default=0)
    markers = _markers(events, centres)
    shapes = [
        (c, per_theatre.get(c.code or "", 0), _shade(per_theatre.get(c.code or "", 0), most))
        for c in countries or ()
    ]
    return _page(
        request,
        "map.html.j2",
        filters=filters,
        taxonomy=taxonomy,
        shapes=shapes,
        shapes_missing=countries is None,
        atlas_file=str(worldmap.ATLAS_FILE),
        atlas_package=worldmap.ATLAS_PACKAGE,
        markers=markers,
        view=ViewBox(0, 0, worldmap.WIDTH, worldmap.HEIGHT) if world else _view_box(markers),
        world=world,
        events=events,
        theatres=per_theatre.most_common(),
    )


# -- status ----------------------------------------------------------------------------------


@router.get("/status", response_class=HTMLResponse)
def status(request: Request, store: StoreDep) -> Response:
    return _page(
        request,
        "status.html.j2",
        stats=store.stats(),
        sources=store.sources(),
        rejects=store.rejects(),
    )


# -- assets ----------------------------------------------------------------------------------


@cache
def _plotly_script() -> bytes:
    return (resources.files("plotly") / "package_data" / "plotly.min.js").read_bytes()


@router.get("/vendor/plotly.min.js")
def plotly_script() -> Response:
    """Plotly's browser bundle, read from the installed Python package (not from a CDN)."""
    return Response(
        _plotly_script(),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )
