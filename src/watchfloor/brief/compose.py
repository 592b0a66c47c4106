"""Compose a briefing from the store: select what matters, word it, cite every sentence.

The briefing is built from stories (analyze/stories.py), the timeline (analyze/timeline.py),
the daily indicators (analyze/indicators.py) and the checks (corroboration, contradictions and
updates of figures, titles against the office-holder knowledge base). Every statement is either
an article sentence quoted verbatim with its own citation, or a sentence written here from
extracted facts that cites the sentences (or knowledge-base entries) holding those facts.
Sections are composed in reading order, so citation numbers follow first use.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from watchfloor.analyze.contradictions import disputes_in
from watchfloor.analyze.corpus import Corpus, day_after, day_start, published_day
from watchfloor.analyze.corroboration import claims_in
from watchfloor.analyze.developments import EventRef, happenings, ranked_sentences, themes
from watchfloor.analyze.offices import load_offices
from watchfloor.analyze.sentences import has_quote, reads_alone
from watchfloor.analyze.similarity import NearDuplicates
from watchfloor.analyze.stories import update_stories
from watchfloor.analyze.theatres import article_theatre
from watchfloor.analyze.timeline import timeline
from watchfloor.analyze.titlecheck import check_titles
from watchfloor.brief.analysis import analysis_items, load_indicators, preparedness_items
from watchfloor.brief.checks import figure_updates, reliability_items, statement_items
from watchfloor.brief.citations import Citations
from watchfloor.brief.context import BriefContext, ends_like_sentence, is_short
from watchfloor.brief.records import (
    SECTION_HEADINGS,
    Briefing,
    Bullet,
    Item,
    Paragraph,
    Section,
    StoryItem,
    item_statements,
)
from watchfloor.brief.text import format_period
from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.extract.taxonomy import load_taxonomy
from watchfloor.model import Story
from watchfloor.store.base import Store

SUMMARY_STORIES = 3
BACKGROUND_STORIES = 4
BACKGROUND_SENTENCES = 3  # dated context sentences after the earlier stories
BACKGROUND_DAYS = 60  # how far before the top stories earlier stories are looked for
THEATRE_SAMPLE = 3  # articles of an earlier story read to tell its theatre
THEATRE_FACTS = ("events", "mentions")  # what an article's theatre is read from
LEAD_SENTENCES = 3  # a story is cited by one of its central article's first sentences
TIMELINE_DATES = 12
TIMELINE_SENTENCES = 2
RELATED_STORIES = 8


def _article_outlets(ctx: BriefContext, story: Story) -> int:
    """Independent outlets of the story among the period's articles: copies count once."""
    articles = [ctx.corpus.by_id[a] for a in story.article_ids if a in ctx.corpus.by_id]
    return len({a.source for a in articles if not a.duplicate_of})


def _ranked_stories(ctx: BriefContext, found: list[Story]) -> list[Story]:
    """Stories with articles in the period, most independent outlets first, then most
    articles, then the latest."""
    inside = [s for s in found if any(a in ctx.corpus.by_id for a in s.article_ids)]
    return sorted(
        inside,
        key=lambda s: (
            -_article_outlets(ctx, s),
            -sum(a in ctx.corpus.by_id for a in s.article_ids),
            -(s.end or datetime.min.replace(tzinfo=UTC)).timestamp(),
            s.id,
        ),
    )


def _best_ref(ctx: BriefContext, story: Story, seen: NearDuplicates) -> EventRef | None:
    """The story's sentence that says it best, reads on its own, quotes nobody, states no
    superseded figure and repeats nothing said before."""
    for ref in ranked_sentences(ctx.refs_of(story.article_ids)):
        usable = reads_alone(ref.text) and not has_quote(ref.text)
        if usable and ref.sentence_key not in ctx.superseded and seen.keep(ref.text):
            return ref
    return None


def _story_key(ctx: BriefContext, story: Story, seen: NearDuplicates) -> tuple[str, int] | None:
    """A sentence to cite a story by: its best event sentence in the period, else the first
    of its articles' opening sentences (central article first) that reads on its own; None
    when every candidate repeats something said."""
    ref = _best_ref(ctx, story, seen)
    if ref:
        return ref.sentence_key
    first = story.title_article_id or story.article_ids[0]
    for article_id in dict.fromkeys([first, *story.article_ids]):
        for index in range(LEAD_SENTENCES):
            text = ctx.citations.display_text(article_id, index)
            usable = reads_alone(text) and not has_quote(text) and ends_like_sentence(text)
            if usable and seen.keep(text):
                return (article_id, index)
    return None


