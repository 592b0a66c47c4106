"""Layout decisions every renderer shares, so the formats cannot drift apart."""

from __future__ import annotations

from itertools import groupby

from watchfloor.brief.records import Bullet, Item, StoryItem
from watchfloor.brief.text import format_date, format_day

# How each kind of reliability note is labelled.
NOTE_LABELS = {
    "title": "Title error",
    "contradiction": "Contradiction",
    "single_source": "Single source",
}
_BLOCKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def timeline(items: list[Item]) -> tuple[list[Bullet], list[tuple[str, list[Bullet]]]]:
    """Undated bullets, then dated ones grouped under one date label per day (input order kept:
    compose sorts the timeline oldest first)."""
    bullets = [i for i in items if isinstance(i, Bullet)]
    undated = [b for b in bullets if b.date is None]
    dated = [b for b in bullets if b.date is not None]
    groups = [
        (format_date(day, precision), list(group))
        for (day, precision), group in groupby(dated, key=lambda b: (b.date, b.precision))
    ]
    return undated, groups


def sparkline_text(values: list[float]) -> str:
    """A series as block characters, for plain-text formats: '▁▁▃█▂'."""
    top = max(values, default=0) or 1
    return "".join(_BLOCKS[round(v / top * (len(_BLOCKS) - 1))] for v in values)


def story_span(story: StoryItem) -> str:
    if story.start is None:
        return "undated"
    if story.end is None or story.end == story.start:
        return format_day(story.start)
    return f"{format_day(story.start)} \u2013 {format_day(story.end)}"
