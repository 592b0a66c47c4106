"""The sections that rest on the checks: official statements with each speaker's post as of
the day (from the office-holder knowledge base), titles the knowledge base contradicts,
figures that rose (updates) or disagree (contradictions), and single-source claims."""

from __future__ import annotations

from datetime import date

from watchfloor.analyze.corpus import published_day, strip_dateline
from watchfloor.analyze.offices import labels
from watchfloor.analyze.statements import notable_statements
from watchfloor.brief.context import BriefContext
from watchfloor.brief.records import Item, NoteItem, QuoteItem, Statement, TitleCheckItem
from watchfloor.brief.text import capitalised, format_day, join_words
from watchfloor.model import Claim, FigureDispute, FigureReport, TitleFlag

SINGLE_SOURCE_NOTES = 6
# How each kind of title flag reads in a note.
FLAG_WORDING = {
    "title_outdated": "a title the person no longer held",
    "wrong_person": "a title the person did not hold",
    "not_former": "called former while still in office",
    "unknown": "a name the knowledge base does not have for that post",
}
# How a briefing names a figure by its count role.
FIGURE_NAMES = {"killed": "death toll", "injured": "number of injured"}
_APPROX_WORDS = {"at_least": "at least", "at_most": "at most", "about": "about"}
# Hedges as written that stay true when the figure is repeated on its own.
_KEPT_HEDGES = frozenset({"at least", "more than", "over", "about", "around", "nearly", "almost"})


def _kb_citations(ctx: BriefContext, person: str, day) -> tuple[list[str], list[int]]:
    """The posts ``person`` held on ``day`` and a knowledge-base citation for each."""
    terms = ctx.book.positions_held(person, day)
    numbers = [
        ctx.citations.cite_kb(
            t.position.key, t.position.label, f"{t.person}: {t.position.label}, {t.span()}."
        )
        for t in terms
    ]
    return labels(terms), numbers


def _flag_for(ctx: BriefContext, article_id: str, speaker: str) -> TitleFlag | None:
    who = ctx.book.person(speaker)
    for flag in ctx.title_flags:
        if flag.article_id == article_id and (
            ctx.book.person(flag.person) == who if who else flag.person == speaker
        ):
            return flag
    return None


def _flag_citation(ctx: BriefContext, flag: TitleFlag) -> int:
    position = next((p for p in ctx.book.positions.values() if p.label == flag.position), None)
    key = position.key if position else flag.position
    return ctx.citations.cite_kb(key, flag.position, flag.evidence)


def _quote(ctx: BriefContext, statement) -> QuoteItem:
    quote, article = statement.quote, statement.article
    day = published_day(article)
    speaker = quote.speaker or ""
    item = QuoteItem(
        speaker=speaker,
        role=quote.role,
        # The comma belongs to '"...," he said'; a dateline is no part of what was said.
        text=strip_dateline(quote.text.strip()).rstrip(","),
        direct=quote.direct,
        citation=ctx.citations.cite(article.id, quote.sentence_index),
        said_on=day,
    )
    if day is None:
        return item
    flag = _flag_for(ctx, article.id, speaker)
    held, numbers = _kb_citations(ctx, speaker, day)
    if flag:
        item.role_flagged = True
        item.role_check = Statement(flag.evidence, [_flag_citation(ctx, flag)])
    elif held:
        # The day is the report's: its citation holds it, the knowledge base the post.
        item.role_check = Statement(
            f"On {format_day(day)} {speaker} was {join_words(held)}.",
            [item.citation, *numbers],
            composed=True,
        )
    return item


def _title_check(ctx: BriefContext, flag: TitleFlag) -> TitleCheckItem:
    article = ctx.corpus.by_id[flag.article_id]
    sentence = ctx.citations.verbatim(flag.article_id, flag.sentence_index)
    note = Statement(
        f"{article.source} calls {flag.person} \u201c{flag.role_claimed}\u201d on "
        f"{format_day(flag.on)}, {FLAG_WORDING[flag.kind]}.",
        sentence.citations,
        composed=True,
    )
    evidence = Statement(flag.evidence, [_flag_citation(ctx, flag)])
    return TitleCheckItem(flag.kind, flag.person, flag.role_claimed, sentence, note, evidence)


def statement_items(ctx: BriefContext) -> list[Item]:
    """Officials' and analysts' statements, each with the speaker's post that day by the
    knowledge base (flagged when the article's title is wrong); then every other title in the
    period's articles that the knowledge base contradicts."""
    items: list[Item] = [_quote(ctx, s) for s in notable_statements(ctx.corpus)]
    shown = {(q.citation, q.speaker) for q in items if isinstance(q, QuoteItem) and q.role_flagged}
    for flag in ctx.title_flags:
        if flag.sentence_index is None:
            continue
        number = ctx.citations.numbers.get((flag.article_id, flag.sentence_index))
        if (number, flag.person) not in shown:
            items.append(_title_check(ctx, flag))
    return items


# -- figures -------------------------------------------------------------------------------


