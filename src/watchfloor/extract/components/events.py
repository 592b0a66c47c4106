"""wf_events: threat-taxonomy categories per sentence, with actors, targets, place and date.

Triggers from the taxonomy file match on lemmas, so "drone attacks" matches the trigger
"drone attack". A weak trigger ("drones") counts only with a context word in the same sentence
("launched"). Where triggers of two categories overlap, the longer one wins: "military aid" is
military cooperation, not humanitarian aid.
"""

from __future__ import annotations

from typing import TypedDict

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from watchfloor.extract.components.common import (
    article_sentences,
    is_reporting_verb,
    published_date,
    register_doc_list,
)
from watchfloor.extract.taxonomy import TaxonomyEntry, load_taxonomy

register_doc_list("events")

_STRONG, _WEAK, _CONTEXT = "strong", "weak", "context"
_ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")
_PLACE_LABELS = ("GPE", "LOC", "FAC")
_TARGET_PREPOSITIONS = ("on", "against", "at")
_PLACE_PREPOSITIONS = ("in", "on", "at", "near", "over")
_CONTEXT_REACH = 8  # tokens between a weak trigger and its context word


class EventRecord(TypedDict):
    category: str
    trigger_start: int  # character offsets of the trigger words
    trigger_end: int
    sentence_index: int
    date: str | None  # ISO date
    date_precision: str | None
    actors: list[str]
    targets: list[str]
    actor_countries: list[str]  # ISO 3166 alpha-2 of actors that are countries
    target_countries: list[str]
    place: str | None
    place_id: str | None
    place_country: str | None
    counts: list[int]  # positions in doc._.counts


def _variants(words: list[str]) -> set[tuple[str, ...]]:
    """Lemma spellings a trigger may take: proper-noun lemmas keep their capitals."""
    return {
        tuple(words),
        tuple(w.capitalize() for w in words),
        tuple([words[0].capitalize(), *words[1:]]),
        tuple(w.upper() for w in words),
    }


class EventTagger:
    def __init__(self, nlp: Language, name: str, taxonomy: dict[str, TaxonomyEntry]) -> None:
        self.name = name
        self.taxonomy = taxonomy
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for key, entry in taxonomy.items():
            for kind, phrases in (
                (_STRONG, entry.triggers),
                (_WEAK, entry.weak_triggers),
                (_CONTEXT, entry.context),
            ):
                patterns = []
                for phrase in phrases:
                    words = [t.text for t in nlp.make_doc(phrase)]
                    for lemmas in _variants(words):
                        patterns.append(Doc(nlp.vocab, words=list(lemmas), lemmas=list(lemmas)))
                if patterns:
                    self.matcher.add(f"{key}|{kind}", patterns)

    def __call__(self, doc: Doc) -> Doc:
        sentences = article_sentences(doc)
        sentence_of = [-1] * len(doc)
        for index, sentence in enumerate(sentences):
            for i in range(sentence.start, sentence.end):
                sentence_of[i] = index
        found: dict[tuple[int, str], dict[str, list[Span]]] = {}
        triggers: list[Span] = []
        for match_id, start, end in self.matcher(doc):
            key, kind = doc.vocab.strings[match_id].split("|")
            index = sentence_of[start]
            if index < 0:
                continue
            span = Span(doc, start, end, label=key)
            found.setdefault((index, key), {}).setdefault(kind, []).append(span)
            if kind != _CONTEXT:
                triggers.append(span)
        records: list[EventRecord] = []
        for (index, key), kinds in sorted(found.items()):
            trigger = self._trigger(kinds, triggers)
            if trigger is None:
                continue
            records.append(self._event(doc, sentences, index, key, trigger))
        doc._.events = records
        return doc

    def _trigger(self, kinds: dict[str, list[Span]], triggers: list[Span]) -> Span | None:
        def outranked(span: Span) -> bool:
            return any(
                other.label != span.label
                and other.start <= span.start
                and span.end <= other.end
                and len(other) > len(span)
                for other in triggers
            )

        strong = [s for s in kinds.get(_STRONG, []) if not outranked(s)]
        if strong:
            return min(strong, key=lambda s: s.start)
        for weak in sorted(kinds.get(_WEAK, []), key=lambda s: s.start):
            if not outranked(weak) and any(
                0 <= weak.start - c.end <= _CONTEXT_REACH
                or 0 <= c.start - weak.end <= _CONTEXT_REACH
                for c in kinds.get(_CONTEXT, [])
            ):
                return weak
        return None

    def _event(
        self, doc: Doc, sentences: list[Span], index: int, key: str, trigger: Span
    ) -> EventRecord:
        sentence = sentences[index]
        actors: list[str] = []
        targets: list[str] = []
        actor_countries: list[str] = []
        target_countries: list[str] = []
        place: str | None = None
        place_id: str | None = None
        place_country: str | None = None
        for mention in doc._.mentions or []:
            if not sentence.start_char <= mention["start"] < sentence.end_char:
                continue
            span = doc.char_span(mention["start"], mention["end"], alignment_mode="expand")
            if span is None:
                continue
            root, label, text = span.root, mention["label"], span.text
            country = _country(mention["linked_id"])
            if label in _ACTOR_LABELS and _is_actor(root):
                _add(actors, text)
                _add(actor_countries, country)
            elif label in _ACTOR_LABELS + _PLACE_LABELS and _is_target(root):
                _add(targets, text)
                _add(target_countries, country)
            if place is None and label in _PLACE_LABELS and _in_place_phrase(root):
                place, place_id, place_country = text, mention["linked_id"], country
        date, precision = self._date(doc, sentence)
        counts = [
            position
            for position, count in enumerate(doc._.counts or [])
            if sentence.start_char <= count["start"] < sentence.end_char
        ]
        return EventRecord(
            category=key,
            trigger_start=trigger.start_char,
            trigger_end=trigger.end_char,
            sentence_index=index,
            date=date,
            date_precision=precision,
            actors=actors,
            targets=targets,
            actor_countries=actor_countries,
            target_countries=target_countries,
            place=place,
            place_id=place_id,
            place_country=place_country,
            counts=counts,
        )

    def _date(self, doc: Doc, sentence: Span) -> tuple[str | None, str | None]:
        """The sentence's first day-precision time, else its first time of any precision,
        else the last day mentioned before it, else the publication day."""
        times = doc._.times or []
        here = [t for t in times if sentence.start_char <= t["start"] < sentence.end_char]
        days = [t for t in here if t["precision"] in ("day", "time")]
        if days:
            return days[0]["date"], "day"
        if here:
            return here[0]["date"], here[0]["precision"]
        before = [
            t
            for t in times
            if t["end"] <= sentence.start_char and t["precision"] in ("day", "time")
        ]
        if before:
            return before[-1]["date"], "day"
        published = published_date(doc)
        return (published.isoformat(), "day") if published else (None, None)


