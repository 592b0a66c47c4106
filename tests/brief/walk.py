"""Walk a briefing's statements in reading order, for assertions over all of them."""

from __future__ import annotations

from collections.abc import Iterator

from watchfloor.brief.records import (
    Briefing,
    Bullet,
    Paragraph,
    PreparednessItem,
    Statement,
)


def statements(briefing: Briefing, key: str | None = None) -> Iterator[Statement]:
    for section in briefing.sections:
        if key and section.key != key:
            continue
        for item in section.items:
            if isinstance(item, Paragraph | Bullet):
                yield from item.statements
            elif isinstance(item, PreparednessItem):
                yield item.evidence


def texts(briefing: Briefing, key: str) -> list[str]:
    return [s.text for s in statements(briefing, key)]
