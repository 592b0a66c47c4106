"""wf_times: time expressions normalised against the publication date and narrative time.

Spans come from the model's DATE/TIME entities plus phrase matchers for what the model misses
("overnight", "the same day", "June 16" in "the night of June 16 to 17"). Each span is
normalised by our own rules; only unusual absolute forms ("17.06.2025") fall back to dateparser,
cached, since it costs milliseconds a call.

Relative expressions resolve against two anchors: the publication day (deictic: "yesterday",
"last week", "on Tuesday") and the narrative reference day (anaphoric: "the same day", "two days
later"), which is the last day-precision date the article mentioned before, else publication.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TypedDict

from dateparser.date import DateDataParser
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from watchfloor.extract.components.common import (
    MONTHS,
    UNITS,
    article_sentences,
    looks_like_count,
    published_date,
    register_doc_list,
)

register_doc_list("times")


class TimeRecord(TypedDict):
    start: int  # character offsets into doc.text
    end: int
    value: str  # 2025-06-17, 2025-W24, 2025-06, 2025-Q2, 2025, 2025-06-17T04:00
    precision: str  # one of watchfloor.model.PRECISIONS
    date: str  # ISO date of the first day the value covers
    relative: bool


@dataclass(frozen=True, slots=True)
class Resolved:
    day: date  # first day covered
    precision: str
    relative: bool
    clock: str | None = None  # "04:00" for precision "time"

    @property
    def value(self) -> str:
        if self.precision == "time":
            return f"{self.day.isoformat()}T{self.clock}"
        if self.precision == "day":
            return self.day.isoformat()
        if self.precision == "week":
            year, week, _ = self.day.isocalendar()
            return f"{year}-W{week:02d}"
        if self.precision == "month":
            return f"{self.day.year}-{self.day.month:02d}"
        if self.precision == "quarter":
            return f"{self.day.year}-Q{(self.day.month - 1) // 3 + 1}"
        return str(self.day.year)


WEEKDAYS = [name.lower() for name in calendar.day_name]
DAYPARTS = ["morning", "afternoon", "evening", "night"]

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_ISO_DAY = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:\s*[-–]\s*\d{{1,2}})?(?:,?\s+{_YEAR})?")
_DAY_MONTH = re.compile(rf"\b{_DAY}(?:\s*[-–]\s*\d{{1,2}})?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?")
_MONTH_YEAR = re.compile(rf"\b{_MONTH}(?:\s+of)?,?\s+{_YEAR}\b")
_MONTH_ONLY = re.compile(rf"\b{_MONTH}(?:\b|$)")
_QUARTER = re.compile(
    rf"\b(?:q(?P<q>[1-4])|(?P<ordinal>first|second|third|fourth|final|last)\s+quarter)"
    rf"(?:\s+of)?,?\s+{_YEAR}"
)
_NUMERIC_DAY = re.compile(
    rf"\b(?P<first>\d{{1,2}})(?P<sep>[./])(?P<second>\d{{1,2}})(?P=sep){_YEAR}\b"
)
_YEAR_ONLY = re.compile(rf"\b{_YEAR}\b")
_CLOCK = re.compile(
    r"\b(?P<hour>\d{1,2})(?::(?P<minute>\d\d))?\s*(?P<half>a\.?m\.?|p\.?m\.?)"
    r"|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>\d\d)\b"
    r"|\b(?P<word>noon|midday|midnight)\b"
)
_QUARTER_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}
_NUMBER = r"(?P<n>\d+|a|an|" + "|".join(UNITS) + r")"
_SHIFT = re.compile(
    rf"\b{_NUMBER}\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>later|after|earlier|before|ago)\b"
)
_NEIGHBOUR_DAY = re.compile(
    r"\bthe\s+(?P<which>next|following|previous|preceding)\s+(?P<unit>day|morning|afternoon|"
    r"evening|night|week|month|year)\b|\bthe\s+day\s+(?P<dir>before|after)\b"
)
_SAME_DAY = re.compile(r"\b(?:the\s+same|that)\s+(?:day|morning|afternoon|evening|night)\b")
_CALENDAR_UNIT = re.compile(
    r"^(?:(?:earlier|later)\s+)?(?P<which>last|this|next|coming|past)\s+"
    r"(?P<unit>week|weekend|month|year)\b"
)
# Ages and durations look like dates to the model but fix no point in time.
_DURATION = re.compile(
    r"\d+\s*-?\s*(?:year|month|week|day)s?\s*-?\s*old\b"
    r"|\b(?:year|month|week|day)s?\s*-\s*long\b"
    r"|^(?:the\s+|a\s+|an\s+)?(?:(?:past|last|next|first|coming|previous|recent|few|"
    r"several)\s+)*(?:\S+\s+)?(?:days|weeks|months|years|decades|hours|minutes|centuries)$"
    r"|^(?:\S+|\d+)\s*-\s*(?:day|week|month|year|hour)$"
    r"|\d0'?s\b"  # decades
)
_LEADING_PREPOSITION = ("on", "from", "by", "since", "until", "till", "in", "at", "of")
_EDGE = re.compile(r"^(?:the\s+)?(?:early|mid|middle|late|end|beginning|start)\b")
# "today", "this morning", "last night": the publication day.
_AROUND_PUBLICATION = re.compile(
    r"^(?:earlier |later )?(?:this |last )?(?:today|tonight|morning|afternoon|evening|night)$"
)
_FUTURE_AUX = {"will", "shall", "'ll", "wo", "would"}
_FUTURE_VERBS = {"plan", "schedule", "expect", "intend", "set", "due", "aim", "prepare"}


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _nearest_year(month: int, day: int, published: date) -> date | None:
    """The date in the year around ``published`` that lies closest to it."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs(d - published), default=None)


