from __future__ import annotations

import pytest

from watchfloor.brief.preparedness import load_preparedness
from watchfloor.errors import CatalogError
from watchfloor.extract.taxonomy import load_taxonomy

GOOD = '[[entry]]\nkeys = ["cyber"]\nheading = "Cyber"\nactions = ["keep cash", "store water"]\n'


def test_shipped_catalog_uses_only_taxonomy_keys_and_covers_the_issue_examples():
    entries = load_preparedness(known_keys=load_taxonomy())
    by_key = {key: entry for entry in entries for key in entry.keys}
    assert {"strike_missile", "strike_drone", "nuclear", "cyber", "evacuation"} <= set(by_key)
    assert "shelter" in " ".join(by_key["strike_drone"].actions)
    assert "iodine" in " ".join(by_key["nuclear"].actions)
    assert "cash" in " ".join(by_key["cyber"].actions)
    assert "pets" in " ".join(by_key["evacuation"].actions)
    assert all(2 <= len(e.actions) <= 4 for e in entries)


def test_a_custom_catalog_loads(tmp_path):
    path = tmp_path / "prep.toml"
    path.write_text(GOOD)
    [entry] = load_preparedness(path, known_keys=["cyber"])
    assert (entry.keys, entry.heading, entry.actions) == (
        ("cyber",),
        "Cyber",
        ("keep cash", "store water"),
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[entry]\nkeys = 1\n", "not valid TOML"),
        ("title = 'no entries'\n", r"no \[\[entry\]\] tables"),
        (GOOD.replace('"cyber"', '"cyber_war"'), "unknown taxonomy key.*cyber_war"),
        (GOOD.replace('keys = ["cyber"]\n', ""), "entry 1 lacks keys"),
        (GOOD.replace('"Cyber"', '"  "'), "heading must be a non-empty string"),
        (GOOD.replace('["keep cash", "store water"]', '["keep cash"]'), "has 1 actions"),
        (GOOD.replace('"store water"', '"store water", "a", "b", "c"'), "has 5 actions"),
        (GOOD + 'icon = "x"\n', "unknown field.*icon"),
    ],
)
def test_a_bad_catalog_names_the_file_and_the_problem(tmp_path, text, problem):
    path = tmp_path / "prep.toml"
    path.write_text(text)
    with pytest.raises(CatalogError, match=problem) as caught:
        load_preparedness(path, known_keys=["cyber"])
    assert str(path) in str(caught.value)


def test_a_missing_catalog_file_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="cannot read the file"):
        load_preparedness(tmp_path / "absent.toml")
