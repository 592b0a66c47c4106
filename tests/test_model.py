"""Records shared between stages."""

from datetime import UTC, datetime, timedelta, timezone

from watchfloor.model import Article


def test_times_without_a_zone_are_read_as_utc_so_every_reader_sorts_together():
    naive = Article(
        "https://a.example/1", "A", "x", "A", datetime(2022, 2, 24, 5), datetime(2022, 2, 24)
    )
    kyiv = timezone(timedelta(hours=2))
    aware = Article(
        "https://b.example/1",
        "B",
        "y",
        "B",
        datetime(2022, 2, 24, 6, tzinfo=kyiv),
        datetime(2022, 2, 24, tzinfo=UTC),
    )
    assert naive.published == datetime(2022, 2, 24, 5, tzinfo=UTC)
    assert naive.fetched_at.tzinfo is UTC
    assert [a.title for a in sorted([naive, aware], key=lambda a: a.published)] == ["B", "A"]