def figure_value(report: FigureReport) -> str:
    """'at least 14', '134', '10 to 12', '16 June 2025': a reported figure with its hedge."""
    value = report.value
    if isinstance(value, date):
        return format_day(value)
    number = f"{int(value):,}" if value == int(value) else f"{value:,}"
    if report.approx_kind == "range" and report.value_max is not None:
        high = report.value_max
        return f"{number} to {int(high):,}" if high == int(high) else f"{number} to {high:,}"
    written = (report.approx or "").casefold()
    hedge = _APPROX_WORDS.get(report.approx_kind) or (written if written in _KEPT_HEDGES else None)
    return f"{hedge} {number}" if hedge else number


def _figure_name(dispute: FigureDispute) -> str:
    name = FIGURE_NAMES.get(dispute.what, f"number {dispute.what}")
    return f"{name} in {dispute.place}" if dispute.place else name


def figure_updates(ctx: BriefContext) -> list[Statement]:
    """A sentence per figure that rose over later reports: from the first figure, through each
    higher one, to the latest, which is the one to use. Each step cites its first report."""
    statements = []
    for dispute in ctx.disputes:
        if dispute.kind != "count" or dispute.verdict != "update" or dispute.latest is None:
            continue
        steps: list[FigureReport] = []
        for report in dispute.reports:
            if not steps or report.value > steps[-1].value:
                steps.append(report)
        if steps[-1].value != dispute.latest.value:
            steps.append(dispute.latest)
        if len(steps) < 2:
            continue
        values = [figure_value(r) for r in steps]
        path = (
            values[-1] if len(values) == 2 else f"{', '.join(values[1:-1])} and then {values[-1]}"
        )
        cited = ctx.citations.cite_all((r.article_id, r.sentence_index) for r in steps)
        statements.append(
            Statement(
                f"The reported {_figure_name(dispute)} rose from {values[0]} to {path}, "
                f"the latest figure.",
                cited,
                composed=True,
            )
        )
    return statements


def _who(report: FigureReport) -> str:
    day = f", {format_day(report.published.date())}" if report.published else ""
    citing = f", citing {report.attributed_to}" if report.attributed_to else ""
    return f"{figure_value(report)} ({report.outlet}{day}{citing})"


def _contradiction(ctx: BriefContext, dispute: FigureDispute) -> NoteItem:
    """Who reported which figure, the first report of each; precise figures only when two or
    more of them differ (a hedged "more than 130" disputes nothing then)."""
    precise = [r for r in dispute.reports if r.approx_kind == "exact"]
    shown = precise if len({r.value for r in precise}) > 1 else dispute.reports
    by_value: dict[object, FigureReport] = {}
    for report in shown:
        by_value.setdefault(report.value, report)
    parts = [_who(r) for r in by_value.values()]
    what = "date" if dispute.kind == "date" else _figure_name(dispute)
    return NoteItem(
        "contradiction",
        Statement(
            f"Reports disagree on the {what}: {join_words(parts)}.",
            ctx.citations.cite_all((r.article_id, r.sentence_index) for r in by_value.values()),
            composed=True,
        ),
    )


def reliability_items(ctx: BriefContext, claims: list[Claim]) -> list[Item]:
    """Title errors, contradictions, then the single-source claims (of ``claims``, those of
    the period's articles) among what the briefing cites."""
    items: list[Item] = []
    for flag in ctx.title_flags:
        if flag.sentence_index is None:
            continue
        article = ctx.corpus.by_id[flag.article_id]
        holders = f"; the post was held by {join_words(flag.held_by)}" if flag.held_by else ""
        items.append(
            NoteItem(
                "title",
                Statement(
                    f"{article.source} calls {flag.person} "
                    f"\u201c{flag.role_claimed}\u201d on {format_day(flag.on)}, "
                    f"{FLAG_WORDING[flag.kind]}{holders}.",
                    [
                        ctx.citations.cite(flag.article_id, flag.sentence_index),
                        _flag_citation(ctx, flag),
                    ],
                    composed=True,
                ),
            )
        )
    items += [_contradiction(ctx, d) for d in ctx.disputes if d.verdict == "contradiction"]
    cited = {(c.article_id, c.sentence_index) for c in ctx.citations.cited}
    notes = 0
    noted: set[tuple[str, int]] = set()
    for claim in claims:
        if not claim.single_source or notes == SINGLE_SOURCE_NOTES:
            continue
        support = next(
            (s for s in claim.supports if (s.article_id, s.sentence_index) in cited), None
        )
        # An event and a statement read from one sentence are one note.
        if support is None or (support.article_id, support.sentence_index) in noted:
            continue
        noted.add((support.article_id, support.sentence_index))
        text = ctx.citations.display_text(support.article_id, support.sentence_index)
        items.append(
            NoteItem(
                "single_source",
                Statement(
                    f"Reported by {support.outlet} alone: {capitalised(text)}",
                    [ctx.citations.cite(support.article_id, support.sentence_index)],
                    composed=True,
                ),
            )
        )
        notes += 1
    return items
