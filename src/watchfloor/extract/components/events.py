"""wf_events: who did what to whom, where and when, per sentence.

Each sentence is read twice. The threat taxonomy (``data/taxonomy.toml``) says what it is about:
triggers match on lemmas, so "drone attacks" matches "drone attack"; a weak trigger ("drones")
counts only with a context word near it ("launched"); a trigger marked "/noun" only as a noun
("talks", not "stopped talking"), one marked "/predicate" not as a modifier ("40 were
wounded", not "wounded prisoners"); where triggers of two categories overlap the longer wins
("military aid" is cooperation, not humanitarian aid); weapons that are sent, sold or delivered
are military cooperation, not strikes. The action reader (``watchfloor.extract.actions``) says
what someone did: the PLOVER type and CAMEO root of the sentence's main action, its actors and
targets.

Every category found is an event carrying the sentence's action; a sentence whose main
predicate names an action but no category is one event of category "other" (the name GDELT
imports use for actions outside the taxonomy), unless the action is inside a direct quotation.
An event's counts are the sentence's counts whose role belongs to its category
(``count_roles.toml`` [events]), or all of them when no category claims the role. Its date is
the time in the trigger's own clause, else in the action's, else the sentence's own time (a
wire dateline's date says when the story was filed, not when it happened), else the date
wf_times gives the sentence (the narrative's last day or the publication day).
"""

from __future__ import annotations

import re
from typing import TypedDict

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from watchfloor.extract.actions import Action, ActionReader, phrase_tokens
from watchfloor.extract.components.common import (
    article_sentences,
    is_reporting_verb,
    register_doc_list,
)
from watchfloor.extract.components.counts import load_roles
from watchfloor.extract.plover import load_plover
from watchfloor.extract.taxonomy import TaxonomyEntry, load_taxonomy
from watchfloor.model import OTHER_CATEGORY

register_doc_list("events")

_STRONG, _WEAK, _CONTEXT = "strong", "weak", "context"
# Trigger suffixes: "/noun" counts only as a noun, "/predicate" only where it does not modify a
# noun ("the wounded prisoners" are no casualty report).
_POS_SUFFIXES = ("/noun", "/predicate")
_ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")
_PLACE_LABELS = ("GPE", "LOC", "FAC")
_TARGET_PREPOSITIONS = ("on", "against", "at")
_PLACE_PREPOSITIONS = ("in", "on", "at", "near", "over")
_CONTEXT_REACH = 8  # tokens between a weak trigger and its context word
# Weapons that are the object of these are supplies, not strikes ("sent shells to Russia").
_SUPPLY_VERBS = {
    "send", "supply", "deliver", "provide", "ship", "give", "sell", "export", "transfer",
    "donate", "pledge", "promise", "receive", "buy", "purchase", "acquire", "import", "offer",
    "lend", "need", "request", "seek", "smuggle",
}  # fmt: skip
_SUPPLY_NOUNS = {
    "delivery", "supply", "shipment", "transfer", "sale", "export", "import", "purchase",
    "package", "consignment", "donation",
}  # fmt: skip
_ATTACK_PREPOSITIONS = {"against", "at", "on", "into", "over"}
_SUPPLY_PATH = {"compound", "amod", "conj", "dobj", "pobj", "prep", "appos", "nmod", "cc"}
_STRIKE_GROUP = "strikes"
_SUPPLY_CATEGORY = "military_cooperation"
# "KYIV, June 17 (Wire) - ", "HELSINKI - ": where and when a wire story was filed.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'\u2019-]+(?:,[^\n()]{0,40}?)?(?: ?\([^)\n]*\))? ?[-\u2013\u2014]+"
)


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
    lat: float | None  # the place's coordinates, where linking knows them
    lon: float | None
    counts: list[int]  # positions in doc._.counts
    plover: str | None  # PLOVER event type of the sentence's action
    cameo_code: str | None  # its CAMEO root


def _variants(words: list[str]) -> set[tuple[str, ...]]:
    """Lemma spellings a trigger may take: proper-noun lemmas keep their capitals."""
    return {
        tuple(words),
        tuple(w.capitalize() for w in words),
        tuple([words[0].capitalize(), *words[1:]]),
        tuple(w.upper() for w in words),
    }


