"""Which theatre (country, ISO 3166 alpha-2) an event belongs to: where it happened.

An event names its place, its targets and its actors when the sentence does. A strike happens
where its target is, not where its launcher is: "Russia launched 440 drones" is a strike in the
theatre the article reports on, not one in Russia. So for strikes and casualties the actors never
decide; for other categories (a vote, a talk, a deployment) they do when nothing else is said.
When the sentence names no country at all, the event takes the article's theatre.
"""

from __future__ import annotations

from collections import Counter

import pycountry

from watchfloor.errors import WatchfloorError
from watchfloor.model import ArticleFacts, Event

# Mention labels that name places; a demonym ("Russian drones") names who, not where.
_PLACE_LABELS = frozenset({"GPE", "LOC"})
_COUNTRY_PREFIX = "iso:"


def is_kinetic(category: str) -> bool:
    """Strikes and casualties: categories whose actors are the attackers, not the theatre."""
    return category.startswith("strike_") or category == "casualties"


def article_theatre(facts: ArticleFacts) -> str | None:
    """The country the article reports happenings in, None when that is unclear: the one its
    events name as a place or target (two votes each) and its sentences name as a place (one
    vote each) most often. A country named as the attacker of a strike in its sentence gets no
    vote there ("Russia launched 440 drones" says nothing about where they fell); a tie for the
    most votes leaves the article without a theatre."""
    votes: Counter[str] = Counter()
    attackers: dict[int | None, set[str]] = {}
    for event in facts.events:
        for code in ([event.place_country] if event.place_country else []) + list(
            event.target_countries
        ):
            votes[code] += 2
        if is_kinetic(event.category):
            attackers.setdefault(event.sentence_index, set()).update(event.actors)
    for mention in facts.mentions:
        linked = mention.linked_id or ""
        if mention.label not in _PLACE_LABELS or not linked.startswith(_COUNTRY_PREFIX):
            continue
        if mention.text not in attackers.get(mention.sentence_index, ()):
            votes[linked.removeprefix(_COUNTRY_PREFIX)] += 1
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def event_theatres(event: Event, fallback: str | None) -> list[str]:
    """The theatres of one event: its place, else its targets, else (outside strikes and
    casualties) its actors, else ``fallback`` (the article's theatre) unless that is the one
    country the event names as acting: the attacker's country is not where a strike fell."""
    if event.place_country:
        return [event.place_country]
    if event.target_countries:
        return list(dict.fromkeys(event.target_countries))
    kinetic = is_kinetic(event.category)
    if event.actor_countries and not kinetic:
        return list(dict.fromkeys(event.actor_countries))
    if fallback is None or (kinetic and set(event.actor_countries) == {fallback}):
        return []
    return [fallback]


def theatre_code(text: str) -> str:
    """An ISO alpha-2 code from a code or a country name ("ua", "Ukraine", "UKR")."""
    wanted = text.strip()
    try:
        country = pycountry.countries.lookup(wanted)
    except LookupError:
        country = None
    if country is None:
        raise WatchfloorError(
            f"theatre {text!r} is not a country; give an ISO 3166 code such as UA or a name"
        )
    return country.alpha_2


def theatre_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)
