"""`watchfloor check`: an article or report, from a file or a URL, run through extraction and
the checks, with nothing stored.

Files are read by the ingest readers (any format ``watchfloor ingest`` takes); a URL is fetched
with the network rules of ``watchfloor fetch`` (robots.txt, size and time limits, and the guard
against private addresses unless allowed), as a page or, when it is a feed, as its entries.
Each article's titles are checked against the office-holder knowledge base as of its date;
figures the articles report in ways that cannot both be true (a count of one happening, the
date of one event) are listed too, by the rules of ``analyze/contradictions.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rich.markup import escape

from watchfloor.analyze.claim_views import dispute_summary
from watchfloor.analyze.contradictions import disputes_in
from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.corroboration import claims_in
from watchfloor.analyze.offices import OfficeBook, load_offices
from watchfloor.analyze.titlecheck import article_day, check_titles
from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.model import Article, ArticleFacts, FigureDispute, Reject, TitleFlag
from watchfloor.pipeline import extract_batch, extract_paths


@dataclass(slots=True)
class CheckedArticle:
    article: Article
    on: date  # the day its titles were checked as of
    titles: int  # title mentions read
    flags: list[TitleFlag] = field(default_factory=list)


@dataclass(slots=True)
class CheckReport:
    articles: list[CheckedArticle]
    contradictions: list[FigureDispute]  # figures of the input that cannot all be true

    @property
    def flagged(self) -> bool:
        return bool(self.contradictions) or any(c.flags for c in self.articles)


def is_url(target: str) -> bool:
    return urlsplit(target).scheme.lower() in ("http", "https")


def check_target(
    target: str,
    settings: Settings,
    on_rejects: Callable[[list[Reject]], None],
    on: date | None = None,
) -> CheckReport:
    """Every article of ``target`` (a file, folder or http(s) URL) with its title flags, as of
    ``on`` when given, else each article's own date; and the figures its articles contradict
    each other on."""
    book = load_offices(settings.offices or None)
    if is_url(target):
        extracted = _extract_fetched(_fetch(target, settings, on_rejects), settings, on_rejects)
    else:
        path = Path(target)
        if not path.exists():
            raise WatchfloorError(f"no such file or folder: {target}")
        extracted = list(extract_paths([path], settings, on_rejects))
    return CheckReport(
        [check_article(article, facts, book, on) for article, facts in extracted],
        figure_contradictions(extracted),
    )


def check_article(
    article: Article, facts: ArticleFacts, book: OfficeBook, on: date | None = None
) -> CheckedArticle:
    flags = check_titles(article, facts, book, on=on)
    return CheckedArticle(article, on or article_day(article), len(facts.titles), flags)


def figure_contradictions(extracted: list[tuple[Article, ArticleFacts]]) -> list[FigureDispute]:
    """Figures the articles report in ways that cannot both be true; a figure that rises over
    later reports is an update, not listed. One article counts once per figure, so this needs
    two or more articles."""
    articles = sorted(
        (a for a, _ in extracted), key=lambda a: (a.published or a.fetched_at).timestamp()
    )
    corpus = Corpus(
        articles=articles,
        facts={a.id: facts for a, facts in extracted},
        by_id={a.id: a for a in articles},
    )
    return [d for d in disputes_in(corpus, claims_in(corpus)) if d.verdict == "contradiction"]


def _fetch(url: str, settings: Settings, on_rejects: Callable[[list[Reject]], None]):
    """The articles at ``url``: the page's, or each entry's of a feed (with its own text)."""
    from watchfloor.ingest.fetch import Fetcher, FetchError, FetchOptions
    from watchfloor.ingest.readers import ReadOptions
    from watchfloor.ingest.readers import feed as feed_reader
    from watchfloor.ingest.readers.fields import FieldError, build_article
    from watchfloor.ingest.readers.html import extract_page
    from watchfloor.ingest.sources import detect_kind

    with Fetcher(FetchOptions.from_settings(settings)) as fetcher:
        try:
            result = fetcher.get(url, "any")
        except FetchError as exc:
            raise WatchfloorError(f"cannot check {url}: {exc.reason}") from exc
    kind, _ = detect_kind(result)
    if kind == "feed":
        items = list(feed_reader.read(Path(urlsplit(url).path), result.body, ReadOptions()))
        on_rejects([i for i in items if isinstance(i, Reject)])
        return [i for i in items if isinstance(i, Article)]
    page = extract_page(result.text(), result.url)
    try:
        if page is None:
            raise FieldError("no article text found in HTML")
        return [build_article({**page, "url": result.url, "language": None}, Path())]
    except FieldError as exc:
        on_rejects([Reject(url, str(exc), result.raw_hash)])
        return []


def _extract_fetched(
    articles: list[Article], settings: Settings, on_rejects: Callable[[list[Reject]], None]
) -> list[tuple[Article, ArticleFacts]]:
    english = [a for a in articles if a.language == "en"]
    if not english:
        return [(a, ArticleFacts(article_id=a.id)) for a in articles]
    from watchfloor.extract import load_pipeline  # spaCy loads only when there is text

    facts, rejects = extract_batch(load_pipeline(settings), english, settings)
    if rejects:
        on_rejects(rejects)
    failed = {r.source for r in rejects}
    return [
        (a, facts.get(a.id) or ArticleFacts(article_id=a.id))
        for a in articles
        if a.url not in failed
    ]


def flag_json(flag: TitleFlag, article: Article) -> dict[str, Any]:
    """One flag as `watchfloor check --json` prints it (see README, "Checking a report")."""
    return {
        "kind": flag.kind,
        "article": {"id": article.id, "url": article.url, "title": article.title},
        "on": flag.on.isoformat(),
        "text": flag.text,
        "start": flag.start,
        "end": flag.end,
        "sentence": flag.sentence_index,
        "person": flag.person,
        "role_claimed": flag.role_claimed,
        "position": flag.position,
        "held_by": flag.held_by,
        "person_held": flag.person_held,
        "person_previously": flag.person_previously,
        "evidence": flag.evidence,
    }


def contradiction_json(dispute: FigureDispute) -> dict[str, Any]:
    """A figure contradiction as `watchfloor check --json` prints it."""
    conflicting = {id(r) for r in dispute.conflicting}
    return {
        "kind": "figure_contradiction",
        "what": dispute.what,
        "place": dispute.place,
        "day": dispute.day.isoformat() if dispute.day else None,
        "reports": [
            {
                "article_id": r.article_id,
                "url": r.url,
                "outlet": r.outlet,
                "published": r.published.isoformat() if r.published else None,
                "sentence": r.sentence_index,
                "text": r.text,
                "attributed_to": r.attributed_to,
                "conflicting": id(r) in conflicting,
            }
            for r in dispute.reports
        ],
        "evidence": dispute_summary(dispute),
    }


def checks_json(report: CheckReport) -> list[dict[str, Any]]:
    """Title flags in input order, then figure contradictions."""
    flags = [flag_json(f, c.article) for c in report.articles for f in c.flags]
    return flags + [contradiction_json(d) for d in report.contradictions]


def report_lines(report: CheckReport, book: OfficeBook) -> list[str]:
    """The readable report (Rich markup): each flagged article, its flags with their evidence,
    figure contradictions with each report, and a summary line."""
    checked = report.articles
    lines: list[str] = []
    for item in checked:
        if not item.flags:
            continue
        a = item.article
        lines.append(f"[bold]{escape(a.title)}[/bold] ({escape(a.source)}, {item.on}) {a.url}")
        for flag in item.flags:
            where = f"sentence {flag.sentence_index}, " if flag.sentence_index is not None else ""
            lines.append(
                f"  [red]{flag.kind}[/red] {escape(repr(flag.text))} "
                f"({where}characters {flag.start}-{flag.end})"
            )
            lines.append(f"    {escape(flag.evidence)}")
    for dispute in report.contradictions:
        lines.append(f"[red]{escape(dispute_summary(dispute))}[/red]")
        for r in dispute.reports:
            citing = f", citing {r.attributed_to}" if r.attributed_to else ""
            lines.append(
                f"    {escape(r.outlet)}, sentence {r.sentence_index}: "
                f"{escape(r.text)}{escape(citing)} {r.url}"
            )
    flags = sum(len(c.flags) for c in checked)
    titles = sum(c.titles for c in checked)
    lines.append(
        f"{flags} title flag(s) in {len(checked)} article(s); {titles} title mention(s) checked "
        f"against the office-holder knowledge base; {len(report.contradictions)} figure "
        "contradiction(s)"
    )
    late = sorted({c.on for c in checked if c.on > book.current_as_of})
    if late:
        lines.append(
            f"note: the knowledge base is current as of {book.current_as_of}; changes after it "
            f"are unknown to it, and {late[-1]} is later"
        )
    return lines
