"""Numbers with what they count and a normalised role."""

from __future__ import annotations

import pytest

from watchfloor.extract.components.common import number_value


def counts(facts) -> list[tuple]:
    return [
        (c.text, c.value, c.what, c.role, c.approx, c.value_max, c.is_update) for c in facts.counts
    ]


def test_weapons_launched(extract):
    facts = extract("Russia launched 440 drones and 32 missiles overnight on Tuesday.")
    assert counts(facts) == [
        ("440 drones", 440, "drones", "drones", None, None, False),
        ("32 missiles", 32, "missiles", "missiles", None, None, False),
    ]


def test_death_toll_update(extract):
    facts = extract("The death toll in Kyiv climbed to 28, officials said on Wednesday.")
    assert counts(facts) == [("28", 28, "death toll", "killed", None, None, True)]


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