def _headline(ctx: BriefContext, seen: NearDuplicates) -> list[Item]:
    """The top story in one of its own sentences: a short, self-contained one when it has."""
    if not ctx.stories:
        return []
    top = ctx.stories[0]
    ranked = [
        r
        for r in ranked_sentences(ctx.refs_of(top.article_ids))
        if r.sentence_key not in ctx.superseded and not has_quote(r.text)
    ]
    best = next((r for r in ranked if reads_alone(r.text) and is_short(r.text)), None)
    key = best.sentence_key if best else _story_key(ctx, top, seen)
    if key is None:
        return []
    statement = ctx.citations.verbatim(*key)
    seen.keep(statement.text)
    return [Paragraph([statement])]


def _summary(ctx: BriefContext, seen: NearDuplicates) -> list[Item]:
    """One sentence per top story, none repeating the headline, oldest first; then the figures
    that rose, each at its latest."""
    picks: list[EventRef] = []
    for story in ctx.stories[:SUMMARY_STORIES]:
        ref = _best_ref(ctx, story, seen)
        if ref:
            picks.append(ref)
    picks.sort(key=lambda r: (r.event.date or date.max, r.article.published or datetime.max))
    statements = [ctx.citations.verbatim(*r.sentence_key) for r in picks]
    statements += figure_updates(ctx)
    return [Paragraph(statements)] if statements else []


def _theatres(ctx: BriefContext, article_ids: list[str]) -> dict[str, str | None]:
    """Each article's theatre: from the period's facts; for articles outside the period, as
    stored, else read from their facts (in one go) and stored for the next briefing."""
    wanted = list(dict.fromkeys(article_ids))
    found = {a: article_theatre(ctx.corpus.facts[a]) for a in wanted if a in ctx.corpus.facts}
    found |= ctx.store.article_theatres(a for a in wanted if a not in found)
    missing = [a for a in wanted if a not in found]
    if missing:
        loaded = ctx.store.facts_many(missing, THEATRE_FACTS)
        computed = {a: article_theatre(loaded[a]) for a in missing}
        ctx.store.save_article_theatres(computed)
        found |= computed
    return found


def _sample(story: Story) -> list[str]:
    """A few of a story's articles, its central one first: enough to tell its theatre without
    reading every fact of a long story."""
    first = story.title_article_id or story.article_ids[0]
    return list(dict.fromkeys([first, *story.article_ids]))[:THEATRE_SAMPLE]


def _background(ctx: BriefContext, seen: NearDuplicates) -> list[Item]:
    """Earlier stories of the top stories' theatres, oldest first, each in a sentence of its
    own; then earlier events the period's articles recall."""
    items: list[Item] = []
    top = ctx.stories[:SUMMARY_STORIES]
    starts = [s.start for s in top if s.start]
    if starts:
        first = min(starts)
        theatres = set(_theatres(ctx, [a for s in top for a in s.article_ids]).values()) - {None}
        shown = {s.id for s in top}
        earlier = [
            s
            for s in ctx.store.stories(since=first - timedelta(days=BACKGROUND_DAYS), until=first)
            if s.id not in shown and s.start and s.start < first
        ]
        earlier.sort(key=lambda s: s.start)
        sampled = _theatres(ctx, [a for s in earlier for a in _sample(s)])
        chosen = [s for s in earlier if {sampled[a] for a in _sample(s)} & theatres]
        for story in chosen[-BACKGROUND_STORIES:]:
            key = _story_key(ctx, story, seen)
            if key:
                ctx.shown_stories.add(story.id)
                statement = ctx.citations.verbatim(*key)
                items.append(Bullet([statement], date=story.start.date(), precision="day"))
    found = ctx.dated_sentences()
    for s in ctx.pick_dated(found, BACKGROUND_SENTENCES, seen):
        items.append(Bullet([ctx.citations.verbatim(s.article.id, s.index)]))
    return items


def _developments(ctx: BriefContext, topic: str | None) -> list[Item]:
    """The timeline of the period: the days that matter, oldest first, each with the sentences
    that best say what happened, and how many articles and outlets named the day."""
    made = timeline(
        ctx.store,
        query=topic,
        since=ctx.start,
        until=ctx.end,
        max_dates=TIMELINE_DATES,
        # Some of a day's best sentences lean on the one before them: ask for spares.
        sentences_per_date=2 * TIMELINE_SENTENCES,
        corpus=None if topic else ctx.corpus,  # a topic's timeline reads its own matches
    )
    items: list[Item] = []
    for d in made.dates:
        readable = [s for s in d.sentences if reads_alone(s.text)][:TIMELINE_SENTENCES]
        items += [
            Bullet(
                [ctx.citations.verbatim(s.article_id, s.sentence_index)],
                date=d.day,
                precision="day",
                articles=d.articles,
                outlets=d.outlets,
            )
            for s in readable
        ]
    return items


