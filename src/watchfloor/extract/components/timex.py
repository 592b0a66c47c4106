"""TIMEX3 values of time expressions, by our own rules over the expression's words.

``normalise(text, anchors)`` reads one expression ("last Friday", "the past five years",
"every week", "third-quarter", "now") and returns its TIMEX3 type (DATE, TIME, DURATION,
SET) and value ("1998-02-06", "P5Y", "P1W", "1989-Q3", "PRESENT_REF"), plus, for a value
that names a stretch of the calendar, that stretch as a :class:`Point`.

Relative expressions resolve against :class:`Anchors`: the publication day for deictic ones
("yesterday", "last week", "on Tuesday", "a year ago") and the narrative's reference time for
anaphoric ones ("the same day", "two days later", "that year"). Financial comparisons ("a
year earlier", "the year-ago quarter") shift the last quarter the text spoke of.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateutil.easter import easter

from watchfloor.extract.components.common import MONTHS, UNITS, number_value


@dataclass(frozen=True, slots=True)
class Point:
    """A stretch of the calendar: a day (optionally with a clock time or a part of the day),
    ISO week, weekend, month, quarter, half, season, year, decade or century, from ``start``."""

    start: date
    unit: str
    clock: str | None = None  # "04:00"
    part: str | None = None  # MO, AF, EV, NI
    season: str | None = None  # SP, SU, FA, WI

    @property
    def value(self) -> str:
        day = self.start
        if self.unit == "day":
            if self.clock:
                return f"{day.isoformat()}T{self.clock}"
            return f"{day.isoformat()}T{self.part}" if self.part else day.isoformat()
        if self.unit in ("week", "weekend"):
            year, week, _ = day.isocalendar()
            return f"{year}-W{week:02d}" + ("-WE" if self.unit == "weekend" else "")
        return {
            "month": f"{day.year}-{day.month:02d}",
            "quarter": f"{day.year}-Q{(day.month - 1) // 3 + 1}",
            "half": f"{day.year}-H{(day.month - 1) // 6 + 1}",
            # Winter 1998 runs from December 1997.
            "season": f"{day.year + (self.season == 'WI')}-{self.season}",
            "year": str(day.year),
            "decade": str(day.year // 10),
            "century": f"{day.year // 100:02d}",
        }[self.unit]

    @property
    def precision(self) -> str:
        """One of ``watchfloor.model.PRECISIONS``: the finest that does not claim too much."""
        if self.unit == "day":
            return "time" if self.clock else "day"
        return {"weekend": "week", "season": "quarter", "half": "year", "decade": "year",
                "century": "year"}.get(self.unit, self.unit)  # fmt: skip

    @property
    def is_time(self) -> bool:
        return self.unit == "day" and bool(self.clock or self.part)


@dataclass(frozen=True, slots=True)
class TimeValue:
    timex_type: str  # DATE, TIME, DURATION, SET
    value: str
    point: Point | None = None  # the stretch an anchored DATE or TIME names
    relative: bool = False  # resolved against the publication or the narrative
    # False for a comparison ("a year earlier", "the year-ago quarter"): the story stays where
    # it was rather than moving to the time compared with.
    moves_narrative: bool = True


@dataclass(frozen=True, slots=True)
class Anchors:
    published: date
    day: date  # the narrative's reference day: the last day named before, else publication
    last: Point | None = None  # the last anchored point named before, any unit
    quarter: Point | None = None  # the last quarter named before ("a year earlier")
    # The tense of the clause: "past", "future" ("will meet on Friday"), "either" (a deadline:
    # the nearest occurrence) or None when it does not tell (present, modal, no verb).
    tense: str | None = None

    @property
    def future(self) -> bool:
        return self.tense == "future"


# -- words ------------------------------------------------------------------------------------

WEEKDAYS = [name.lower() for name in calendar.day_name]
_WEEKDAY_ABBR = {name.lower(): i for i, name in enumerate(calendar.day_abbr)}
_WEEKDAY_ABBR.update({"tues": 1, "wednes": 2, "thur": 3, "thurs": 3})
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
                "overnight": "NI", "tonight": "NI", "dawn": "MO", "daybreak": "MO",
                "dusk": "EV", "nightfall": "EV"}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
# Unit words -> (calendar unit, duration letter, months or days per unit for arithmetic).
_DURATION_UNITS = {
    "second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"), "day": ("", "D"),
    "night": ("", "D"), "week": ("", "W"), "fortnight": ("", "2W"), "month": ("", "M"),
    "quarter": ("", "Q"), "year": ("", "Y"), "decade": ("", "10Y"), "century": ("", "100Y"),
}  # fmt: skip
UNIT_WORDS = set(_DURATION_UNITS) | {"centuries", "weekend"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4, "final": 4}  # fmt: skip
_DAY_ORDINALS = {
    word: i
    for i, word in enumerate(
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
         "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
         "seventeenth", "eighteenth", "nineteenth", "twentieth"],
        start=1,
    )
}  # fmt: skip
_TENS_YEAR = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
              "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
              "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
              "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
                 "seventies": 7, "eighties": 8, "nineties": 9}  # fmt: skip
_NUMBER_WORDS = set(UNITS) | {"hundred", "thousand", "million", "dozen"}

_LEADING = {"on", "in", "at", "by", "from", "since", "until", "till", "to", "during", "for",
            "of", "within", "through", "throughout", "after", "before", "as", "between",
            "into", "toward", "towards", "than"}  # fmt: skip
# Hedges that change a value's mod in TimeML, not the value: "nearly two years" is P2Y.
_HEDGE = re.compile(
    r"^(?:(?:about|around|approximately|roughly|nearly|almost|just|only|fully|barely|"
    r"some(?= \d)|over|under|upwards of|another|(?:a )?little (?:over|more than|under)|"
    r"well (?:over|under)|(?:no |much |far )?(?:more|less|fewer) than|at (?:least|most)|"
    r"up to|as (?:many|much|long|few|little) as|close to|the better part of|"
    r"a good part of) )+"
)
_TIME_ZONE = re.compile(r"\b(?:[ecmp][sd]?t|gmt|utc|bst|cet|cest|msk|eet|eest|local time)\b")
_CLOCK = re.compile(
    r"\b(?P<hour>\d{1,2})(?:[:.](?P<minute>\d\d))? ?(?P<half>a\.?m\.?|p\.?m\.?)(?!\w)"
    r"|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b"
    r"|\b(?P<oclock>\d{1,2}) o'clock\b"
    r"|\b(?P<word>noon|midday|midnight)\b"
)
_PART = re.compile(
    r"(?:\b(?:in|during) the |\bmid )?\b(?P<part>" + "|".join(PARTS_OF_DAY) + r")s?\b"
)


def words_of(text: str) -> list[str]:
    """Lower-case words with hyphens split ("third-quarter"), possessives and stray
    punctuation dropped and number words turned into digits ("twenty four" -> "24",
    "nineteen ninety-six" -> "1996")."""
    t = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    t = re.sub(r"(?<=[a-z'])-|-(?=[a-z])", " ", t)
    t = re.sub(r"'s\b|s'(?=\s|$)", "", t)
    t = re.sub(r"[,;!?\"()\[\]]|:(?!\d)|(?<![a-z.])\.(?=\s|$)", " ", t)
    raw = [
        w.rstrip(".")
        if w.endswith(".") and w.rstrip(".") not in MONTHS and "." not in w[:-1]
        else w
        for w in t.split()
    ]
    return _digits([w for w in raw if w])


def _digits(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        year = _year_words(words, i)
        if year:
            out.append(str(year[0]))
            i = year[1]
            continue
        if out and out[-1].rstrip(".") in MONTHS and word in _DAY_ORDINALS:
            out.append(str(_DAY_ORDINALS[word]))  # "March eighth"
            i += 1
            continue
        if word in _NUMBER_WORDS:
            j = i
            while j < len(words) and (
                words[j] in _NUMBER_WORDS
                or (words[j] == "and" and j + 1 < len(words) and words[j + 1] in _NUMBER_WORDS)
            ):
                j += 1
            parsed = number_value(words[i:j])
            if parsed is not None and parsed[1] is None:
                value = parsed[0]
                out.append(str(int(value)) if value == int(value) else str(value))
                i = j
                continue
        out.append(word)
        i += 1
    return out


def _year_words(words: list[str], i: int) -> tuple[int, int] | None:
    """ "nineteen ninety six" -> (1996, index after); "two thousand (and) one" likewise."""
    first = words[i]
    if first in ("eighteen", "nineteen") and i + 1 < len(words) and words[i + 1] in _TENS_YEAR:
        tail, end = _TENS_YEAR[words[i + 1]], i + 2
        if tail >= 20 and end < len(words) and 0 < UNITS.get(words[end], 0) < 10:
            tail += UNITS[words[end]]
            end += 1
        return (1800 if first == "eighteen" else 1900) + tail, end
    if first == "two" and words[i + 1 : i + 2] == ["thousand"]:
        end = i + 2
        if end < len(words) and words[end] == "and":
            end += 1
        if end < len(words) and 0 < UNITS.get(words[end], 0) < 20:
            return 2000 + UNITS[words[end]], end + 1
        return 2000, i + 2
    return None


# -- calendar arithmetic ---------------------------------------------------------------------


def shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _start_of(day: date, unit: str) -> date:
    if unit in ("week", "weekend"):
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if unit == "half":
        return date(day.year, 1 if day.month <= 6 else 7, 1)
    if unit == "year":
        return date(day.year, 1, 1)
    if unit == "decade":
        return date(day.year // 10 * 10, 1, 1)
    if unit == "century":
        return date(day.year // 100 * 100, 1, 1)
    return day


def shift(day: date, unit: str, amount: int) -> date:
    """``day`` moved by ``amount`` units (a month move lands on the 1st of the month)."""
    if unit in ("day", "night"):
        return day + timedelta(days=amount)
    if unit in ("week", "weekend"):
        return day + timedelta(weeks=amount)
    if unit == "fortnight":
        return day + timedelta(weeks=2 * amount)
    months = {"month": 1, "quarter": 3, "half": 6, "season": 12, "year": 12, "decade": 120,
              "century": 1200}[unit]  # fmt: skip
    moved = shift_months(day, months * amount)
    if unit in ("year", "decade", "century"):
        return moved.replace(day=min(day.day, calendar.monthrange(moved.year, moved.month)[1]))
    return moved


def at(day: date, unit: str, **extra) -> Point:
    return Point(_start_of(day, unit), unit, **extra)


def _season_span(year: int, code: str) -> tuple[date, date]:
    """First and last day of a (northern) season; winter ``year`` begins in December before."""
    start = date(year - (code == "WI"), _SEASON_MONTH[code], 1)
    return start, shift_months(start, 3) - timedelta(days=1)


def _season(year: int, code: str) -> Point:
    return Point(_season_span(year, code)[0], "season", season=code)


def _choose_year(candidate, published: date, tense: str | None) -> date | None:
    """The occurrence of a yearly thing (a day, a month, a season, a holiday) meant relative to
    ``published``: in past talk the latest one begun on or before it, in future talk the first
    one not yet over, else the one beginning closest to it. ``candidate(year)`` gives (start,
    end) or None."""
    spans = [candidate(y) for y in (published.year - 1, published.year, published.year + 1)]
    spans = [s for s in spans if s]
    if tense == "future":
        return next((start for start, end in spans if end >= published), None)
    if tense == "past":
        return next((start for start, end in reversed(spans) if start <= published), None)

    def distance(span: tuple[date, date]) -> tuple[int, int]:
        start, end = span
        inside = start <= published <= end
        gap = 0 if inside else min(abs(start - published), abs(end - published)).days
        return gap, -start.toordinal()  # a tie goes to the later one

    return min(spans, key=distance, default=(None, None))[0]


def _month_span(month: int):
    def span(year: int) -> tuple[date, date]:
        start = date(year, month, 1)
        return start, shift_months(start, 1) - timedelta(days=1)

    return span


def _weekday(target: int, published: date, direction: str) -> date:
    """The weekday ``target`` around ``published``: "past" on or before it, "future" on or
    after, "last"/"next" strictly before/after, "nearest" within three days either side."""
    back = (published.weekday() - target) % 7
    ahead = (target - published.weekday()) % 7
    if direction == "nearest":
        return published + timedelta(days=ahead) if ahead <= 3 else published - timedelta(days=back)
    if direction == "last":
        return published - timedelta(days=back or 7)
    if direction == "next":
        return published + timedelta(days=ahead or 7)
    if direction == "future":
        return published + timedelta(days=ahead)
    return published - timedelta(days=back)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (n < 0: counted from the end) given weekday of a month."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-n - 1))


# Holidays that fix a day in any year: name -> the day in a given year.
HOLIDAYS = {
    "christmas": lambda y: date(y, 12, 25),
    "christmas day": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24),
    "new year day": lambda y: date(y, 1, 1),
    "new year eve": lambda y: date(y, 12, 31),
    "new years day": lambda y: date(y, 1, 1),
    "new years eve": lambda y: date(y, 12, 31),
    "halloween": lambda y: date(y, 10, 31),
    "valentine day": lambda y: date(y, 2, 14),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "easter": easter,
    "easter sunday": easter,
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),
}


# -- patterns ---------------------------------------------------------------------------------

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[0-9]\d\d|20\d\d)"
_ISO_DAY = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)\b")
_NUMERIC_DAY = re.compile(
    rf"\b(?P<first>\d{{1,2}})(?P<sep>[./])(?P<second>\d{{1,2}})(?P=sep){_YEAR}\b"
)
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+(?:the\s+)?{_DAY}\b(?:\s*-\s*\d{{1,2}}\b)?(?:\s+(?:of\s+)?{_YEAR}\b)?"
)
_DAY_MONTH = re.compile(
    rf"\b(?:the\s+)?{_DAY}(?:\s*-\s*\d{{1,2}})?\s+(?:of\s+)?{_MONTH}(?:\s+{_YEAR}\b)?"
)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b")
_MONTH_ONLY = re.compile(rf"\b{_MONTH}(?=\s|$)")
_YEAR_ONLY = re.compile(rf"(?<![\d-]){_YEAR}(?!\d)")
_DECADE = re.compile(r"\b(?P<year>1[0-9]\d|20\d)0s\b|'(?P<short>\d)0s\b")
_CENTURY = re.compile(r"\b(?P<n>\d{1,2})(?:st|nd|rd|th) century\b")
_QUANTITY = (
    r"(?P<n>(?!1[5-9]\d\d\b|20\d\d\b)\d+(?:\.\d+)?|a|an|one|a couple of|couple of|a few|few|"
    r"several|many|some|a number of|a couple|numerous)"
)
_UNIT = r"(?P<unit>" + "|".join(sorted(UNIT_WORDS, key=len, reverse=True)) + r")s?"
_SHIFT = re.compile(
    rf"^(?:the )?{_QUANTITY} (?:more |other )?{_UNIT} (?:or so )?"
    r"(?P<dir>ago|earlier|later|before|after|from now|hence|back|previously|since|on)$"
)
_DURATION = re.compile(
    r"^(?:(?:the|a|an|its|their|his|her|our|this|that|those|these|each of the|all|"
    r"past|last|next|first|coming|previous|preceding|latest|following|final|remaining|"
    r"additional|further|initial|recent|prior|entire|whole|full|same|other|another|"
    r"succeeding|subsequent) )*"
    rf"{_QUANTITY}(?: (?:to|or|and) \d+)? (?:(?:more|additional|extra|straight|consecutive|"
    r"full|long|short|trading|business|working|calendar|fiscal|successive|further|"
    rf"separate|difficult|hard|tough|critical|crucial|hectic|tumultuous) )*{_UNIT}"
    r"(?: (?:or so|long|in a row|running|straight|or more|and counting|period|span|"
    r"stretch|term|spell|window|interval|stint|tenure|sentence|contract|run))?$"
)
_PAST_DECADE = re.compile(r"^(?:the )?(?:past|last|previous) (?P<unit>decade|century)$")
_BARE_UNITS = re.compile(
    r"^(?:the |those |these )?(?:(?:past|last|next|coming|following|early|first|ensuing|"
    rf"intervening|remaining) )*(?P<unit>{'|'.join(sorted(UNIT_WORDS, key=len, reverse=True))})"
    r"s(?: or (?:days|weeks|months|years))?(?: long)?$|^(?P<single>centuries)$"
)
_UNIT_LONG = re.compile(rf"^{_UNIT} long$")
_SET_EVERY = re.compile(
    rf"^(?:(?P<times>once|twice|\d+ times) )?(?:every|each|per|a|an) (?:other |single )?"
    rf"(?:(?P<n>\d+) )?{_UNIT}$"
)
_SET_ADVERBS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M",
                "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H",
                "biweekly": "P2W", "biannually": "P6M", "semiannually": "P6M"}  # fmt: skip
_PRESENT = {"now", "right now", "just now", "currently", "current", "nowadays", "at present",
            "present", "presently", "these days", "this time", "the moment", "this moment",
            "the present", "the present time", "the current time"}  # fmt: skip
_PAST = {"recently", "recent", "most recently", "more recently", "the past", "lately",
         "formerly", "previously", "the recent past", "earlier", "the old days",
         "once", "in the past", "past"}  # fmt: skip
_FUTURE = {"the future", "future", "the near future", "the foreseeable future", "soon",
           "the near term", "the short term", "the long term", "the long run",
           "the short run", "a later date", "later", "as soon as possible", "the days ahead",
           "the weeks ahead", "the months ahead", "the years ahead", "the coming days",
           "the coming weeks", "the coming months", "the coming years", "down the road",
           "the medium term", "the longer term", "the near term future"}  # fmt: skip
_VAGUE_PERIODS = re.compile(
    r"^(?:the )?(?P<when>coming|upcoming|recent|future|past|following|next few|"
    r"past few|last few|ensuing) (?P<unit>days|weeks|months|years|quarters|decades)$"
)
_EDGE = re.compile(
    r"^(?:the )?(?:(?:very )?(?:earlier|early|later|late|mid|middle|end|beginning|start|rest|"
    r"remainder|close|turn|balance|latter part|first part|last part|course|bulk|heart|"
    r"height|depths|dawn|eve|sometime|some time|around|all|throughout)(?: of| in)?(?: the)? )+"
)
_AGE = re.compile(r"\b(?:\d+|several|many|few) (?:year|month|week|day)s? old\b|\byears old\b")


def _clean(text: str) -> str:
    words = words_of(text)
    while words and words[0] in _LEADING:
        words = words[1:]
    s = " ".join(words)
    s = re.sub(r" or so$| or more$| and beyond$| or later$| or earlier$", "", s)
    return _HEDGE.sub("", s).strip()


def normalise(text: str, anchors: Anchors) -> TimeValue | None:
    """The TIMEX3 type and value of one time expression, or None when the words are not one
    we can read (ages, bare numbers, "the week" alone)."""
    s = _clean(text)
    if not s or _AGE.search(s) or (s.isdigit() and len(s) != 4):
        return None
    for rule in (_reference, _set, _vague_periods, _shifted, _duration):
        found = rule(s, anchors)
        if found is not None:
            return found
    return _with_time_of_day(s, anchors)


def _reference(s: str, anchors: Anchors) -> TimeValue | None:
    if s in _PRESENT:
        return TimeValue("DATE", "PRESENT_REF", relative=True)
    if s in _PAST:
        return TimeValue("DATE", "PAST_REF", relative=True)
    if s in _FUTURE:
        return TimeValue("DATE", "FUTURE_REF", relative=True)
    return None


def _vague_periods(s: str, anchors: Anchors) -> TimeValue | None:
    """ "the coming weeks" (FUTURE_REF), "past years" (PAST_REF), "recent months" and "the
    past few weeks" (a duration of some months or weeks)."""
    match = _VAGUE_PERIODS.match(s)
    if not match:
        return None
    when = match["when"]
    if when in ("coming", "upcoming", "future", "ensuing", "following"):
        return TimeValue("DATE", "FUTURE_REF", relative=True)
    if when == "past":
        return TimeValue("DATE", "PAST_REF", relative=True)
    return TimeValue("DURATION", _duration_value("X", match["unit"].rstrip("s")))


