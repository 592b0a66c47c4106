"""Small wording helpers shared by compose and the renderers: dates, lists, punctuation."""

from __future__ import annotations

from datetime import date, timedelta

_SENTENCE_END = ".!?"


def format_day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def format_date(day: date, precision: str | None = "day") -> str:
    """A date at its precision: '17 June 2025', 'week of 16 June 2025', 'June 2025'."""
    if precision == "week":
        monday = day - timedelta(days=day.weekday())
        return f"week of {format_day(monday)}"
    if precision == "month":
        return f"{day:%B %Y}"
    if precision == "quarter":
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision == "year":
        return str(day.year)
    return format_day(day)


def format_period(start: date | None, end: date | None) -> str:
    """'1-20 June 2025', '28 May - 3 June 2025', '17 June 2025'; open ends say 'from'/'until'."""
    if start and end:
        if start == end:
            return format_day(start)
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}\u2013{format_day(end)}"
        if start.year == end.year:
            return f"{start.day} {start:%B}\u2013{format_day(end)}"
        return f"{format_day(start)}\u2013{format_day(end)}"
    if start:
        return f"from {format_day(start)}"
    return f"until {format_day(end)}" if end else "all dates"


def join_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'; 'a, b and c, and d' when an item has an 'and' of its own."""
    if len(words) <= 1:
        return "".join(words)
    last = ", and " if len(words) > 2 and any(" and " in w for w in words) else " and "
    return f"{', '.join(words[:-1])}{last}{words[-1]}"


def split_end(text: str) -> tuple[str, str]:
    """The sentence without its final full stop (or ! ?) and that mark, so a citation marker
    can sit before it: 'Kyiv was hit [3].' A sentence ending in a quotation mark keeps it."""
    stripped = text.rstrip()
    if stripped and stripped[-1] in _SENTENCE_END:
        return stripped[:-1], stripped[-1]
    return stripped, ""


def counted(number: int, noun: str) -> str:
    """'1 article', '3 articles'."""
    return f"{number} {noun}{'s' * (number != 1)}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def is_web_url(url: str) -> bool:
    """True for http(s) addresses: the only ones a briefing turns into links."""
    return url.lower().startswith(("http://", "https://"))