class EventTagger:
    def __init__(
        self,
        nlp: Language,
        name: str,
        taxonomy: dict[str, TaxonomyEntry],
        actions: ActionReader,
        role_categories: dict[str, str],
    ) -> None:
        self.name = name
        self.taxonomy = taxonomy
        self.actions = actions
        self.role_categories = role_categories
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for key, entry in taxonomy.items():
            for kind, phrases in (
                (_STRONG, entry.triggers),
                (_WEAK, entry.weak_triggers),
                (_CONTEXT, entry.context),
            ):
                by_pos: dict[str, list[Doc]] = {}
                for phrase in phrases:
                    pos = next((p for p in _POS_SUFFIXES if phrase.endswith(p)), "")
                    words = [t.text for t in nlp.make_doc(phrase.removesuffix(pos))]
                    by_pos.setdefault(pos, []).extend(
                        Doc(nlp.vocab, words=list(lemmas), lemmas=list(lemmas))
                        for lemmas in _variants(words)
                    )
                for pos, patterns in by_pos.items():
                    self.matcher.add(f"{key}|{kind}|{pos}", patterns)

    def __call__(self, doc: Doc) -> Doc:
        sentences = article_sentences(doc)
        sentence_of = [-1] * len(doc)
        for index, sentence in enumerate(sentences):
            for i in range(sentence.start, sentence.end):
                sentence_of[i] = index
        found: dict[tuple[int, str], dict[str, list[Span]]] = {}
        triggers: list[Span] = []
        for match_id, start, end in self.matcher(doc):
            key, kind, pos = doc.vocab.strings[match_id].split("|")
            index = sentence_of[start]
            last = doc[end - 1]
            if (
                index < 0
                or (pos == "/noun" and last.pos_ not in ("NOUN", "PROPN"))
                or (pos == "/predicate" and last.dep_ == "amod")
            ):
                continue
            span = Span(doc, start, end, label=key)
            found.setdefault((index, key), {}).setdefault(kind, []).append(span)
            if kind != _CONTEXT:
                triggers.append(span)
        chosen: dict[int, dict[str, Span]] = {}
        for (index, key), kinds in sorted(found.items()):
            trigger = self._trigger(kinds, triggers)
            if trigger is None:
                continue
            if self.taxonomy[key].group == _STRIKE_GROUP and _supplied(trigger):
                key = _SUPPLY_CATEGORY if _SUPPLY_CATEGORY in self.taxonomy else key
            chosen.setdefault(index, {}).setdefault(key, trigger)
        actions = self.actions(doc, sentences)
        context = _DocContext(doc)
        quoted = [(q["start"], q["end"]) for q in doc._.quotes or [] if q["direct"]]
        records: list[EventRecord] = []
        for index, sentence in enumerate(sentences):
            action = actions[index]
            categories = chosen.get(index, {})
            if not categories and action is not None and action.main:
                trigger = doc[action.trigger_start : action.trigger_end]
                # Words inside a direct quotation are what someone said, not a reported action.
                if not any(start <= trigger.start_char < end for start, end in quoted):
                    categories = {OTHER_CATEGORY: trigger}
            counts = self._counts(doc, sentence, set(categories))
            for key, trigger in sorted(categories.items()):
                records.append(
                    self._event(context, sentence, index, key, trigger, action, counts.get(key))
                )
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

    def _counts(self, doc: Doc, sentence: Span, categories: set[str]) -> dict[str, list[int]]:
        """Per category, the positions of the sentence's counts that belong to its event."""
        tied: dict[str, list[int]] = {key: [] for key in categories}
        for position, count in enumerate(doc._.counts or []):
            if not sentence.start_char <= count["start"] < sentence.end_char:
                continue
            owner = self.role_categories.get(count["role"])
            for key in categories:
                if owner not in categories or owner == key:
                    tied[key].append(position)
        return tied

    def _event(
        self,
        context: _DocContext,
        sentence: Span,
        index: int,
        key: str,
        trigger: Span,
        action: Action | None,
        counts: list[int] | None,
    ) -> EventRecord:
        actors, actor_countries = context.participants(action.actors if action else [])
        targets, target_countries = context.participants(action.targets if action else [])
        if not actors and not targets:
            actors, actor_countries, targets, target_countries = context.roles_by_mention(sentence)
        place, place_id, place_country, lat, lon = context.place(sentence)
        clause = action.clause if action else []
        date, precision = context.date(sentence, index, [[trigger.root], clause])
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
            lat=lat,
            lon=lon,
            counts=counts or [],
            plover=action.type.plover if action else None,
            cameo_code=action.type.cameo if action else None,
        )


