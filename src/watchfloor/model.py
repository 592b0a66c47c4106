"""The records every stage exchanges.

Stages pass these small dataclasses to each other and never reach into another stage's
internals. Offsets are character offsets into ``Article.text``; every fact names the
sentence it came from by ``sentence_index`` (its position in the article), so
``(article_id, sentence_index)`` is a sentence's identity in every store. Facts imported from
structured sources (GDELT) have no sentence: their ``sentence_index`` is None and their offsets,
where the source gives them, point into the original article, which we do not hold.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

# Precision of a normalised date, coarsest last.
PRECISIONS = ("time", "day", "week", "month", "quarter", "year")
# The event category of an action outside the threat taxonomy (text) or of CAMEO codes it does
# not cover (GDELT): counted in indicators, not reported as a development.
OTHER_CATEGORY = "other"
# How exact a count is: "at least 14" is at_least, "about 440" about, "10 to 12" range.
APPROX_KINDS = ("exact", "at_least", "at_most", "about", "range")


def content_hash(text: str) -> str:
    """Hash of the article text with whitespace folded, so reflowed copies hash alike."""
    folded = " ".join(text.split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def article_id_for(canonical_url: str) -> str:
    """A stable id from the canonical URL: the same article gets the same id in any store."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Article:
    url: str  # canonical URL (file:// for local files without one)
    title: str
    text: str
    source: str  # the outlet's name
    published: datetime | None
    fetched_at: datetime
    language: str = "en"
    author: str | None = None
    id: str = ""
    content_hash: str = ""
    # Set on a near-duplicate (a wire copy): the id of the first copy stored. Copies are kept,
    # because republication matters to corroboration, but not extracted again.
    duplicate_of: str | None = None

    def __post_init__(self) -> None:
        # A time written without a zone is read as UTC (as the store's UTC columns read it), so
        # articles from every reader compare and sort together.
        if self.published is not None and self.published.tzinfo is None:
            self.published = self.published.replace(tzinfo=UTC)
        if self.fetched_at.tzinfo is None:
            self.fetched_at = self.fetched_at.replace(tzinfo=UTC)
        if not self.id:
            self.id = article_id_for(self.url)
        if not self.content_hash:
            # A stub without text (e.g. from GDELT) is identified by its URL alone.
            self.content_hash = content_hash(self.text or f"url:{self.url}")


@dataclass(slots=True)
class Sentence:
    article_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Mention:
    """A named entity: person, organisation, country, place."""

    text: str
    label: str  # spaCy label (PERSON, ORG, GPE, LOC, NORP, ...)
    start: int
    end: int
    sentence_index: int | None
    linked_id: str | None = None  # e.g. "iso:UA"; None when not linked
    lat: float | None = None  # for places
    lon: float | None = None


@dataclass(slots=True)
class TimeExpr:
    text: str
    start: int
    end: int
    sentence_index: int
    value: str  # TIMEX3 value: 2025-06-17, 2025-06, 2025-W24, 2025, P3D, PRESENT_REF, ...
    precision: str  # one of PRECISIONS (for a duration or set: the unit it counts in)
    date: date | None  # first day an anchored value covers; None for durations and sets
    relative: bool = False  # resolved against the publication date or narrative time
    timex_type: str = "DATE"  # TIMEX3 type: DATE, TIME, DURATION or SET


@dataclass(slots=True)
class Count:
    text: str
    start: int
    end: int
    sentence_index: int | None
    value: float
    what: str  # the counted noun as written ("deminers", "people")
    role: str  # normalised: killed, injured, missing, troops, workers, deminers, drones, ...
    approx: str | None = None  # the hedge as written: "at least", "more than", "dozens", ...
    value_max: float | None = None  # upper end of a range
    is_update: bool = False  # "the death toll climbed to 28"
    approx_kind: str = "exact"  # one of APPROX_KINDS


