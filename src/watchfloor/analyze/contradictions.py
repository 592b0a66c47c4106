"""Figures reported differently, with who said what when: updates (a toll rising over later
reports: use the latest) versus contradictions (different figures for one thing at about the
same time), and the dates of one happening reported differently.

Counts follow the rules of ``counts.count_groups``. Dates: the articles reporting one figure
claim (see corroboration.py) that name the day it happened; days a day apart agree (outlets
write in different time zones). Strikes and casualties are left out: their sentences date the
night, the morning after or the day the toll was updated, so a day named there is no claim
about when the attack was.
"""

from __future__ import annotations

from datetime import date, datetime

from watchfloor.analyze.corpus import Corpus, published_day
from watchfloor.analyze.corroboration import claims_in, load_corpus
from watchfloor.analyze.counts import (
    MEASURES,
    CountGroup,
    CountReport,
    attribution,
    count_groups,
)
from watchfloor.analyze.theatres import is_kinetic
from watchfloor.model import Claim, FigureDispute, FigureReport
from watchfloor.store.base import Store

# Dates of one happening this many days apart or more contradict each other.
DATES_APART = 2
_DAY_PRECISIONS = frozenset({"day", "time"})


def figure_disputes(
    store: Store,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    article_ids: list[str] | None = None,
    query: str | None = None,
) -> list[FigureDispute]:
    """Per quantity of one happening (what, place, day) reported by two or more articles,
    the reports oldest first and the verdict: "update", "contradiction" or "agreement";
    also the dates of one happening reported days apart (kind "date", verdict
    "contradiction"). Contradictions first,
    then updates, then agreements."""
    corpus = load_corpus(store, since, until, article_ids, query)
    return disputes_in(corpus, claims_in(corpus))


def disputes_in(corpus: Corpus, claims: list[Claim]) -> list[FigureDispute]:
    """The disputes of a corpus, given its claims (see ``figure_disputes``)."""
    found = [_count_dispute(g) for g in count_groups(corpus)]
    found += [d for c in claims if c.kind == "figure" if (d := _date_dispute(corpus, c))]
    rank = {"contradiction": 0, "update": 1, "agreement": 2}
    return sorted(found, key=lambda d: (rank[d.verdict], d.day or date.max, d.key))


def _count_report(r: CountReport) -> FigureReport:
    c = r.count
    return FigureReport(
        value=c.value,
        text=r.value_text,
        approx=c.approx,
        approx_kind=c.approx_kind,
        what=c.role,
        article_id=r.article.id,
        sentence_index=c.sentence_index,
        outlet=r.article.source,
        url=r.article.url,
        published=r.article.published,
        attributed_to=r.attributed_to,
        value_max=c.value_max,
    )


def _count_dispute(group: CountGroup) -> FigureDispute:
    reports = {id(r): _count_report(r) for r in group.reports}
    day = group.day.isoformat() if group.day else "-"
    return FigureDispute(
        key=f"{group.what}|{group.place_key}|{day}",
        kind="count",
        what=group.what,
        place=group.place,
        day=group.day,
        verdict=group.verdict,
        reports=list(reports.values()),
        latest=reports[id(group.latest)],
        conflicting=[reports[id(r)] for r in group.conflicting],
    )


def _date_dispute(corpus: Corpus, claim: Claim) -> FigureDispute | None:
    """How the articles reporting one figure claim date it: each original report's day of
    the event its sentence reports, where the sentence names that day (not after publication,
    not in a dateline)."""
    if claim.category and is_kinetic(claim.category):
        return None
    reports = []
    for support in claim.supports:
        if support.copy_of:
            continue
        article = corpus.by_id[support.article_id]
        facts = corpus.facts[article.id]
        if any(
            c.sentence_index == support.sentence_index and c.role in MEASURES for c in facts.counts
        ):
            return None  # a toll: its sentences date its updates
        sentence = next(s for s in facts.sentences if s.index == support.sentence_index)
        dateline = len(sentence.text) - len(corpus.display_text(article.id, sentence.index))
        published = published_day(article)
        # The day extraction dates the sentence's event to, where the sentence names it.
        event_days = {
            e.date
            for e in facts.events
            if e.sentence_index == sentence.index and e.date_precision in _DAY_PRECISIONS
        }
        named = [
            t
            for t in facts.times
            if t.sentence_index == sentence.index
            and t.date in event_days
            and t.precision in _DAY_PRECISIONS
            and t.start >= sentence.start + dateline
            and (published is None or t.date <= published)
        ]
        if not named:
            continue
        first = min(named, key=lambda t: t.start)
        reports.append(
            FigureReport(
                value=first.date,
                text=first.text,
                approx=None,
                approx_kind="exact",
                what="date",
                article_id=article.id,
                sentence_index=sentence.index,
                outlet=article.source,
                url=article.url,
                published=article.published,
                attributed_to=attribution(facts.quotes, sentence.index),
            )
        )
    conflicting = [
        r
        for r in reports
        if any(abs((r.value - o.value).days) >= DATES_APART for o in reports if o is not r)
    ]
    if not conflicting:  # dates that agree are no dispute
        return None
    return FigureDispute(
        key=f"date|{claim.key.removeprefix('figure:')}",
        kind="date",
        what="date",
        place=claim.theatre,
        day=claim.day,
        verdict="contradiction",
        reports=reports,
        latest=reports[-1],
        conflicting=conflicting,
    )
