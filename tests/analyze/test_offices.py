"""The office-holder knowledge base: the packaged data, lookups by day, name and title, and a
user file extending it."""

from __future__ import annotations

from datetime import date
from itertools import combinations

import pytest

from watchfloor.analyze.offices import OfficeBook, load_offices
from watchfloor.errors import CatalogError


@pytest.fixture(scope="module")
def book() -> OfficeBook:
    return load_offices()


def test_every_packaged_title_phrase_names_its_own_position(book):
    wrong = {
        (p.key, title): [m.key for m in book.match_title(title)]
        for p in book.positions.values()
        for title in p.titles
        if p not in book.match_title(title)
    }
    assert wrong == {}


def test_terms_of_one_position_never_overlap_and_end_after_they_start(book):
    by_position: dict[str, list] = {}
    for term in book.terms:
        assert term.start is not None
        assert term.end is None or term.start < term.end, term
        by_position.setdefault(term.position.key, []).append(term)
    overlapping = [
        (a.person, b.person, a.position.key)
        for terms in by_position.values()
        for a, b in combinations(terms, 2)
        if a.start < (b.end or date.max) and b.start < (a.end or date.max)
    ]
    assert overlapping == []


def test_the_knowledge_base_covers_the_seed_and_the_taxonomy_countries(book):
    jurisdictions = {p.jurisdiction for p in book.positions.values()}
    wanted = "RU UA US GB DE FR CN PL EE FI NL IL IR SY BY TR KP HU SK LT LV SE NO DK IT ES JP"
    assert {f"iso:{c}" for c in wanted.split()} | {"org:NATO", "org:UN", "org:IAEA"} <= (
        jurisdictions
    )
    kinds = {(p.jurisdiction, p.kind) for p in book.positions.values()}
    for country in ("RU", "UA", "US", "GB", "DE", "FR", "CN", "EE", "FI", "TR", "JP", "IN"):
        assert (f"iso:{country}", "foreign_minister") in kinds
        assert (f"iso:{country}", "defence_minister") in kinds


def test_a_term_covers_its_start_day_and_not_its_end_day(book):
    assert [t.person for t in book.holders("ru_defence_minister", date(2024, 5, 11))] == [
        "Sergei Shoigu"
    ]
    assert book.holders("ru_defence_minister", date(2024, 5, 12)) == []
    assert book.holders("ru_defence_minister", date(2024, 5, 13)) == []
    assert [t.person for t in book.holders("ru_defence_minister", date(2024, 5, 14))] == [
        "Andrei Belousov"
    ]
    # Where one term ends the day the next starts, that day belongs to the newcomer.
    assert [t.person for t in book.holders("nato_secretary_general", date(2024, 10, 1))] == [
        "Mark Rutte"
    ]
    assert [t.person for t in book.holders("nato_secretary_general", date(2024, 9, 30))] == [
        "Jens Stoltenberg"
    ]


def test_what_a_person_held_on_a_day_and_most_recently_before_it(book):
    day = date(2025, 6, 17)
    assert [t.position.label for t in book.positions_held("Sergey Shoigu", day)] == [
        "Secretary of the Security Council of Russia"
    ]
    assert [t.position.key for t in book.previous_terms("Shoigu", day)] == ["ru_defence_minister"]
    assert [t.position.key for t in book.positions_held("Kaja Kallas", date(2024, 7, 22))] == [
        "ee_prime_minister"
    ]
    # Between her two posts she held neither.
    assert book.positions_held("Kaja Kallas", date(2024, 9, 1)) == []
    assert book.positions_held("Somebody Unknown", day) == []


def test_people_are_found_by_alias_accentless_spelling_and_unique_surname(book):
    assert book.person("Sauli Niinisto") == "Sauli Niinistö"
    assert book.person("sergey shoygu") == "Sergei Shoigu"
    assert book.person("Zelensky") == "Volodymyr Zelenskyy"
    assert book.person("Dan Jorgensen") == "Dan Jørgensen"
    assert book.person("Anna Shoigu") is None  # a surname alone is not the person
    assert book.person("Trump's") == "Donald Trump"


