"""Analysis & Conclusion and Preparedness: what the indicators show (what rose, what fell, by
how much, against which baseline), what reporting was mostly about, and which advice the
threats present call for, ranked by how much they were reported and their trend."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from watchfloor.analyze.corpus import Corpus, day_after, day_start
from watchfloor.analyze.developments import EventRef, Theme, category_reach, ranked_sentences
from watchfloor.analyze.indicators import (
    INDICATOR_FACTS,
    WINDOW_DAYS,
    Indicator,
    compute_indicators,
    coverage_start,
    facts_from,
    stored_figures,
)
from watchfloor.analyze.sentences import reads_alone
from watchfloor.analyze.similarity import NearDuplicates
from watchfloor.analyze.theatres import theatre_name
from watchfloor.brief.context import BriefContext, is_short
from watchfloor.brief.preparedness import load_preparedness
from watchfloor.brief.records import (
    Item,
    Paragraph,
    PreparednessItem,
    Statement,
    TrendItem,
)
from watchfloor.brief.text import format_day, join_words
from watchfloor.store.base import Store

TREND_THEATRES = 3  # theatres whose indicators the analysis follows: the highest peaks
TREND_MEASURES = 2  # measures followed per theatre: those that drove its peak most
CITED_REPORTS = 3  # reports cited for a figure of our series
OTHER_THEMES = 3
OUTLOOK_SENTENCES = 2
# How the analysis names a measure of analyze/indicators.py (tone is GDELT's, not followed).
MEASURE_NAMES = {
    "events": "reported events",
    "strikes": "reported strikes",
    "casualties": "reported casualties",
    "killed": "reported deaths",
    "injured": "reported injured",
    "nuclear": "nuclear-related reports",
}
TREND_DAYS = 3  # preparedness: the period's last days against the same number before them
TREND_WEIGHTS = {"rising": 1.25, "steady": 1.0, "falling": 0.75}


@dataclass(slots=True)
class Indicators:
    series: list[Indicator]  # the period's theatre-days
    coverage_start: date | None  # the first day of coverage the baselines count from


def load_indicators(
    store: Store, corpus: Corpus, start: date | None, end: date | None, topic: str | None
) -> Indicators:
    """The period's daily indicators, each day against the trailing window before it: the
    period's facts (those of ``corpus``, the briefing's, read again only where it lacks an
    article) and the stored figures of the days before. A topic's baselines count only the
    articles matching it: their month of facts is read."""
    if start is None or end is None or topic:
        load_from = start - timedelta(days=WINDOW_DAYS) if start else None
        window = Corpus.load(store, since=load_from, until=end, topic=topic, only=INDICATOR_FACTS)
        return Indicators(compute_indicators(window, None, start, end), coverage_start(window))
    read_from = facts_from(store, start)
    articles = store.articles(since=day_start(read_from), until=day_after(end))
    facts = {a.id: corpus.facts[a.id] for a in articles if a.id in corpus.facts}
    facts |= store.facts_many((a.id for a in articles if a.id not in facts), INDICATOR_FACTS)
    period = Corpus(articles, facts, {a.id: a for a in articles})
    earlier = stored_figures(
        store, start - timedelta(days=WINDOW_DAYS), read_from - timedelta(days=1)
    )
    return Indicators(
        compute_indicators(period, None, start, end, earlier), coverage_start(period, earlier)
    )


def _number(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,.1f}"


def _period_days(ctx: BriefContext, found: list[Indicator]) -> list[date]:
    first = ctx.start or min(i.day for i in found)
    last = ctx.end or max(i.day for i in found)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _trend(
    ctx: BriefContext,
    measure: str,
    theatre: list[Indicator],
    days: list[date],
    coverage_start: date | None,
) -> TrendItem | None:
    by_day = {i.day: i for i in theatre}
    values = [by_day[d].measures[measure].value or 0.0 if d in by_day else 0.0 for d in days]
    peak_value = max(values)
    if peak_value <= 0:
        return None
    peak_day = days[values.index(peak_value)]
    peak = by_day[peak_day].measures[measure]
    name = theatre_name(theatre[0].theatre)
    what = MEASURE_NAMES[measure]
    cited = [(e.article_id, e.sentence_index) for e in peak.evidence[:CITED_REPORTS]]
    derived = [name, _number(peak_value), format_day(peak_day)]
    text = f"In {name}, {what} rose to {_number(peak_value)} on {format_day(peak_day)}"
    if peak.baseline is not None:
        window_start = peak_day - timedelta(days=WINDOW_DAYS)
        if coverage_start and coverage_start > window_start:
            window_start = coverage_start
        window = (peak_day - window_start).days
        text += (
            f", against a median of {_number(peak.baseline)} a day over the {window} days before"
        )
        derived += [_number(peak.baseline), f"{window} days"]
    else:
        text += ", with too few days of coverage before it for a baseline"
    last_day, last_value = days[-1], values[-1]
    if last_day > peak_day and last_value < peak_value:
        text += f", then fell to {_number(last_value)} by {format_day(last_day)}"
        derived += [_number(last_value), format_day(last_day)]
        if last_day in by_day:
            latest = by_day[last_day].measures[measure].evidence[:1]
            cited += [(e.article_id, e.sentence_index) for e in latest]
    statement = Statement(
        text + ".",
        ctx.citations.cite_all(k for k in cited if k[1] is not None),
        composed=True,
        derived=derived,
    )
    return TrendItem(
        theatre=theatre[0].theatre,
        theatre_name=name,
        measure=measure,
        days=days,
        values=values,
        baseline=peak.baseline,
        statement=statement,
    )


def _trends(ctx: BriefContext, indicators: Indicators) -> list[Item]:
    """For the theatres whose escalation index peaked highest, the measures that drove the
    peak: how high they rose, against which baseline, and where they stood at the end."""
    found = [i for i in indicators.series if ctx.in_period(i.day)]
    if not found:
        return []
    by_theatre: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in found:
        by_theatre[indicator.theatre].append(indicator)
    peaks = {
        t: max(series, key=lambda i: (i.escalation, i.day)) for t, series in by_theatre.items()
    }
    ranked = sorted(
        (t for t in peaks if peaks[t].escalation > 0), key=lambda t: (-peaks[t].escalation, t)
    )
    days = _period_days(ctx, found)
    items: list[Item] = []
    for theatre in ranked[:TREND_THEATRES]:
        measures = [d.measure for d in peaks[theatre].drivers if d.measure in MEASURE_NAMES]
        for measure in measures[:TREND_MEASURES]:
            item = _trend(ctx, measure, by_theatre[theatre], days, indicators.coverage_start)
            if item:
                items.append(item)
    return items


def _coverage(theme: Theme, total: int) -> str:
    """'(12 of 42 articles, 5 outlets)': our tally of the reports, not a figure from them."""
    outlets = len(theme.outlets)
    return f"({len(theme.article_ids)} of {total} articles, {outlets} outlet{'s' * (outlets != 1)})"


def _best_cited(ctx: BriefContext, refs: list[EventRef], limit: int) -> list[int]:
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


def _conclusion(ctx: BriefContext, seen: NearDuplicates) -> list[Statement]:
    """What reporting was mostly about, then what lies ahead."""
    statements: list[Statement] = []
    total = len(ctx.corpus.articles)
    if ctx.themes:
        lead = ctx.themes[0]
        tally = _coverage(lead, total)
        statements.append(
            Statement(
                f"The most widely reported subject in the period was "
                f"{ctx.phrase(lead.categories)} {tally}.",
                _best_cited(ctx, lead.refs, 2),
                composed=True,
                derived=[tally],
            )
        )
    others = [t for t in ctx.themes[1 : OTHER_THEMES + 1] if len(t.article_ids) > 1]
    if others:
        tallies = [_coverage(t, total) for t in others]
        parts = [f"{ctx.phrase(t.categories)} {c}" for t, c in zip(others, tallies, strict=True)]
        statements.append(
            Statement(
                f"Other reporting covered {join_words(parts)}.",
                sorted({n for t in others for n in _best_cited(ctx, t.refs, 1)}),
                composed=True,
                derived=tallies,
            )
        )
    ahead = ctx.dated_sentences(ahead=True)
    for s in ctx.pick_dated(ahead, OUTLOOK_SENTENCES, seen):
        statements.append(ctx.citations.verbatim(s.article.id, s.index))
    return statements


def analysis_items(ctx: BriefContext, indicators: Indicators, seen: NearDuplicates) -> list[Item]:
    """The indicators' trends, each with its sparkline, then the conclusion."""
    items = _trends(ctx, indicators)
    conclusion = _conclusion(ctx, seen)
    if conclusion:
        items.append(Paragraph(conclusion))
    return items


