"""Numbers with what they count and a normalised role."""

from __future__ import annotations

import pytest

from watchfloor.extract.components.common import number_value


def counts(facts) -> list[tuple]:
    return [
        (c.text, c.value, c.what, c.role, c.approx, c.value_max, c.is_update) for c in facts.counts
    ]


def kinds(facts) -> list[tuple]:
    return [(c.text, c.value, c.value_max, c.role, c.approx_kind) for c in facts.counts]


def test_weapons_launched(extract):
    facts = extract("Russia launched 440 drones and 32 missiles overnight on Tuesday.")
    assert counts(facts) == [
        ("440 drones", 440, "drones", "drones", None, None, False),
        ("32 missiles", 32, "missiles", "missiles", None, None, False),
    ]


def test_death_toll_update(extract):
    facts = extract("The death toll in Kyiv climbed to 28, officials said on Wednesday.")
    assert counts(facts) == [("28", 28, "death toll", "killed", None, None, True)]


def test_a_raised_toll_is_an_update_too(extract):
    facts = extract("Shelling killed five civilians, raising the death toll to 30.")
    assert counts(facts) == [
        ("five civilians", 5, "civilians", "killed", None, None, False),
        ("30", 30, "death toll", "killed", None, None, True),
    ]


def test_counted_noun_from_the_parse(extract):
    facts = extract(
        "North Korea will send 1,000 deminers and 5,000 military construction workers "
        "to Russia's Kursk region, Sergei Shoigu said."
    )
    assert [(c.value, c.what, c.role) for c in facts.counts] == [
        (1000, "deminers", "deminers"),
        (5000, "workers", "workers"),
    ]
    assert facts.counts[1].text == "5,000 military construction workers"


def test_casualty_roles_and_approximations(extract):
    facts = extract(
        "At least 15 people were killed and more than 100 injured, "
        "while dozens of residents were missing."
    )
    assert counts(facts) == [
        ("At least 15 people", 15, "people", "killed", "at least", None, False),
        ("more than 100", 100, "injured", "injured", "more than", None, False),
        ("dozens of residents", 24, "residents", "missing", "dozens", None, False),
    ]


def test_ranges_money_and_percentages(extract):
    facts = extract(
        "Between 10 and 12 missiles were shot down. About 1.5 billion euros in aid was pledged. "
        "Roughly 5% of GDP will go to defence."
    )
    assert counts(facts) == [
        ("Between 10 and 12 missiles", 10, "missiles", "missiles", None, 12, False),
        ("About 1.5 billion euros", 1_500_000_000, "euros", "money", "about", None, False),
        ("Roughly 5%", 5, "GDP", "percent", "roughly", None, False),
    ]


def test_approximation_kinds(extract):
    facts = extract(
        "At least 14 people were killed, up to 40 are missing and 100 or more were evacuated. "
        "About 440 drones and 10 to 12 missiles were launched, and dozens of homes burned."
    )
    assert kinds(facts) == [
        ("At least 14 people", 14, None, "killed", "at_least"),
        ("up to 40", 40, None, "missing", "at_most"),
        ("100 or more", 100, None, "evacuated", "at_least"),
        ("About 440 drones", 440, None, "drones", "about"),
        ("10 to 12 missiles", 10, 12, "missiles", "range"),
        ("dozens of homes", 24, None, "home", "at_least"),
    ]
    assert [c.approx for c in facts.counts] == [
        "at least", "up to", "or more", "about", None, "dozens",
    ]  # fmt: skip


def test_spelled_out_numbers(extract):
    facts = extract("Twenty-three people were injured and two hundred residents fled.")
    assert kinds(facts) == [
        ("Twenty-three people", 23, None, "injured", "exact"),
        ("two hundred residents", 200, None, "displaced", "exact"),
    ]


def test_a_count_after_a_weekday_is_not_part_of_the_date(extract):
    facts = extract("On Tuesday 14 people were killed in Kharkiv.")
    assert counts(facts) == [("14 people", 14, "people", "killed", None, None, False)]
    assert facts.events[0].counts == facts.counts


def test_references_back_distances_and_abstractions_are_not_counts(extract):
    facts = extract(
        "The two sides agreed, and the two leaders met two blocks away to discuss three stages."
    )
    assert facts.counts == []


def test_a_reference_back_still_counts_when_it_says_what_happened(extract):
    facts = extract("The two soldiers were killed. Moscow would return the bodies of 300 soldiers.")
    assert counts(facts) == [
        ("two soldiers", 2, "soldiers", "killed", None, None, False),
        ("300 soldiers", 300, "soldiers", "bodies", None, None, False),
    ]


def test_ages_years_ordinals_and_modifiers_are_not_counts(extract):
    facts = extract(
        "A 41-year-old man was hurt. The 18th package of sanctions was adopted in 2025, "
        "after a nine-storey building collapsed."
    )
    assert facts.counts == []


def test_vague_plural(extract):
    facts = extract("Officials said hundreds of drones were launched at Kyiv.")
    assert counts(facts) == [
        ("hundreds of drones", 200, "drones", "drones", "hundreds", None, False)
    ]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("1,000", (1000, None)),
        ("1.5 billion", (1.5e9, None)),
        ("twenty - three", (23, None)),
        ("a dozen", (12, None)),
        ("several hundred", (300, "several")),
        ("tens of thousands", (20_000, "tens of thousands")),
        ("2bn", (2e9, None)),
        ("fifty-odd", None),
    ],
)
def test_number_value(words, expected):
    assert number_value(words.split()) == expected
