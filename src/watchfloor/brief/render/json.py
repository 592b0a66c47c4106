"""JSON rendering: the briefing as a documented, versioned dict.

Schema (``schema_version`` 1)::

    {
      "schema_version": 1,
      "title": str, "topic": str | null,
      "period_start": "YYYY-MM-DD" | null, "period_end": "YYYY-MM-DD" | null (inclusive),
      "generated_at": ISO 8601 datetime,
      "sections": [{"key": str, "heading": str, "items": [item, ...]}, ...],
      "citations": [{"number": int, "article_id": str, "sentence_index": int,
                     "sentence_text": str, "title": str, "source": str, "url": str,
                     "published": ISO 8601 datetime | null}, ...]
    }

Section keys, in order: headline, summary, background, developments, statements, conclusion,
preparedness, related, sources (its items are empty: the sources are ``citations``).
Every item has a ``kind``:

- ``paragraph``: ``statements``
- ``bullet``: ``statements``, ``date`` ("YYYY-MM-DD" | null), ``precision`` (null when undated)
- ``quote``: ``speaker``, ``role`` (null when unknown), ``text``, ``direct``, ``citation``
- ``preparedness``: ``heading``, ``evidence`` (a statement), ``actions`` (our catalog's advice),
  ``categories`` (taxonomy keys)
- ``related``: ``title``, ``source``, ``published`` ("YYYY-MM-DD" | null), ``citation``

A statement is ``{"text": str, "citations": [int], "composed": bool}``: ``composed`` is false for
an article sentence quoted verbatim, true for a sentence written from extracted facts.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from watchfloor.brief.records import Briefing

SCHEMA_VERSION = 1


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
