"""Time expressions, resolved against a publication on Wednesday 2025-06-18, 09:00 Kyiv time."""

from __future__ import annotations

from datetime import date

import pytest

from watchfloor.extract.components.times import resolve


def values(facts) -> list[tuple[str, str, str, bool]]:
    return [(t.text, t.value, t.precision, t.relative) for t in facts.times]


def test_weekday_in_past_tense_is_the_last_such_day(extract):
    facts = extract("Russia launched 440 drones and 32 missiles overnight on Tuesday.")
    # "overnight" yields to the day next to it.
    assert values(facts) == [("Tuesday", "2025-06-17", "day", True)]
    assert facts.times[0].date == date(2025, 6, 17)


def test_weekday_in_future_tense_is_the_next_such_day(extract):
    facts = extract("Ukraine will hold talks on Friday. Troops withdrew last Friday.")
    assert values(facts) == [
        ("Friday", "2025-06-20", "day", True),
        ("last Friday", "2025-06-13", "day", True),
    ]
    assert [t.sentence_index for t in facts.times] == [0, 1]


def test_same_day_takes_the_last_day_mentioned(extract):
    facts = extract(
        "On June 4, Shoigu met Kim Jong Un in Pyongyang. "
        "The two signed a defence cooperation plan the same day."
    )
    assert values(facts) == [
        ("June 4", "2025-06-04", "day", False),
        ("the same day", "2025-06-04", "day", True),
    ]


def test_days_later_count_from_the_narrative_day(extract):
    facts = extract("On June 4, Shoigu visited Pyongyang. Two days later, state media ran photos.")
    assert values(facts)[1] == ("Two days later", "2025-06-06", "day", True)


def test_calendar_units_relative_to_publication(extract):
    facts = extract(
        "Talks took place last week in Istanbul. Allies meet next week. "
        "Poland announced the same step earlier this year."
    )
    assert values(facts) == [
        ("last week", "2025-W24", "week", True),
        ("next week", "2025-W26", "week", True),
        ("earlier this year", "2025", "year", True),
    ]
    assert facts.times[0].date == date(2025, 6, 9)  # the Monday of ISO week 24


def test_absolute_dates_and_deadlines(extract):
    facts = extract(
        "The Commission wants to end imports of Russian gas by the end of 2027, "
        "with no new contracts from January 1, 2026."
    )
    assert values(facts) == [
        ("the end of 2027", "2027", "year", False),
        ("January 1, 2026", "2026-01-01", "day", False),
    ]


def test_overnight_alone_is_the_publication_day(extract):
    assert values(extract("Explosions shook Odesa overnight.")) == [
        ("overnight", "2025-06-18", "day", True)
    ]


def test_ages_and_durations_are_not_dates(extract):
    facts = extract("A 41-year-old man said the war had lasted three years.")
    assert facts.times == []


def test_time_counted_from_an_event_is_left_out(extract):
    facts = extract("The withdrawal takes effect six months after Finland notifies the UN.")
    assert facts.times == []


def test_without_publication_date_the_fetch_time_is_the_anchor(extract):
    facts = extract("The strike came yesterday.", published=None)
    assert values(facts) == [("yesterday", "2025-06-17", "day", True)]


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("17.06.2025", False, ("2025-06-17", "day", False)),
        ("mid-June", False, ("2025-06", "month", False)),
        ("January", False, ("2025-01", "month", False)),
        ("January", True, ("2026-01", "month", False)),
        ("June 24-25", True, ("2025-06-24", "day", False)),
        ("the first quarter of 2025", False, ("2025-Q1", "quarter", False)),
        ("4 a.m. on Tuesday", False, ("2025-06-17T04:00", "time", True)),
        ("3 weeks ago", False, ("2025-W22", "week", True)),
        ("the next day", False, ("2025-06-05", "day", True)),
    ],
)
def test_resolve(text, future, expected):
    resolved = resolve(text, date(2025, 6, 18), date(2025, 6, 4), future)
    assert (resolved.value, resolved.precision, resolved.relative) == expected


@pytest.mark.parametrize(
    "text", ["the 1990s", "41-year-old", "the past two weeks", "58", "24 hours"]
)
def test_resolve_skips_what_fixes_no_point_in_time(text):
    assert resolve(text, date(2025, 6, 18), date(2025, 6, 18), False) is None
