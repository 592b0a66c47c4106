"""Daily indicators per theatre: how much is reported, how many strikes, casualties and nuclear
statements, the tone; each against its trailing baseline, and an escalation index that says
which measures moved and which articles moved them.

Computed on the fly from stored events: a day's figures need only the articles published from
28 days before it, so evaluating the latest days after an ingest reads a month of articles.

Counting rules:
- An event counts on its day when extraction dated it to the day, and not when that day lies
  after the article's publication (a plan or a deadline has not happened yet) or more than
  REPORT_LAG_DAYS before it (a look back, "since 24 February, 287 children have died", is a
  running total, not that day's report; it would also change a day's figures months later).
- ``events`` counts reporting sentences (a sentence with a drone and a missile strike is one
  report; ten outlets reporting an attack are ten): it measures how much a theatre is reported.
- Casualties are tolls, not reports: the figures for one happening (same theatre, consecutive
  days, three at most) form one toll story, whose toll is its latest precise figure; a hedged
  figure ("more than 100", "dozens") only ever raises it. The toll counts on the story's first
  day.
- The anomaly score is a robust z-score: (value - median) / (1.4826 * MAD) over the 28 days
  before, with the spread floored at 1 so that a quiet theatre does not divide by zero.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from watchfloor.analyze.corpus import Corpus, published_day
from watchfloor.analyze.theatres import article_theatre, event_theatres, theatre_code
from watchfloor.model import Article, Count, Event
from watchfloor.store.base import Store

WINDOW_DAYS = 28  # trailing days a baseline is computed over
MIN_HISTORY_DAYS = 7  # fewer days of coverage before a day: no baseline, no score
MAD_TO_SD = 1.4826  # scales the median absolute deviation to a standard deviation
MIN_SPREAD = 1.0  # the smallest spread a score divides by
SCORE_CAP = 10.0  # one measure adds at most this (times its weight) to the escalation index
MAX_EVIDENCE = 5  # sentences shown per measure
DAY_PRECISIONS = frozenset({"day", "time"})
TOLL_ROLES = ("killed", "injured")
TOLL_STORY_DAYS = 3  # the days a toll is followed over: a night's attack, then two days of updates
# Reports name days up to a week back ("on Monday"); older days are looked back on.
REPORT_LAG_DAYS = 7
# The measures of a theatre-day; "tone" is GDELT's average tone (None without GDELT events).
MEASURES = ("events", "strikes", "casualties", "killed", "injured", "nuclear", "tone")
# What the escalation index adds up, with weights: volume and tone weigh half, being noisier.
# Tone escalates when it falls, so its score counts negated.
ESCALATION_WEIGHTS = {"strikes": 1.0, "casualties": 1.0, "nuclear": 1.0, "events": 0.5, "tone": 0.5}
_FALLING_IS_WORSE = frozenset({"tone"})


@dataclass(frozen=True, slots=True)
class Evidence:
    """One article sentence behind a figure."""

    article_id: str
    title: str
    outlet: str
    url: str
    published: datetime | None
    sentence_index: int | None  # None for an imported event, which comes without text
    sentence: str


@dataclass(slots=True)
class Measure:
    value: float | None  # None: nothing to measure that day (tone without GDELT events)
    baseline: float | None = None  # median of the trailing window
    spread: float | None = None  # median absolute deviation of the trailing window
    anomaly: float | None = None  # robust z-score; None without enough history
    outlets: list[str] = field(default_factory=list)  # who reported it, sorted
    articles: int = 0
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Driver:
    measure: str
    contribution: float  # what it adds to the escalation index


@dataclass(slots=True)
class Indicator:
    """One theatre on one day."""

    theatre: str  # ISO 3166 alpha-2
    day: date
    measures: dict[str, Measure]  # by name, see MEASURES
    categories: dict[str, Measure]  # reports per taxonomy category present that day
    escalation: float
    drivers: list[Driver]  # the measures that raised the index, most first

    def explain(self) -> list[str]:
        """Why the escalation index is what it is: one line per driver, with its articles."""
        lines = []
        for driver in self.drivers:
            m = self.measures[driver.measure]
            lines.append(
                f"{driver.measure} {_number(m.value)} against a baseline of "
                f"{_number(m.baseline)} (score {m.anomaly:+.1f}, adds {driver.contribution:.1f}),"
                f" {len(m.outlets)} outlet(s)"
            )
            lines += [f"  [{e.article_id}] {e.outlet}: {e.sentence}" for e in m.evidence]
        return lines


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if value == int(value) else f"{value:.2f}"


def robust_score(value: float, history: list[float]) -> tuple[float, float, float]:
    """(median, MAD, score) of ``value`` against ``history``."""
    median = statistics.median(history)
    mad = statistics.median(abs(v - median) for v in history)
    return median, mad, (value - median) / max(MAD_TO_SD * mad, MIN_SPREAD)


# -- collecting reports --------------------------------------------------------------------


def _publication_order(e: Evidence) -> tuple[float, str]:
    """Oldest first; an article without a publication time counts as oldest."""
    return (e.published.timestamp() if e.published else float("-inf"), e.article_id)


def _event_day(event: Event, article: Article) -> date | None:
    if event.date is None or event.date_precision not in DAY_PRECISIONS:
        return None
    published = published_day(article)
    if published and not 0 <= (published - event.date).days <= REPORT_LAG_DAYS:
        return None
    return event.date


@dataclass(slots=True)
class _TollReport:
    day: date
    count: Count
    evidence: Evidence

    @property
    def hedged(self) -> bool:
        return bool(self.count.approx) or self.count.approx_kind != "exact"

    @property
    def order(self) -> tuple[float, str]:
        return _publication_order(self.evidence)


@dataclass(slots=True)
class _Reports:
    """Reporting sentences per theatre and day, keyed by sentence so each counts once."""

    events: dict[tuple[str, date], dict[tuple, Evidence]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    by_category: dict[tuple[str, str, date], dict[tuple, Evidence]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    tones: dict[tuple[str, date], dict[tuple, float]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    tolls: dict[tuple[str, str], list[_TollReport]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _collect(corpus: Corpus) -> _Reports:
    reports = _Reports()
    for article in corpus.articles:
        facts = corpus.facts[article.id]
        fallback = article_theatre(facts)
        for position, event in enumerate(facts.events):
            day = _event_day(event, article)
            if day is None:
                continue
            index = event.sentence_index
            sentence_key = (article.id, index if index is not None else f"event {position}")
            evidence = Evidence(
                article.id,
                article.title,
                article.source,
                article.url,
                article.published,
                index,
                corpus.display_text(article.id, index) if index is not None else "",
            )
            for theatre in event_theatres(event, fallback):
                reports.events[(theatre, day)][sentence_key] = evidence
                reports.by_category[(theatre, event.category, day)][sentence_key] = evidence
                if event.tone is not None:
                    reports.tones[(theatre, day)][(article.id, position)] = event.tone
                for count in event.counts:
                    if count.role in TOLL_ROLES:
                        reports.tolls[(theatre, count.role)].append(
                            _TollReport(day, count, evidence)
                        )
    return reports


# -- casualty tolls ------------------------------------------------------------------------


@dataclass(slots=True)
class TollStory:
    """The reports of one toll: one happening's killed (or injured) as it was updated."""

    theatre: str
    role: str
    day: date  # the first day reported
    toll: float
    evidence: list[Evidence]  # the report that set the toll first, then the rest by time
    outlets: list[str]


