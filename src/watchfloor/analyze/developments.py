"""Which happenings matter: events grouped by day and by the sentences that report them, with
how widely they were reported, and which of their sentences say them best."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import groupby

from watchfloor.analyze.corpus import Corpus
from watchfloor.analyze.sentences import has_quote, reads_alone
from watchfloor.analyze.similarity import content_tokens, jaccard, mean_jaccards
from watchfloor.model import OTHER_CATEGORY, Article, Event

# Event dates this exact make a timeline entry; coarser ones are context.
DAY_PRECISIONS = frozenset({"day", "time"})
LEAD_SENTENCES = 2  # an event in an article's first sentences is what the article is about
LONG_SENTENCE = 40  # words; longer sentences read poorly out of their article
# Two categories on the same day belong to one happening when at least this share of the
# smaller one's sentences report both.
SHARED_SENTENCES = 0.5
# Two categories are one theme when their articles are this alike.
SHARED_ARTICLES = 0.5


def clusters(count: int, linked: Callable[[int, int], bool]) -> list[list[int]]:
    """Positions 0..count-1 grouped by ``linked`` pairs (transitively), each group in order."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for a in range(count):
        for b in range(a + 1, count):
            if root(a) != root(b) and linked(a, b):
                parent[root(b)] = root(a)
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


@dataclass(slots=True)
class EventRef:
    """One event as one article reports it."""

    article: Article
    event: Event
    text: str  # the sentence the event was read from, as a briefing shows it
    dated_in_text: bool = False  # the sentence itself names the event's date
    figures: int = 0  # counts extraction read from the sentence

    @property
    def sentence_key(self) -> tuple[str, int]:
        return (self.article.id, self.event.sentence_index)

    @property
    def in_lead(self) -> bool:
        return self.event.sentence_index < LEAD_SENTENCES


class _Reported:
    """Who reported a set of events: shared by happenings and themes."""

    __slots__ = ()
    refs: list[EventRef]

    @property
    def article_ids(self) -> set[str]:
        return {r.article.id for r in self.refs}

    @property
    def outlets(self) -> set[str]:
        return {r.article.source for r in self.refs}


@dataclass(slots=True)
class Happening(_Reported):
    """Events on one day (or undated) whose categories are reported in the same sentences:
    a strike and its casualties are one happening, a prisoner exchange that day another."""

    day: date | None
    refs: list[EventRef] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        """Categories present, most reported first."""
        return [c for c, _ in Counter(r.event.category for r in self.refs).most_common()]

    @property
    def salience(self) -> float:
        # What articles lead with is what they are about: outlets leading with the happening
        # weigh most (independent reporting), then articles leading with it, then mentions.
        leading = [r.article for r in self.refs if r.in_lead]
        return (
            2 * len({a.source for a in leading})
            + len({a.id for a in leading})
            + 0.5 * len(self.article_ids)
        )


def _by_salience(found: list[Happening]) -> list[Happening]:
    return sorted(found, key=lambda h: (-h.salience, h.day or date.max))


def _reported_together(sentences: list[set[tuple[str, int]]], i: int, j: int) -> bool:
    """Most of the smaller category's sentences report the other one too."""
    shared = len(sentences[i] & sentences[j])
    return shared / min(len(sentences[i]), len(sentences[j])) >= SHARED_SENTENCES


