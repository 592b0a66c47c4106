"""One article with every kind of fact, for store tests on either engine."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from watchfloor.model import Article, ArticleFacts, Count, Event, Mention, Quote, Sentence, TimeExpr

KYIV = timezone(timedelta(hours=3))
TEXT = (
    "Russia launched 440 drones at Kyiv overnight.\n\n"
    '"We heard the blasts at two," said Olena Kravets, a teacher.'
)


def make_article(url="https://example.org/a", text=TEXT, published=None) -> Article:
    return Article(
        url=url,
        title="Kyiv hit by drones",
        text=text,
        source="Example Post",
        published=published or datetime(2025, 6, 17, 8, 40, tzinfo=KYIV),
        fetched_at=datetime(2025, 6, 17, 9, 0, tzinfo=UTC),
    )


def make_facts(article: Article) -> ArticleFacts:
    s0, s1 = 0, TEXT.index('"We')
    drones = Count("440 drones", 16, 26, 0, 440, "drones", "drones")
    return ArticleFacts(
        article_id=article.id,
        sentences=[
            Sentence(article.id, 0, s0, TEXT.index("\n"), TEXT[: TEXT.index("\n")]),
            Sentence(article.id, 1, s1, len(TEXT), TEXT[s1:]),
        ],
        mentions=[Mention("Russia", "GPE", 0, 6, 0, "iso:RU"), Mention("Kyiv", "GPE", 30, 34, 0)],
        times=[TimeExpr("overnight", 35, 44, 0, "2025-06-17", "day", date(2025, 6, 17), True)],
        counts=[drones],
        quotes=[
            Quote(
                "We heard the blasts at two,",
                s1 + 1,
                s1 + 28,
                1,
                "Olena Kravets",
                "a teacher",
                True,
                "said",
            )
        ],
        events=[
            Event(
                "strike_drone",
                "launched 440 drones",
                0,
                [0],
                date(2025, 6, 17),
                "day",
                ["Russia"],
                [],
                "Kyiv",
                None,
                [drones],
            )
        ],
    )