@dataclass(slots=True)
class Quote:
    text: str
    start: int
    end: int
    sentence_index: int | None
    speaker: str | None
    role: str | None  # the speaker's role as written ("Kremlin spokesperson")
    direct: bool
    cue: str | None = None  # the reporting verb ("said", "told")
    # The span of text that names the speaker (a name, or a pronoun resolved to one).
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(slots=True)
class Event:
    category: str  # key in the threat taxonomy (data/taxonomy.toml)
    trigger: str  # the words that signalled the category
    sentence_index: int | None  # the sentence the event was read from (None: structured source)
    evidence: list[int] = field(default_factory=list)  # sentence indices backing it
    date: date | None = None
    date_precision: str | None = None
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    place: str | None = None
    place_id: str | None = None
    counts: list[Count] = field(default_factory=list)
    actor_countries: list[str] = field(default_factory=list)  # ISO 3166 alpha-2
    target_countries: list[str] = field(default_factory=list)
    place_country: str | None = None  # ISO 3166 alpha-2
    lat: float | None = None
    lon: float | None = None
    # Where the event came from: "text" (our extraction) or "gdelt" (imported, with its codes).
    origin: str = "text"
    external_id: str | None = None  # e.g. GDELT GlobalEventID
    plover: str | None = None  # PLOVER event type (e.g. "ASSAULT", "CONSULT")
    cameo_code: str | None = None  # full CAMEO code from GDELT; the CAMEO root for our events
    goldstein: float | None = None
    tone: float | None = None


@dataclass(slots=True)
class PersonTitle:
    """A person named with a title ("Defence Minister Sergei Shoigu"), for checking the title
    against who held it on the article's date."""

    text: str  # the whole mention as written
    start: int
    end: int
    sentence_index: int | None
    person: str  # the name as written
    role: str  # the title as written ("Defence Minister", "Kremlin spokesman")
    jurisdiction: str | None = None  # "iso:RU", "org:NATO", ... when the text says whose


# What a title check can find wrong (analyze/titlecheck.py): the person held the office before
# the date but not on it; never held it; is called "former" while still holding it; or is not
# in the knowledge base though the office is.
TITLE_FLAG_KINDS = ("title_outdated", "wrong_person", "not_former", "unknown")


@dataclass(slots=True)
class TitleFlag:
    """A "title + person" mention the office-holder knowledge base disagrees with, as of the
    article's date."""

    kind: str  # one of TITLE_FLAG_KINDS
    article_id: str
    sentence_index: int | None
    start: int  # character offsets of the whole mention in the article text
    end: int
    text: str  # the mention as written
    person: str  # the name as written
    role_claimed: str  # the title as written ("Russian Defence Minister")
    position: str  # the label of the knowledge-base position the title names
    on: date  # the day checked: the article's publication (else fetch) date
    held_by: list[str] = field(default_factory=list)  # who held the position that day
    person_held: list[str] = field(default_factory=list)  # position labels the person held
    person_previously: str | None = None  # the person's latest post ended by that day
    evidence: str = ""  # one sentence with the knowledge-base facts and their dates


@dataclass(slots=True)
class ArticleFacts:
    """Everything extraction read from one article."""

    article_id: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    titles: list[PersonTitle] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)  # subject codes from structured sources
    # LSH band keys of the text's MinHash signature, for near-duplicate lookup (ingest/dedup.py).
    band_keys: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Imported:
    """An article with the facts a structured source (GDELT) supplied; it is not extracted."""

    article: Article
    facts: ArticleFacts


@dataclass(slots=True)
class Reject:
    """An input that could not be ingested, kept with its reason so nothing is lost silently."""

    source: str  # file path or URL
    reason: str
    raw_hash: str  # sha256 of the raw bytes
    detail: str = ""


@dataclass(slots=True)
class Citation:
    """A pointer from a briefing sentence to the article sentence it rests on, or (``kind``
    "kb") to an entry of the office-holder knowledge base: then ``article_id`` is "kb:" and the
    position key, ``sentence_index`` the entry's number among those of that position the
    briefing cites, ``sentence_text`` the entry's facts with their dates, and ``url`` empty."""

    number: int
    article_id: str
    sentence_index: int
    sentence_text: str
    title: str
    source: str
    url: str
    published: datetime | None
    kind: str = "article"  # "article" or "kb"


