"""A small hand-built corpus with its facts, stored the way extraction would store it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from watchfloor.model import (
    Article,
    ArticleFacts,
    Count,
    Event,
    Quote,
    Sentence,
    TimeExpr,
)


class ArticleBuilder:
    """An article from its sentences, with facts placed by sentence index and phrase."""

    def __init__(self, url: str, title: str, source: str, published: datetime, sentences):
        self.article = Article(
            url=url,
            title=title,
            text=" ".join(sentences),
            source=source,
            published=published,
            fetched_at=datetime(2025, 6, 21, tzinfo=UTC),
        )
        self.facts = ArticleFacts(article_id=self.article.id)
        start = 0
        for index, text in enumerate(sentences):
            self.facts.sentences.append(
                Sentence(self.article.id, index, start, start + len(text), text)
            )
            start += len(text) + 1

    def span(self, index: int, phrase: str) -> tuple[int, int]:
        sentence = self.facts.sentences[index]
        start = sentence.start + sentence.text.index(phrase)
        return start, start + len(phrase)

    def time(self, index, phrase, day: date, precision="day", value=None) -> ArticleBuilder:
        start, end = self.span(index, phrase)
        self.facts.times.append(
            TimeExpr(phrase, start, end, index, value or day.isoformat(), precision, day)
        )
        return self

    def count(self, index, phrase, value, role, what, approx=None, update=False) -> Count:
        start, end = self.span(index, phrase)
        count = Count(phrase, start, end, index, value, what, role, approx, None, update)
        self.facts.counts.append(count)
        return count

    def quote(self, index, phrase, speaker, role, direct=True, cue="said") -> ArticleBuilder:
        start, end = self.span(index, phrase)
        self.facts.quotes.append(Quote(phrase, start, end, index, speaker, role, direct, cue))
        return self

    def event(
        self, index, category, trigger, day=None, place=None, counts=(), precision="day"
    ) -> ArticleBuilder:
        self.facts.events.append(
            Event(
                category=category,
                trigger=trigger,
                sentence_index=index,
                evidence=[index],
                date=day,
                date_precision=precision if day else None,
                place=place,
                counts=list(counts),
            )
        )
        return self

    def build(self) -> tuple[Article, ArticleFacts]:
        return self.article, self.facts


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2025, 6, day, hour, tzinfo=UTC)


def june(day: int) -> date:
    return date(2025, 6, day)


def strike_on_kyiv() -> ArticleBuilder:
    b = ArticleBuilder(
        "https://harbour-post.example/kyiv-strike",
        "Kyiv hit by overnight missile attack",
        "Harbour Post",
        at(17, 8),
        [
            "Russia struck Kyiv with missiles and drones overnight, killing at least 14 people, "
            "city officials said.",
            "The attack on 17 June damaged a nine-storey apartment building in the "
            "Solomianskyi district.",
            "Mayor Vitali Klitschko said rescuers were still searching the rubble.",
            "Talks in Istanbul on 2 June ended without a ceasefire.",
        ],
    )
    killed = b.count(0, "at least 14 people", 14, "killed", "people", approx="at least")
    b.event(0, "strike_missile", "struck", june(17), "Kyiv", [killed])
    b.event(0, "strike_drone", "drones", june(17), "Kyiv", [killed])
    b.event(0, "casualties", "killing", june(17), "Kyiv", [killed])
    b.event(1, "strike_missile", "attack", june(17), "Kyiv")
    b.time(0, "overnight", june(17)).time(1, "17 June", june(17)).time(3, "2 June", june(2))
    b.quote(2, "rescuers were still searching the rubble", "Vitali Klitschko", "Mayor", False)
    return b


def death_toll_rises() -> ArticleBuilder:
    b = ArticleBuilder(
        "https://northern-ledger.example/kyiv-toll",
        "Kyiv death toll rises to 28",
        "Northern Ledger",
        at(18, 10),
        [
            "The death toll from the Russian attack on Kyiv rose to 28 on 18 June, emergency "
            "services said.",
            '"This was a deliberate strike on sleeping families," said Andrii Sybiha, '
            "Ukraine's foreign minister.",
            "Odesa was also hit by drones overnight on 17 June, injuring two people.",
        ],
    )
    killed = b.count(0, "28", 28, "killed", "death toll", update=True)
    b.event(0, "casualties", "death toll", june(18), "Kyiv", [killed])
    b.event(0, "strike_missile", "attack", june(18), "Kyiv")
    b.event(2, "strike_drone", "drones", june(17), "Odesa")
    b.time(0, "18 June", june(18)).time(2, "17 June", june(17))
    b.quote(
        1,
        "This was a deliberate strike on sleeping families,",
        "Andrii Sybiha",
        "Ukraine's foreign minister",
    )
    return b


def toll_update() -> ArticleBuilder:
    b = ArticleBuilder(
        "https://continental-wire.example/kyiv-toll-23",
        "Kyiv toll climbs to 23",
        "Continental Wire",
        at(17, 16),
        [
            "The death toll from the overnight Russian missile attack on Kyiv rose to 23, city "
            "officials said on 17 June.",
            "Rescue teams worked through the day at the collapsed building.",
        ],
    )
    killed = b.count(0, "23", 23, "killed", "death toll", update=True)
    b.event(0, "strike_missile", "missile attack", june(17), "Kyiv", [killed])
    b.event(0, "casualties", "death toll", june(17), "Kyiv", [killed])
    b.time(0, "overnight", june(17)).time(0, "17 June", june(17))
    return b


def gas_proposal() -> ArticleBuilder:
    b = ArticleBuilder(
        "https://continental-wire.example/eu-gas",
        "EU proposes end to Russian gas imports",
        "Continental Wire",
        at(17, 12),
        [
            "The European Commission on 17 June proposed ending all imports of Russian gas by "
            "the end of 2027.",
            '"Europe will not be blackmailed with energy again," said Ursula von der Leyen, '
            "President of the European Commission.",
            "Hungary and Slovakia objected to the plan.",
        ],
    )
    b.event(0, "energy_sanctions", "imports", june(17))
    b.time(0, "17 June", june(17)).time(0, "the end of 2027", date(2027, 12, 1), "month")
    b.quote(
        1,
        "Europe will not be blackmailed with energy again,",
        "Ursula von der Leyen",
        "President of the European Commission",
    )
    return b


def gas_plan_reaction() -> ArticleBuilder:
    b = ArticleBuilder(
        "https://harbour-post.example/gas-plan",
        "Brussels sets out plan to stop buying Russian gas",
        "Harbour Post",
        at(17, 18),
        [
            "Brussels on 17 June set out a plan to stop buying Russian gas, a move that Hungary "
            "criticised within hours.",
        ],
    )
    b.event(0, "energy_sanctions", "gas", june(17))
    b.time(0, "17 June", june(17))
    return b


def prisoner_exchange(url: str, source: str, hour: int, lead: str) -> ArticleBuilder:
    b = ArticleBuilder(
        url,
        "Russia and Ukraine swap wounded prisoners",
        source,
        at(10, hour),
        [lead, "Both sides said further exchanges would follow."],
    )
    b.event(0, "humanitarian", "exchanged", june(10))
    b.time(0, "10 June", june(10))
    return b


def cable_warning() -> ArticleBuilder:
    b = ArticleBuilder(
        "https://baltic-monitor.example/cables",
        "Baltic states warn of threats to undersea cables",
        "Baltic Monitor",
        at(19),
        [
            "Baltic governments warned of sabotage against undersea cables and of the shadow "
            "fleet of ageing tankers.",
            "NATO leaders are due to meet in The Hague on 24 June.",
        ],
    )
    b.event(0, "hybrid_maritime", "undersea cables")
    b.time(1, "24 June", june(24))
    return b


def weather() -> ArticleBuilder:
    return ArticleBuilder(
        "https://northern-ledger.example/weather",
        "Warm week ahead for Kyiv",
        "Northern Ledger",
        at(12),
        ["Kyiv expects a warm and dry week with little rain, forecasters said."],
    )


def sample_corpus() -> list[ArticleBuilder]:
    """Nine articles from four outlets, 10-19 June 2025: strikes with a death toll rising from
    14 to 23 to 28, a prisoner exchange reported twice (a wire copy), a gas proposal reported
    twice in different words, a cable warning and one article no section needs."""
    return [
        prisoner_exchange(
            "https://harbour-post.example/exchange",
            "Harbour Post",
            9,
            "Russia and Ukraine exchanged wounded prisoners of war on 10 June under the "
            "Istanbul agreements.",
        ),
        prisoner_exchange(
            "https://continental-wire.example/exchange",
            "Continental Wire",
            15,
            "Russia and Ukraine exchanged wounded prisoners of war on 10 June under the "
            "agreements reached in Istanbul.",
        ),
        weather(),
        strike_on_kyiv(),
        gas_proposal(),
        toll_update(),
        gas_plan_reaction(),
        death_toll_rises(),
        cable_warning(),
    ]