def _set(s: str, anchors: Anchors) -> TimeValue | None:
    if s in _SET_ADVERBS:
        return TimeValue("SET", _SET_ADVERBS[s])
    if match := _SET_EVERY.match(s):
        if match["times"] is None and s.split()[0] in ("a", "an"):
            return None  # "a year" is a duration
        amount = match["n"] or "1"
        return TimeValue("SET", _duration_value(amount, match["unit"]))
    words = s.split()
    # "Tuesdays", "Tuesday nights": every such day.
    plural_day = (
        len(words) in (1, 2) and words[0].endswith("s") and words[0][:-1] in WEEKDAYS
    ) or (
        len(words) == 2
        and words[0] in WEEKDAYS
        and words[1].rstrip("s") in PARTS_OF_DAY
        and words[1].endswith("s")
    )
    if words and (words[0] in ("every", "each") or plural_day):
        rest = (
            words[1:] if words[0] in ("every", "each") else [words[0].removesuffix("s"), *words[1:]]
        )
        if not rest:
            return None
        part = PARTS_OF_DAY.get(rest[-1].rstrip("s")) if len(rest) == 2 else None
        head = rest[0].rstrip("s") if rest[0] not in MONTHS else rest[0]
        if head in WEEKDAYS and (len(rest) == 1 or part):
            value = f"XXXX-WXX-{WEEKDAYS.index(head) + 1}" + (f"T{part}" if part else "")
            return TimeValue("SET", value)
        if len(rest) == 1 and head in MONTHS:
            return TimeValue("SET", f"XXXX-{MONTHS[head]:02d}")
        if len(rest) == 1 and head in SEASONS:
            return TimeValue("SET", f"XXXX-{SEASONS[head]}")
        if len(rest) == 1 and head in PARTS_OF_DAY:
            return TimeValue("SET", f"XXXX-XX-XXT{PARTS_OF_DAY[head]}")
    return None


