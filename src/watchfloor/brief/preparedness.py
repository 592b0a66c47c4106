"""The preparedness catalog: practical actions per threat category, read from an editable file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from watchfloor.errors import CatalogError
from watchfloor.extract._data import read_toml, string_list

PACKAGED_CATALOG = "preparedness.toml"
MIN_ACTIONS = 2
MAX_ACTIONS = 4
_FIELDS = ("keys", "heading", "actions")


@dataclass(frozen=True, slots=True)
class PreparednessEntry:
    keys: tuple[str, ...]  # taxonomy keys whose presence calls for this advice
    heading: str
    actions: tuple[str, ...]


def load_preparedness(
    path: str | Path | None = None, known_keys: Iterable[str] | None = None
) -> list[PreparednessEntry]:
    """Read and validate the catalog at ``path`` (empty or None: the packaged file).

    With ``known_keys`` (the taxonomy's keys), every key an entry names must be one of them,
    so a typo cannot silently hide advice.
    """
    data, where = read_toml(str(path) if path else None, PACKAGED_CATALOG)
    raw_entries = data.get("entry")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise CatalogError(f"{where}: no [[entry]] tables; add entries with {', '.join(_FIELDS)}")
    known = set(known_keys) if known_keys is not None else None
    return [_entry(raw, f"{where}: entry {n}", known) for n, raw in enumerate(raw_entries, 1)]


def _entry(raw: dict, where: str, known: set[str] | None) -> PreparednessEntry:
    unknown_fields = sorted(set(raw) - set(_FIELDS))
    if unknown_fields:
        raise CatalogError(
            f"{where} has unknown field(s) {', '.join(unknown_fields)}; known: {', '.join(_FIELDS)}"
        )
    missing = [name for name in _FIELDS if name not in raw]
    if missing:
        raise CatalogError(f"{where} lacks {', '.join(missing)}")
    keys = string_list(raw["keys"], where, "keys")
    if known is not None:
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise CatalogError(
                f"{where} names unknown taxonomy key(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
    heading = raw["heading"]
    if not isinstance(heading, str) or not heading.strip():
        raise CatalogError(f"{where}: heading must be a non-empty string")
    actions = string_list(raw["actions"], where, "actions")
    if not MIN_ACTIONS <= len(actions) <= MAX_ACTIONS:
        raise CatalogError(
            f"{where} ({heading.strip()}) has {len(actions)} actions; "
            f"give {MIN_ACTIONS} to {MAX_ACTIONS}"
        )
    return PreparednessEntry(tuple(keys), heading.strip(), tuple(actions))
