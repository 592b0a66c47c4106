"""Doc -> ``watchfloor.model`` records: the only place component outputs become records."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from watchfloor.extract.components.common import SentenceLocator, article_sentences
from watchfloor.model import (
    ArticleFacts,
    Count,
    Event,
    Mention,
    PersonTitle,
    Quote,
    Sentence,
    TimeExpr,
)


def doc_to_facts(doc: Doc, article_id: str) -> ArticleFacts:
    """Every fact in ``doc`` as records; offsets are into ``doc.text`` (the article text)."""
    text = doc.text
    spans = article_sentences(doc)
    locate = SentenceLocator(spans).index_of
    sentences = [
        Sentence(article_id, index, span.start_char, span.end_char, span.text)
        for index, span in enumerate(spans)
    ]
    mentions = [
        Mention(
            text=text[m["start"] : m["end"]],
            label=m["label"],
            start=m["start"],
            end=m["end"],
            sentence_index=locate(m["start"]),
            linked_id=m["linked_id"],
            lat=m["lat"],
            lon=m["lon"],
        )
        for m in doc._.mentions or []
    ]
    times = [
        TimeExpr(
            text=text[t["start"] : t["end"]],
            start=t["start"],
            end=t["end"],
            sentence_index=locate(t["start"]),
            value=t["value"],
            precision=t["precision"],
            date=date.fromisoformat(t["date"]) if t["date"] else None,
            relative=t["relative"],
            timex_type=t["timex_type"],
        )
        for t in doc._.times or []
    ]
    counts = [
        Count(
            text=text[c["start"] : c["end"]],
            start=c["start"],
            end=c["end"],
            sentence_index=locate(c["start"]),
            value=c["value"],
            what=c["what"],
            role=c["role"],
            approx=c["approx"],
            value_max=c["value_max"],
            is_update=c["is_update"],
            approx_kind=c["approx_kind"],
        )
        for c in doc._.counts or []
    ]
    quotes = [
        Quote(
            text=text[q["start"] : q["end"]],
            start=q["start"],
            end=q["end"],
            sentence_index=locate(q["start"]),
            speaker=q["speaker"],
            role=q["role"],
            direct=q["direct"],
            cue=q["cue"],
            speaker_start=q["speaker_start"],
            speaker_end=q["speaker_end"],
        )
        for q in doc._.quotes or []
    ]
    events = [
        Event(
            category=e["category"],
            trigger=text[e["trigger_start"] : e["trigger_end"]],
            sentence_index=e["sentence_index"],
            evidence=[e["sentence_index"]],
            date=date.fromisoformat(e["date"]) if e["date"] else None,
            date_precision=e["date_precision"],
            actors=list(e["actors"]),
            targets=list(e["targets"]),
            actor_countries=list(e["actor_countries"]),
            target_countries=list(e["target_countries"]),
            place=e["place"],
            place_id=e["place_id"],
            place_country=e["place_country"],
            lat=e["lat"],
            lon=e["lon"],
            counts=[counts[position] for position in e["counts"]],
            plover=e["plover"],
            cameo_code=e["cameo_code"],
        )
        for e in doc._.events or []
    ]
    titles = [
        PersonTitle(
            text=text[t["start"] : t["end"]],
            start=t["start"],
            end=t["end"],
            sentence_index=locate(t["start"]),
            person=text[t["person_start"] : t["person_end"]],
            role=text[t["role_start"] : t["role_end"]],
            jurisdiction=t["jurisdiction"],
        )
        for t in doc._.titles or []
    ]
    return ArticleFacts(
        article_id=article_id,
        sentences=sentences,
        mentions=mentions,
        times=times,
        counts=counts,
        quotes=quotes,
        events=events,
        titles=titles,
    )