def _duration_value(amount: str, unit: str) -> str:
    unit = unit.rstrip("s") if unit != "centuries" else "century"
    clock, letter = _DURATION_UNITS.get(unit, ("", "X"))
    if amount == "X":
        letter = letter.lstrip("0123456789")
        if unit == "decade" or unit == "century":
            letter = "Y"
        return f"P{clock}X{letter}"
    number = float(amount)
    if letter[0].isdigit():  # a decade is ten years, a fortnight two weeks
        scale = int(letter[:-1])
        number, letter = number * scale, letter[-1]
    written = str(int(number)) if number == int(number) else str(number)
    return f"P{clock}{written}{letter}"


def _amount(raw: str) -> str:
    if raw in ("a", "an", "one"):
        return "1"
    if raw in ("a couple of", "couple of", "a couple"):
        return "2"
    return raw if raw[0].isdigit() else "X"


def _duration(s: str, anchors: Anchors) -> TimeValue | None:
    if match := _DURATION.match(s):
        return TimeValue("DURATION", _duration_value(_amount(match["n"]), match["unit"]))
    if match := _PAST_DECADE.match(s):
        return TimeValue("DURATION", _duration_value("1", match["unit"]))
    if match := _BARE_UNITS.match(s):
        unit = match["unit"] or "century"
        return TimeValue("DURATION", _duration_value("X", unit))
    if match := _UNIT_LONG.match(s):
        plural = s.split()[0].endswith("s") and match["unit"] != "centuries"
        return TimeValue("DURATION", _duration_value("X" if plural else "1", match["unit"]))
    return None


