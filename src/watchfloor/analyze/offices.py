"""Who held which office when: the time-aware knowledge base of office holders.

The knowledge base is data we compile (``data/offices/*.toml``, format in
``data/offices/README.md``), optionally extended by a user file (the ``offices`` setting). It
answers three questions a title check and a briefing ask:

- who held a position on a day (``OfficeBook.holders``);
- what a person held on a day, and most recently before it (``OfficeBook.positions_held``,
  ``OfficeBook.previous_terms``);
- which positions a title as news writes it names ("Russian Defence Minister", "Kremlin
  spokesman", "President" said of someone who was a president: ``OfficeBook.match_title``).

A term covers the days from its start (included) to its end (excluded): on the day one
holder leaves and the next starts, the new holder holds the post.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from watchfloor.errors import CatalogError
from watchfloor.extract.components.linking import load_aliases, normalise_name
from watchfloor.extract.gazetteer import fold

PACKAGED_FOLDER = "offices"
# The file of role kinds: the bare titles ("defence minister") shared by many positions.
KINDS_FILE = "kinds.toml"
# Words that say a title is held in the past ("former"), or from soon ("incoming").
PAST_QUALIFIERS = frozenset({"former", "ex", "late", "then"})
FUTURE_QUALIFIERS = frozenset({"incoming", "new", "designate", "designated"})
# Words that keep the title current: "acting president", "outgoing prime minister".
CURRENT_QUALIFIERS = frozenset({"acting", "interim", "outgoing", "caretaker"})
_QUALIFIERS = PAST_QUALIFIERS | FUTURE_QUALIFIERS | CURRENT_QUALIFIERS
# Longest country or organisation name, in words, looked for inside a title.
_LONGEST_NAME = 5
_ALIAS_TABLES = ("countries", "demonyms", "metonyms", "organisations")
_POSITION_FIELDS = {"jurisdiction", "also", "label", "kind", "roles", "titles", "holders"}
_HOLDER_FIELDS = {"person", "aliases", "start", "end", "uncertain", "note"}


@dataclass(frozen=True, slots=True)
class Position:
    key: str  # "ru_defence_minister"
    jurisdiction: str  # "iso:RU", "org:NATO", "gn:703448" (a city)
    label: str  # "Minister of Defence of Russia"
    kind: str | None  # a key of kinds.toml ("defence_minister"), or None
    # Title phrases news writes for it with its country or organisation ("Kremlin spokesman").
    titles: tuple[str, ...] = ()
    # Bare titles that name it beside one of its jurisdictions ("defence minister").
    roles: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # other ids that stand for its jurisdiction ("org:EU" for EC)

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        return (self.jurisdiction, *self.also)


@dataclass(frozen=True, slots=True)
class Term:
    """One person's time in one position."""

    position: Position
    person: str  # the canonical name
    start: date | None  # None: before anything we record
    end: date | None  # the first day out of office; None: in office at curation time
    aliases: tuple[str, ...] = ()
    uncertain: bool = False  # a date to re-check
    note: str = ""

    def covers(self, day: date) -> bool:
        """Whether the person held the post on ``day`` (start included, end excluded)."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def ended_by(self, day: date) -> bool:
        return self.end is not None and self.end <= day

    def span(self) -> str:
        """ "from 2012-11-06 to 2024-05-12", "since 2024-05-14"; ", date uncertain" added."""
        start = self.start.isoformat() if self.start else "an unrecorded date"
        text = f"since {start}" if self.end is None else f"from {start} to {self.end.isoformat()}"
        return text + (", date uncertain" if self.uncertain else "")


def title_key(text: str) -> str:
    """A title as words to compare: case, accents, hyphens, "the" and possessives folded
    ("Then-Estonian Prime Minister" -> "then estonian prime minister")."""
    spaced = fold(text).replace("-", " ").replace("'s ", " 's ").replace("' ", " ")
    return " ".join(w for w in spaced.split() if w not in ("the", "'s"))


@dataclass(slots=True)
class OfficeBook:
    """Positions and their holders, looked up by name, title and day."""

    positions: dict[str, Position]
    terms: list[Term]
    current_as_of: date  # the day the packaged data was last brought up to date
    _people: dict[str, str] = field(default_factory=dict)  # folded name or alias -> person
    _surnames: dict[str, set[str]] = field(default_factory=dict)  # folded surname -> people
    _by_title: dict[str, list[Position]] = field(default_factory=dict)
    _by_role: dict[str, list[Position]] = field(default_factory=dict)
    _jurisdiction_words: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for term in self.terms:
            for name in (term.person, *term.aliases):
                self._people[fold(name)] = term.person
                self._surnames.setdefault(fold(name).split()[-1], set()).add(term.person)
        for position in self.positions.values():
            for title in position.titles:
                self._by_title.setdefault(title_key(title), []).append(position)
            for role in position.roles:
                self._by_role.setdefault(title_key(role), []).append(position)
        aliases = load_aliases()
        for table in _ALIAS_TABLES:
            self._jurisdiction_words.update(aliases.ids[table])

    def person(self, name: str) -> str | None:
        """The canonical name of a person in the book, from a name or alias as written (case
        and accents ignored; a surname alone when only one person bears it)."""
        folded = fold(name.strip()).removesuffix("'s")
        if folded in self._people:
            return self._people[folded]
        words = folded.split()
        if not words:
            return None
        bearers = self._surnames.get(words[-1], set())
        if len(bearers) != 1:
            return None
        (bearer,) = bearers
        # "Sergei Shoigu" matches "Sergey Shoigu" by surname; "Anna Shoigu" would not.
        if len(words) == 1 or fold(bearer).split()[0][:3] == words[0][:3]:
            return bearer
        return None

    def terms_of(self, person: str) -> list[Term]:
        """Every term of a person (any name or alias), earliest first."""
        canonical = self.person(person)
        found = [t for t in self.terms if t.person == canonical] if canonical else []
        return sorted(found, key=_start_order)

    def holders(self, position: str, day: date) -> list[Term]:
        """The terms of ``position`` (a key) that cover ``day``."""
        return [t for t in self.terms if t.position.key == position and t.covers(day)]

    def positions_held(self, person: str, day: date) -> list[Term]:
        """The terms of ``person`` (any name or alias as written) that cover ``day``; empty
        for a person not in the book. ``term.position.label`` names the post."""
        return [t for t in self.terms_of(person) if t.covers(day)]

    def previous_terms(self, person: str, day: date) -> list[Term]:
        """The person's terms that ended on or before ``day``, the most recent first."""
        ended = [t for t in self.terms_of(person) if t.ended_by(day)]
        return sorted(ended, key=lambda t: t.end or date.min, reverse=True)

    def match_title(
        self, role: str, jurisdiction: str | None = None, person: str | None = None
    ) -> list[Position]:
        """The positions a title names, qualifiers ("former") ignored.

        ``role`` is the title as written ("Russian Defence Minister", "Kremlin spokesman",
        "former Estonian prime minister"); ``jurisdiction`` the country or organisation the
        text gave it ("iso:RU"), if any. A title phrase of the book matches outright; else the
        country or organisation named inside the title (or ``jurisdiction``) and the bare role
        left ("defence minister") must both fit. A bare title without a country ("President")
        matches only positions of that role ``person`` held at some time, so "President
        Volodymyr Zelensky" names the Ukrainian presidency.
        """
        words = [w for w in title_key(role).split() if w not in _QUALIFIERS]
        phrase = " ".join(words)
        if phrase in self._by_title:
            return list(self._by_title[phrase])
        bare, named = self._strip_jurisdiction(words)
        candidates = self._by_role.get(bare, [])
        whose = jurisdiction or named
        if whose is not None:
            return [p for p in candidates if whose in p.jurisdictions]
        if person is None:
            return []
        held = {t.position.key for t in self.terms_of(person)}
        return [p for p in candidates if p.key in held]

    def _strip_jurisdiction(self, words: list[str]) -> tuple[str, str | None]:
        """("russian", "defence", "minister") -> ("defence minister", "iso:RU"); an "of" or
        "for" left dangling by a name that ended the title goes too ("president of russia")."""
        found: str | None = None
        i, kept, name_last = 0, [], False
        while i < len(words):
            for size in range(min(_LONGEST_NAME, len(words) - i), 0, -1):
                linked = self._jurisdiction_words.get(normalise_name(" ".join(words[i : i + size])))
                if linked is not None:
                    found = found or linked
                    i += size
                    name_last = True
                    break
            else:
                kept.append(words[i])
                i += 1
                name_last = False
        if name_last and kept and kept[-1] in ("of", "for"):
            kept.pop()
        return " ".join(kept), found


