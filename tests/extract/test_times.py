"""Time expressions: spans, TIMEX3 types and values, and a date for every sentence.

Pipeline tests run on articles published Wednesday 2025-06-18, 09:00 Kyiv time; the rule tests
call ``normalise`` with newswire-style anchors (a Friday in February 1998, or an earnings
report early in November 1989 that has been talking about the third quarter).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.extract.conftest import article
from watchfloor.extract.components.timex import Anchors, Point, normalise


def values(facts) -> list[tuple[str, str, str, str]]:
    return [(t.text, t.timex_type, t.value, t.precision) for t in facts.times]


def test_weekday_in_past_tense_is_the_last_such_day(extract):
    facts = extract("Russia launched 440 drones and 32 missiles overnight on Tuesday.")
    # "overnight" yields to the day next to it.
    assert values(facts) == [("Tuesday", "DATE", "2025-06-17", "day")]
    assert facts.times[0].date == date(2025, 6, 17)
    assert facts.times[0].relative is True


def test_weekday_in_future_tense_is_the_next_such_day(extract):
    facts = extract("Ukraine will hold talks on Friday. Troops withdrew last Friday.")
    assert values(facts) == [
        ("Friday", "DATE", "2025-06-20", "day"),
        ("last Friday", "DATE", "2025-06-13", "day"),
    ]
    assert [t.sentence_index for t in facts.times] == [0, 1]


def test_same_day_takes_the_last_day_mentioned(extract):
    facts = extract(
        "On June 4, Shoigu met Kim Jong Un in Pyongyang. "
        "The two signed a defence cooperation plan the same day."
    )
    assert values(facts) == [
        ("June 4", "DATE", "2025-06-04", "day"),
        ("the same day", "DATE", "2025-06-04", "day"),
    ]


def test_days_later_count_from_the_narrative_day(extract):
    facts = extract("On June 4, Shoigu visited Pyongyang. Two days later, state media ran photos.")
    assert values(facts)[1] == ("Two days later", "DATE", "2025-06-06", "day")


def test_calendar_units_relative_to_publication(extract):
    facts = extract(
        "Talks took place last week in Istanbul. Allies meet next week. "
        "Poland announced the same step earlier this year."
    )
    assert values(facts) == [
        ("last week", "DATE", "2025-W24", "week"),
        ("next week", "DATE", "2025-W26", "week"),
        ("earlier this year", "DATE", "2025", "year"),
    ]
    assert facts.times[0].date == date(2025, 6, 9)  # the Monday of ISO week 24


def test_absolute_dates_and_deadlines(extract):
    facts = extract(
        "The Commission wants to end imports of Russian gas by the end of 2027, "
        "with no new contracts from January 1, 2026."
    )
    assert values(facts) == [
        ("the end of 2027", "DATE", "2027", "year"),
        ("January 1, 2026", "DATE", "2026-01-01", "day"),
    ]


def test_overnight_alone_is_the_night_before_publication(extract):
    facts = extract("Explosions shook Odesa overnight.")
    assert values(facts) == [("overnight", "TIME", "2025-06-18TNI", "day")]


def test_durations_have_a_value_but_no_date(extract):
    facts = extract("A 41-year-old man said the war had lasted three years.")
    assert values(facts) == [("three years", "DURATION", "P3Y", "year")]
    assert facts.times[0].date is None


def test_time_counted_from_an_event_is_a_duration(extract):
    facts = extract("The withdrawal takes effect six months after Finland notifies the UN.")
    assert values(facts) == [("six months", "DURATION", "P6M", "month")]


def test_present_past_and_future_references(extract):
    facts = extract(
        "Ukraine now controls the bridge, which Russian forces recently shelled. "
        "More aid is expected in the coming weeks."
    )
    assert values(facts) == [
        ("now", "DATE", "PRESENT_REF", "day"),
        ("recently", "DATE", "PAST_REF", "year"),
        ("the coming weeks", "DATE", "FUTURE_REF", "year"),
    ]
    assert [t.date for t in facts.times] == [None, None, None]


def test_recurring_times_are_sets(extract):
    facts = extract("Inspectors visit the plant every week and report daily to Vienna.")
    assert values(facts) == [
        ("every week", "SET", "P1W", "week"),
        ("daily", "SET", "P1D", "day"),
    ]


def test_quarters_and_seasons(extract):
    facts = extract(
        "Exports fell in the first quarter of 2025. Kyiv expects a counteroffensive this summer."
    )
    assert values(facts) == [
        ("the first quarter of 2025", "DATE", "2025-Q1", "quarter"),
        ("this summer", "DATE", "2025-SU", "quarter"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Present perfect, or "since": the time is behind us ("October" alone would be the
        # nearest, 2025).
        ("The agency has approved the plan in October.", ("October", "2024-10")),
        ("Russian forces have advanced slowly since October.", ("October", "2024-10")),
        ("No flights have left since the Aug. 7 bombings.", ("the Aug. 7", "2024-08-07")),
        # "is to" announces what is planned.
        ("The parliament is to vote on the bill Friday.", ("Friday", "2025-06-20")),
        # A date that describes a noun keeps the nearest reading whatever the verb's tense.
        ("The ministry gave no reason for the July 1 deadline.", ("July 1", "2025-07-01")),
        (
            "The union declared its dividend, payable to holders of record July 10.",
            ("July 10", "2025-07-10"),
        ),
        # Deadlines lie on either side of the publication: the nearest such day.
        ("Kyiv has until Friday to answer the proposal.", ("Friday", "2025-06-20")),
        ("The permit had been due to expire on Monday.", ("Monday", "2025-06-16")),
        # A postponement or an extension moves a thing ahead.
        ("The ceasefire was extended until Monday.", ("Monday", "2025-06-23")),
        # What was planned lies after the plan: the nearest such day, unless the time comes
        # first and dates the planning itself.
        ("Protesters planned a rally in Kyiv on Saturday.", ("Saturday", "2025-06-21")),
        ("On Saturday, the government planned new curfews.", ("Saturday", "2025-06-14")),
        (
            "The dispute is expected to dominate a summit set for Vilnius in May.",
            ("May", "2026-05"),
        ),
        (
            "Final rules to be published in early September will decide the case.",
            ("early September", "2025-09"),
        ),
    ],
)
def test_clause_tense_places_the_time(extract, text, expected):
    assert [(t.text, t.value) for t in extract(text).times] == [expected]


def test_quarter_of_an_amount_is_a_period(extract):
    facts = extract("The company reported a loss for the third quarter of $226 million.")
    assert values(facts) == [("the third quarter", "DATE", "2024-Q3", "quarter")]


def test_time_inside_a_longer_entity(extract):
    # The model reads "the Feb. 7" as an event's name, "d'etat last year" and "seven a year
    # ago" as one date each.
    facts = extract(
        "Tourism fell after the Feb. 7 Embassy bombings in Nairobi. "
        "He fled the capital after a coup d'etat last year. "
        "The army has 13 bases there, up from seven a year ago."
    )
    assert values(facts) == [
        ("Feb. 7", "DATE", "2025-02-07", "day"),
        ("last year", "DATE", "2024", "year"),
        ("a year ago", "DATE", "2024", "year"),
    ]


def test_weekday_before_a_date_names_that_date(extract):
    facts = extract("Still, $14 million of that seeped out Friday Jun. 13 alone.")
    assert values(facts) == [("Friday Jun. 13", "DATE", "2025-06-13", "day")]


def test_part_of_the_next_day(extract):
    facts = extract(
        "Drones struck Kharkiv on Tuesday. The mayor spoke to reporters the next morning."
    )
    assert values(facts) == [
        ("Tuesday", "DATE", "2025-06-17", "day"),
        ("the next morning", "TIME", "2025-06-18TMO", "day"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        'The minister said on ABC\'s "This Week" that talks would resume.',
        "This is VOA Today.",
        "The general spoke to CBS's ''60 Minutes.''",
    ],
)
def test_programme_names_are_not_times(extract, text):
    assert extract(text).times == []


def test_a_capitalised_word_opening_a_quoted_sentence_is_a_time(extract):
    facts = extract('He paused. "Today we fight," he said.')
    assert values(facts) == [("Today", "DATE", "2025-06-18", "day")]


def test_without_publication_date_the_fetch_time_is_the_anchor(extract):
    facts = extract("The strike came yesterday.", published=None)
    assert values(facts) == [("yesterday", "DATE", "2025-06-17", "day")]


def test_every_sentence_gets_a_date_with_its_source(nlp):
    from watchfloor.extract.pipeline import reference_time

    text = (
        "Drones struck Kharkiv on Tuesday. Two people were hurt. "
        "Exports fell in May. The mayor spoke to reporters."
    )
    doc = nlp.make_doc(text)
    doc._.published = reference_time(article(text)).isoformat()
    doc = nlp(doc)
    assert doc._.sentence_dates == [
        {"date": "2025-06-17", "precision": "day", "source": "sentence"},
        {"date": "2025-06-17", "precision": "day", "source": "narrative"},
        {"date": "2025-05-01", "precision": "month", "source": "sentence"},
        {"date": "2025-06-17", "precision": "day", "source": "narrative"},
    ]


def test_sentences_before_any_date_fall_back_to_publication(nlp):
    from watchfloor.extract.pipeline import reference_time

    text = "The mayor spoke to reporters. Drones struck Kharkiv on Tuesday."
    doc = nlp.make_doc(text)
    doc._.published = reference_time(article(text)).isoformat()
    doc = nlp(doc)
    assert [d["source"] for d in doc._.sentence_dates] == ["publication", "sentence"]
    assert doc._.sentence_dates[0]["date"] == "2025-06-18"


# -- rules ------------------------------------------------------------------------------------

FRIDAY = date(1998, 2, 6)
WIRE = Anchors(published=FRIDAY, day=date(1998, 2, 4), last=Point(date(1998, 2, 4), "day"))
THIRD_QUARTER = Point(date(1989, 7, 1), "quarter")
EARNINGS = Anchors(date(1989, 11, 2), date(1989, 11, 2), THIRD_QUARTER, THIRD_QUARTER)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday", ("DATE", "1998-02-02")),
        ("last year", ("DATE", "1997")),
        ("fiscal 1990", ("DATE", "1990")),
        ("this week", ("DATE", "1998-W06")),
        ("earlier this month", ("DATE", "1998-02")),
        ("the past five years", ("DURATION", "P5Y")),
        ("three days", ("DURATION", "P3D")),
        ("16-hour", ("DURATION", "PT16H")),
        ("a decade", ("DURATION", "P10Y")),
        ("the next few days", ("DURATION", "PXD")),
        ("every week", ("SET", "P1W")),
        ("twice a year", ("SET", "P1Y")),
        ("each Thursday", ("SET", "XXXX-WXX-4")),
        ("Tuesday nights", ("SET", "XXXX-WXX-2TNI")),
        ("currently", ("DATE", "PRESENT_REF")),
        ("the past", ("DATE", "PAST_REF")),
        ("the near future", ("DATE", "FUTURE_REF")),
        ("a year ago", ("DATE", "1997")),
        ("the 1990s", ("DATE", "199")),
        ("the '80s", ("DATE", "198")),
        ("the 20th century", ("DATE", "19")),
        ("this summer", ("DATE", "1998-SU")),
        ("the fall of 1994", ("DATE", "1994-FA")),
        ("the first half of 1990", ("DATE", "1990-H1")),
        ("the third quarter", ("DATE", "1997-Q3")),
        ("Q3 2025", ("DATE", "2025-Q3")),
        ("nineteen ninety-six", ("DATE", "1996")),
        ("Christmas", ("DATE", "1997-12-25")),
        ("the weekend", ("DATE", "1998-W05-WE")),
        ("the same day", ("DATE", "1998-02-04")),
        ("a week earlier", ("DATE", "1998-01-28")),
        ("this morning", ("TIME", "1998-02-06TMO")),
        ("last night", ("TIME", "1998-02-05TNI")),
        ("noon Thursday", ("TIME", "1998-02-05T12:00")),
        ("4 a.m. on Tuesday", ("TIME", "1998-02-03T04:00")),
        ("17.06.2025", ("DATE", "2025-06-17")),
        ("June 24-25", ("DATE", "1998-06-24")),
        ("Monday, Oct. 26", ("DATE", "1998-10-26")),
    ],
)
def test_normalise_newswire(text, expected):
    found = normalise(text, WIRE)
    assert (found.timex_type, found.value) == expected


@pytest.mark.parametrize(
    ("text", "tense", "expected"),
    [
        ("January", None, "1998-01"),
        ("January", "future", "1999-01"),
        ("Oct. 23", "past", "1997-10-23"),
        ("Oct. 23", "future", "1998-10-23"),
        ("Friday", "future", "1998-02-06"),
        ("Thursday", "future", "1998-02-12"),
        # A deadline: the nearest such day, up to three days either side.
        ("Monday", "either", "1998-02-09"),
        ("Tuesday", "either", "1998-02-03"),
        ("Feb. 10", "either", "1998-02-10"),
    ],
)
def test_tense_picks_the_occurrence(text, tense, expected):
    anchors = Anchors(FRIDAY, FRIDAY, tense=tense)
    assert normalise(text, anchors).value == expected


@pytest.mark.parametrize(
    ("text", "value", "moves"),
    [
        ("the latest quarter", "1989-Q3", True),
        ("the fourth quarter", "1989-Q4", True),
        ("a year earlier", "1988-Q3", False),
        ("the year-earlier period", "1988-Q3", False),
        ("the 1988 period", "1988-Q3", False),
        ("the 1989 period", "1989-Q3", True),
        ("the first nine months", "P9M", True),
    ],
)
def test_reports_compare_quarters(text, value, moves):
    found = normalise(text, EARNINGS)
    assert (found.value, found.moves_narrative) == (value, moves)


@pytest.mark.parametrize("text", ["41-year-old", "58", "the week", "years old"])
def test_normalise_skips_what_names_no_time(text):
    assert normalise(text, WIRE) is None
