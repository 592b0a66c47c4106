"""Casualty figures per happening: every report of a toll, grouped by what was counted, where and
the happening's day, and how the reports relate.

Rules:
- Tolls of different groups are apart: "97 children" is not the toll "28 people" disputes.
- A figure is about the place its event names; a sentence that names none ("134 people were
  injured in the attack") is about the one place the article's tolls name, else the place the
  sentence names, else the country. A country-wide figure joins the one place in that country
  with figures for the same days; with two such places it stays apart.
- Reports of one place are one happening while their days follow each other (a night's attack,
  then the updates of the next days; see ``TOLL_STORY_DAYS``); later days make another.
- Each article counts once per figure: its precise figure before a hedged one, the highest first.
  "Dozens" or "thousands" without a number is a manner of speaking, not a figure to dispute.
- A later, higher figure is an update when the report says so ("rose to 23"), appears on a
  later day, or comes from the same outlet. Otherwise two figures must both be possible:
  "at least 14" and "23" are, "134" and "142" are not: that is a contradiction.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from watchfloor.analyze.corpus import Corpus, published_day
from watchfloor.analyze.indicators import TOLL_STORY_DAYS
from watchfloor.analyze.theatres import article_theatre
from watchfloor.model import Article, ArticleFacts, Count, Event, Quote

# Count roles followed as tolls (totals that only grow; the evacuated or detained are often
# counted per day), with how a briefing names their total.
MEASURES = {"killed": "death toll", "injured": "number of injured", "missing": "number of missing"}
# Counted nouns that name no particular group: a toll of "28", "28 people" or "28 dead".
_ANYONE = frozenset(
    {"", "people", "person", "persons", "death toll", "toll", "dead", "killed", "die", "wounded",
     "injured", "casualties", "victims", "civilians", "citizens", "residents", "number",
     "others"}
)  # fmt: skip
_DAY_PRECISIONS = frozenset({"day", "time"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# "about 440" is read as 440 give or take this share.
_ABOUT = 0.1
# "Dozens", "thousands of people": a manner of speaking rather than a figure anyone reported.
_VAGUE = re.compile(r"\b(dozens|hundreds|thousands|millions|tens|scores|several|many)\b", re.I)
# Speakers that say nothing about the source of a figure.
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "this", "that"})
# Reporting cues that give a figure's source; "the figures alone explain why" gives none.
_SOURCE_CUES = frozenset(
    {"according to", "said", "says", "say", "told", "reported", "reports", "announced",
     "citing", "cited", "confirmed", "estimate", "estimated", "added", "stated"}
)  # fmt: skip


@dataclass(slots=True)
class CountReport:
    """One article's report of a figure, placed and dated."""

    article: Article
    count: Count
    position: int  # the article's place in publication order
    place: str = ""  # as the text names it ("Kyiv"); a country's code when only that is known
    place_key: str = ""  # the linked id ("gn:703448", "iso:UA") or the name folded
    country: str | None = None  # ISO alpha-2 of the place
    day: date | None = None  # the happening's day as this report dates it
    attributed_to: str | None = None  # the source the sentence cites

    @property
    def group(self) -> str:
        """Who was counted: "people" for anyone, else the counted noun ("children")."""
        what = self.count.what.casefold()
        return "people" if what in _ANYONE else what

    @property
    def value_text(self) -> str:
        """The figure with its hedge: "at least 14", "28"; "dozens" where no number was
        written."""
        return figure_text(self.count)

    @property
    def precise(self) -> bool:
        return self.count.approx_kind == "exact" and not self.count.approx

    @property
    def bounds(self) -> tuple[float, float]:
        """The values the figure allows: "at least 14" allows 14 and anything above."""
        c = self.count
        kind = c.approx_kind
        if kind == "at_least":
            return c.value, math.inf
        if kind == "at_most":
            return 0.0, c.value
        if kind == "range":
            return c.value, c.value_max if c.value_max is not None else c.value
        if kind == "about":
            return c.value * (1 - _ABOUT), c.value * (1 + _ABOUT)
        return c.value, c.value


