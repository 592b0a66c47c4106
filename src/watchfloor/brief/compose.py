"""Compose a briefing from the store: select what matters, word it, cite every sentence.

Every statement is either an article sentence quoted verbatim with its own citation, or a
sentence written here from extracted facts (categories, counts, places, article and outlet
tallies) that cites the sentences holding those facts. Sections are composed in reading order,
so citation numbers follow first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from watchfloor.analyze.context import DatedSentence, sentences_referring
from watchfloor.analyze.corpus import Corpus, published_day, strip_dateline
from watchfloor.analyze.counts import rising_counts
from watchfloor.analyze.developments import (
    EventRef,
    Happening,
    Theme,
    category_reach,
    happenings,
    ranked_sentences,
    stories,
    themes,
)
from watchfloor.analyze.sentences import reads_alone
from watchfloor.analyze.similarity import NearDuplicates
from watchfloor.analyze.statements import notable_statements
from watchfloor.brief.citations import Citations
from watchfloor.brief.preparedness import PreparednessEntry, load_preparedness
from watchfloor.brief.records import (
    SECTION_HEADINGS,
    Briefing,
    Bullet,
    Item,
    Paragraph,
    PreparednessItem,
    QuoteItem,
    RelatedItem,
    Section,
    Statement,
)
from watchfloor.brief.text import format_period, join_words
from watchfloor.errors import WatchfloorError
from watchfloor.extract.taxonomy import TaxonomyEntry, load_taxonomy
from watchfloor.model import Article
from watchfloor.store.base import Store

SUMMARY_SENTENCES = 3
SHORT_SENTENCE = 35  # words: the most a headline or a piece of evidence should take
BACKGROUND_SENTENCES = 5
TIMELINE_BULLETS = 18
TIMELINE_OUTLETS = 2  # a development on the timeline is reported by at least this many outlets
OUTLOOK_SENTENCES = 2
OTHER_THEMES = 3
RELATED_ARTICLES = 10


@dataclass(slots=True)
class _Context:
    corpus: Corpus
    taxonomy: dict[str, TaxonomyEntry]
    happenings: list[Happening]
    themes: list[Theme]
    citations: Citations
    start: date | None
    end: date | None

    def label(self, category: str) -> str:
        entry = self.taxonomy.get(category)
        return entry.label if entry else category.replace("_", " ")

    def phrase(self, categories: Iterable[str]) -> str:
        """Category labels for running text: 'missile and air strikes and drone strikes'."""
        return join_words([_lower_first(self.label(c)) for c in categories])


def _lower_first(label: str) -> str:
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def _top_stories(ctx: _Context, count: int) -> list[Happening]:
    """The most salient stories with different lead categories (one per kind of news)."""
    chosen: list[Happening] = []
    for happening in stories(ctx.happenings):
        if all(happening.categories[0] not in h.categories for h in chosen):
            chosen.append(happening)
        if len(chosen) == count:
            break
    return chosen


def _short(text: str) -> bool:
    return len(text.split()) <= SHORT_SENTENCE


def _headline(ctx: _Context, top: list[Happening], seen: NearDuplicates) -> list[Item]:
    """The most salient story in one of its own sentences: a short, self-contained one."""
    if not top:
        return []
    ranked = ranked_sentences(top[0].refs)
    best = next((r for r in ranked if reads_alone(r.text) and _short(r.text)), ranked[0])
    seen.keep(best.text)
    return [Paragraph([ctx.citations.verbatim(*best.sentence_key)])]


def _summary(ctx: _Context, top: list[Happening], seen: NearDuplicates) -> list[Item]:
    """One sentence per top story, none repeating the headline; oldest first."""
    picks: list[EventRef] = []
    for happening in top:
        readable = (r for r in ranked_sentences(happening.refs) if reads_alone(r.text))
        ref = next((r for r in readable if seen.keep(r.text)), None)
        if ref:
            picks.append(ref)
    picks.sort(key=lambda r: (r.event.date or date.max, _published(r.article)))
    return [Paragraph([ctx.citations.verbatim(*r.sentence_key) for r in picks])] if picks else []


def _published(article: Article) -> str:
    """A sort key for publication order (the store gives UTC-aware times or none)."""
    return article.published.astimezone(UTC).isoformat() if article.published else "~"


def _in_period(ctx: _Context, day: date) -> bool:
    return (ctx.start is None or day >= ctx.start) and (ctx.end is None or day <= ctx.end)


def _developments(ctx: _Context) -> list[Item]:
    """Dated bullets, oldest first: each happening of the period that more than one outlet
    reported, in its best self-contained sentence that names the day itself (a date guessed
    from publication is not enough). A sentence chosen for one happening covers every happening
    it reports, and a happening whose best sentence repeats a listed one is covered by it."""
    seen = NearDuplicates()
    dated = [
        h
        for h in ctx.happenings
        if h.day and _in_period(ctx, h.day) and len(h.outlets) >= TIMELINE_OUTLETS
    ]
    reporting: dict[tuple[str, int], set[int]] = {}
    for rank, happening in enumerate(dated):
        for ref in happening.refs:
            reporting.setdefault(ref.sentence_key, set()).add(rank)
    covered: set[int] = set()
    chosen: list[tuple[int, Happening, EventRef]] = []
    for rank, happening in enumerate(dated):
        if rank in covered or len(chosen) == TIMELINE_BULLETS:
            continue
        usable = (
            r for r in ranked_sentences(happening.refs) if r.dated_in_text and reads_alone(r.text)
        )
        best = next(usable, None)
        if best and seen.keep(best.text):  # else nothing to say, or said already
            chosen.append((rank, happening, best))
            covered |= reporting[best.sentence_key]
    # By day, most salient first.
    chosen.sort(key=lambda item: (item[1].day, item[0]))
    return [
        Bullet(
            [ctx.citations.verbatim(*ref.sentence_key)],
            date=happening.day,
            precision=ref.event.date_precision or "day",
        )
        for _, happening, ref in chosen
    ]


def _pick_dated(
    found: list[DatedSentence], limit: int, seen: NearDuplicates
) -> list[DatedSentence]:
    """The points most articles repeat, then those reporting an event; shown in date order."""
    ranked = sorted(found, key=lambda s: (-s.support, not s.has_event, s.refers_to))
    chosen = [s for s in ranked if seen.keep(s.text)][:limit]
    return sorted(chosen, key=lambda s: s.refers_to)


def _background(ctx: _Context, seen: NearDuplicates) -> list[Item]:
    """Earlier events and context, in date order."""
    found = sentences_referring(ctx.corpus, ctx.start, ctx.end)
    chosen = _pick_dated(found, BACKGROUND_SENTENCES, seen)
    return [Bullet([ctx.citations.verbatim(s.article.id, s.index)]) for s in chosen]


def _statements(ctx: _Context) -> list[Item]:
    return [
        QuoteItem(
            speaker=s.quote.speaker or "",
            role=s.quote.role,
            # The comma belongs to '"...," he said'; a dateline is no part of what was said.
            text=strip_dateline(s.quote.text.strip()).rstrip(","),
            direct=s.quote.direct,
            citation=ctx.citations.cite(s.article.id, s.quote.sentence_index),
        )
        for s in notable_statements(ctx.corpus)
    ]


def _coverage(theme: Theme, total: int) -> str:
    """'(12 of 42 articles, 5 outlets)': our tally of the reports, not a figure from them."""
    outlets = len(theme.outlets)
    return f"({len(theme.article_ids)} of {total} articles, {outlets} outlet{'s' * (outlets != 1)})"


def _best_cited(ctx: _Context, refs: list[EventRef], limit: int) -> list[int]:
    """Citations for a claim about many reports: distinct sentences, already cited ones first."""
    ranked = ranked_sentences(refs)
    ranked.sort(key=lambda r: not ctx.citations.is_cited(r.sentence_key))
    distinct = NearDuplicates()
    chosen: list[EventRef] = []
    for ref in ranked:
        if len(chosen) == limit:
            break
        if distinct.keep(ref.text):
            chosen.append(ref)
    return ctx.citations.cite_all(r.sentence_key for r in chosen)


def _conclusion(ctx: _Context, seen: NearDuplicates) -> list[Item]:
    """What reporting was mostly about, figures that changed, and what lies ahead."""
    statements: list[Statement] = []
    found = ctx.themes
    total = len(ctx.corpus.articles)
    if found:
        lead = found[0]
        statements.append(
            Statement(
                f"The most widely reported subject in the period was "
                f"{ctx.phrase(lead.categories)} {_coverage(lead, total)}.",
                _best_cited(ctx, lead.refs, 2),
                composed=True,
            )
        )
    others = [t for t in found[1 : OTHER_THEMES + 1] if len(t.article_ids) > 1]
    if others:
        parts = [f"{ctx.phrase(t.categories)} {_coverage(t, total)}" for t in others]
        statements.append(
            Statement(
                f"Other reporting covered {join_words(parts)}.",
                sorted({n for t in others for n in _best_cited(ctx, t.refs, 1)}),
                composed=True,
            )
        )
    for series in rising_counts(ctx.corpus):
        first, last = series.first, series.last
        statements.append(
            Statement(
                f"The reported {series.measure} in {series.place} rose from "
                f"{first.value_text} to {last.value_text}.",
                ctx.citations.cite_all([first.sentence_key, last.sentence_key]),
                composed=True,
            )
        )
    ahead = sentences_referring(ctx.corpus, ctx.start, ctx.end, ahead=True)
    for s in _pick_dated(ahead, OUTLOOK_SENTENCES, seen):
        statements.append(ctx.citations.verbatim(s.article.id, s.index))
    return [Paragraph(statements)] if statements else []


def _preparedness(ctx: _Context, catalog_path: str | Path | None) -> list[Item]:
    """Catalog entries whose threats the reporting shows, the most widely reported first; each
    shown with a sentence that reports the threat."""
    catalog = load_preparedness(catalog_path, known_keys=ctx.taxonomy)
    reach = category_reach(ctx.themes)
    shown: list[tuple[PreparednessEntry, list[str], list[EventRef]]] = []
    for entry in catalog:
        present = [k for k in entry.keys if k in reach]
        if present:
            present.sort(key=lambda k: -len({r.article.id for r in reach[k]}))
            shown.append((entry, present, [r for k in present for r in reach[k]]))
    shown.sort(key=lambda epr: -len({r.article.id for r in epr[2]}))
    items: list[Item] = []
    for entry, present, refs in shown:
        ranked = ranked_sentences(refs)
        # Short and self-contained; one the briefing already cites is the clearest.
        readable = [r for r in ranked if reads_alone(r.text) and _short(r.text)] or ranked
        readable.sort(key=lambda r: not ctx.citations.is_cited(r.sentence_key))
        evidence = readable[0]
        items.append(
            PreparednessItem(
                entry.heading,
                ctx.citations.verbatim(*evidence.sentence_key),
                list(entry.actions),
                present,
            )
        )
    return items


def _related(ctx: _Context) -> list[Item]:
    """Articles no section cited, by their lead sentence; copies of cited reporting are left out."""
    used = ctx.citations.used_articles()
    cited = NearDuplicates()
    for c in ctx.citations.cited:
        cited.keep(c.sentence_text)
    items: list[Item] = []
    for article in ctx.corpus.articles:
        sentences = ctx.corpus.facts[article.id].sentences
        lead = sentences[0].index if sentences else None
        if article.id in used or lead is None:
            continue
        if cited.is_duplicate(ctx.corpus.display_text(article.id, lead)):
            continue
        items.append(
            RelatedItem(
                title=article.title,
                source=article.source,
                published=published_day(article),
                citation=ctx.citations.cite(article.id, lead),
            )
        )
        if len(items) == RELATED_ARTICLES:
            break
    return items


def compose_briefing(
    store: Store,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    topic: str | None = None,
    preparedness_path: str | Path | None = None,
    taxonomy_path: str | Path | None = None,
) -> Briefing:
    """The briefing on articles published from ``since`` through ``until``, only those matching
    ``topic`` when given. A date includes its whole day (UTC); a datetime ``until`` is an
    exclusive end, as the CLI passes it."""
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
    found = happenings(corpus)
    ctx = _Context(corpus, taxonomy, found, themes(found), Citations(corpus), start, end)
    top = _top_stories(ctx, SUMMARY_SENTENCES)
    # The summary never repeats the headline, nor the outlook the background; the timeline and
    # the statements may repeat them, being complete lists of their own. Context is about
    # points, not updates: a figure added does not make a repeated point new.
    news, context = NearDuplicates(), NearDuplicates(figures_decide=False)
    items: dict[str, list[Item]] = {
        "headline": _headline(ctx, top, news),
        "summary": _summary(ctx, top, news),
        "background": _background(ctx, context),
        "developments": _developments(ctx),
        "statements": _statements(ctx),
        "conclusion": _conclusion(ctx, context),
        "preparedness": _preparedness(ctx, preparedness_path),
        "related": _related(ctx),
        "sources": [],
    }
    title = "Situation report" + (f": {topic}" if topic else "")
    return Briefing(
        title=f"{title}, {format_period(start, end)}",
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