def _weekday(name: str, published: date, direction: str) -> date:
    """The weekday ``name`` relative to ``published``: "past" is on or before it, "future" on or
    after, "last"/"next" strictly before/after."""
    target = WEEKDAYS.index(name)
    back = (published.weekday() - target) % 7
    ahead = (target - published.weekday()) % 7
    if direction == "last":
        return published - timedelta(days=back or 7)
    if direction == "next":
        return published + timedelta(days=ahead or 7)
    if direction == "future":
        return published + timedelta(days=ahead)
    return published - timedelta(days=back)


def _with_clock(text: str, resolved: Resolved) -> Resolved:
    match = _CLOCK.search(text)
    if not match or resolved.precision != "day":
        return resolved
    if match.group("word"):
        hour, minute = (0, 0) if match.group("word") == "midnight" else (12, 0)
    elif match.group("half"):
        hour, minute = int(match.group("hour")) % 12, int(match.group("minute") or 0)
        if match.group("half").startswith("p"):
            hour += 12
    else:
        hour, minute = int(match.group("h24")), int(match.group("m24"))
    if hour > 23 or minute > 59:
        return resolved
    return Resolved(resolved.day, "time", resolved.relative, f"{hour:02d}:{minute:02d}")


@lru_cache(maxsize=4096)
def _dateparser_fallback(text: str, published: date) -> Resolved | None:
    """dateparser for absolute forms our rules do not know; cached per text and day."""
    parser = DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime.combine(published, datetime.min.time()),
            "PREFER_DATES_FROM": "past",
            "PREFER_DAY_OF_MONTH": "first",
        },
    )
    data = parser.get_date_data(text)
    if data.date_obj is None or data.period not in ("day", "week", "month", "year"):
        return None
    day = data.date_obj.date()
    if not 1900 <= day.year <= 2100:
        return None  # "0100 GMT" read as a year
    if data.period == "month":
        day = day.replace(day=1)
    elif data.period == "year":
        day = date(day.year, 1, 1)
    elif data.period == "week":
        day -= timedelta(days=day.weekday())
    return Resolved(day, data.period, relative=False)