def figure_text(count: Count) -> str:
    """A count as a briefing repeats it: "at least 14", "1,000", "dozens"."""
    if count.approx and not any(ch.isdigit() for ch in count.text):
        # "dozens of people" -> "dozens", "more than a dozen people" -> "more than a dozen"
        words = count.text.casefold().split(" of ")[0]
        return words.removesuffix(f" {count.what.casefold()}")
    v = count.value
    number = f"{int(v):,}" if v == int(v) else f"{v:,}"
    if count.value_max is not None:
        high = count.value_max
        number += f" to {int(high):,}" if high == int(high) else f" to {high:,}"
    return f"{count.approx.casefold()} {number}" if count.approx else number


def agrees(a: CountReport, b: CountReport) -> bool:
    """Whether both figures can be true."""
    (a_low, a_high), (b_low, b_high) = a.bounds, b.bounds
    return a_low <= b_high and b_low <= a_high


def updates(earlier: CountReport, later: CountReport) -> bool:
    """Whether ``later`` raises ``earlier``'s figure ("at least 14", then "rose to 23") as
    an update rather than disputing it."""
    if later.count.value <= earlier.count.value or later.bounds[0] < earlier.bounds[0]:
        return False
    return (
        later.count.is_update
        or published_day(later.article) != published_day(earlier.article)
        or later.article.source == earlier.article.source
    )


@dataclass(slots=True)
class CountGroup:
    """The reports of one figure of one happening: one per article, in publication order."""

    role: str
    counted: str  # who: "people" (anyone), or a group the reports name ("children")
    place: str
    place_key: str
    day: date | None  # the earliest day the reports date the happening to
    reports: list[CountReport] = field(default_factory=list)
    verdict: str = "agreement"  # "update", "contradiction" or "agreement"
    conflicting: list[CountReport] = field(default_factory=list)  # oldest first

    @property
    def measure(self) -> str:
        """ "death toll"; "death toll (children)" for a group."""
        named = f" ({self.counted})" if self.counted != "people" else ""
        return MEASURES[self.role] + named

    @property
    def what(self) -> str:
        """The role, with the group when one is named: "killed", "killed children"."""
        return self.role if self.counted == "people" else f"{self.role} {self.counted}"

    @property
    def latest(self) -> CountReport:
        """The report to use: after an update, the newest report of the highest figure (a
        precise one on a tie); else the newest precise report, else the newest."""
        if self.verdict == "update":
            return max(self.reports, key=lambda r: (r.bounds[0], r.precise, r.position))
        return ([r for r in self.reports if r.precise] or self.reports)[-1]


def _judge(group: CountGroup) -> None:
    contradicting: set[int] = set()
    updated = False
    for i, earlier in enumerate(group.reports):
        for j in range(i + 1, len(group.reports)):
            later = group.reports[j]
            if updates(earlier, later):
                updated = True
            elif not agrees(earlier, later):
                contradicting.update((i, j))
    group.conflicting = [group.reports[i] for i in sorted(contradicting)]
    group.verdict = "contradiction" if contradicting else "update" if updated else "agreement"


def _day(event: Event, article: Article) -> date | None:
    """The event's day when extraction dated it to a day not after publication (a figure is
    not reported ahead of its happening), else the publication day."""
    published = published_day(article)
    dated = event.date and event.date_precision in _DAY_PRECISIONS
    if dated and (published is None or event.date <= published):
        return event.date
    return published


def attribution(quotes: list[Quote], sentence_index: int | None) -> str | None:
    """The source a sentence cites for what it reports ("according to Ukraine's State
    Emergency Service", "city officials said"): the first indirect speaker named in it."""
    for quote in quotes:
        speaker = (quote.speaker or "").strip()
        if quote.sentence_index != sentence_index or quote.direct or not speaker:
            continue
        if (quote.cue or "").casefold() not in _SOURCE_CUES:
            continue
        if speaker.casefold() in _PRONOUNS:
            continue
        return speaker.removeprefix("the ").removeprefix("The ")
    return None


def _sentence_places(facts: ArticleFacts) -> dict[int | None, tuple[str, str]]:
    """Per sentence, the first place below a country it names: (name, linked id)."""
    found: dict[int | None, tuple[str, str]] = {}
    for m in facts.mentions:
        linked = m.linked_id or ""
        if m.label in _PLACE_LABELS and linked.startswith("gn:"):
            found.setdefault(m.sentence_index, (m.text, linked))
    return found