def _shifted(s: str, anchors: Anchors) -> TimeValue | None:
    """ "two days later", "a year ago", "six months earlier": a shift from the publication
    ("ago", "from now") or from the narrative's reference time ("later", "earlier")."""
    if s in ("year earlier", "year ago", "year before"):
        s = "a " + s  # "year-earlier results"
    match = _SHIFT.match(s)
    if not match:
        return None
    amount = _amount(match["n"])
    unit = "century" if match["unit"] == "centuries" else match["unit"]
    direction = match["dir"]
    if amount == "X":
        if direction in ("ago", "earlier", "before", "back", "previously"):
            return TimeValue("DATE", "PAST_REF", relative=True)
        return TimeValue("DATE", "FUTURE_REF", relative=True)
    if unit in ("second", "minute", "hour"):
        return None
    steps = int(float(amount)) * (1 if direction in ("later", "after", "from now", "hence",
                                                      "on") else -1)  # fmt: skip
    if unit == "year" and abs(steps) == 1 and anchors.quarter is not None:
        # Reports compare a quarter with the same quarter a year before.
        return replace(
            _anchored(moved(anchors.quarter, "year", steps), True), moves_narrative=False
        )
    grain = {"night": "day", "fortnight": "week", "decade": "year", "century": "year"}.get(
        unit, unit
    )
    if direction in ("ago", "from now", "hence", "back"):
        return _anchored(at(shift(anchors.published, unit, steps), grain), True)
    reference = anchors.last or Point(anchors.day, "day")
    if _finer(reference.unit, unit):
        # "A year later" than a day is a day; than a quarter, a quarter.
        return _anchored(moved(reference, unit, steps), True)
    return _anchored(at(shift(anchors.day, unit, steps), grain), True)


