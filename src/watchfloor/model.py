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
from datetime import date, datetime

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
    """A pointer from a briefing sentence to the article sentence it rests on."""

    number: int
    article_id: str
    sentence_index: int
    sentence_text: str
    title: str
    source: str
    url: str
    published: datetime | None


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
