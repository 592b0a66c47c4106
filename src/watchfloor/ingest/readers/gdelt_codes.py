"""GDELT's code tables, read from ``watchfloor/data/gdelt``: CAMEO event codes with their labels
and taxonomy categories, GDELT's country codes as ISO 3166 alpha-2, GKG count types and amount
words as our count roles. The tables are data (see the comments in each file); this is their
one loader."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import pycountry

from watchfloor.errors import CatalogError

# Categories the CAMEO table may use besides the threat taxonomy's keys (see cameo.toml).
GDELT_ONLY_CATEGORIES = frozenset({"armed_clash", "unrest", "other"})
_CODE = re.compile(r"^(0[1-9]|1[0-9]|20)[0-9]{0,2}$")
_WORD = re.compile(r"[^\W\d_]+|[$€£¥]")


def _table(name: str) -> dict[str, Any]:
    where = f"packaged gdelt/{name}"
    raw = files("watchfloor.data").joinpath("gdelt").joinpath(name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{where}: not valid TOML ({exc}); fix the syntax") from exc


def _strings(data: dict[str, Any], section: str, name: str) -> dict[str, str]:
    table = data.get(section)
    if not isinstance(table, dict) or not all(
        isinstance(v, str) and v.strip() for v in table.values()
    ):
        raise CatalogError(f"packaged gdelt/{name}: [{section}] must map codes to strings")
    return table


@dataclass(frozen=True, slots=True)
class CameoTable:
    labels: dict[str, str]  # code -> short label
    categories: dict[str, str]  # code or code prefix -> taxonomy category

    def _longest(self, table: dict[str, str], code: str) -> str | None:
        for length in range(len(code), 1, -1):
            if code[:length] in table:
                return table[code[:length]]
        return None

    def label(self, code: str) -> str | None:
        """The code's label; a code we have no label for borrows its parent's."""
        return self._longest(self.labels, code) if _CODE.match(code) else None

    def category(self, code: str) -> str | None:
        return self._longest(self.categories, code) if _CODE.match(code) else None


@cache
def cameo() -> CameoTable:
    data = _table("cameo.toml")
    labels = _strings(data, "labels", "cameo.toml")
    categories = _strings(data, "categories", "cameo.toml")
    bad = sorted(code for code in [*labels, *categories] if not _CODE.match(code))
    if bad:
        raise CatalogError(f"packaged gdelt/cameo.toml: {', '.join(bad)} are not CAMEO codes")
    return CameoTable(labels=labels, categories=categories)


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    data = _table("countries.toml")
    return _strings(data, "fips", "countries.toml"), _strings(data, "cameo", "countries.toml")


def fips_country(code: str) -> str | None:
    """ISO alpha-2 for a FIPS 10-4 country code (GDELT's geography fields)."""
    return _countries()[0].get(code.strip().upper())


def cameo_country(code: str) -> str | None:
    """ISO alpha-2 for a CAMEO actor country code (ISO alpha-3 but for a few older codes);
    None for regions (AFR, EUR, ...) and blanks."""
    code = code.strip().upper()
    if not code:
        return None
    if code in _countries()[1]:
        return _countries()[1][code]
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2 if country else None


@cache
def _count_tables() -> tuple[dict[str, str], list[tuple[str, frozenset[str]]]]:
    data = _table("counts.toml")
    types = _strings(data, "count_types", "counts.toml")
    amounts = data.get("amount_roles")
    if not isinstance(amounts, dict) or not all(
        isinstance(words, list) and all(isinstance(w, str) for w in words)
        for words in amounts.values()
    ):
        raise CatalogError("packaged gdelt/counts.toml: [amount_roles] must map roles to words")
    return types, [(role, frozenset(w.lower() for w in words)) for role, words in amounts.items()]


def count_role(count_type: str) -> str | None:
    """Our role for a GKG count type (KILL -> killed); None for types that are not counts."""
    return _count_tables()[0].get(count_type)


def amount_role(object_text: str) -> str:
    """The role of a GKG amount from the words after its number: "dollars in damage" -> money,
    "of the wounded were" -> injured, "victims walked into" -> people; else "amount"."""
    words = set(_WORD.findall(object_text.lower()))
    for role, vocabulary in _count_tables()[1]:
        if words & vocabulary:
            return role
    return "amount"
