"""Titles checked against the office-holder knowledge base as of the article's date: each rule
on hand-written sentences run through the real extraction, and the demo corpus's planted
errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from watchfloor.analyze.offices import load_offices
from watchfloor.analyze.titlecheck import check_titles
from watchfloor.config import Settings
from watchfloor.model import Article, TitleFlag

SHOIGU = "Russian Defence Minister Sergei Shoigu inspected troops near Kursk."


@pytest.fixture(scope="module")
def check() -> Callable[..., list[TitleFlag]]:
    """Extract ``text`` as an article published on ``day`` and check its titles."""
    from watchfloor.extract import extract_facts, load_pipeline

    nlp = load_pipeline(Settings())
    book = load_offices()

    def run(text: str, day: str, book=book) -> list[TitleFlag]:
        published = datetime.fromisoformat(f"{day}T12:00:00+00:00")
        article = Article(
            url=f"https://wire.example/{day}/{abs(hash(text))}",
            title="Report",
            text=text,
            source="Wire",
            published=published,
            fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        return check_titles(article, next(extract_facts(nlp, [article])), book)

    return run


def test_an_outdated_title_says_who_held_it_then_and_what_the_person_was(check):
    (flag,) = check(SHOIGU, "2025-06-17")
    assert (flag.kind, flag.text, flag.start, flag.end, flag.sentence_index) == (
        "title_outdated",
        "Russian Defence Minister Sergei Shoigu",
        0,
        38,
        0,
    )
    assert (flag.person, flag.role_claimed, flag.position, flag.on) == (
        "Sergei Shoigu",
        "Russian Defence Minister",
        "Minister of Defence of Russia",
        date(2025, 6, 17),
    )
    assert flag.held_by == ["Andrei Belousov"]
    assert flag.person_held == ["Secretary of the Security Council of Russia"]
    assert flag.person_previously == "Minister of Defence of Russia"
    assert flag.evidence == (
        "Sergei Shoigu was Minister of Defence of Russia from 2012-11-06 to 2024-05-12; on "
        "2025-06-17 Minister of Defence of Russia was held by Andrei Belousov (since "
        "2024-05-14), and Sergei Shoigu was Secretary of the Security Council of Russia (since "
        "2024-05-12, date uncertain)."
    )


def test_a_title_the_person_never_held_is_the_wrong_person(check):
    (flag,) = check("Russian Foreign Minister Sergei Shoigu flew to Pyongyang.", "2025-06-17")
    assert flag.kind == "wrong_person"
    assert flag.held_by == ["Sergey Lavrov"]
    assert flag.evidence == (
        "Sergei Shoigu never held Minister of Foreign Affairs of Russia; on 2025-06-17 Minister "
        "of Foreign Affairs of Russia was held by Sergey Lavrov (since 2004-03-09); Sergei "
        "Shoigu was Secretary of the Security Council of Russia (since 2024-05-12, date "
        "uncertain)."
    )


def test_former_is_right_after_a_term_ended_and_wrong_during_or_without_one(check):
    kallas = "Kaja Kallas, the former Estonian prime minister, spoke in Brussels."
    assert check(kallas, "2025-06-17") == []
    (during,) = check(kallas, "2024-01-10")
    assert during.kind == "not_former"
    assert during.evidence == (
        "Called former, Kaja Kallas still held Prime Minister of Estonia on 2024-01-10 (from "
        "2021-01-26 to 2024-07-23)."
    )
    (never,) = check("Former Estonian Prime Minister Alar Karis spoke in Tallinn.", "2025-06-17")
    assert (never.kind, never.held_by, never.person_held) == (
        "wrong_person",
        ["Kristen Michal"],
        ["President of Estonia"],
    )


def test_consistent_titles_give_no_flag(check):
    text = (
        "Kremlin spokesman Dmitry Peskov told reporters the talks would go on. "
        "Russia's foreign minister, Sergei Lavrov, said the same. "
        "Then-Estonian Prime Minister Kaja Kallas had warned of this. "
        "President Volodymyr Zelensky disagreed."
    )
    assert check(text, "2025-06-17") == []


def test_a_person_unknown_to_the_book_in_a_known_post_is_unknown(check):
    (flag,) = check("Russian Defence Minister Ivan Petrov inspected the troops.", "2025-06-17")
    assert (flag.kind, flag.held_by, flag.person_held, flag.person_previously) == (
        "unknown",
        ["Andrei Belousov"],
        [],
        None,
    )
    assert flag.evidence == (
        "Ivan Petrov is not in the office-holder knowledge base; on 2025-06-17 Minister of "
        "Defence of Russia was held by Andrei Belousov (since 2024-05-14)."
    )
    # A post the book lacks gives nothing to say, nor does a title that fits several posts.
    assert check("Russian Deputy Foreign Minister Sergei Ryabkov spoke.", "2025-06-17") == []
    assert check("Kremlin aide Maxim Oreshkin spoke to reporters.", "2025-06-17") == []


@pytest.mark.parametrize(
    ("text", "day", "kind"),
    [
        (SHOIGU, "2024-05-11", None),  # his last day in office
        (SHOIGU, "2024-05-12", "title_outdated"),  # the end day is out of office
        ("Russian Defence Minister Andrei Belousov inspected troops.", "2024-05-14", None),
        (
            "Russian Defence Minister Andrei Belousov inspected troops.",
            "2024-05-13",
            "wrong_person",
        ),
    ],
)
def test_a_term_starts_on_its_start_day_and_ends_before_its_end_day(check, text, day, kind):
    assert [f.kind for f in check(text, day)] == ([kind] if kind else [])


def test_a_bare_title_is_checked_against_the_posts_of_that_role_the_person_held(check):
    (flag,) = check("Prime Minister Kaja Kallas met the press.", "2025-06-19")
    assert (flag.kind, flag.position, flag.held_by) == (
        "title_outdated",
        "Prime Minister of Estonia",
        ["Kristen Michal"],
    )
    (putin,) = check("President Vladimir Putin met Kim Jong Un.", "2010-06-19")
    assert (putin.kind, putin.held_by, putin.person_held) == (
        "title_outdated",
        ["Dmitry Medvedev"],
        ["Prime Minister of Russia"],
    )


def test_an_incoming_title_is_right_before_the_term_starts(check):
    text = "Incoming NATO Secretary General Mark Rutte met the press."
    assert check(text, "2024-09-20") == []


def test_a_user_file_changes_the_verdict(check, tmp_path):
    extra = tmp_path / "offices.toml"
    extra.write_text(
        """
