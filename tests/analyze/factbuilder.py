"""Small hand-made articles with events, for indicator and alert tests: each sentence of an
article can carry events (category, day, countries, counts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from watchfloor.analyze.corpus import Corpus
from watchfloor.model import Article, ArticleFacts, Count, Event, Mention, Sentence


@dataclass
class Said:
    """One sentence and the events extraction read from it."""

    text: str
    events: list[Event] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def event(
    category: str,
    day: date,
    place: str | None = None,
    targets: tuple[str, ...] = (),
    actors: tuple[str, ...] = (),
    counts: tuple[Count, ...] = (),
    tone: float | None = None,
) -> Event:
    return Event(
        category=category,
        trigger=category,
        sentence_index=None,  # set by build()
        date=day,
        date_precision="day",
        place_country=place,
        target_countries=list(targets),
        actor_countries=list(actors),
        counts=list(counts),
        tone=tone,
    )


def toll(role: str, value: float, approx: str | None = None, update: bool = False) -> Count:
    return Count(
        text=f"{approx + ' ' if approx else ''}{value:g}",
        start=0,
        end=0,
        sentence_index=None,
        value=value,
        what="people",
        role=role,
        approx=approx,
        is_update=update,
    )


def build(
    slug: str, outlet: str, published: datetime, sentences: list[Said]
) -> tuple[Article, ArticleFacts]:
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    text, facts_sentences, events, mentions, counts = "", [], [], [], []
    for index, said in enumerate(sentences):
        start = len(text)
        text += said.text + " "
        facts_sentences.append(Sentence("", index, start, start + len(said.text), said.text))
        for e in said.events:
            e.sentence_index = index
            for c in e.counts:
                c.sentence_index = index
                c.start, c.end = start, start + 1
            events.append(e)
            counts += e.counts
        for m in said.mentions:
            m.sentence_index = index
            mentions.append(m)
    article = Article(
        url=f"https://{outlet.lower().replace(' ', '')}.example/{slug}",
        title=slug.replace("-", " ").capitalize(),
        text=text.strip(),
        source=outlet,
        published=published,
        fetched_at=published,
    )
    for s in facts_sentences:
        s.article_id = article.id
    facts = ArticleFacts(article.id, facts_sentences, mentions, counts=counts, events=events)
    return article, facts


def corpus_of(items: list[tuple[Article, ArticleFacts]]) -> Corpus:
    items = sorted(items, key=lambda pair: pair[0].published)
    return Corpus(
        articles=[a for a, _ in items],
        facts={a.id: f for a, f in items},
        by_id={a.id: a for a, _ in items},
    )


D = date(2025, 6, 16)  # the night of the attack in the June scenario


def day(n: int) -> date:
    return date(2025, 6, n)


def june_scenario() -> list[tuple[Article, ArticleFacts]]:
    """Three quiet reports in early June, then a night of strikes on 16 June whose toll is
    reported rising over two days, and a story about Russia with a Russian strike in it."""
    return [
        build("talks", "Wire", datetime(2025, 6, 1, 9), [
            Said("Ukraine sent a delegation to the talks.",
                 [event("diplomacy_mediation", day(1), actors=("UA",))]),
        ]),
        build("shelling", "Ledger", datetime(2025, 6, 5, 9), [
            Said("Shelling hit a village in Ukraine.",
                 [event("strike_artillery", day(5), place="UA")]),
        ]),
        build("missile", "Wire", datetime(2025, 6, 10, 9), [
            Said("A missile struck Ukraine.", [event("strike_missile", day(10), targets=("UA",))]),
        ]),
        build("night-attack", "Wire", datetime(2025, 6, 17, 8), [
            Said("At least 14 people were killed as drones and missiles hit Ukraine overnight.", [
                event("strike_drone", D, targets=("UA",)),
                event("strike_missile", D, targets=("UA",)),
                event("casualties", D, targets=("UA",), counts=(toll("killed", 14, "at least"),)),
            ]),
            Said("Russia launched 440 drones.", [event("strike_drone", D, actors=("RU",))]),
            Said("New gas rules start next year.", [event("energy_sanctions", date(2026, 1, 1),
                                                          place="UA")]),
        ]),
        build("night-digest", "Digest", datetime(2025, 6, 17, 10), [
            Said("At least 14 died in the capital.",
                 [event("casualties", day(17), place="UA",
                        counts=(toll("killed", 14, "at least"),))]),
        ]),
        build("toll-rises", "Courier", datetime(2025, 6, 17, 16), [
            Said("The toll rose to 23.", [event("casualties", day(17), place="UA",
                                                counts=(toll("killed", 23, update=True),))]),
        ]),
        build("toll-28", "Wire", datetime(2025, 6, 18, 11), [
            Said("The toll climbed to 28.", [event("casualties", day(18), place="UA",
                                                   counts=(toll("killed", 28, update=True),))]),
            Said("A total of 134 people were injured.",
                 [event("casualties", day(18), place="UA", counts=(toll("injured", 134),))]),
        ]),
        build("injured-vague", "Ledger", datetime(2025, 6, 18, 14), [
            Said("More than 130 people were injured.",
                 [event("casualties", day(18), place="UA",
                        counts=(toll("injured", 130, "more than"),))]),
        ]),
        build("sanctions", "Review", datetime(2025, 6, 19, 12), [
            Said("The EU readied sanctions on Russia.",
                 [event("energy_sanctions", day(19), targets=("RU",), tone=-4.0)]),
            Said("Russia's strike on the city drew condemnation.",
                 [event("strike_missile", day(19), actors=("RU",))]),
        ]),
    ]  # fmt: skip