def _start_order(term: Term) -> date:
    return term.start or date.min


@cache
def load_offices(path: str | None = None) -> OfficeBook:
    """The packaged knowledge base, extended by the user file at ``path`` (the ``offices``
    setting; empty or None: the packaged one alone). Loaded once per path.

    In the user file a position with a new key is added; one with a packaged key takes the
    fields it gives (label, titles, ...) and its holders join the packaged ones, a holder with
    the same person and start replacing the packaged one (to set an end date or fix a name).
    """
    folder = files("watchfloor.data").joinpath(PACKAGED_FOLDER)
    kinds_data = tomllib.loads(folder.joinpath(KINDS_FILE).read_text(encoding="utf-8"))
    kinds = _read_kinds(kinds_data, f"packaged {PACKAGED_FOLDER}/{KINDS_FILE}")
    current_as_of = kinds_data["current_as_of"]
    raw: dict[str, dict[str, Any]] = {}
    for resource in sorted(folder.iterdir(), key=lambda r: r.name):
        if not resource.name.endswith(".toml") or resource.name == KINDS_FILE:
            continue
        where = f"packaged {PACKAGED_FOLDER}/{resource.name}"
        for key, entry in _parse(resource.read_text(encoding="utf-8"), where).items():
            if key in raw:
                raise CatalogError(f"{where}: position {key} is defined twice")
            raw[key] = _checked(key, entry, where, kinds, new=True)
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CatalogError(f"{path}: cannot read the file ({exc.strerror})") from exc
        for key, entry in _parse(text, str(path)).items():
            checked = _checked(key, entry, str(path), kinds, new=key not in raw)
            raw[key] = _merged(raw[key], checked) if key in raw else checked
    positions: dict[str, Position] = {}
    terms: list[Term] = []
    for key, entry in raw.items():
        kind = entry.get("kind")
        position = Position(
            key=key,
            jurisdiction=entry["jurisdiction"],
            label=entry["label"],
            kind=kind,
            titles=tuple(entry.get("titles", ())),
            roles=tuple(entry.get("roles", ())) + tuple(kinds.get(kind, ())),
            also=tuple(entry.get("also", ())),
        )
        positions[key] = position
        terms += [_term(position, holder) for holder in entry.get("holders", [])]
    return OfficeBook(positions, terms, current_as_of)


