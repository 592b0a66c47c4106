"""Daily indicators per theatre: how much is reported, how many strikes, casualties and nuclear
statements, the tone; each against its trailing baseline, and an escalation index that says
which measures moved and which articles moved them.

Computed from stored events: a day's figures need the articles published from 28 days before
it. Only the period asked for is read as facts; the baselines come from per-day figures the
store keeps (what each UTC publication day's articles report, summed: ``stored_figures``),
computed from the facts and stored the first time a day is needed, and again after an ingest
changed the day.

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

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from watchfloor.analyze.corpus import Corpus, day_after, day_start, published_day
from watchfloor.analyze.theatres import article_theatre, event_theatres, theatre_code
from watchfloor.model import Article, Event
from watchfloor.store.base import DayFigures, Store, TollFigure

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
# What the indicators read of articles: events, their sentences, and the places named (an
# article's theatre). Nothing else is read of them.
INDICATOR_FACTS = ("events", "sentences", "mentions")
# How stored figures name what is not a measure of its own: the tone's parts and categories.
TONE_SUM, TONE_COUNT, CATEGORY = "tone sum", "tone count", "category "


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
    value: float
    hedged: bool  # "more than 100", "dozens": only ever raises a toll
    is_update: bool
    evidence: Evidence

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
                        hedged = bool(count.approx) or count.approx_kind != "exact"
                        reports.tolls[(theatre, count.role)].append(
                            _TollReport(day, count.value, hedged, count.is_update, evidence)
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
        if kept is None or report.value > kept.value:
            per_article[report.evidence.article_id] = report
    toll, deciding = 0.0, None
    for report in sorted(per_article.values(), key=lambda r: r.order):
        if deciding is None or not report.hedged or report.value > toll:
            toll, deciding = report.value, report
    return toll, deciding


def _continues(story: list[_TollReport], report: _TollReport) -> bool:
    """A report belongs to the toll story it follows within a day of: reports of the same
    day always (outlets repeat one toll), later ones when they update or raise the toll (a
    smaller figure the next day is a new happening). A story spans a few days at most, so
    the daily tolls of a long war do not merge into one."""
    days = {r.day for r in story}
    if (report.day - max(days)).days > 1 or (report.day - min(days)).days >= TOLL_STORY_DAYS:
        return False
    return report.day in days or report.is_update or report.value >= _toll(story)[0]


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


def _toll_measure(stories: list[TollStory]) -> Measure:
    evidence = [e for s in stories for e in s.evidence]
    return Measure(
        value=sum(s.toll for s in stories),
        outlets=sorted({o for s in stories for o in s.outlets}),
        articles=len({e.article_id for e in evidence}),
        evidence=evidence[:MAX_EVIDENCE],
    )


def _strikes_and_nuclear(
    reports: _Reports,
) -> tuple[dict[tuple[str, date], dict[tuple, Evidence]], dict[tuple[str, date], dict]]:
    """The strike reports (of every strike category) and nuclear reports per (theatre, day),
    keyed by sentence: a sentence reporting two kinds of strike is one report."""
    strikes: dict[tuple[str, date], dict[tuple, Evidence]] = defaultdict(dict)
    nuclear: dict[tuple[str, date], dict[tuple, Evidence]] = defaultdict(dict)
    for (theatre, category, day), found in reports.by_category.items():
        if category.startswith("strike_"):
            strikes[(theatre, day)].update(found)
        elif category == "nuclear":
            nuclear[(theatre, day)].update(found)
    return strikes, nuclear


def _add_value(measures: dict[str, Measure], name: str, value: float) -> None:
    measure = measures.setdefault(name, Measure(value=0.0))
    measure.value += value


def _daily_measures(
    reports: _Reports, earlier: Sequence[DayFigures] = ()
) -> tuple[dict[tuple[str, date], dict[str, Measure]], dict[tuple[str, date], dict[str, Measure]]]:
    """Measures and category reports per (theatre, day), for every day with something: what
    the corpus reports, with its evidence, plus what ``earlier`` figures (of articles published
    before the corpus') add to the same days."""
    measures: dict[tuple[str, date], dict[str, Measure]] = defaultdict(dict)
    categories: dict[tuple[str, date], dict[str, Measure]] = defaultdict(dict)
    for (theatre, category, day), found in reports.by_category.items():
        categories[(theatre, day)][category] = _count_measure(found)
    strikes, nuclear = _strikes_and_nuclear(reports)
    for key, found in reports.events.items():
        measures[key]["events"] = _count_measure(found)
        measures[key]["strikes"] = _count_measure(strikes[key])
        measures[key]["nuclear"] = _count_measure(nuclear[key])
    tones: dict[tuple[str, date], list[float]] = defaultdict(list)
    tone_counts: Counter[tuple[str, date]] = Counter()
    for key, found in reports.tones.items():
        tones[key] += found.values()
        tone_counts[key] += len(found)
    tolls = defaultdict(list, {k: list(v) for k, v in reports.tolls.items()})
    for figures in earlier:
        for (theatre, day, name), value in figures.counts.items():
            key = (theatre, day)
            if name == TONE_SUM:
                tones[key].append(value)
            elif name == TONE_COUNT:
                tone_counts[key] += value
            elif name.startswith(CATEGORY):
                _add_value(categories[key], name.removeprefix(CATEGORY), value)
            else:
                _add_value(measures[key], name, value)
        for toll in figures.tolls:
            tolls[(toll.theatre, toll.role)].append(_toll_report(toll))
    for key, found in measures.items():
        count = tone_counts[key]
        found["tone"] = Measure(value=math.fsum(tones[key]) / count if count else None)
    stories_by_day: dict[tuple[str, date], dict[str, list[TollStory]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for (theatre, role), found in tolls.items():
        for story in toll_stories(theatre, role, found):
            stories_by_day[(theatre, story.day)][role].append(story)
    for key in measures:
        by_role = stories_by_day[key]
        for role in TOLL_ROLES:
            measures[key][role] = _toll_measure(by_role[role])
        measures[key]["casualties"] = _toll_measure([s for r in TOLL_ROLES for s in by_role[r]])
    return measures, categories


def _toll_report(toll: TollFigure) -> _TollReport:
    """A stored casualty figure as a report: its evidence holds what ordering reports needs
    (figures are stored for days before the period shown, whose evidence is never shown)."""
    evidence = Evidence(toll.article_id, "", "", "", toll.published, None, "")
    return _TollReport(toll.day, toll.value, toll.hedged, toll.is_update, evidence)


# -- stored figures ------------------------------------------------------------------------


def figures_of(corpus: Corpus, day: date) -> DayFigures:
    """The figures of the articles published on the UTC day ``day`` (the corpus): reporting
    sentences per (theatre, day reported, measure) and the casualty figures, as stored."""
    reports = _collect(corpus)
    counts: dict[tuple[str, date, str], float] = {}
    for (theatre, category, reported), found in reports.by_category.items():
        counts[(theatre, reported, CATEGORY + category)] = float(len(found))
    strikes, nuclear = _strikes_and_nuclear(reports)
    for key, found in reports.events.items():
        counts[(*key, "events")] = float(len(found))
        for name, kind in (("strikes", strikes), ("nuclear", nuclear)):
            if kind.get(key):
                counts[(*key, name)] = float(len(kind[key]))
    for key, found in reports.tones.items():
        counts[(*key, TONE_SUM)] = math.fsum(found.values())
        counts[(*key, TONE_COUNT)] = float(len(found))
    tolls = [
        TollFigure(
            theatre,
            role,
            r.day,
            r.value,
            r.hedged,
            r.is_update,
            r.evidence.article_id,
            r.evidence.published,
        )
        for (theatre, role), found in reports.tolls.items()
        for r in found
    ]
    days = [d for d in (published_day(a) for a in corpus.articles) if d]
    return DayFigures(day, len(corpus.articles), min(days) if days else None, counts, tolls)


def stored_figures(store: Store, since: date, until: date) -> list[DayFigures]:
    """The figures of the articles published (UTC) from ``since`` through ``until``, a day at
    a time, oldest first: as stored; computed from the day's facts and stored when the store
    lacks them (a store from before they were kept, or an ingest changed the day)."""
    stored = {f.published_day: f for f in store.day_figures(since, until)}
    found = []
    for day, articles in sorted(store.publication_days(since, until).items()):
        figures = stored.get(day)
        if figures is None or figures.articles != articles:
            figures = figures_of(Corpus.load(store, day, day, only=INDICATOR_FACTS), day)
            store.save_day_figures(figures)
        found.append(figures)
    return found


def facts_from(store: Store, first: date) -> date:
    """The first UTC day whose articles the indicators of the days from ``first`` on read as
    facts: ``first``, or the day before when one of its articles gives ``first`` as its own
    publication day (a UTC offset east of Greenwich): it may report that day, whose evidence
    shows its sentences."""
    before = first - timedelta(days=1)
    articles = store.articles(since=day_start(before), until=day_start(first))
    return before if any(published_day(a) >= first for a in articles) else first


def coverage_start(corpus: Corpus, earlier: Sequence[DayFigures] = ()) -> date | None:
    """The first day of coverage baselines count from: the earliest publication day of the
    corpus' articles and of those behind ``earlier``."""
    days = [d for d in (published_day(a) for a in corpus.articles) if d]
    days += [f.first_published_day for f in earlier if f.first_published_day]
    return min(days) if days else None


# -- series and scores ---------------------------------------------------------------------


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
    earlier: Sequence[DayFigures] = (),
) -> list[Indicator]:
    """Indicators for each theatre-day with reports, from ``since`` through ``until``, ordered
    by theatre and day. ``earlier``: the figures of the articles published before the corpus',
    from ``stored_figures``, for the baselines (never for a day shown: an article reports no day
    after its own). Baselines count days of coverage only: those from the first publication
    day on."""
    measures, categories = _daily_measures(_collect(corpus), earlier)
    first_covered = coverage_start(corpus, earlier)

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
        if first_covered and first_covered > first:
            first = first_covered
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
    known_then = as_of.replace(tzinfo=as_of.tzinfo or UTC) if as_of else None
    if last is not None:
        # Nothing published later reports a day shown or updates a toll that began on one.
        horizon = day_after(last + timedelta(days=REPORT_LAG_DAYS + TOLL_STORY_DAYS + 1))
        known_then = min(known_then, horizon) if known_then else horizon
    read_from = facts_from(store, first) if first else None
    if read_from is None or (known_then and known_then < day_start(read_from)):
        load_from = first - timedelta(days=WINDOW_DAYS) if first else None
        corpus = Corpus.load(store, since=load_from, until=known_then)
        return compute_indicators(corpus, wanted, first, last)
    # The facts of the days shown (and after, as known then); the baselines' days from the
    # stored figures.
    corpus = Corpus.load(store, since=read_from, until=known_then)
    earlier = stored_figures(
        store, first - timedelta(days=WINDOW_DAYS), read_from - timedelta(days=1)
    )
    return compute_indicators(corpus, wanted, first, last, earlier)
