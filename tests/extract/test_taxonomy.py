"""The taxonomy file: fixed keys, one loader, errors that name the file and the problem."""

from __future__ import annotations

import pytest

from watchfloor.errors import CatalogError
from watchfloor.extract.taxonomy import load_taxonomy

KEYS = {
    "strike_missile", "strike_drone", "strike_artillery", "casualties", "military_cooperation",
    "nuclear", "cyber", "hybrid_maritime", "energy_sanctions", "diplomacy_mediation",
    "arms_control", "humanitarian", "evacuation", "information_operations",
}  # fmt: skip


def test_packaged_taxonomy_has_the_fixed_keys():
    taxonomy = load_taxonomy(None)
    assert set(taxonomy) == KEYS
    assert taxonomy["strike_missile"].label == "Missile and air strikes"
    assert taxonomy["hybrid_maritime"].group == "hybrid"
    assert "shadow fleet" in taxonomy["hybrid_maritime"].triggers
    assert taxonomy["strike_drone"].weak_triggers[0] == "drone"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('[cyber]\nlabel = "Cyber"\ngroup = "hybrid"\ntriggers = []\n', "triggers must be"),
        (
            '[cyber]\nlabel = "Cyber"\ngroup = "hybrid"\ntriggers = ["hack"]\ncolour = "red"\n',
            "unknown field",
        ),
        ('[cyber]\nlabel = "Cyber"\ntriggers = ["hack"]\n', "lacks group"),
        (
            '[cyber]\nlabel = "Cyber"\ngroup = "hybrid"\ntriggers = ["hack"]\n'
            'weak_triggers = ["server"]\n',
            "context must be",
        ),
        ('[cyber\nlabel = "Cyber"\n', "not valid TOML"),
        ('[Cyber-Attacks]\nlabel = "Cyber"\ngroup = "hybrid"\ntriggers = ["hack"]\n', "snake"),
    ],
)
def test_broken_taxonomy_raises_catalog_error(tmp_path, body, problem):
    path = tmp_path / "taxonomy.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_taxonomy(str(path))
    assert str(path) in str(error.value)
    assert problem in str(error.value)


def test_missing_taxonomy_file(tmp_path):
    with pytest.raises(CatalogError, match="cannot read the file"):
        load_taxonomy(str(tmp_path / "absent.toml"))