def _parse(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{where}: not valid TOML ({exc}); fix the syntax") from exc


def _read_kinds(data: dict[str, Any], where: str) -> dict[str, list[str]]:
    kinds = data.get("kinds")
    if not isinstance(kinds, dict) or not all(
        isinstance(v, list) and all(isinstance(s, str) and s for s in v) for v in kinds.values()
    ):
        raise CatalogError(f"{where}: [kinds] must map each kind to a list of titles")
    return kinds


def _strings(value: Any, where: str, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise CatalogError(f"{where}: {what} must be a list of non-empty strings")
    return [s.strip() for s in value]


def _checked(
    key: str, entry: Any, where: str, kinds: dict[str, list[str]], *, new: bool
) -> dict[str, Any]:
    """``entry`` with its fields checked; a new position must give jurisdiction and label."""
    here = f"{where}: position {key}"
    if not isinstance(entry, dict):
        raise CatalogError(f"{here} must be a table")
    unknown = sorted(set(entry) - _POSITION_FIELDS)
    if unknown:
        raise CatalogError(f"{here}: unknown field(s) {', '.join(unknown)}")
    if new:
        for required in ("jurisdiction", "label"):
            if not isinstance(entry.get(required), str) or not entry[required].strip():
                raise CatalogError(f"{here}: {required} is required")
    for name in ("jurisdiction", "also"):
        ids = [entry[name]] if name == "jurisdiction" and name in entry else entry.get(name, [])
        if not all(isinstance(i, str) and i.partition(":")[2] for i in ids):
            raise CatalogError(f'{here}: {name} must be ids like "iso:RU" or "org:NATO"')
    if "kind" in entry and entry["kind"] not in kinds:
        raise CatalogError(f"{here}: kind {entry['kind']!r} is not in {KINDS_FILE}")
    for name in ("titles", "roles", "also"):
        if name in entry:
            _strings(entry[name], here, name)
    holders = entry.get("holders", [])
    if not isinstance(holders, list):
        raise CatalogError(f"{here}: holders must be a list of tables")
    for holder in holders:
        _check_holder(holder, here)
    return entry


def _check_holder(holder: Any, here: str) -> None:
    if not isinstance(holder, dict):
        raise CatalogError(f"{here}: each holder must be a table")
    unknown = sorted(set(holder) - _HOLDER_FIELDS)
    if unknown:
        raise CatalogError(f"{here}: holder with unknown field(s) {', '.join(unknown)}")
    person = holder.get("person")
    if not isinstance(person, str) or not person.strip():
        raise CatalogError(f"{here}: a holder without a person")
    for name in ("start", "end"):
        value = holder.get(name)
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            raise CatalogError(f"{here}: {person}: {name} must be a date (YYYY-MM-DD)")
    start, end = holder.get("start"), holder.get("end")
    if start is not None and end is not None and end < start:
        raise CatalogError(f"{here}: {person}: end {end} is before start {start}")
    _strings(holder.get("aliases", []), f"{here}: {person}", "aliases")


def _merged(packaged: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    merged = packaged | {k: v for k, v in user.items() if k != "holders"}
    replaced = {(h["person"], h.get("start")) for h in user.get("holders", [])}
    kept = [h for h in packaged.get("holders", []) if (h["person"], h.get("start")) not in replaced]
    merged["holders"] = kept + list(user.get("holders", []))
    return merged


def _term(position: Position, holder: dict[str, Any]) -> Term:
    return Term(
        position=position,
        person=holder["person"].strip(),
        start=holder.get("start"),
        end=holder.get("end"),
        aliases=tuple(a.strip() for a in holder.get("aliases", [])),
        uncertain=bool(holder.get("uncertain", False)),
        note=holder.get("note", ""),
    )


def labels(terms: Iterable[Term]) -> list[str]:
    """The position labels of ``terms``, each once, in order."""
    return list(dict.fromkeys(t.position.label for t in terms))
