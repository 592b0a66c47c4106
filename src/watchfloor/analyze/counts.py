"""Counts that changed over the period: a death toll reported at 14, later at 28."""

from __future__ import annotations

from dataclasses import dataclass

from watchfloor.analyze.corpus import Corpus
from watchfloor.model import Article, Count

# Count roles worth following, with how a briefing names their total.
MEASURES = {"killed": "death toll", "injured": "number of injured"}
# Qualifiers that stay true when a figure is repeated on its own ("at least 28").
_KEPT_APPROX = frozenset({"at least", "more than", "over", "about", "around", "nearly", "almost"})


@dataclass(slots=True)
class CountReport:
    article: Article
    count: Count
    position: int  # the article's place in publication order

    @property
    def sentence_key(self) -> tuple[str, int]:
        return (self.article.id, self.count.sentence_index)

    @property
    def value_text(self) -> str:
        v = self.count.value
        number = f"{int(v):,}" if v == int(v) else f"{v:,}"
        approx = self.count.approx
        return f"{approx} {number}" if approx in _KEPT_APPROX else number


@dataclass(slots=True)
class CountSeries:
    measure: str  # "death toll"
    place: str
    first: CountReport  # the earliest report
    last: CountReport  # the latest report, with the highest figure


def rising_counts(corpus: Corpus) -> list[CountSeries]:
    """Per measure and place (as events name it), the figures that rose between the earliest
    and the latest report; only when the latest figure is also the highest."""
    reports: dict[tuple[str, str], list[CountReport]] = {}
    places: dict[tuple[str, str], str] = {}
    for position, article in enumerate(corpus.articles):
        for event in corpus.facts[article.id].events:
            if not event.place:
                continue
            place_key = event.place_id or event.place
            for count in event.counts:
                cited = count.sentence_index is not None
                if cited and count.role in MEASURES and count.value_max is None:
                    key = (count.role, place_key)
                    places.setdefault(key, event.place)
                    reports.setdefault(key, []).append(CountReport(article, count, position))
    series = []
    for key, found in reports.items():
        # Earliest report: lowest figure among the first article's; latest: the highest.
        first = min(found, key=lambda r: (r.position, r.count.value))
        last = max(found, key=lambda r: (r.position, r.count.value))
        highest = max(r.count.value for r in found)
        if last.count.value > first.count.value and last.count.value == highest:
            series.append(CountSeries(MEASURES[key[0]], places[key], first, last))
    return sorted(series, key=lambda s: (s.measure, s.place))