def _article_reports(article: Article, facts: ArticleFacts, position: int) -> list[CountReport]:
    """The article's toll figures, each once, placed and dated."""
    reports: dict[tuple, CountReport] = {}
    for event in facts.events:
        for count in event.counts:
            key = (count.sentence_index, count.start, count.role)
            if count.role not in MEASURES or count.sentence_index is None or key in reports:
                continue
            if _VAGUE.search(count.text) and not any(ch.isdigit() for ch in count.text):
                continue
            report = CountReport(article, count, position, day=_day(event, article))
            report.attributed_to = attribution(facts.quotes, count.sentence_index)
            if event.place and (event.place_id or "").startswith("gn:"):
                report.place, report.place_key = event.place, event.place_id
            elif event.place and not event.place_id:
                report.place, report.place_key = event.place, event.place.casefold()
            report.country = event.place_country or next(iter(event.target_countries), None)
            reports[key] = report
    found = list(reports.values())
    # Sentences that name no place are about the place the article's tolls name, if only one.
    named = {(r.place, r.place_key) for r in found if r.place_key}
    in_sentence = _sentence_places(facts)
    theatre = article_theatre(facts)
    for r in found:
        if r.place_key:
            continue
        if len(named) == 1:
            r.place, r.place_key = next(iter(named))
        elif r.count.sentence_index in in_sentence:
            r.place, r.place_key = in_sentence[r.count.sentence_index]
        else:
            r.country = r.country or theatre
            if r.country:
                r.place, r.place_key = r.country, f"iso:{r.country}"
    for r in found:
        if r.place_key.startswith("gn:") and r.country is None:
            r.country = theatre
    return [r for r in found if r.place_key and r.day]


def _chain(reports: list[CountReport]) -> list[list[CountReport]]:
    """Reports of one figure and place split into happenings by their days."""
    chains: list[list[CountReport]] = []
    for report in sorted(reports, key=lambda r: (r.day, r.position)):
        days = [r.day for r in chains[-1]] if chains else []
        follows = days and (report.day - max(days)).days <= 1
        if follows and (report.day - min(days)).days < TOLL_STORY_DAYS:
            chains[-1].append(report)
        else:
            chains.append([report])
    return chains


def _spans(chain: list[CountReport]) -> tuple[date, date]:
    return min(r.day for r in chain), max(r.day for r in chain)


def _one_per_article(chain: list[CountReport]) -> list[CountReport]:
    best: dict[str, CountReport] = {}
    for r in chain:
        kept = best.get(r.article.id)
        if kept is None or (r.precise, r.count.value) > (kept.precise, kept.count.value):
            best[r.article.id] = r
    return sorted(best.values(), key=lambda r: (r.position, r.count.sentence_index))


def count_groups(corpus: Corpus) -> list[CountGroup]:
    """Every figure reported by two or more articles, per role, place and happening, judged;
    sorted by measure, place and day."""
    by_place: dict[tuple[str, str, str], list[CountReport]] = {}
    for position, article in enumerate(corpus.articles):
        for r in _article_reports(article, corpus.facts[article.id], position):
            by_place.setdefault((r.count.role, r.group, r.place_key), []).append(r)
    chains: dict[tuple[str, str, str], list[list[CountReport]]] = {
        key: _chain(found) for key, found in by_place.items()
    }
    # A country-wide figure joins the one place of that country with figures on those days.
    for (role, group, place_key), country_chains in list(chains.items()):
        if not place_key.startswith("iso:"):
            continue
        kept = []
        for chain in country_chains:
            first, last = _spans(chain)
            near = [
                c
                for (other_role, other_group, other_key), others in chains.items()
                if (other_role, other_group) == (role, group) and not other_key.startswith("iso:")
                for c in others
                if c[0].country == place_key[4:]
                and _spans(c)[0].toordinal() - 1 <= last.toordinal()
                and first.toordinal() <= _spans(c)[1].toordinal() + 1
            ]
            if len(near) == 1:
                near[0].extend(chain)
            else:
                kept.append(chain)
        chains[(role, group, place_key)] = kept
    groups = []
    for (role, counted, place_key), found in chains.items():
        for chain in found:
            reports = _one_per_article(chain)
            if len(reports) < 2:
                continue
            place = Counter(r.place for r in chain if r.place_key == place_key).most_common(1)
            group = CountGroup(role, counted, place[0][0], place_key, _spans(chain)[0], reports)
            _judge(group)
            groups.append(group)
    return sorted(groups, key=lambda g: (g.measure, g.place, g.day))