def resolve(text: str, published: date, reference: date, future: bool) -> Resolved | None:
    """Normalise one time expression, or None for durations, ages and vague phrases."""
    t = " ".join(text.lower().replace("’", "'").split())
    words = t.split()
    while words and words[0] in _LEADING_PREPOSITION:
        words = words[1:]
    t = " ".join(words)
    if not t or _DURATION.search(t) or (t.isdigit() and len(t) != 4):
        return None  # a duration, an age, or a bare number ("Honchar, 58,")
    without_clock = _CLOCK.sub(" ", t)
    has_date_words = any(ch.isdigit() for ch in without_clock) or _MONTH_ONLY.search(without_clock)
    resolved = _resolve_absolute(t, published, future) if has_date_words else None
    if resolved is None:
        resolved = _resolve_relative(t, published, reference, future)
    if resolved is None and has_date_words:
        resolved = _dateparser_fallback(t, published)
    if resolved is None and without_clock != t:
        # A clock time alone ("at 4 a.m.") belongs to the day the story is at.
        resolved = Resolved(reference, "day", relative=True)
    return _with_clock(t, resolved) if resolved else None


def _day_or_none(year: int, month: int, day: int) -> Resolved | None:
    try:
        return Resolved(date(year, month, day), "day", relative=False)
    except ValueError:
        return None


def _resolve_absolute(t: str, published: date, future: bool) -> Resolved | None:
    if match := _ISO_DAY.search(t):
        return _day_or_none(int(match["year"]), int(match["month"]), int(match["day"]))
    if match := _NUMERIC_DAY.search(t):
        first, second, year = int(match["first"]), int(match["second"]), int(match["year"])
        # "17.06.2025" is day first; "6/17/2025" month first unless the first cannot be a month.
        if match["sep"] == "." or first > 12:
            return _day_or_none(year, second, first)
        return _day_or_none(year, first, second)
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        match = pattern.search(t)
        if match:
            month, day_number = MONTHS[match["month"]], int(match["day"])
            if match["year"]:
                return _day_or_none(int(match["year"]), month, day_number)
            day = _nearest_year(month, day_number, published)
            return Resolved(day, "day", relative=False) if day else None
    if match := _QUARTER.search(t):
        quarter = int(match["q"]) if match["q"] else _QUARTER_ORDINALS[match["ordinal"]]
        return Resolved(date(int(match["year"]), 3 * quarter - 2, 1), "quarter", False)
    if match := _MONTH_YEAR.search(t):
        return Resolved(date(int(match["year"]), MONTHS[match["month"]], 1), "month", False)
    if match := _YEAR_ONLY.search(t):
        return Resolved(date(int(match["year"]), 1, 1), "year", relative=False)
    if (match := _MONTH_ONLY.search(t)) and (t == match.group(0) or _EDGE.match(t)):
        month = MONTHS[match["month"]]
        # A bare month is the latest one not after publication, or the next one in future talk.
        day = date(published.year, month, 1)
        if future and month < published.month:
            day = date(published.year + 1, month, 1)
        elif not future and month > published.month:
            day = date(published.year - 1, month, 1)
        return Resolved(day, "month", relative=False)
    return None


def _resolve_relative(t: str, published: date, reference: date, future: bool) -> Resolved | None:
    if t == "overnight" or _AROUND_PUBLICATION.match(t):
        return Resolved(published, "day", relative=True)
    if t.startswith("yesterday"):
        return Resolved(published - timedelta(days=1), "day", relative=True)
    if t.startswith("tomorrow"):
        return Resolved(published + timedelta(days=1), "day", relative=True)
    if _SAME_DAY.search(t):
        return Resolved(reference, "day", relative=True)
    if match := _SHIFT.search(t):
        return _shift(match, published, reference)
    if match := _NEIGHBOUR_DAY.search(t):
        if match["dir"]:
            step = -1 if match["dir"] == "before" else 1
            return Resolved(reference + timedelta(days=step), "day", relative=True)
        step = -1 if match["which"] in ("previous", "preceding") else 1
        unit = match["unit"]
        if unit in ("week", "month", "year"):
            return _calendar_unit(unit, step, reference)
        return Resolved(reference + timedelta(days=step), "day", relative=True)
    for position, word in enumerate(t.split()):
        if word in WEEKDAYS:
            before = t.split()[position - 1] if position else ""
            if before in ("last", "next"):
                direction = before
            else:
                direction = "future" if future or before == "coming" else "past"
            return Resolved(_weekday(word, published, direction), "day", relative=True)
    if match := _CALENDAR_UNIT.search(t):
        which, unit = match["which"], match["unit"]
        if which == "past":
            return None  # "the past week" is a stretch of time, not a calendar week
        step = {"last": -1, "this": 0, "next": 1, "coming": 1}[which]
        return _calendar_unit("week" if unit == "weekend" else unit, step, published)
    return None


