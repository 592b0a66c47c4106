"""What story clustering reads of one article: the words of its title and lead, the entities and
places it names, the days it reports, when it appeared and who published it."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

from watchfloor.analyze.corpus import strip_dateline
from watchfloor.analyze.similarity import content_tokens
from watchfloor.model import Article, ArticleFacts, Mention

DAY_PRECISIONS = frozenset({"day", "time"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP"})
PLACE_LINKS = ("iso:", "gn:")
NAMED_ACTORS = frozenset({"PERSON", "ORG"})
HEADLINE_CHARS = 120
# An article without extracted sentences (a near-duplicate, an article in another language) is
# read from its text: about this many characters make a lead.
LEAD_CHARS = 600
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_DETERMINER = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['\u2019]s$")


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """One article as story clustering sees it. Weights are sublinear counts (1 + log n)."""

    article_id: str
    time: datetime  # published, or fetched when the source gave no date; UTC
    source: str
    headline: str  # the title, or the first sentence when there is none
    is_copy: bool  # a near-duplicate of another article (Article.duplicate_of)
    terms: dict[str, float]  # words of the title (counted twice) and lead sentences
    entities: dict[str, float]  # people, organisations, groups: linked id or folded name
    places: dict[str, float]  # linked id or folded name
    days: frozenset[date]  # days the article's events and lead sentences name
    # key -> the name as first written: of people and organisations, and of places (a
    # nationality is evidence, but no actor to list)
    actor_names: dict[str, str]
    place_names: dict[str, str]


def article_time(article: Article) -> datetime:
    """When the article appeared, in UTC; naive times are taken as UTC."""
    moment = article.published or article.fetched_at
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def fold_word(word: str) -> str:
    """A crude plural fold ("strikes" -> "strike", "casualties" -> "casualty"), enough to let
    singular and plural meet without a stemmer."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _sublinear(counts: Counter[str]) -> dict[str, float]:
    # Keys in sorted order: sums over these weights then add up in the same order in every
    # process (sets of words iterate by string hash, which changes between runs), so ties
    # between stories and central articles break the same way each time.
    return {key: 1.0 + math.log(n) for key, n in sorted(counts.items()) if n > 0}


def is_place(mention: Mention) -> bool:
    """A place by its label, or by its link to a country or gazetteer place whatever the
    label says (small models often read "Kyiv" as a person); a nationality is an actor."""
    if mention.label == "NORP":
        return False
    return mention.label in PLACE_LABELS or (mention.linked_id or "").startswith(PLACE_LINKS)


def mention_key(mention: Mention) -> str:
    """What makes two mentions the same entity: the linked id when there is one, else the
    folded name; a person by the last word of the name, so "Lindsay Lohan" meets "Lohan"."""
    if mention.linked_id:
        return mention.linked_id
    name = _POSSESSIVE.sub("", _DETERMINER.sub("", " ".join(mention.text.split())))
    words = name.casefold().split()
    if not words:
        return ""
    if mention.label == "PERSON":
        return words[-1]
    return " ".join(words)


def lead_texts(article: Article, facts: ArticleFacts, lead_sentences: int) -> list[str]:
    """The article's first sentences, less datelines; from the raw text when none were stored."""
    if facts.sentences:
        chosen = sorted(facts.sentences, key=lambda s: s.index)[:lead_sentences]
        return [strip_dateline(s.text) for s in chosen]
    lead = article.text[:LEAD_CHARS]
    return [strip_dateline(p) for p in _PARAGRAPH.split(lead) if p.strip()]


def story_features(article: Article, facts: ArticleFacts, lead_sentences: int) -> StoryFeatures:
    terms: Counter[str] = Counter()
    for word in content_tokens(article.title):
        terms[fold_word(word)] += 2  # the headline says what the article is about
    lead = lead_texts(article, facts, lead_sentences)
    for text in lead:
        terms.update({fold_word(w) for w in content_tokens(text)})
    entities: Counter[str] = Counter()
    places: Counter[str] = Counter()
    actor_names: dict[str, str] = {}
    place_names: dict[str, str] = {}
    for mention in facts.mentions:
        key = mention_key(mention)
        if not key or mention.label not in ACTOR_LABELS | PLACE_LABELS:
            continue
        name = " ".join(mention.text.split())
        if is_place(mention):
            places[key] += 1
            place_names.setdefault(key, name)
        else:
            entities[key] += 1
            if mention.label in NAMED_ACTORS:
                actor_names.setdefault(key, name)
    return StoryFeatures(
        article_id=article.id,
        time=article_time(article),
        source=article.source,
        headline=headline(article.title, lead),
        is_copy=article.duplicate_of is not None,
        terms=_sublinear(terms),
        entities=_sublinear(entities),
        places=_sublinear(places),
        days=named_days(article, facts, lead_sentences),
        actor_names=actor_names,
        place_names=place_names,
    )


def headline(title: str, lead: list[str]) -> str:
    text = " ".join(title.split()) or (" ".join(lead[0].split()) if lead else "")
    if len(text) <= HEADLINE_CHARS:
        return text
    return text[:HEADLINE_CHARS].rsplit(" ", 1)[0] + "\u2026"


def named_days(article: Article, facts: ArticleFacts, lead_sentences: int) -> frozenset[date]:
    """The days the article's events happened on and its lead sentences name. Without a
    publication date, "on Tuesday" has no anchor: only dates written out count then."""
    anchored = article.published is not None
    written = {
        t.date
        for t in facts.times
        if t.date and t.precision in DAY_PRECISIONS and (anchored or not t.relative)
    }
    lead = {s.index for s in facts.sentences[:lead_sentences]}
    days = {
        t.date
        for t in facts.times
        if t.date in written and t.precision in DAY_PRECISIONS and t.sentence_index in lead
    }
    days |= {
        e.date
        for e in facts.events
        if e.date and e.date_precision in DAY_PRECISIONS and (anchored or e.date in written)
    }
    return frozenset(days)