class _DocContext:
    """The doc's mentions and times, indexed for the events of its sentences."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.mentions: list[tuple[Span, dict]] = []
        self.mention_of: dict[int, int] = {}  # token -> position in self.mentions
        for mention in doc._.mentions or []:
            span = doc.char_span(mention["start"], mention["end"], alignment_mode="expand")
            if span is None:
                continue
            for i in range(span.start, span.end):
                self.mention_of.setdefault(i, len(self.mentions))
            self.mentions.append((span, mention))
        self.times = [t for t in doc._.times or [] if t["date"]]
        self.sentence_dates = doc._.sentence_dates or []

    def participants(self, heads: list[Token]) -> tuple[list[str], list[str]]:
        """Names and countries of the mentions in the participants' phrases."""
        names: list[str] = []
        countries: list[str] = []
        for head in heads:
            positions = {self.mention_of.get(t.i) for t in phrase_tokens(head)} - {None}
            for position in sorted(positions):
                span, mention = self.mentions[position]
                if mention["label"] in _ACTOR_LABELS + _PLACE_LABELS:
                    _add(names, span.text)
                    _add(countries, mention["country"])
        return names, countries

    def roles_by_mention(self, sentence: Span) -> tuple[list[str], list[str], list[str], list[str]]:
        """Actors and targets from the grammatical roles of the sentence's mentions, for a
        sentence without a readable action."""
        actors: list[str] = []
        targets: list[str] = []
        actor_countries: list[str] = []
        target_countries: list[str] = []
        for span, mention in self._in(sentence):
            root, label = span.root, mention["label"]
            country = mention["country"]
            if label in _ACTOR_LABELS and _is_actor(root):
                _add(actors, span.text)
                _add(actor_countries, country)
            elif label in _ACTOR_LABELS + _PLACE_LABELS and _is_target(root):
                _add(targets, span.text)
                _add(target_countries, country)
        return actors, actor_countries, targets, target_countries

    def place(
        self, sentence: Span
    ) -> tuple[str | None, str | None, str | None, float | None, float | None]:
        for span, mention in self._in(sentence):
            if mention["label"] in _PLACE_LABELS and _in_place_phrase(span.root):
                return (
                    span.text,
                    mention["linked_id"],
                    mention["country"],
                    mention["lat"],
                    mention["lon"],
                )
        return None, None, None, None, None

    def _in(self, sentence: Span) -> list[tuple[Span, dict]]:
        return [
            (span, mention)
            for span, mention in self.mentions
            if sentence.start_char <= mention["start"] < sentence.end_char
        ]

    def date(
        self, sentence: Span, index: int, clauses: list[list[Token]]
    ) -> tuple[str | None, str | None]:
        """The time in the trigger's clause, else in the action's, else the sentence's own first
        day (else its first time of any precision), else the sentence's date from wf_times (a
        dateline's day, the narrative's last day or the publication day)."""
        here = [t for t in self.times if sentence.start_char <= t["start"] < sentence.end_char]
        dateline = _DATELINE.match(sentence.text)
        filed_before = sentence.start_char + (dateline.end() if dateline else 0)
        own = [t for t in here if t["start"] >= filed_before]
        if own:
            for clause in clauses:
                heads = {_clause_head(t).i for t in clause}
                attached = [t for t in own if self._time_head(t) in heads]
                if attached:
                    return _pick(attached)
            return _pick(own)
        dated = self.sentence_dates[index] if index < len(self.sentence_dates) else None
        if dated is not None and dated["date"]:
            precision = dated["precision"]
            return dated["date"], "day" if precision == "time" else precision
        return _pick(here) if here else (None, None)

    def _time_head(self, time: dict) -> int | None:
        span = self.doc.char_span(time["start"], time["end"], alignment_mode="expand")
        return _clause_head(span.root).i if span is not None else None


def _pick(times: list[dict]) -> tuple[str, str]:
    days = [t for t in times if t["precision"] in ("day", "time")]
    if days:
        return days[0]["date"], "day"
    return times[0]["date"], times[0]["precision"]


def _clause_head(token: Token) -> Token:
    """The verb whose clause ``token`` is in (the token itself for a verb)."""
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            return token
        token = token.head
    return token


def _supplied(trigger: Span) -> bool:
    """Weapons named as what is sent, sold or delivered: "sent shells and missiles to Russia",
    "deliveries of drones"; not "sent drones against Ukraine"."""
    token = trigger.root
    for _ in range(6):
        head = token.head
        if head.i == token.i:
            return False
        if head.lemma_.lower() in (_SUPPLY_VERBS if head.pos_ == "VERB" else _SUPPLY_NOUNS):
            return not any(
                c.dep_ == "prep" and c.lower_ in _ATTACK_PREPOSITIONS for c in head.children
            )
        if token.dep_ not in _SUPPLY_PATH:
            return False
        token = head
    return False


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
        "doc._.counts", "doc._.quotes", "doc._.sentence_dates",
    ],
    default_config={"taxonomy": "", "plover": "", "roles": ""},
)  # fmt: skip
def make_event_tagger(
    nlp: Language, name: str, taxonomy: str, plover: str, roles: str
) -> EventTagger:
    """``taxonomy``, ``plover``, ``roles``: paths to a taxonomy, PLOVER lexicon and count-roles
    TOML file; empty for the packaged ones."""
    return EventTagger(
        nlp,
        name,
        load_taxonomy(taxonomy or None),
        ActionReader(nlp, load_plover(plover or None)),
        load_roles(roles or None).events,
    )