def _country(linked_id: str | None) -> str | None:
    """ "iso:RU" -> "RU"; organisations and unlinked mentions have no country."""
    if linked_id and linked_id.startswith("iso:"):
        return linked_id[4:]
    return None


def _add(items: list[str], item: str | None) -> None:
    if item is not None and item not in items:
        items.append(item)


def _is_actor(root: Token) -> bool:
    if root.dep_ == "nsubj":
        # Who says a thing is its source, not its actor: "..., Shoigu said".
        return not is_reporting_verb(root.head)
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        return True  # "attacked by Russia"
    # "Russia's attack ...", "Russian drones hit ...": the owner of the subject.
    return root.dep_ in ("poss", "amod", "compound") and root.head.dep_ == "nsubj"


def _is_target(root: Token) -> bool:
    if root.dep_ in ("dobj", "nsubjpass"):
        return True
    if root.dep_ == "pobj" and root.head.lower_ in _TARGET_PREPOSITIONS:
        return True
    head = root.head
    return root.dep_ in ("poss", "compound", "amod") and (
        head.dep_ in ("dobj", "nsubjpass")
        or (head.dep_ == "pobj" and head.head.lower_ in _TARGET_PREPOSITIONS)
    )


def _in_place_phrase(root: Token) -> bool:
    if root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPOSITIONS:
        return True
    head = root.head
    return (
        root.dep_ in ("poss", "compound")
        and head.dep_ == "pobj"
        and head.head.lower_ in _PLACE_PREPOSITIONS
    )


@Language.factory(
    "wf_events",
    assigns=["doc._.events"],
    requires=[
        "doc.sents", "token.lemma", "token.dep", "doc._.mentions", "doc._.times",
        "doc._.counts",
    ],
    default_config={"taxonomy": ""},
)  # fmt: skip
def make_event_tagger(nlp: Language, name: str, taxonomy: str) -> EventTagger:
    """``taxonomy``: path to a taxonomy TOML file; empty for the packaged one."""
    return EventTagger(nlp, name, load_taxonomy(taxonomy or None))
