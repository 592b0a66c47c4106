"""JSON rendering: the briefing as a versioned dict, described by the JSON Schema shipped in
``watchfloor/data/briefing.schema.json`` (see README, "The briefing"), and read back.

Every item has a ``kind`` (paragraph, bullet, quote, title_check, trend, preparedness, story,
note); a statement is ``{"text", "citations", "composed", "derived"}``. Citations of ``kind``
"article" point to a stored article's sentence, those of kind "kb" to an entry of the
office-holder knowledge base.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from watchfloor.brief.records import (
    Briefing,
    Bullet,
    Item,
    NoteItem,
    Paragraph,
    PreparednessItem,
    QuoteItem,
    Section,
    Statement,
    StoryItem,
    TitleCheckItem,
    TrendItem,
)
from watchfloor.model import Citation

SCHEMA_VERSION = 2
SCHEMA_FILE = "briefing.schema.json"


@cache
def briefing_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON form."""
    return json.loads(files("watchfloor.data").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def briefing_dict(briefing: Briefing) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, **_plain(asdict(briefing))}


def render_json(briefing: Briefing) -> str:
    return json.dumps(briefing_dict(briefing), ensure_ascii=False, indent=2) + "\n"


# -- reading back ---------------------------------------------------------------------------


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _statement(data: dict[str, Any] | None) -> Statement | None:
    if data is None:
        return None
    return Statement(data["text"], list(data["citations"]), data["composed"], list(data["derived"]))


def _item(data: dict[str, Any]) -> Item:
    kind = data["kind"]
    fields = {k: v for k, v in data.items() if k != "kind"}
    if kind == "paragraph":
        return Paragraph([_statement(s) for s in data["statements"]])
    if kind == "bullet":
        fields["statements"] = [_statement(s) for s in data["statements"]]
        fields["date"] = _day(data["date"])
        return Bullet(**fields)
    if kind == "quote":
        fields["said_on"] = _day(data["said_on"])
        fields["role_check"] = _statement(data["role_check"])
        return QuoteItem(**fields)
    if kind == "title_check":
        fields["sentence"] = _statement(data["sentence"])
        fields["note"] = _statement(data["note"])
        fields["evidence"] = _statement(data["evidence"])
        return TitleCheckItem(**fields)
    if kind == "trend":
        fields["days"] = [date.fromisoformat(d) for d in data["days"]]
        fields["statement"] = _statement(data["statement"])
        return TrendItem(**fields)
    if kind == "preparedness":
        fields["evidence"] = _statement(data["evidence"])
        return PreparednessItem(**fields)
    if kind == "story":
        fields["start"], fields["end"] = _day(data["start"]), _day(data["end"])
        return StoryItem(**fields)
    if kind == "note":
        fields["statement"] = _statement(data["statement"])
        return NoteItem(**fields)
    raise ValueError(f"unknown briefing item kind {kind!r}")


def briefing_from_dict(data: dict[str, Any]) -> Briefing:
    """A briefing from its JSON form (as stored in the archive), to render in any format."""
    return Briefing(
        title=data["title"],
        headline=data["headline"],
        period_start=_day(data["period_start"]),
        period_end=_day(data["period_end"]),
        generated_at=datetime.fromisoformat(data["generated_at"]),
        topic=data["topic"],
        sections=[
            Section(s["key"], s["heading"], [_item(i) for i in s["items"]])
            for s in data["sections"]
        ],
        citations=[
            Citation(**{**c, "published": _moment(c["published"])}) for c in data["citations"]
        ],
    )
