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
    "conclusion": "Conclusion",
    "preparedness": "Preparedness",
    "related": "Related",
    "sources": "Sources",
}
SECTION_ORDER: tuple[str, ...] = tuple(SECTION_HEADINGS)


@dataclass(slots=True)
class Statement:
    """One sentence of the briefing.

    ``composed`` is False for an article sentence quoted verbatim and True for a sentence we
    wrote from extracted facts; either way ``citations`` name the sentences that hold its facts.
    """

    text: str
    citations: list[int]
    composed: bool = False


@dataclass(slots=True)
class Paragraph:
    statements: list[Statement]
    kind: str = "paragraph"


@dataclass(slots=True)
class Bullet:
    """A list entry; timeline bullets carry the date of the development they report."""

    statements: list[Statement]
    date: date | None = None
    precision: str | None = None  # one of model.PRECISIONS when ``date`` is set
    kind: str = "bullet"


@dataclass(slots=True)
class QuoteItem:
    """A statement by a named speaker, as the article reports it."""

    speaker: str
    role: str | None
    text: str  # the quoted words (direct) or the reported content (indirect)
    direct: bool
    citation: int
    kind: str = "quote"


@dataclass(slots=True)
class PreparednessItem:
    """Advice from our catalog, shown because the cited sentences show its threat is present."""

    heading: str
    evidence: Statement  # composed: which threats were reported, citing the sentences
    actions: list[str]  # our catalog's advice, not an article's
    categories: list[str]
    kind: str = "preparedness"


@dataclass(slots=True)
class RelatedItem:
    """An article the sections above did not use, cited by its lead sentence."""

    title: str
    source: str
    published: date | None
    citation: int
    kind: str = "related"


Item = Paragraph | Bullet | QuoteItem | PreparednessItem | RelatedItem


@dataclass(slots=True)
class Section:
    key: str
    heading: str
    items: list[Item] = field(default_factory=list)


@dataclass(slots=True)
class Briefing:
    title: str
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