def _toll(story: list[_TollReport]) -> tuple[float, _TollReport]:
    """The latest precise figure (each article's highest counting once); a hedged figure only
    raises the toll, since "more than 100" after "142" adds nothing."""
    per_article: dict[str, _TollReport] = {}
    for report in story:
        kept = per_article.get(report.evidence.article_id)
        if kept is None or report.count.value > kept.count.value:
            per_article[report.evidence.article_id] = report
    toll, deciding = 0.0, None
    for report in sorted(per_article.values(), key=lambda r: r.order):
        if deciding is None or not report.hedged or report.count.value > toll:
            toll, deciding = report.count.value, report
    return toll, deciding


def _continues(story: list[_TollReport], report: _TollReport) -> bool:
    """A report belongs to the toll story it follows within a day of: reports of the same
    day always (outlets repeat one toll), later ones when they update or raise the toll (a
    smaller figure the next day is a new happening). A story spans a few days at most, so
    the daily tolls of a long war do not merge into one."""
    days = {r.day for r in story}
    if (report.day - max(days)).days > 1 or (report.day - min(days)).days >= TOLL_STORY_DAYS:
        return False
    return report.day in days or report.count.is_update or report.count.value >= _toll(story)[0]


def toll_stories(theatre: str, role: str, reports: Iterable[_TollReport]) -> list[TollStory]:
    stories: list[list[_TollReport]] = []
    for report in sorted(reports, key=lambda r: (r.day, r.order)):
        if stories and _continues(stories[-1], report):
            stories[-1].append(report)
        else:
            stories.append([report])
    found = []
    for story in stories:
        toll, deciding = _toll(story)
        rest = sorted((r for r in story if r is not deciding), key=lambda r: r.order)
        evidence = list(dict.fromkeys(r.evidence for r in [deciding, *rest]))
        outlets = sorted({r.evidence.outlet for r in story})
        found.append(TollStory(theatre, role, min(r.day for r in story), toll, evidence, outlets))
    return found


