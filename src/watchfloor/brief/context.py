"""What every section of a briefing reads: the period's articles, happenings, stories, checks
and the citations handed out so far."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from watchfloor.analyze.context import DatedSentence, SupportIndex, sentences_referring
from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.developments import EventRef, Happening, Theme
from watchfloor.analyze.offices import OfficeBook
from watchfloor.analyze.similarity import NearDuplicates
from watchfloor.brief.citations import Citations
from watchfloor.brief.text import join_words
from watchfloor.extract.taxonomy import TaxonomyEntry
from watchfloor.model import FigureDispute, Story, TitleFlag
from watchfloor.store.base import Store

SHORT_SENTENCE = 35  # words: the most a headline or a piece of evidence should take


def is_short(text: str) -> bool:
    return len(text.split()) <= SHORT_SENTENCE


def ends_like_sentence(text: str) -> bool:
    """A headline or a bare dateline ("ISTANBUL, June 2 (Wire) -") does not."""
    return text.rstrip()[-1:] in tuple(".!?\"'\u201d\u2019)")


@dataclass(slots=True)
class BriefContext:
    store: Store
    corpus: Corpus
    taxonomy: dict[str, TaxonomyEntry]
    happenings: list[Happening]
    themes: list[Theme]
    citations: Citations
    start: date | None
    end: date | None
    stories: list[Story]  # stories with articles in the period, the most widely reported first
    book: OfficeBook
    title_flags: list[TitleFlag]
    disputes: list[FigureDispute]
    # Sentences stating a figure a later report superseded: a briefing leads with the latest.
    superseded: set[tuple[str, int]] = field(default_factory=set)
    shown_stories: set[str] = field(default_factory=set)  # stories the background showed
    support_index: SupportIndex | None = None  # the corpus's, built when first needed

    def label(self, category: str) -> str:
        entry = self.taxonomy.get(category)
        return entry.label if entry else category.replace("_", " ")

    def phrase(self, categories: Iterable[str]) -> str:
        """Category labels for running text: 'missile and air strikes and drone strikes'."""
        return join_words([lower_first(self.label(c)) for c in categories])

    def in_period(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def dated_sentences(self, ahead: bool = False) -> list[DatedSentence]:
        """The corpus's sentences naming a date before the period (``ahead``: after it), as
        ``sentences_referring`` finds them; background and outlook share the corpus index."""
        if self.support_index is None:
            self.support_index = SupportIndex(self.corpus)
        return sentences_referring(self.corpus, self.start, self.end, self.support_index, ahead)

    def pick_dated(
        self, found: list[DatedSentence], limit: int, seen: NearDuplicates
    ) -> list[DatedSentence]:
        """The points most articles repeat, then those reporting an event, none stating a
        superseded figure or repeating what was said; shown in date order."""
        ranked = sorted(found, key=lambda s: (-s.support, not s.has_event, s.refers_to))
        usable = [s for s in ranked if (s.article.id, s.index) not in self.superseded]
        chosen = [s for s in usable if seen.keep(s.text)][:limit]
        return sorted(chosen, key=lambda s: s.refers_to)

    def refs_of(self, article_ids: Iterable[str]) -> list[EventRef]:
        """The events of these articles, as the happenings hold them."""
        wanted = set(article_ids)
        return [r for h in self.happenings for r in h.refs if r.article.id in wanted]


def lower_first(label: str) -> str:
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]
