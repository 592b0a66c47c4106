"""The public JSON form of one article's facts (``watchfloor extract --json``).

The schema is versioned: ``SCHEMA_VERSION`` changes whenever a field is removed or changes
meaning (adding a field does not). ``data/extract.schema.json`` is the JSON Schema of this
version; tests validate the output against it.
"""

from __future__ import annotations

from typing import Any

from watchfloor.model import Article, ArticleFacts, Count, Mention

SCHEMA_VERSION = 1


def _count(c: Count) -> dict[str, Any]:
    return {
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "sentence": c.sentence_index,
        "value": c.value,
        "value_max": c.value_max,
        "approx": c.approx_kind,
        "unit": c.role,
        "what": c.what,
        "update": c.is_update,
    }


def _place(name: str | None, country: str | None, lat: float | None, lon: float | None):
    if name is None and country is None and lat is None:
        return None
    return {"name": name, "country": country, "lat": lat, "lon": lon}


def _entity(m: Mention) -> dict[str, Any]:
    entity = {
        "text": m.text,
        "label": m.label,
        "start": m.start,
        "end": m.end,
        "sentence": m.sentence_index,
        "id": m.linked_id,
    }
    if m.lat is not None:
        entity |= {"lat": m.lat, "lon": m.lon}
    return entity


def facts_to_json(article: Article, facts: ArticleFacts) -> dict[str, Any]:
    """Everything extracted from one article; offsets are character offsets into ``text``."""
    return {
        "schema_version": SCHEMA_VERSION,
        "article": {
            "id": article.id,
            "url": article.url,
            "title": article.title,
            "source": article.source,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language,
            "duplicate_of": article.duplicate_of,
        },
        "text": article.text,
        "sentences": [
            {"index": s.index, "start": s.start, "end": s.end, "text": s.text}
            for s in facts.sentences
        ],
        "entities": [_entity(m) for m in facts.mentions],
        "times": [
            {
                "text": t.text,
                "start": t.start,
                "end": t.end,
                "sentence": t.sentence_index,
                "type": t.timex_type,
                "value": t.value,
                "precision": t.precision,
                "relative": t.relative,
            }
            for t in facts.times
        ],
        "counts": [_count(c) for c in facts.counts],
        "quotes": [
            {
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "sentence": q.sentence_index,
                "direct": q.direct,
                "speaker": q.speaker,
                "speaker_start": q.speaker_start,
                "speaker_end": q.speaker_end,
                "role": q.role,
                "cue": q.cue,
            }
            for q in facts.quotes
        ],
        "titles": [
            {
                "text": t.text,
                "start": t.start,
                "end": t.end,
                "sentence": t.sentence_index,
                "person": t.person,
                "role": t.role,
                "jurisdiction": t.jurisdiction,
            }
            for t in facts.titles
        ],
        "events": [
            {
                "date": e.date.isoformat() if e.date else None,
                "date_precision": e.date_precision,
                "category": e.category,
                "plover": e.plover,
                "cameo_root": e.cameo_code[:2] if e.cameo_code else None,
                "trigger": e.trigger,
                "actors": e.actors,
                "actor_countries": e.actor_countries,
                "targets": e.targets,
                "target_countries": e.target_countries,
                "place": _place(e.place, e.place_country, e.lat, e.lon),
                "counts": [_count(c) for c in e.counts],
                "sentence": e.sentence_index,
                "evidence": e.evidence,
                "origin": e.origin,
            }
            for e in facts.events
        ],
    }