def _shift(match: re.Match[str], published: date, reference: date) -> Resolved:
    raw = match["n"]
    amount = int(raw) if raw.isdigit() else UNITS.get(raw, 1)
    direction = match["dir"]
    anchor = published if direction == "ago" else reference
    sign = 1 if direction in ("later", "after") else -1
    unit = match["unit"]
    if unit == "day":
        return Resolved(anchor + timedelta(days=sign * amount), "day", relative=True)
    if unit == "week":
        shifted = anchor + timedelta(weeks=sign * amount)
        return Resolved(shifted - timedelta(days=shifted.weekday()), "week", relative=True)
    if unit == "month":
        return Resolved(_shift_months(anchor, sign * amount), "month", relative=True)
    return Resolved(date(anchor.year + sign * amount, 1, 1), "year", relative=True)


def _calendar_unit(unit: str, step: int, anchor: date) -> Resolved:
    if unit == "week":
        shifted = anchor + timedelta(weeks=step)
        return Resolved(shifted - timedelta(days=shifted.weekday()), "week", relative=True)
    if unit == "month":
        return Resolved(_shift_months(anchor, step), "month", relative=True)
    return Resolved(date(anchor.year + step, 1, 1), "year", relative=True)


def is_future(span: Span) -> bool:
    """Whether the clause governing ``span`` talks about the future ("will meet on Friday")."""
    words = {token.lower_ for token in span}
    if words & {"next", "coming", "upcoming"}:
        return True
    verb = span.root
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return any(token.lower_ in _FUTURE_AUX for token in span.sent)
    if verb.lower_ in _FUTURE_AUX or any(
        child.lower_ in _FUTURE_AUX for child in verb.children if child.dep_ == "aux"
    ):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_ in _FUTURE_VERBS


def _phrases() -> list[str]:
    """Relative time phrases the model misses: "overnight", "the same day", "last Tuesday"."""
    day_words = ["day", *DAYPARTS]
    phrases = ["overnight", "yesterday", "today", "tonight", "tomorrow"]
    phrases += [f"{when} {part}" for when in ("last", "this", "earlier", "later")
                for part in (*DAYPARTS, "today")]  # fmt: skip
    for weekday in WEEKDAYS:
        for before in ("", "last ", "next ", "this ", "coming "):
            phrases += [f"{before}{weekday}"] + [f"{before}{weekday} {part}" for part in DAYPARTS]
    phrases += [f"the same {word}" for word in day_words] + [f"that {word}" for word in day_words]
    phrases += [f"the {which} {unit}" for which in ("next", "following", "previous", "preceding")
                for unit in (*day_words, "week", "month", "year")]  # fmt: skip
    phrases += ["the day before", "the day after"]
    for unit in ("week", "weekend", "month", "year"):
        for which in ("last", "this", "next", "coming"):
            phrases += [f"{which} {unit}", f"earlier {which} {unit}", f"later {which} {unit}"]
    return phrases


def _dates() -> tuple[list[str], list[str]]:
    """Month-day and month-year phrases the model sometimes leaves untagged ("the night of
    June 16 to 17"): matched by case (first list) only for "May", which is also a verb."""
    may, other = [], []
    for month in [m for m in MONTHS if len(m) > 3] + ["May"]:
        written = may if month == "May" else other
        written += [f"{month} {day}" for day in range(1, 32)]
        written += [f"{day} {month}" for day in range(1, 32)]
        written += [f"{month} {year}" for year in range(1950, 2050)]
    return may, other