# -- series and scores ---------------------------------------------------------------------


def _pick(evidence: Iterable[Evidence]) -> list[Evidence]:
    """Up to MAX_EVIDENCE sentences: each outlet's first report before anyone's second."""
    ordered = sorted(evidence, key=_publication_order)
    seen: set[str] = set()
    first, later = [], []
    for e in ordered:
        (later if e.outlet in seen else first).append(e)
        seen.add(e.outlet)
    return (first + later)[:MAX_EVIDENCE]


def _count_measure(found: dict[tuple, Evidence]) -> Measure:
    evidence = list(found.values())
    return Measure(
        value=float(len(found)),
        outlets=sorted({e.outlet for e in evidence}),
        articles=len({e.article_id for e in evidence}),
        evidence=_pick(evidence),
    )


def _merge_counts(parts: list[dict[tuple, Evidence]]) -> Measure:
    merged: dict[tuple, Evidence] = {}
    for part in parts:
        merged.update(part)
    return _count_measure(merged)


def _toll_measure(stories: list[TollStory]) -> Measure:
    evidence = [e for s in stories for e in s.evidence]
    return Measure(
        value=sum(s.toll for s in stories),
        outlets=sorted({o for s in stories for o in s.outlets}),
        articles=len({e.article_id for e in evidence}),
        evidence=evidence[:MAX_EVIDENCE],
    )


