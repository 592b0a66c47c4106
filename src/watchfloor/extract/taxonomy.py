"""The threat taxonomy: categories, their labels and the words that signal them.

The file is data a user may edit (``Settings.taxonomy``); this is its one loader.
Each ``[key]`` table has ``label``, ``group`` and ``triggers`` (lemmas or lemma phrases that
signal the category on their own). ``weak_triggers`` (optional) signal it only when the
sentence also contains one of the ``context`` lemmas: "drones" alone is not an attack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from watchfloor.errors import CatalogError
from watchfloor.extract._data import read_toml, string_list

PACKAGED_TAXONOMY = "taxonomy.toml"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_REQUIRED = ("label", "group", "triggers")
_OPTIONAL = ("weak_triggers", "context")


@dataclass(frozen=True, slots=True)
class TaxonomyEntry:
    key: str
    label: str  # for people: "Missile strikes"
    group: str  # a coarser heading: "strikes", "hybrid", ...
    triggers: tuple[str, ...]
    weak_triggers: tuple[str, ...] = ()
    context: tuple[str, ...] = ()


def load_taxonomy(path: str | None = None) -> dict[str, TaxonomyEntry]:
    """Read and validate the taxonomy at ``path`` (empty or None: the packaged file)."""
    data, where = read_toml(path, PACKAGED_TAXONOMY)
    if not data:
        raise CatalogError(f"{where}: no categories; add at least one [key] table")
    entries: dict[str, TaxonomyEntry] = {}
    for key, table in data.items():
        entries[key] = _entry(key, table, where)
    return entries


def _entry(key: str, table: object, where: str) -> TaxonomyEntry:
    if not _KEY.match(key):
        raise CatalogError(f"{where}: category key {key!r} must be lower_snake_case")
    if not isinstance(table, dict):
        raise CatalogError(f"{where}: {key} must be a table like [{key}]")
    unknown = sorted(set(table) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise CatalogError(
            f"{where}: [{key}] has unknown field(s) {', '.join(unknown)}; "
            f"known: {', '.join(_REQUIRED + _OPTIONAL)}"
        )
    missing = [name for name in _REQUIRED if name not in table]
    if missing:
        raise CatalogError(f"{where}: [{key}] lacks {', '.join(missing)}")
    for name in ("label", "group"):
        if not isinstance(table[name], str) or not table[name].strip():
            raise CatalogError(f"{where}: [{key}] {name} must be a non-empty string")
    triggers = string_list(table["triggers"], where, f"[{key}] triggers")
    weak = table.get("weak_triggers", [])
    context = table.get("context", [])
    if weak or context:
        weak = string_list(weak, where, f"[{key}] weak_triggers")
        context = string_list(context, where, f"[{key}] context")
    return TaxonomyEntry(
        key=key,
        label=table["label"].strip(),
        group=table["group"].strip(),
        triggers=tuple(t.lower() for t in triggers),
        weak_triggers=tuple(t.lower() for t in weak),
        context=tuple(c.lower() for c in context),
    )