def _matchers(nlp: Language) -> tuple[PhraseMatcher, PhraseMatcher]:
    """Phrase matchers for what the model misses; spelled-out phrases match far faster than
    token patterns."""
    shifts = [
        f"{amount} {unit} {direction}"
        for amount in ("a", "an", *UNITS, *map(str, range(1, 32)))
        for unit in ("day", "days", "week", "weeks", "month", "months", "year", "years")
        for direction in ("later", "after", "earlier", "before", "ago")
    ]
    may, other = _dates()
    by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_lower.add("RELATIVE", [nlp.make_doc(p) for p in _phrases() + shifts + other])
    by_case = PhraseMatcher(nlp.vocab, attr="ORTH")
    by_case.add("MAY", [nlp.make_doc(p) for p in may])
    return by_lower, by_case


# Phrases that only say "around the publication" and yield to an explicit day next to them:
# in "overnight on Tuesday" the day is Tuesday.
_VAGUE_DAY = re.compile(
    r"^(?:overnight|tonight|(?:last|this|earlier|later)\s+(?:night|morning|afternoon|evening|today))$"
)


class TimeTagger:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.by_lower, self.by_case = _matchers(nlp)

    def __call__(self, doc: Doc) -> Doc:
        published = published_date(doc)
        if published is None:
            doc._.times = []
            return doc
        spans = [
            ent
            for ent in doc.ents
            if ent.label_ == "TIME" or (ent.label_ == "DATE" and not looks_like_count(ent))
        ]
        spans += self.by_lower(doc, as_spans=True) + self.by_case(doc, as_spans=True)
        spans = sorted(filter_spans(spans), key=lambda span: span.start)
        reference = published
        records: list[TimeRecord] = []
        for sentence in article_sentences(doc):
            in_sentence = [s for s in spans if sentence.start <= s.start < sentence.end]
            resolved_here = []
            for span in in_sentence:
                span = _trim(span)
                if span is None:
                    continue
                resolved = resolve(span.text, published, reference, is_future(span))
                if resolved is None:
                    continue
                resolved_here.append((span, resolved))
                if resolved.precision in ("day", "time") and not _VAGUE_DAY.match(
                    span.text.lower()
                ):
                    reference = resolved.day
            kept = [
                (span, resolved)
                for span, resolved in resolved_here
                if not _yields_to_neighbour(span, resolved_here)
            ]
            days = [resolved.day for _, resolved in kept if resolved.precision in ("day", "time")]
            reference = days[-1] if days else reference
            for span, resolved in kept:
                records.append(
                    TimeRecord(
                        start=span.start_char,
                        end=span.end_char,
                        value=resolved.value,
                        precision=resolved.precision,
                        date=resolved.day.isoformat(),
                        relative=resolved.relative,
                    )
                )
        doc._.times = records
        return doc


def _trim(span: Span) -> Span | None:
    """The span without leading prepositions and trailing punctuation or "and"; None when it
    counts from an event rather than a date ("two days after the attack")."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and doc[start].lower_ in _LEADING_PREPOSITION:
        start += 1
    while end > start and (
        doc[end - 1].is_punct
        or doc[end - 1].is_space
        or doc[end - 1].pos_ == "CCONJ"
        or doc[end - 1].tag_ == "POS"
    ):
        end -= 1
    if start == end:
        return None
    if doc[end - 1].lower_ in ("after", "before") and end < len(doc) and not doc[end].is_punct:
        return None
    return doc[start:end]


def _yields_to_neighbour(span: Span, resolved_here: list[tuple[Span, Resolved]]) -> bool:
    if not _VAGUE_DAY.match(span.text.lower()):
        return False
    return any(
        other is not span
        and not _VAGUE_DAY.match(other.text.lower())
        and resolved.precision in ("day", "time")
        and (0 <= other.start - span.end <= 2 or 0 <= span.start - other.end <= 2)
        for other, resolved in resolved_here
    )


@Language.factory(
    "wf_times",
    assigns=["doc._.times"],
    requires=["doc.ents", "doc.sents", "token.dep", "token.pos", "doc._.published"],
)
def make_time_tagger(nlp: Language, name: str) -> TimeTagger:
    return TimeTagger(nlp, name)