def moved(point: Point, unit: str, steps: int) -> Point:
    """``point`` moved by ``steps`` units, keeping its own grain (and season)."""
    if point.unit == "season":
        return _season(shift(point.start, unit, steps).year, point.season or "SU")
    return at(shift(point.start, unit, steps), point.unit)


_GRAIN_ORDER = ["day", "week", "weekend", "month", "quarter", "season", "half", "year",
                "decade", "century"]  # fmt: skip


def _finer(a: str, b: str) -> bool:
    """Whether unit ``a`` is no coarser than unit ``b``."""
    b = "day" if b in ("night", "fortnight") else b
    return _GRAIN_ORDER.index(a) <= _GRAIN_ORDER.index(b if b in _GRAIN_ORDER else "year")


def _anchored(point: Point, relative: bool) -> TimeValue:
    return TimeValue("TIME" if point.is_time else "DATE", point.value, point, relative)


# -- dates, times of day ----------------------------------------------------------------------


def _with_time_of_day(s: str, anchors: Anchors) -> TimeValue | None:
    """A date, with a clock time ("4 a.m. Tuesday") or a part of the day ("Friday night")
    when one is given."""
    clock = _clock(s)
    rest = _CLOCK.sub(" ", s) if clock else s
    part_match = _PART.search(rest)
    part = PARTS_OF_DAY[part_match["part"]] if part_match else None
    if part_match:
        word = part_match["part"]
        rest = rest[: part_match.start()] + " " + rest[part_match.end() :]
        if word == "tonight":
            rest += " today"
    rest = " ".join(_TIME_ZONE.sub(" ", rest).split())
    if part and not clock and (hour := re.match(r"^(\d{1,2})\b ?", rest)):
        number = int(hour[1])
        if 1 <= number <= 12:
            later_half = part in ("AF", "EV") or (part == "NI" and number >= 6)
            clock = f"{number % 12 + (12 if later_half else 0):02d}:00"
            rest = rest[hour.end() :]
    if not clock and not part:
        return _dated(s, anchors)
    rest = _EDGE.sub("", rest).strip()
    if rest in ("", "this", "the", "that", "same", "the same", "that same", "early", "late"):
        day = anchors.published if rest == "this" or (part and not rest) else anchors.day
        if rest in ("that", "the same", "that same", "same", "the") or (clock and not rest):
            day = anchors.day
        found = _anchored(Point(day, "day"), True)
    elif rest in ("last", "yesterday", "yesterday last"):
        found = _anchored(Point(anchors.published - timedelta(days=1), "day"), True)
    else:
        # "the next morning": the day after the narrative's day, at that part of it.
        found = _dated(rest, anchors) or _relative_day(f"{rest} day", anchors)
    if found is None or found.point is None or found.point.unit != "day":
        return found
    extra = {"clock": clock} if clock else {"part": part}
    return _anchored(replace(found.point, **extra), found.relative)