def happenings(corpus: Corpus) -> list[Happening]:
    """All happenings in the corpus, most salient first (ties: earliest first)."""
    nodes: dict[tuple[str, date | None], list[EventRef]] = {}
    for article in corpus.articles:
        facts = corpus.facts[article.id]
        # A date in a wire dateline says when the story was filed, not when its event was.
        filed = {
            s.index: s.start + len(s.text) - len(corpus.display_text(article.id, s.index))
            for s in facts.sentences
        }
        figures = Counter(c.sentence_index for c in facts.counts)
        named_days = {
            (t.sentence_index, t.date)
            for t in facts.times
            if t.date
            and t.precision in DAY_PRECISIONS
            and t.start >= filed.get(t.sentence_index, 0)
        }
        for event in facts.events:
            # Imported without a sentence there is nothing to cite; "other" is an action outside
            # the threat taxonomy, not a development to report.
            if event.sentence_index is None or event.category == OTHER_CATEGORY:
                continue
            day = event.date if event.date_precision in DAY_PRECISIONS else None
            ref = EventRef(
                article,
                event,
                corpus.display_text(article.id, event.sentence_index),
                dated_in_text=(event.sentence_index, day) in named_days,
                figures=figures[event.sentence_index],
            )
            nodes.setdefault((event.category, day), []).append(ref)
    sentences = {key: {r.sentence_key for r in refs} for key, refs in nodes.items()}

    keys = sorted(nodes, key=lambda k: (k[1] or date.max, k[0]))

    # Only categories of the same day join, so each day's are grouped on their own.
    found = []
    for day, same_day in groupby(keys, key=lambda k: k[1]):
        run = list(same_day)
        linked = partial(_reported_together, [sentences[k] for k in run])
        for group in clusters(len(run), linked):
            found.append(Happening(day, [r for i in group for r in nodes[run[i]]]))
    return _by_salience(found)


def ranked_sentences(refs: list[EventRef]) -> list[EventRef]:
    """The happening's sentences, best first: self-contained, free of quotations, naming actors or
    figures, in the article's lead, close to what the other reports say (the typical wording
    rather than an outlier), not overlong."""
    unique: dict[tuple[str, int], EventRef] = {}
    for ref in refs:
        unique.setdefault(ref.sentence_key, ref)
    candidates = list(unique.values())
    # Jaccard rather than overlap: a short sentence is contained in many long ones without
    # being typical of them.
    centrality = dict(
        zip(
            (ref.sentence_key for ref in candidates),
            mean_jaccards([content_tokens(ref.text) for ref in candidates]),
            strict=True,
        )
    )

    def score(ref: EventRef) -> tuple[float, ...]:
        index = ref.event.sentence_index
        lead = 1.5 if index == 0 else 0.5 if index < LEAD_SENTENCES else 0.0
        too_long = max(0, len(ref.text.split()) - LONG_SENTENCE) / 10
        return (
            float(reads_alone(ref.text)),
            float(not has_quote(ref.text)),
            # Someone doing something, or a figure: news rather than scene-setting.
            float(bool(ref.event.actors or ref.figures)),
            lead + centrality[ref.sentence_key] + 0.3 * bool(ref.figures) - too_long,
            -index,
        )

    return sorted(candidates, key=score, reverse=True)


@dataclass(slots=True)
class Theme(_Reported):
    """Categories whose articles are largely the same ones: what reporting was about."""

    categories: list[str]  # most articles first
    refs: list[EventRef]


def themes(found: list[Happening]) -> list[Theme]:
    """What articles are mainly about, most articles first. An article is about the categories
    of its lead sentences, or, when its lead has none, its most reported category: a passing
    mention does not count. Categories mostly reported by the same articles form one theme."""
    by_article: dict[str, list[EventRef]] = {}
    for happening in found:
        for ref in happening.refs:
            by_article.setdefault(ref.article.id, []).append(ref)
    reach: dict[str, list[EventRef]] = {}
    for refs in by_article.values():
        main = {r.event.category for r in refs if r.in_lead}
        if not main:
            main = {Counter(r.event.category for r in refs).most_common(1)[0][0]}
        for ref in refs:
            if ref.event.category in main:
                reach.setdefault(ref.event.category, []).append(ref)
    articles = {c: {r.article.id for r in refs} for c, refs in reach.items()}
    ranked = sorted(reach, key=lambda c: (-len(articles[c]), c))

    def shared(i: int, j: int) -> bool:
        return jaccard(articles[ranked[i]], articles[ranked[j]]) >= SHARED_ARTICLES

    found_themes = []
    for group in clusters(len(ranked), shared):
        categories = [ranked[i] for i in group]
        found_themes.append(Theme(categories, [r for c in categories for r in reach[c]]))
    return sorted(found_themes, key=lambda t: (-len(t.article_ids), t.categories))


def category_reach(found: list[Theme]) -> dict[str, list[EventRef]]:
    """Per category, the events of the articles mainly about it (see ``themes``)."""
    return {
        category: [r for r in theme.refs if r.event.category == category]
        for theme in found
        for category in theme.categories
    }