[ru_defence_minister]
holders = [
  { person = "Andrei Belousov", start = 2024-05-14, end = 2025-01-01 },
  { person = "Ivan Petrov", start = 2025-01-01 },
]
""",
        encoding="utf-8",
    )
    book = load_offices(str(extra))
    text = "Russian Defence Minister Ivan Petrov inspected the troops."
    assert check(text, "2025-06-17", book=book) == []
    (flag,) = check("Russian Defence Minister Andrei Belousov spoke.", "2025-06-17", book=book)
    assert (flag.kind, flag.held_by) == ("title_outdated", ["Ivan Petrov"])


def test_the_demo_corpus_flags_its_two_planted_titles_and_nothing_else(demo_sqlite):
    book = load_offices()
    flagged = sorted(
        (a.source, f.on.isoformat(), f.kind, f.text, tuple(f.held_by))
        for a in demo_sqlite.articles()
        for f in check_titles(a, demo_sqlite.facts(a.id), book)
    )
    assert flagged == [
        (
            "Frontline Digest",
            "2025-06-17",
            "title_outdated",
            "Russian Defence Minister Sergei Shoigu",
            ("Andrei Belousov",),
        ),
        (
            "Frontline Digest",
            "2025-06-19",
            "title_outdated",
            "Estonian Prime Minister Kaja Kallas",
            ("Kristen Michal",),
        ),
    ]