def _clock(s: str) -> str | None:
    match = _CLOCK.search(s)
    if not match:
        return None
    if match["word"]:
        return "24:00" if match["word"] == "midnight" else "12:00"
    if match["half"]:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if hour > 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if match["half"].startswith("p") else 0)
    elif match["oclock"]:
        hour, minute = int(match["oclock"]), 0
    else:
        hour, minute = int(match["h24"]), int(match["m24"])
    return f"{hour:02d}:{minute:02d}" if hour < 24 else None


def _dated(s: str, anchors: Anchors) -> TimeValue | None:
    for rule in (_absolute, _holiday, _quarter_or_half, _relative_day, _weekday_date,
                 _calendar_unit, _season_date, _decade, _year_anywhere):  # fmt: skip
        found = rule(s, anchors)
        if found is not None:
            return found
    return None


def _day_or_none(year: int, month: int, day: int) -> Point | None:
    try:
        return Point(date(year, month, day), "day")
    except ValueError:
        return None


def _absolute(s: str, anchors: Anchors) -> TimeValue | None:
    point: Point | None = None
    relative = False
    if match := _ISO_DAY.search(s):
        point = _day_or_none(int(match["year"]), int(match["month"]), int(match["day"]))
    elif match := _NUMERIC_DAY.search(s):
        first, second, year = int(match["first"]), int(match["second"]), int(match["year"])
        # "17.06.2025" is day first; "6/17/2025" month first unless the first cannot be a month.
        if match["sep"] == "." or first > 12:
            point = _day_or_none(year, second, first)
        else:
            point = _day_or_none(year, first, second)
    elif (match := _MONTH_DAY.search(s)) or (match := _DAY_MONTH.search(s)):
        month, day = MONTHS[match["month"]], int(match["day"])
        if match["year"]:
            point = _day_or_none(int(match["year"]), month, day)
        else:
            weekday = next((WEEKDAYS.index(w) for w in s.split() if w in WEEKDAYS), None)
            point = _nearest_day(month, day, anchors, weekday)
            relative = True
    elif match := _MONTH_YEAR.search(s):
        point = Point(date(int(match["year"]), MONTHS[match["month"]], 1), "month")
    elif (match := _MONTH_ONLY.search(s)) and _month_alone(s, match):
        point, relative = _month(s, MONTHS[match["month"]], anchors), True
    if point is None:
        return None
    return _anchored(point, relative)


def _month_alone(s: str, match: re.Match[str]) -> bool:
    """A month name that is the whole expression, give or take "last", "early", "this year"."""
    rest = (s[: match.start()] + " " + s[match.end() :]).split()
    allowed = {"last", "this", "next", "past", "coming", "early", "late", "mid", "middle",
               "end", "beginning", "start", "of", "the", "year", "in", "until", "since",
               "earlier", "later", "previous", "following"}  # fmt: skip
    return all(word in allowed for word in rest)


def _month(s: str, month: int, anchors: Anchors) -> Point:
    published = anchors.published
    words = s.split()
    year = published.year
    if "last year" in s or ("previous" in words and "year" in words):
        year -= 1
    elif "next year" in s:
        year += 1
    elif "this" in words:
        pass  # "this September", "January this year"
    elif "last" in words or "past" in words:
        start = date(published.year, month, 1)
        year = published.year if start < _start_of(published, "month") else published.year - 1
    elif "next" in words or "coming" in words:
        year = published.year if month > published.month else published.year + 1
    else:
        start = _choose_year(_month_span(month), published, anchors.tense)
        year = start.year if start else published.year
    return Point(date(year, month, 1), "month")


def _nearest_day(
    month: int, day: int, anchors: Anchors, weekday: int | None = None
) -> Point | None:
    """A month and day without a year, in the year around publication the tense points to;
    with a weekday ("Monday, Oct. 26"), in the year where the day falls on it."""

    def span(year: int) -> tuple[date, date] | None:
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        return (found, found) if weekday is None or found.weekday() == weekday else None

    found = _choose_year(span, anchors.published, anchors.tense if weekday is None else None)
    return Point(found, "day") if found else None


def _holiday(s: str, anchors: Anchors) -> TimeValue | None:
    words = s.replace("'", "").split()
    year = next((int(w) for w in words if re.fullmatch(r"1[0-9]\d\d|20\d\d", w)), None)
    name_words = [w for w in words if not w.isdigit() and w not in ("last", "this", "next")]
    name = " ".join(name_words)
    if name.endswith(" week") and name[:-5] in HOLIDAYS:
        rule = HOLIDAYS[name[:-5]]
        week = _choose_year(
            lambda y: (at(rule(y), "week").start, rule(y)), anchors.published, anchors.tense
        )
        return _anchored(at(week, "week"), True) if week else None
    rule = HOLIDAYS.get(name)
    if rule is None:
        return None
    if year is not None:
        return _anchored(Point(rule(year), "day"), False)
    tense = "future" if "next" in words else "past" if "last" in words else anchors.tense
    day = _choose_year(lambda y: (rule(y), rule(y)), anchors.published, tense)
    if "last" in words and day == anchors.published:
        day = rule(day.year - 1)
    return _anchored(Point(day, "day"), True) if day else None


_QUARTER_WORD = re.compile(r"\b(?P<kind>quarter|half)s?\b|\bq(?P<q>[1-4])\b")