def _daily_measures(
    reports: _Reports,
) -> tuple[dict[tuple[str, date], dict[str, Measure]], dict[tuple[str, date], dict[str, Measure]]]:
    """Measures and category reports per (theatre, day), for every day with something."""
    measures: dict[tuple[str, date], dict[str, Measure]] = defaultdict(dict)
    categories: dict[tuple[str, date], dict[str, Measure]] = defaultdict(dict)
    strikes: dict[tuple[str, date], list] = defaultdict(list)
    nuclear: dict[tuple[str, date], list] = defaultdict(list)
    for (theatre, category, day), found in reports.by_category.items():
        categories[(theatre, day)][category] = _count_measure(found)
        if category.startswith("strike_"):
            strikes[(theatre, day)].append(found)
        elif category == "nuclear":
            nuclear[(theatre, day)].append(found)
    for key, found in reports.events.items():
        measures[key]["events"] = _count_measure(found)
        measures[key]["strikes"] = _merge_counts(strikes[key])
        measures[key]["nuclear"] = _merge_counts(nuclear[key])
        tones = list(reports.tones[key].values())
        measures[key]["tone"] = Measure(value=statistics.fmean(tones) if tones else None)
    stories_by_day: dict[tuple[str, date], dict[str, list[TollStory]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for (theatre, role), found in reports.tolls.items():
        for story in toll_stories(theatre, role, found):
            stories_by_day[(theatre, story.day)][role].append(story)
    for key in measures:
        by_role = stories_by_day[key]
        for role in TOLL_ROLES:
            measures[key][role] = _toll_measure(by_role[role])
        measures[key]["casualties"] = _toll_measure([s for r in TOLL_ROLES for s in by_role[r]])
    return measures, categories


def _score(measure: Measure, history: list[float | None], zero_when_absent: bool) -> None:
    """Fill in the measure's baseline and score from its trailing history: a day without
    reports counts as zero, except for tone, where it has no value at all."""
    if measure.value is None:
        return
    if zero_when_absent:
        values = [v if v is not None else 0.0 for v in history]
    else:
        values = [v for v in history if v is not None]
    if len(values) < MIN_HISTORY_DAYS:
        return
    measure.baseline, measure.spread, measure.anomaly = robust_score(measure.value, values)


def _escalation(measures: dict[str, Measure]) -> tuple[float, list[Driver]]:
    drivers = []
    for name, weight in ESCALATION_WEIGHTS.items():
        score = measures[name].anomaly
        if score is None:
            continue
        if name in _FALLING_IS_WORSE:
            score = -score
        if score > 0:
            drivers.append(Driver(name, round(weight * min(score, SCORE_CAP), 2)))
    drivers.sort(key=lambda d: (-d.contribution, d.measure))
    return round(sum(d.contribution for d in drivers), 2), drivers


def compute_indicators(
    corpus: Corpus,
    theatre: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Indicator]:
    """Indicators for each theatre-day with reports, from ``since`` through ``until``, ordered
    by theatre and day. Baselines count days of coverage only: those from the corpus' first
    publication day on."""
    measures, categories = _daily_measures(_collect(corpus))
    published = [d for d in (published_day(a) for a in corpus.articles) if d]
    coverage_start = min(published) if published else None

    # Each series as day -> value, looked up for every day of every window.
    series: dict[tuple[str, str], dict[date, float | None]] = defaultdict(dict)
    for (where, day), found in measures.items():
        for name, m in found.items():
            series[(where, name)][day] = m.value
        for category, m in categories[(where, day)].items():
            series[(where, f"category {category}")][day] = m.value

    selected = []
    for (where, day), found in sorted(measures.items()):
        if (theatre and where != theatre) or (since and day < since) or (until and day > until):
            continue
        first = day - timedelta(days=WINDOW_DAYS)
        if coverage_start and coverage_start > first:
            first = coverage_start
        window = [first + timedelta(days=i) for i in range((day - first).days)]
        for name, measure in found.items():
            days = series[(where, name)]
            _score(measure, [days.get(d) for d in window], zero_when_absent=name != "tone")
        for category, measure in categories[(where, day)].items():
            days = series[(where, f"category {category}")]
            _score(measure, [days.get(d) for d in window], zero_when_absent=True)
        index, drivers = _escalation(found)
        selected.append(
            Indicator(
                where, day, found, dict(sorted(categories[(where, day)].items())), index, drivers
            )
        )
    return selected


def indicators(
    store: Store,
    theatre: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    as_of: datetime | None = None,
) -> list[Indicator]:
    """Indicators per theatre-day from the stored events, from ``since`` through ``until``:
    dates are days included; a datetime ``until`` is an exclusive end, as everywhere in the
    store (midnight after the last day). ``theatre`` is an ISO code or a country name;
    ``as_of`` counts only articles published before that moment (what was known then)."""
    wanted = theatre_code(theatre) if theatre else None
    first = since.date() if isinstance(since, datetime) else since
    last = (until - timedelta(microseconds=1)).date() if isinstance(until, datetime) else until
    load_from = first - timedelta(days=WINDOW_DAYS) if first else None
    corpus = Corpus.load(store, since=load_from, until=as_of)
    return compute_indicators(corpus, wanted, first, last)
