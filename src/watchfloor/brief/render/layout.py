"""Layout decisions every renderer shares, so the formats cannot drift apart."""

from __future__ import annotations

from itertools import groupby

from watchfloor.brief.records import Bullet, Item
from watchfloor.brief.text import format_date


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