def _quarter_or_half(s: str, anchors: Anchors) -> TimeValue | None:
    """ "the third quarter", "third-quarter", "the fiscal first quarter of 1990", "the
    year-earlier quarter", "the latest period", "the first half"."""
    match = _QUARTER_WORD.search(s)
    words = s.split()
    kind = (match["kind"] or "quarter") if match else None
    period = (
        "period" in words
        and any(
            w in words
            for w in ("latest", "year", "comparable", "corresponding", "same", "quarterly")
        )
        or bool(re.fullmatch(r"(?:the )?\d{4} period", s))
    )
    if kind is None and not period:
        return None
    if (
        match
        and s[match.end() :].strip() not in ("", "ended")
        and not re.match(
            rf"^\s*(?:of|in)?\s*(?:fiscal\s+|calendar\s+)?(?:the\s+)?(?:year\s+)?{_YEAR}?"
            r"\s*(?:a year ago|last year|this year|next year|of (?:this|last|next) year)?\s*$",
            s[match.end() :],
        )
    ):
        return None
    ordinal = int(match["q"]) if match and match["q"] else None
    ordinal = ordinal or next((_ORDINALS[w] for w in words if w in _ORDINALS), None)
    if kind == "half" and ordinal is None and ("last" in words or "latter" in words):
        ordinal = 2
    year_match = _YEAR_ONLY.search(s)
    year_back = any(p in s for p in ("year ago", "year earlier", "last year", "previous year",
                                      "prior year", "year before"))  # fmt: skip
    year_ahead = "next year" in s
    grain = "half" if kind == "half" else "quarter"
    published = anchors.published
    if ordinal is not None:
        if grain == "half" and ordinal > 2:
            return None
        month = (ordinal - 1) * (6 if grain == "half" else 3) + 1
        if year_match:
            year = int(year_match["year"])
        elif "this year" in s:
            year = published.year
        elif year_back and anchors.quarter is None:
            year = published.year - 1
        elif year_back:
            year = anchors.quarter.start.year - 1
        elif year_ahead:
            year = published.year + 1
        else:
            span = 6 if grain == "half" else 3

            def occurrence(y: int) -> tuple[date, date]:
                # A quarter is still talked of as coming until its results are out.
                start = date(y, month, 1)
                return start, shift_months(start, span + 3) - timedelta(days=1)

            start = _choose_year(occurrence, published, "future" if anchors.future else "past")
            year = start.year if start else published.year
            if year_back:
                year -= 1
        found = _anchored(Point(date(year, month, 1), grain), True)
        return replace(found, moves_narrative=not year_back)
    if grain == "half":
        return None
    # A quarter without an ordinal: the one the report is about.
    current = at(published, "quarter")
    if "this" in words or "current" in words:
        point = anchors.quarter or current
    elif ("last" in words or "previous" in words or "past" in words) and not year_back:
        point = Point(shift(current.start, "quarter", -1), "quarter")
    elif "next" in words or "coming" in words:
        point = Point(shift(current.start, "quarter", 1), "quarter")
    else:
        point = anchors.quarter or Point(shift(current.start, "quarter", -1), "quarter")
        if year_match:
            # "the 1988 period" after the third quarter of 1989: the one compared with.
            year_back = year_back or int(year_match["year"]) < point.start.year
            point = Point(date(int(year_match["year"]), point.start.month, 1), "quarter")
        elif year_back:
            point = Point(shift(point.start, "year", -1), "quarter")
    return replace(_anchored(point, True), moves_narrative=not year_back)


def _relative_day(s: str, anchors: Anchors) -> TimeValue | None:
    t = _EDGE.sub("", s).strip()
    published = anchors.published
    day: date | None = None
    if t in ("today", "this day", "this date"):
        day = published
    elif t in ("yesterday", "last day") or t == "day before yesterday":
        day = published - timedelta(days=1 if t != "day before yesterday" else 2)
    elif t in ("tomorrow", "day after tomorrow"):
        day = published + timedelta(days=1 if t == "tomorrow" else 2)
    elif re.fullmatch(r"(?:the )?(?:same|that|that same|this same) day|then", t):
        day = anchors.day
    elif re.fullmatch(
        r"(?:the )?(?:next|following|succeeding) (?:day|morning)|(?:the )?day after", t
    ):
        day = anchors.day + timedelta(days=1)
    elif re.fullmatch(r"(?:the )?(?:previous|preceding|prior) day|(?:the )?day before|"
                      r"(?:the )?(?:previous|preceding) (?:morning|evening|night)", t):  # fmt: skip
        day = anchors.day - timedelta(days=1)
    if day is None:
        return None
    return _anchored(Point(day, "day"), True)


def _weekday_date(s: str, anchors: Anchors) -> TimeValue | None:
    words = s.split()
    for position, word in enumerate(words):
        target = WEEKDAYS.index(word) if word in WEEKDAYS else _WEEKDAY_ABBR.get(word)
        if target is None or (word not in WEEKDAYS and len(words) > 2):
            continue
        before = words[position - 1] if position else ""
        if before == "last" and words[:1] == ["day"]:
            return None  # "the day before last Tuesday"
        if before in ("last", "next"):
            direction = before
        elif before in ("previous", "preceding"):
            day = anchors.day - timedelta(days=(anchors.day.weekday() - target) % 7 or 7)
            return _anchored(Point(day, "day"), True)
        elif before in ("following",):
            day = anchors.day + timedelta(days=(target - anchors.day.weekday()) % 7 or 7)
            return _anchored(Point(day, "day"), True)
        elif anchors.tense == "either" and before not in ("coming", "this coming"):
            direction = "nearest"
        else:
            future = anchors.future or before in ("coming", "this coming")
            direction = "future" if future else "past"
        return _anchored(Point(_weekday(target, anchors.published, direction), "day"), True)
    return None


_CALENDAR = re.compile(
    r"^(?:(?:the|this|that|its|their) )?(?P<which>last|this|next|coming|past|current|previous|"
    r"preceding|prior|following|same|that|latest|present|upcoming|ongoing|recent)?"
    r" ?(?:full |whole |entire )?(?:fiscal |calendar |financial |school |academic |working "
    r"|business )?"
    r"(?P<unit>week|weekend|month|quarter|year|decade|century|season)$"
)