# -- preparedness ---------------------------------------------------------------------------


def _trend_word(refs: list[EventRef], ctx: BriefContext) -> str:
    """'rising' when the period's last TREND_DAYS days hold more reports than the days before
    them, 'falling' when fewer, else 'steady' (undated reports count for neither)."""
    if ctx.end is None:
        return "steady"
    recent_from = ctx.end - timedelta(days=TREND_DAYS - 1)
    before_from = recent_from - timedelta(days=TREND_DAYS)
    recent = {r.sentence_key for r in refs if r.event.date and r.event.date >= recent_from}
    before = {
        r.sentence_key for r in refs if r.event.date and before_from <= r.event.date < recent_from
    }
    if len(recent) > len(before):
        return "rising"
    return "falling" if len(recent) < len(before) else "steady"


def preparedness_items(ctx: BriefContext, catalog_path: str | Path | None) -> list[Item]:
    """Catalog entries whose threats the reporting shows, ranked by the articles reporting
    them in the period weighted by their trend; each shown with a sentence reporting the
    threat."""
    catalog = load_preparedness(catalog_path, known_keys=ctx.taxonomy)
    reach = category_reach(ctx.themes)
    every = defaultdict(list)
    for happening in ctx.happenings:
        for ref in happening.refs:
            every[ref.event.category].append(ref)
    ranked: list[tuple[float, PreparednessItem]] = []
    for entry in catalog:
        present = [k for k in entry.keys if k in reach]
        if not present:
            continue
        present.sort(key=lambda k: -len({r.article.id for r in reach[k]}))
        refs = [r for k in present for r in every[k]]
        reports = len({r.article.id for r in refs})
        trend = _trend_word(refs, ctx)
        shown = [r for k in present for r in reach[k]]
        candidates = ranked_sentences(shown)
        # Short and self-contained; one the briefing already cites is the clearest.
        readable = [
            r
            for r in candidates
            if reads_alone(r.text) and is_short(r.text) and r.sentence_key not in ctx.superseded
        ] or candidates
        readable.sort(key=lambda r: not ctx.citations.is_cited(r.sentence_key))
        item = PreparednessItem(
            heading=entry.heading,
            evidence=ctx.citations.verbatim(*readable[0].sentence_key),
            actions=list(entry.actions),
            categories=present,
            reports=reports,
            trend=trend,
        )
        ranked.append((reports * TREND_WEIGHTS[trend], item))
    ranked.sort(key=lambda pair: -pair[0])
    return [item for _, item in ranked]
