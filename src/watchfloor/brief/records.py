"""The briefing as data: what compose produces and every renderer reads.

A briefing is a list of sections; each section holds items made of statements, and every
statement names the citation numbers it rests on. Renderers only lay these out: all wording is
decided here, in compose, so every output format says exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from watchfloor.model import Citation

# Section keys and headings, in the order a briefing shows them.
SECTION_HEADINGS: dict[str, str] = {
    "headline": "Headline",
    "summary": "Summary",
    "background": "Background & Context",
    "developments": "Key Developments & Timeline",
    "statements": "Official Statements & Analysis",
    "analysis": "Analysis & Conclusion",
    "preparedness": "Preparedness",
    "related": "Related Stories",
    "reliability": "Reliability Notes",
    "sources": "Sources",
}
SECTION_ORDER: tuple[str, ...] = tuple(SECTION_HEADINGS)


@dataclass(slots=True)
class Statement:
    """One sentence of the briefing.

    ``composed`` is False for an article sentence quoted verbatim and True for a sentence we
    wrote from extracted facts; either way ``citations`` name the sentences that hold its facts.
    ``derived`` lists the parts of a composed sentence that are our own computations (tallies
    of reports, baselines, the days of our series) rather than facts of the cited sentences:
    the citations then name the reports that were counted.
    """

    text: str
    citations: list[int]
    composed: bool = False
    derived: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Paragraph:
    statements: list[Statement]
    kind: str = "paragraph"


@dataclass(slots=True)
class Bullet:
    """A list entry; timeline bullets carry the date of the development they report and how
    many articles and outlets named that date."""

    statements: list[Statement]
    date: date | None = None
    precision: str | None = None  # one of model.PRECISIONS when ``date`` is set
    articles: int | None = None
    outlets: int | None = None
    kind: str = "bullet"


@dataclass(slots=True)
class QuoteItem:
    """A statement by a named speaker, as the article reports it, with what the office
    knowledge base says the speaker held on the day it was reported."""

    speaker: str
    role: str | None  # as the article writes it
    text: str  # the quoted words (direct) or the reported content (indirect)
    direct: bool
    citation: int
    said_on: date | None = None  # the article's publication day
    # What the knowledge base says the speaker held that day (composed, citing its entries),
    # or, when the role as written is wrong that day, its facts behind the flag; None when it
    # does not know the speaker.
    role_check: Statement | None = None
    role_flagged: bool = False  # the role as written is wrong on that day
    kind: str = "quote"


@dataclass(slots=True)
class TitleCheckItem:
    """A "title + person" mention the office knowledge base contradicts on the article's date:
    the sentence as written, and what the knowledge base says."""

    flag: str  # one of model.TITLE_FLAG_KINDS
    person: str
    role_claimed: str
    sentence: Statement  # the article sentence, verbatim
    note: Statement  # composed: who calls whom what, and what is wrong with it
    evidence: Statement  # the knowledge base's facts with their dates, citing its entry
    kind: str = "title_check"


@dataclass(slots=True)
class TrendItem:
    """One daily indicator of one theatre over the period, and what it did."""

    theatre: str  # ISO 3166 alpha-2
    theatre_name: str
    measure: str  # a name of analyze.indicators.MEASURES
    days: list[date]  # every day of the period, in order
    values: list[float]  # the measure on each of ``days`` (0 without reports)
    baseline: float | None  # the median of the trailing window before the peak
    statement: Statement  # composed: what rose, what fell, by how much, against what
    kind: str = "trend"


@dataclass(slots=True)
class PreparednessItem:
    """Advice from our catalog, shown because the cited sentences show its threat is present;
    ranked by how much it was reported and how that moved."""

    heading: str
    evidence: Statement  # an article sentence reporting the threat, verbatim
    actions: list[str]  # our catalog's advice, not an article's
    categories: list[str]
    reports: int  # articles reporting its categories in the period (our tally)
    trend: str  # "rising", "steady" or "falling": the last days against the days before
    kind: str = "preparedness"


@dataclass(slots=True)
class StoryItem:
    """A story (all coverage of one happening) the briefing did not lead with, cited by a
    sentence of its central article."""

    story_id: str
    title: str
    start: date | None
    end: date | None
    articles: int
    sources: int  # independent outlets: wire copies count once
    citation: int
    kind: str = "story"


@dataclass(slots=True)
class NoteItem:
    """A reliability note: a single-source claim, a contradiction or a title error."""

    topic: str  # "single_source", "contradiction" or "title"
    statement: Statement
    kind: str = "note"


Item = (
    Paragraph
    | Bullet
    | QuoteItem
    | TitleCheckItem
    | TrendItem
    | PreparednessItem
    | StoryItem
    | NoteItem
)


@dataclass(slots=True)
class Section:
    key: str
    heading: str
    items: list[Item] = field(default_factory=list)


@dataclass(slots=True)
class Briefing:
    title: str
    headline: str  # the headline's text, for listings and feeds
    period_start: date | None
    period_end: date | None  # last day covered (inclusive)
    generated_at: datetime
    topic: str | None
    sections: list[Section]
    citations: list[Citation]

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)


def item_statements(item: Item) -> list[Statement]:
    """The statements an item makes, in reading order."""
    if isinstance(item, Paragraph | Bullet):
        return list(item.statements)
    if isinstance(item, QuoteItem):
        return [item.role_check] if item.role_check else []
    if isinstance(item, TitleCheckItem):
        return [item.sentence, item.note, item.evidence]
    if isinstance(item, TrendItem | NoteItem):
        return [item.statement]
    if isinstance(item, PreparednessItem):
        return [item.evidence]
    return []


def item_citations(item: Item) -> list[int]:
    """Every citation number an item uses, in reading order."""
    numbers = [n for s in item_statements(item) for n in s.citations]
    if isinstance(item, QuoteItem):
        numbers.insert(0, item.citation)
    elif isinstance(item, StoryItem):
        numbers.append(item.citation)
    return numbers