@pytest.mark.parametrize(
    ("role", "jurisdiction", "person", "expected"),
    [
        ("Russian Defence Minister", "iso:RU", None, ["ru_defence_minister"]),
        ("Russia's defense minister", None, None, ["ru_defence_minister"]),
        ("President of Russia", None, None, ["ru_president"]),
        (
            "Secretary of Russia's Security Council",
            "iso:RU",
            None,
            ["ru_security_council_secretary"],
        ),
        ("former Estonian prime minister", "iso:EE", None, ["ee_prime_minister"]),
        ("Kremlin’s spokesman", "iso:RU", None, ["ru_presidential_press_secretary"]),
        ("Putin’s foreign-policy aide", None, None, ["ru_presidential_aide_foreign_policy"]),
        ("NATO Secretary-General", "org:NATO", None, ["nato_secretary_general"]),
        ("Commission President", "org:EC", None, ["eu_commission_president"]),
        ("EU foreign policy chief", "org:EU", None, ["eu_high_representative"]),
        # A bare title names the posts of that role the person held.
        ("President", None, "Volodymyr Zelensky", ["ua_president"]),
        ("Foreign Secretary", None, "David Lammy", ["gb_foreign_secretary"]),
        ("Foreign Secretary", None, None, []),
        # A rank makes another post, which the book does not have.
        ("Russian Deputy Foreign Minister", "iso:RU", None, []),
        ("Kyiv Mayor", "gn:703448", None, ["ua_kyiv_mayor"]),
    ],
)
def test_titles_map_to_positions(book, role, jurisdiction, person, expected):
    assert [p.key for p in book.match_title(role, jurisdiction, person)] == expected


def test_a_user_file_adds_positions_and_overrides_holders(tmp_path):
    extra = tmp_path / "offices.toml"
    extra.write_text(
        """
[fi_prime_minister]
holders = [
  { person = "Petteri Orpo", start = 2023-06-20, end = 2027-04-20 },
  { person = "Riikka Example", start = 2027-04-20 },
]

[xx_harbour_master]
jurisdiction = "gn:658225"
label = "Harbour Master of Helsinki"
roles = ["harbour master"]
titles = ["Helsinki harbour master"]
holders = [{ person = "Jussi Example", start = 2020-01-01 }]
""",
        encoding="utf-8",
    )
    book = load_offices(str(extra))
    assert book.positions["fi_prime_minister"].label == "Prime Minister of Finland"
    orpo = [t for t in book.terms if t.person == "Petteri Orpo"]
    assert [(t.start, t.end) for t in orpo] == [(date(2023, 6, 20), date(2027, 4, 20))]
    assert [t.person for t in book.holders("fi_prime_minister", date(2027, 5, 1))] == [
        "Riikka Example"
    ]
    assert [t.person for t in book.holders("fi_prime_minister", date(2022, 1, 1))] == [
        "Sanna Marin"
    ]
    assert [p.key for p in book.match_title("Helsinki harbour master")] == ["xx_harbour_master"]
    assert load_offices().holders("fi_prime_minister", date(2027, 5, 1))[0].person == (
        "Petteri Orpo"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[x]\njurisdiction = "iso:FI"\n', "label is required"),
        ('[x]\njurisdiction = "FI"\nlabel = "X"\n', 'ids like "iso:RU"'),
        ('[x]\njurisdiction = "iso:FI"\nlabel = "X"\nkind = "emperor"\n', "kind 'emperor'"),
        ('[x]\njurisdiction = "iso:FI"\nlabel = "X"\ncolour = "red"\n', "unknown field(s) colour"),
        (
            '[x]\njurisdiction = "iso:FI"\nlabel = "X"\n'
            'holders = [{ person = "A", start = "2020-01-01" }]\n',
            "start must be a date",
        ),
        (
            '[x]\njurisdiction = "iso:FI"\nlabel = "X"\n'
            'holders = [{ person = "A", start = 2020-01-01T10:00:00 }]\n',
            "start must be a date",
        ),
        (
            '[x]\njurisdiction = "iso:FI"\nlabel = "X"\n'
            'holders = [{ person = "A", start = 2020-01-01, end = 2019-01-01 }]\n',
            "end 2019-01-01 is before start 2020-01-01",
        ),
        ("[x\n", "not valid TOML"),
    ],
)
def test_a_bad_user_file_is_refused_with_its_reason(tmp_path, content, message):
    extra = tmp_path / "bad.toml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_offices(str(extra))


def test_a_missing_user_file_is_an_error(tmp_path):
    with pytest.raises(CatalogError, match="cannot read the file"):
        load_offices(str(tmp_path / "absent.toml"))