@dataclass(slots=True)
class Story:
    """All coverage of one happening, gathered by story clustering (analyze/stories.py)."""

    id: str  # "s-" + the id of the article that started it: stable across rebuilds
    title: str  # the title of its most central article
    start: datetime | None  # when its first and last articles appeared (UTC)
    end: datetime | None
    article_ids: list[str] = field(default_factory=list)  # in the order they appeared
    key_actors: list[str] = field(default_factory=list)  # most widely named first
    key_places: list[str] = field(default_factory=list)
    article_count: int = 0
    # Outlets among its original articles: copies of one wire story count once, so a
    # near-duplicate's outlet adds no source.
    source_count: int = 0
    title_article_id: str = ""  # the article the title is taken from


# -- checks: corroboration and contradictions (analyze/corroboration.py, contradictions.py) --

CLAIM_KINDS = ("event", "figure", "statement")
# How reports of one figure relate: a figure that rises across later reports is an update
# (use the latest); different figures for one thing at about the same time contradict.
VERDICTS = ("update", "contradiction", "agreement")


@dataclass(slots=True)
class Support:
    """One article reporting a claim, by the sentence that says it."""

    article_id: str
    sentence_index: int
    outlet: str
    url: str
    published: datetime | None
    # The article this one copies (a wire copy, by Article.duplicate_of or a story "copy"
    # link): it adds no independent source, and ``sentence_index`` is the original's (a copy
    # is not extracted). None for an original.
    copy_of: str | None = None


@dataclass(slots=True)
class Claim:
    """One event, figure or statement as the articles report it, with every article that
    reports it (analyze/corroboration.py)."""

    key: str  # stable identity: "figure:18+157|iso:FI", "event:arms_control|iso:FI|2025-06-19"
    kind: str  # one of CLAIM_KINDS
    text: str  # the sentence that says it best, from one of the supports
    category: str | None  # the taxonomy key of its event, when there is one
    day: date | None  # the day the happening is dated to
    theatre: str | None  # "iso:XX" where it happened or whom it concerns
    supports: list[Support] = field(default_factory=list)  # oldest first
    independent_sources: int = 0  # outlets among the original reports: copies count once
    single_source: bool = False  # reported by one independent source only


@dataclass(slots=True)
class FigureReport:
    """One report of a figure (a count, or the date of a happening): who said it, when, and
    on whose authority."""

    value: float | date  # the count, or the day (disputes of kind "date")
    text: str  # the figure with its hedge ("at least 14", "more than a dozen"); a date as written
    approx: str | None  # the hedge as written ("at least", "more than"), as in Count
    approx_kind: str  # one of APPROX_KINDS
    what: str  # the count's role ("killed", "injured"); "date" for a date
    article_id: str
    sentence_index: int
    outlet: str
    url: str
    published: datetime | None
    attributed_to: str | None = None  # the source the sentence cites ("State Emergency Service")
    value_max: float | None = None  # upper end of a range


@dataclass(slots=True)
class FigureDispute:
    """Reports of one quantity (or date) of one happening, and how they relate. An update rose
    from ``reports[0]`` to ``latest``."""

    key: str  # what + where + the happening's day, e.g. "injured|iso:UA/Kyiv|2025-06-17"
    kind: str  # "count" or "date"
    what: str  # "killed", "injured", ...; "killed children" for a group named; "date"
    place: str | None  # as the events name it ("Kyiv")
    day: date | None  # the day of the happening the figure is about
    verdict: str  # one of VERDICTS
    reports: list[FigureReport] = field(default_factory=list)  # oldest first
    latest: FigureReport | None = None  # the report to use (for an update: the newest figure)
    # For a contradiction: the reports whose figures cannot both be true, oldest first.
    conflicting: list[FigureReport] = field(default_factory=list)