def _calendar_unit(s: str, anchors: Anchors) -> TimeValue | None:
    """ "last week", "this year", "earlier this month", "the following year", "that year",
    "the end of the month"; "year-end" is the end of this year."""
    t = _EDGE.sub("", s).strip()
    t = re.sub(r"^(?:year|year's) end$|^end of (?:the )?year$", "this year", t)
    t = {"year end": "this year", "yearend": "this year", "month end": "this month"}.get(t, t)
    match = _CALENDAR.match(t)
    if not match:
        return None
    which = match["which"]
    unit = match["unit"]
    edged = t != s
    if unit == "season":
        return None
    published = anchors.published
    if which is None and unit == "weekend":
        which = "the"
    if which is None:
        if unit == "year" and t.startswith(("the", "its", "their")):
            which = "this"  # "sales for the year": the current year
        elif not edged and not t.startswith(("this", "that")):
            return None  # "the week" alone names no particular week
        else:
            which = "that" if t.startswith("that") else "this"
    if unit == "weekend":
        return _weekend(which, anchors)
    if which in ("this", "current", "present", "ongoing"):
        return _anchored(at(published, unit), True)
    if which in ("last", "past", "previous", "preceding", "prior", "latest", "recent"):
        if which in ("previous", "preceding", "prior") and anchors.last is not None:
            return _anchored(at(shift(_reference_for(unit, anchors), unit, -1), unit), True)
        return _anchored(at(shift(published, unit, -1), unit), True)
    if which in ("next", "coming", "upcoming"):
        return _anchored(at(shift(published, unit, 1), unit), True)
    if which == "following":
        return _anchored(at(shift(_reference_for(unit, anchors), unit, 1), unit), True)
    return _anchored(at(_reference_for(unit, anchors), unit), True)  # "that year", "the same week"


def _weekend(which: str, anchors: Anchors) -> TimeValue:
    """A weekend: "last weekend" is the one before the publication week's; "this weekend" and
    "the weekend" the latest begun (the coming one in future talk)."""
    published = anchors.published
    saturday = published - timedelta(days=(published.weekday() - 5) % 7)
    if which in ("next", "coming", "upcoming") or (which in ("this", "the") and anchors.future):
        saturday = published + timedelta(days=(5 - published.weekday()) % 7)
        if which == "next" and published.weekday() < 5:
            saturday += timedelta(weeks=1)
    elif which in ("last", "past", "previous"):
        if published.weekday() >= 5:
            saturday -= timedelta(weeks=1)
    elif which in ("that", "same", "following"):
        day = anchors.day + timedelta(weeks=1 if which == "following" else 0)
        saturday = day + timedelta(days=(5 - day.weekday()) % 7)
    return _anchored(at(saturday, "weekend"), True)


def _reference_for(unit: str, anchors: Anchors) -> date:
    """The narrative's time at the grain of ``unit``: the last point named, when it is at
    least that fine, else the reference day."""
    last = anchors.last
    if last is not None and _finer(last.unit, unit):
        return last.start
    return anchors.day


def _season_date(s: str, anchors: Anchors) -> TimeValue | None:
    t = _EDGE.sub("", s).strip()
    match = re.fullmatch(
        r"(?:the )?(?:(?P<which>this|last|next|past|this past|this coming|coming|that) )?"
        r"(?P<season>spring|summer|fall|autumn|winter)(?: (?:of )?(?P<year>\d{4}))?", t
    )  # fmt: skip
    if not match:
        return None
    code = SEASONS[match["season"]]
    published = anchors.published
    if match["year"]:
        return _anchored(_season(int(match["year"]), code), False)
    which = match["which"]
    years = (published.year - 1, published.year, published.year + 1)
    if which in ("last", "past", "this past"):
        year = max(y for y in years if _season_span(y, code)[1] < published)
    elif which in ("next", "coming", "this coming"):
        year = min(y for y in years if _season_span(y, code)[0] > published)
    elif which == "that" and anchors.last is not None:
        year = anchors.last.start.year
    else:
        tense = None if which == "this" else anchors.tense
        start = _choose_year(lambda y: _season_span(y, code), published, tense)
        year = start.year + (code == "WI") if start else published.year
    return _anchored(_season(year, code), True)


def _decade(s: str, anchors: Anchors) -> TimeValue | None:
    if match := _DECADE.search(s):
        if match["year"]:
            return _anchored(Point(date(int(match["year"]) * 10, 1, 1), "decade"), False)
        return _anchored(Point(date(1900 + int(match["short"]) * 10, 1, 1), "decade"), False)
    words = s.split()
    for word in words:
        if word in _DECADE_WORDS:
            return _anchored(Point(date(1900 + _DECADE_WORDS[word] * 10, 1, 1), "decade"), False)
    if match := _CENTURY.search(s):
        number = int(match["n"])
        if not 2 <= number <= 30:
            return None
        return _anchored(Point(date((number - 1) * 100, 1, 1), "century"), False)
    if re.fullmatch(r"(?:this|the current|the present) century", s):
        return _anchored(at(anchors.published, "century"), True)
    if re.fullmatch(r"(?:the )?(?:last|past|previous) (?:decade|century)", s):
        return None  # read as a duration by TimeML convention
    return None


def _year_anywhere(s: str, anchors: Anchors) -> TimeValue | None:
    """A year somewhere in the words: "fiscal 1990", "mid-1990", "the end of 1990", "1990 or
    later", "a good part of 1990"."""
    years = _YEAR_ONLY.findall(s)
    if len(set(years)) != 1:
        return None
    rest = _YEAR_ONLY.sub(" ", s).split()
    if any(word in UNIT_WORDS or word.rstrip("s") in UNIT_WORDS for word in rest if word not in
           ("year", "fiscal", "calendar")):  # fmt: skip
        return None
    return _anchored(Point(date(int(years[0]), 1, 1), "year"), False)