def _related(ctx: BriefContext) -> list[Item]:
    """The stories the headline, summary and background did not show, most widely reported
    first, each cited by a sentence of its own."""
    items: list[Item] = []
    seen = NearDuplicates()
    for story in ctx.stories[SUMMARY_STORIES:]:
        if len(items) == RELATED_STORIES:
            break
        key = None if story.id in ctx.shown_stories else _story_key(ctx, story, seen)
        if key is None:
            continue
        items.append(
            StoryItem(
                story_id=story.id,
                title=story.title,
                start=story.start.date() if story.start else None,
                end=story.end.date() if story.end else None,
                articles=story.article_count,
                sources=story.source_count,
                citation=ctx.citations.cite(*key),
            )
        )
    return items


def compose_briefing(
    store: Store,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    topic: str | None = None,
    preparedness_path: str | Path | None = None,
    taxonomy_path: str | Path | None = None,
    settings: Settings | None = None,
) -> Briefing:
    """A briefing on the articles published from ``since`` through ``until`` (a date includes
    its whole day; a datetime ``until`` is an exclusive end), only those matching ``topic``
    when given. Articles not yet in a story are placed first, as after every intake."""
    settings = settings or Settings()
    corpus = Corpus.load(store, since=since, until=until, topic=topic)
    if not corpus.articles:
        about = f" matching {topic!r}" if topic else ""
        if since or until:
            where = f"published in {format_period(_first_day(since), _last_day(until))}"
        else:
            where = "in the store"
        raise WatchfloorError(
            f"no articles{about} {where}; ingest articles first or widen --since/--until/--topic"
        )
    taxonomy = load_taxonomy(str(taxonomy_path) if taxonomy_path else None)
    days = [d for d in (published_day(a) for a in corpus.articles) if d]
    start = _first_day(since) or (min(days) if days else None)
    end = _last_day(until) or (max(days) if days else None)
    update_stories(store, settings)
    book = load_offices(settings.offices or None)
    found = happenings(corpus)
    # Claims are read once, for the figure checks and the single-source notes, from the
    # articles in the order a corpus of given articles holds them (undated last).
    checked = Corpus(
        sorted(
            corpus.articles, key=lambda a: (a.published is None, a.published or a.fetched_at, a.id)
        ),
        corpus.facts,
        corpus.by_id,
    )
    claims = claims_in(checked)
    ctx = BriefContext(
        store=store,
        corpus=corpus,
        taxonomy=taxonomy,
        happenings=found,
        themes=themes(found),
        citations=Citations(corpus, store),
        start=start,
        end=end,
        stories=[],
        book=book,
        title_flags=[
            flag
            for a in corpus.articles
            if not a.duplicate_of
            for flag in check_titles(a, corpus.facts[a.id], book)
        ],
        disputes=disputes_in(checked, claims),
    )
    ctx.stories = _ranked_stories(ctx, store.stories(since=day_start(start), until=day_after(end)))
    for dispute in ctx.disputes:
        if dispute.verdict == "update" and dispute.latest:
            ctx.superseded |= {
                (r.article_id, r.sentence_index)
                for r in dispute.reports
                if r.value != dispute.latest.value
            }
    indicators = load_indicators(store, corpus, start, end, topic)
    # The summary never repeats the headline, nor the background the summary; the timeline
    # and the statements may repeat them, being complete lists of their own. Context is about
    # points, not updates: a figure added does not make a repeated point new.
    news, context = NearDuplicates(), NearDuplicates(figures_decide=False)
    items: dict[str, list[Item]] = {"headline": _headline(ctx, news)}
    items["summary"] = _summary(ctx, news)
    for item in items["headline"] + items["summary"]:
        for statement in item_statements(item):
            context.keep(statement.text)
    items["background"] = _background(ctx, context)
    items["developments"] = _developments(ctx, topic)
    items["statements"] = statement_items(ctx)
    items["analysis"] = analysis_items(ctx, indicators, context)
    items["preparedness"] = preparedness_items(ctx, preparedness_path)
    items["related"] = _related(ctx)
    items["reliability"] = reliability_items(ctx, claims)
    items["sources"] = []
    headline = items["headline"][0].statements[0].text if items["headline"] else ""
    title = "Situation report" + (f": {topic}" if topic else "")
    return Briefing(
        title=f"{title}, {format_period(start, end)}",
        headline=headline,
        period_start=start,
        period_end=end,
        generated_at=datetime.now(UTC),
        topic=topic,
        sections=[Section(key, SECTION_HEADINGS[key], items[key]) for key in SECTION_HEADINGS],
        citations=ctx.citations.cited,
    )


def _first_day(since: date | datetime | None) -> date | None:
    return since.date() if isinstance(since, datetime) else since


def _last_day(until: date | datetime | None) -> date | None:
    """The last day a period covers: a date is included; a datetime is an exclusive end."""
    if isinstance(until, datetime):
        return (until - timedelta(microseconds=1)).date()
    return until
