"""The PLOVER action lexicon: words that name actions, with their PLOVER type and CAMEO root.

The data is ``data/plover.toml`` (see its header for the format); this is its one loader. The
reader that applies it to sentences is ``watchfloor.extract.actions``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from watchfloor.errors import CatalogError
from watchfloor.extract._data import read_toml, string_list

PACKAGED_PLOVER = "plover.toml"
# The 16 event types of the PLOVER manual (2021).
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "ACCUSE",
    "REQUEST", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT",
)  # fmt: skip
_CAMEO_ROOT = re.compile(r"^(0[1-9]|1[0-9]|20)$")
_CLASSES = ("cooperative", "hostile", "other")
# A [complement.<kind>] value that is not a type.
OWN, COMPLEMENT, NONE = "own", "complement", "none"
_ENTRY_FIELDS = {
    "plover", "cameo", "verbs", "nouns", "objects", "preps", "subjects", "complement",
    "military_cameo",
}  # fmt: skip
_WORD_LISTS = ("light", "reporting", "intent_aux", "obligation_aux", "military", "not_actions")


@dataclass(frozen=True, slots=True)
class ActionType:
    plover: str
    cameo: str  # CAMEO root, "01" .. "20"


@dataclass(frozen=True, slots=True)
class ActionEntry:
    """One group of words from the file."""

    action: ActionType | None  # None: the words only pass on their complement's type
    objects: frozenset[str] = frozenset()
    preps: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    complement: str | None = None  # a key of PloverLexicon.complements
    military_cameo: str | None = None

    @property
    def restricted(self) -> bool:
        return bool(self.objects or self.preps or self.subjects)


# Per complement class: an ActionType, or OWN, COMPLEMENT or NONE.
Outcome = ActionType | str


@dataclass(frozen=True, slots=True)
class PloverLexicon:
    verbs: dict[str, tuple[ActionEntry, ...]]  # lemma or "lemma particle"; restricted first
    nouns: dict[str, tuple[ActionEntry, ...]]  # lemma or lemma phrase
    complements: dict[str, dict[str, Outcome]]  # kind -> class -> outcome
    cooperative: frozenset[str]
    hostile: frozenset[str]
    negated_cooperative: ActionType
    obligation: ActionType
    light: frozenset[str]
    reporting: frozenset[str]
    intent_aux: frozenset[str]
    obligation_aux: frozenset[str]
    military: frozenset[str]
    not_actions: tuple[str, ...]

    def type_class(self, action: ActionType) -> str:
        if action.plover in self.cooperative:
            return "cooperative"
        return "hostile" if action.plover in self.hostile else "other"


def load_plover(path: str | None = None) -> PloverLexicon:
    """Read and validate the lexicon at ``path`` (empty or None: the packaged file)."""
    data, where = read_toml(path, PACKAGED_PLOVER)
    unknown = sorted(
        set(data) - {"classes", "negation", "obligation", "complement", "words", "action"}
    )
    if unknown:
        raise CatalogError(f"{where}: unknown table(s) {', '.join(unknown)}")
    classes = _table(data, "classes", where)
    cooperative = frozenset(_types(classes.get("cooperative"), where, "[classes] cooperative"))
    hostile = frozenset(_types(classes.get("hostile"), where, "[classes] hostile"))
    complements = {
        kind: _complement(table, where, kind)
        for kind, table in _table(data, "complement", where).items()
    }
    words = _table(data, "words", where)
    missing = [name for name in _WORD_LISTS if name not in words]
    if missing:
        raise CatalogError(f"{where}: [words] lacks {', '.join(missing)}")

    def word_set(name: str) -> frozenset[str]:
        return frozenset(w.lower() for w in string_list(words[name], where, f"[words] {name}"))

    actions = data.get("action")
    if not isinstance(actions, list) or not actions:
        raise CatalogError(f"{where}: no [[action]] groups; add at least one")
    verbs: dict[str, list[ActionEntry]] = {}
    nouns: dict[str, list[ActionEntry]] = {}
    for number, table in enumerate(actions, start=1):
        entry, entry_verbs, entry_nouns = _entry(table, where, number, complements)
        for verb in entry_verbs:
            verbs.setdefault(verb, []).append(entry)
        for noun in entry_nouns:
            nouns.setdefault(noun, []).append(entry)
    return PloverLexicon(
        verbs={verb: _restricted_first(entries) for verb, entries in verbs.items()},
        nouns={noun: tuple(entries) for noun, entries in nouns.items()},
        complements=complements,
        cooperative=cooperative,
        hostile=hostile,
        negated_cooperative=_type(
            _table(data, "negation", where).get("cooperative"), where, "[negation] cooperative"
        ),
        obligation=_type(_table(data, "obligation", where).get("type"), where, "[obligation]"),
        light=word_set("light"),
        reporting=word_set("reporting"),
        intent_aux=word_set("intent_aux"),
        obligation_aux=word_set("obligation_aux"),
        military=word_set("military"),
        not_actions=tuple(sorted(word_set("not_actions"))),
    )


def _restricted_first(entries: list[ActionEntry]) -> tuple[ActionEntry, ...]:
    return tuple(sorted(entries, key=lambda e: not e.restricted))


def _table(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    table = data.get(name)
    if not isinstance(table, dict):
        raise CatalogError(f"{where}: [{name}] is missing or not a table")
    return table


def _types(value: Any, where: str, field: str) -> list[str]:
    names = string_list(value, where, field)
    unknown = [name for name in names if name not in PLOVER_TYPES]
    if unknown:
        raise CatalogError(
            f"{where}: {field} names unknown PLOVER type(s) {', '.join(unknown)}; "
            f"known: {', '.join(PLOVER_TYPES)}"
        )
    return names


def _type(value: Any, where: str, field: str) -> ActionType:
    """ "ASSAULT 19" -> ActionType("ASSAULT", "19")."""
    parts = value.split() if isinstance(value, str) else []
    if len(parts) != 2 or parts[0] not in PLOVER_TYPES or not _CAMEO_ROOT.match(parts[1]):
        raise CatalogError(
            f'{where}: {field} must be a PLOVER type and a CAMEO root like "ASSAULT 19", '
            f"not {value!r}"
        )
    return ActionType(parts[0], parts[1])


def _complement(table: Any, where: str, kind: str) -> dict[str, Outcome]:
    field = f"[complement.{kind}]"
    if not isinstance(table, dict) or set(table) != set(_CLASSES):
        raise CatalogError(f"{where}: {field} must set exactly {', '.join(_CLASSES)}")
    return {
        name: value if value in (OWN, COMPLEMENT, NONE) else _type(value, where, field)
        for name, value in table.items()
    }


def _entry(
    table: Any, where: str, number: int, complements: dict[str, dict[str, Outcome]]
) -> tuple[ActionEntry, list[str], list[str]]:
    field = f"[[action]] number {number}"
    if not isinstance(table, dict):
        raise CatalogError(f"{where}: {field} must be a table")
    unknown = sorted(set(table) - _ENTRY_FIELDS)
    if unknown:
        raise CatalogError(f"{where}: {field} has unknown field(s) {', '.join(unknown)}")
    complement = table.get("complement")
    if complement is not None and complement not in complements:
        raise CatalogError(
            f"{where}: {field} names complement {complement!r}, which has no [complement] table"
        )
    if "plover" in table or "cameo" in table:
        action = _type(f"{table.get('plover')} {table.get('cameo')}", where, field)
    elif complement is None:
        raise CatalogError(f"{where}: {field} needs plover and cameo, or a complement")
    else:
        action = None
    military = table.get("military_cameo")
    if military is not None and not (isinstance(military, str) and _CAMEO_ROOT.match(military)):
        raise CatalogError(f'{where}: {field} military_cameo must be a CAMEO root like "19"')
    verbs = _lower(table, "verbs", where, field)
    nouns = _lower(table, "nouns", where, field)
    if not verbs and not nouns:
        raise CatalogError(f"{where}: {field} needs verbs or nouns")
    entry = ActionEntry(
        action=action,
        objects=frozenset(_lower(table, "objects", where, field)),
        preps=frozenset(_lower(table, "preps", where, field)),
        subjects=frozenset(_lower(table, "subjects", where, field)),
        complement=complement,
        military_cameo=military,
    )
    if entry.restricted and nouns:
        raise CatalogError(f"{where}: {field} restricts its verbs, so it cannot list nouns")
    return entry, verbs, nouns


def _lower(table: dict[str, Any], name: str, where: str, field: str) -> list[str]:
    if name not in table:
        return []
    return [w.lower() for w in string_list(table[name], where, f"{field} {name}")]
