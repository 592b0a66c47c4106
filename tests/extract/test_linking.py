"""Mentions linked to ISO countries and organisations."""

from __future__ import annotations

import pytest

from watchfloor.errors import CatalogError
from watchfloor.extract.components.linking import load_aliases, normalise_name


def links(facts) -> list[tuple[str, str, str | None]]:
    return [(m.text, m.label, m.linked_id) for m in facts.mentions]


def test_demonyms_and_metonyms(extract):
    facts = extract(
        "Finnish lawmakers voted to leave the treaty. The Kremlin said it regretted it."
    )
    assert links(facts) == [("Finnish", "NORP", "iso:FI"), ("Kremlin", "ORG", "iso:RU")]


def test_countries_and_organisations(extract):
    facts = extract(
        "NATO and the EU condemned the attack, and the United Nations called for restraint. "
        "Türkiye hosted talks; South Korea objected, as did North Korean officials."
    )
    assert links(facts) == [
        ("NATO", "ORG", "org:NATO"),
        ("EU", "ORG", "org:EU"),
        ("the United Nations", "ORG", "org:UN"),
        ("Türkiye", "ORG", "iso:TR"),
        ("South Korea", "GPE", "iso:KR"),
        ("North Korean", "NORP", "iso:KP"),
    ]


def test_cities_stay_unlinked_and_possessives_are_trimmed(extract):
    facts = extract("Sergei Shoigu flew from Moscow to Pyongyang, South Korea's officials said.")
    assert links(facts) == [
        ("Sergei Shoigu", "PERSON", None),
        ("Moscow", "GPE", None),
        ("Pyongyang", "GPE", None),
        ("South Korea", "GPE", "iso:KR"),
    ]


def test_normalise_name():
    assert normalise_name("the Kremlin’s") == "kremlin"
    assert normalise_name("Türkiye") == "turkiye"


def test_bad_alias_code_names_the_file(tmp_path):
    path = tmp_path / "aliases.toml"
    path.write_text('[countries]\nXX = ["Nowhere"]\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"aliases\.toml: \[countries\] XX is not an ISO"):
        load_aliases(str(path))
