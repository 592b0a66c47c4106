"""Walk a briefing's statements, and check each against the sentences it cites: every number,
date and name a statement states must be in a cited sentence (or, for outlets and publication
days, in the cited articles' own details), our own computations (``derived``) excepted."""

from __future__ import annotations

import re
from collections.abc import Iterator

from watchfloor.brief.records import Briefing, Statement, item_statements
from watchfloor.model import Citation

MONTHS = {
    month: number
    for number, month in enumerate(
        [
            "january", "february", "march", "april", "may", "june",
            "july", "august", "september", "october", "november", "december",
        ],
        1,
    )
}  # fmt: skip
_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_NUMBER_WORD = re.compile(
    r"\b(?:("
    + "|".join(_TENS)
    + r")(?:[- ]("
    + "|".join(_UNITS[1:10])
    + r"))?|("
    + "|".join(_UNITS)
    + r"))\b",
    re.IGNORECASE,
)
_MONTH = "(" + "|".join(MONTHS) + ")"
# "17 June 2025", "17 June", "June 17, 2025", "June 17", "2025-06-17".
_DAY_MONTH = re.compile(r"\b(\d{1,2}) " + _MONTH + r"(?: (\d{4}))?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(
    r"\b" + _MONTH + r" (\d{1,2})(?:st|nd|rd|th)?(?:, (\d{4}))?\b", re.IGNORECASE
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_FIGURE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
# A capitalised word: a name, an outlet, a title as written.
_NAME = re.compile(r"\b[A-Z][\w'\u2019-]*[\w]")


def statements(briefing: Briefing, key: str | None = None) -> Iterator[Statement]:
    for section in briefing.sections:
        if key and section.key != key:
            continue
        for item in section.items:
            yield from item_statements(item)


def texts(briefing: Briefing, key: str) -> list[str]:
    return [s.text for s in statements(briefing, key)]


def dates(text: str) -> tuple[set[tuple[int, int]], str]:
    """The (month, day) pairs a text names, and the text with them (and their years) cut."""
    found: set[tuple[int, int]] = set()

    def cut(month: int, day: int) -> str:
        found.add((month, day))
        return " "

    text = _ISO.sub(lambda m: cut(int(m.group(2)), int(m.group(3))), text)
    text = _DAY_MONTH.sub(lambda m: cut(MONTHS[m.group(2).lower()], int(m.group(1))), text)
    text = _MONTH_DAY.sub(lambda m: cut(MONTHS[m.group(1).lower()], int(m.group(2))), text)
    return found, text


def numbers(text: str) -> set[float]:
    """Figures in digits ("1,000", "2.5") and in words ("twenty-eight", "five")."""
    found = {float(f.replace(",", "")) for f in _FIGURE.findall(text)}
    for m in _NUMBER_WORD.finditer(text):
        tens, unit, single = m.groups()
        if single:
            found.add(float(_UNITS.index(single.lower())))
        else:
            found.add(float(_TENS[tens.lower()] + (_UNITS.index(unit.lower()) if unit else 0)))
    return found


def names(text: str) -> set[str]:
    """Capitalised words past the first: what a sentence names (months and the words our
    sentences begin with aside)."""
    words = _NAME.findall(text)
    return {w for w in words[1:] if w.lower() not in MONTHS}


def ungrounded(briefing: Briefing) -> list[str]:
    """Every number, date and name of every statement that none of its citations holds."""
    by_number = {c.number: c for c in briefing.citations}
    problems = []
    for s in statements(briefing):
        cited: list[Citation] = [by_number[n] for n in s.citations]
        held = " ".join(c.sentence_text for c in cited)
        details = " ".join(f"{c.source} {c.title}" for c in cited)
        held_days, _ = dates(held)
        held_days |= {(c.published.month, c.published.day) for c in cited if c.published}
        held_numbers = numbers(held) | {
            float(v) for c in cited if c.published for v in (c.published.day, c.published.year)
        }
        text = s.text
        for part in s.derived:  # each once, as a whole: "0" is not the 0 of "20 June"
            whole = re.compile(r"(?<![\w.,])" + re.escape(part) + r"(?![\w])")
            text, cut = whole.subn(" ", text, count=1)
            if not cut:
                problems.append(f"derived {part!r} is not in {s.text!r}")
        days, rest = dates(text)
        problems += [f"date {d} of {s.text!r}" for d in days - held_days]
        problems += [f"number {n:g} of {s.text!r}" for n in numbers(rest) - held_numbers]
        problems += [f"name {w!r} of {s.text!r}" for w in names(rest) if w not in held + details]
    return problems
