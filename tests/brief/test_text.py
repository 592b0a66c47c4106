from __future__ import annotations

from datetime import date

from watchfloor.brief.text import format_date, format_period, join_words, split_end


def test_dates_read_at_their_precision():
    day = date(2025, 6, 18)
    assert format_date(day) == "18 June 2025"
    assert format_date(day, "week") == "week of 16 June 2025"
    assert format_date(day, "month") == "June 2025"
    assert format_date(day, "quarter") == "Q2 2025"
    assert format_date(day, "year") == "2025"


def test_periods_name_month_and_year_once():
    assert format_period(date(2025, 6, 1), date(2025, 6, 20)) == "1\u201320 June 2025"
    assert format_period(date(2025, 5, 28), date(2025, 6, 3)) == "28 May\u20133 June 2025"
    assert format_period(date(2024, 12, 30), date(2025, 1, 2)) == (
        "30 December 2024\u20132 January 2025"
    )
    assert format_period(date(2025, 6, 17), date(2025, 6, 17)) == "17 June 2025"
    assert format_period(date(2025, 6, 17), None) == "from 17 June 2025"
    assert format_period(None, None) == "all dates"


def test_lists_keep_labels_with_an_and_of_their_own_apart():
    assert join_words(["drone strikes"]) == "drone strikes"
    assert join_words(["casualties", "cyber attacks"]) == "casualties and cyber attacks"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert join_words(["energy and sanctions", "casualties", "nuclear"]) == (
        "energy and sanctions, casualties, and nuclear"
    )


def test_a_citation_marker_goes_before_the_full_stop():
    assert split_end("Kyiv was hit.") == ("Kyiv was hit", ".")
    assert split_end('He said: "We will rebuild."') == ('He said: "We will rebuild."', "")
