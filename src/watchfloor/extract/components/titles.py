"""wf_titles: people named with a title, as (person, role, jurisdiction).

Three shapes are read, each around a PERSON entity:

- before the name: "Russian Defence Minister Sergei Shoigu", "Kremlin spokesman Dmitry
  Peskov", "President of Russia Vladimir Putin";
- before the name with a comma, the name closed by punctuation: "Russia's foreign minister,
  Sergei Lavrov, said";
- after the name with a comma, the title closed by punctuation, "who" or a verb: "Dmitry
  Peskov, the Kremlin's spokesman, said", "Kaja Kallas, the former Estonian prime minister
  who ...".

The role is kept as written, with its qualifiers ("former Estonian prime minister"); the
jurisdiction is the country or organisation the title names ("Russian", "Kremlin" -> iso:RU;
"EU" -> org:EU), or for a mayor or governor the city or region. A later check compares these
with who held the office on the article's date, so a title is only read where the words leave
no doubt: generic roles ("chief", "aide") need a jurisdiction or a person's possessive beside
them, and a title that runs on into other words is dropped.

The vocabulary is in ``data/titles.toml``; jurisdictions come from the linking tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from watchfloor.errors import CatalogError
from watchfloor.extract._data import read_toml, string_list
from watchfloor.extract.components.common import register_doc_list
from watchfloor.extract.components.linking import (
    AliasTable,
    load_aliases,
    normalise_name,
    person_end,
)

register_doc_list("titles")

PACKAGED_TITLES = "titles.toml"
_WHOSE, _PLACE, _PERSON, _POSSESSIVE = "<J>", "<P>", "<PER>", "'s"
_POSSESSIVES = {"'s", "’s", "'", "’"}
_ARTICLES = {"the", "a", "an"}
# Words after an appositive title that show it ended: "Peskov, the Kremlin's spokesman, said".
_RELATIVES = {"who", "whose"}
_CLOSERS = _RELATIVES | {"said", "says", "told", "added", "warned", "has", "had", "was", "is"}
# How far from a name a title may start, in tokens.
_REACH_BEFORE, _REACH_AFTER = 12, 16
_KINDS = ("roles", "needs_whose", "local_roles")


class TitleRecord(TypedDict):
    start: int  # character offsets of the whole mention
    end: int
    person_start: int
    person_end: int
    role_start: int
    role_end: int
    jurisdiction: str | None


@dataclass(frozen=True, slots=True)
class Role:
    kind: str  # one of _KINDS
    implied: str | None  # the jurisdiction the role names itself ("commission president")


@dataclass(frozen=True, slots=True)
class TitleVocabulary:
    roles: dict[tuple[str, ...], Role]  # words (lower case, hyphens dropped) -> role
    qualifiers: frozenset[str]
    title_words: frozenset[str]  # every word of a role or qualifier
    longest: int


def _words(text: str) -> tuple[str, ...]:
    """ "Secretary-General" -> ("secretary", "general"); "Russia's" -> ("russia", "'s")."""
    spaced = text.lower().replace("-", " ").replace("’", "'").replace("'s", " 's")
    return tuple(spaced.split())


def load_titles(path: str | None = None) -> TitleVocabulary:
    data, where = read_toml(path, PACKAGED_TITLES)
    known = set(_KINDS) | {"portfolios", "ranks", "qualifiers", "implied"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise CatalogError(f"{where}: unknown key(s) {', '.join(unknown)}")
    implied: dict[Any, Any] = data.get("implied", {})
    if not isinstance(implied, dict) or not all(
        isinstance(v, str) and v.startswith(("iso:", "org:")) for v in implied.values()
    ):
        raise CatalogError(f'{where}: [implied] must map roles to "iso:XX" or "org:ID"')

    def listed(key: str) -> list[str]:
        return string_list(data.get(key), where, key)

    plain = listed("roles")
    for portfolio in listed("portfolios"):
        plain += [
            f"{portfolio} minister", f"minister of {portfolio}", f"minister for {portfolio}",
            f"{portfolio} secretary", f"secretary of {portfolio}", f"secretary for {portfolio}",
            f"{portfolio} commissioner", f"commissioner for {portfolio}",
            f"{portfolio} ministry spokesman", f"{portfolio} ministry spokeswoman",
            f"{portfolio} ministry spokesperson",
        ]  # fmt: skip
    base = {
        "roles": plain,
        "needs_whose": listed("needs_whose"),
        "local_roles": listed("local_roles"),
    }
    roles: dict[tuple[str, ...], Role] = {}
    for kind, names in base.items():
        for name in names:
            role = Role(kind, implied.get(name.lower()))
            for rank in ["", *listed("ranks")]:
                words = _words(f"{rank} {name}")
                roles[words] = role
                # "secretary of the security council" -> "secretary of Russia's security council"
                for i in range(len(words) - 1):
                    if words[i : i + 2] == ("of", "the"):
                        roles[words[: i + 1] + (_WHOSE, _POSSESSIVE) + words[i + 2 :]] = role
    unused = sorted(set(implied) - {" ".join(_words(n)) for names in base.values() for n in names})
    if unused:
        raise CatalogError(f"{where}: [implied] names roles not listed: {', '.join(unused)}")
    qualifiers = frozenset(q.lower() for q in listed("qualifiers"))
    title_words = frozenset(w for words in roles for w in words) | qualifiers
    return TitleVocabulary(roles, qualifiers, title_words, max(len(w) for w in roles))


@dataclass(frozen=True, slots=True)
class _Symbol:
    key: str  # a word in lower case, or _WHOSE, _PLACE, _PERSON, _POSSESSIVE
    start: int  # token offsets
    end: int
    linked: str | None = None  # the jurisdiction of a _WHOSE or _PLACE
    punct: bool = False


@dataclass(slots=True)
class _Found:
    first: int  # symbol positions of the title's first and last symbol
    last: int
    whose: str | None


class TitleReader:
    def __init__(
        self, nlp: Language, name: str, vocabulary: TitleVocabulary, aliases: AliasTable
    ) -> None:
        self.name = name
        self.vocabulary = vocabulary
        self.aliases = aliases
        # Case-sensitive like the linker: "US" is a country, "us" is not. Ambiguous
        # abbreviations ("WHO") count here, where a title follows them.
        self.whose = PhraseMatcher(nlp.vocab, attr="ORTH")
        names = {n for table in aliases.written.values() for n in table} | set(aliases.tagged)
        self.tagged = aliases.tagged
        self.whose.add("whose", [nlp.make_doc(n) for n in sorted(names)])

    def _jurisdiction(self, span: Span) -> str | None:
        if span.text in self.tagged:
            return self.tagged[span.text]
        key = normalise_name(span.text)
        for table in ("countries", "demonyms", "metonyms", "organisations"):
            found = self.aliases.ids[table].get(key)
            if found is not None:
                return found
        return None

    def __call__(self, doc: Doc) -> Doc:
        people = [ent for ent in doc.ents if ent.label_ == "PERSON"]
        if not people:
            doc._.titles = []
            return doc
        whose = {
            span.start: (span.end, self._jurisdiction(span))
            for span in filter_spans(self.whose(doc, as_spans=True))
        }
        places = {}
        for mention in doc._.mentions or []:
            if (mention["linked_id"] or "").startswith(("gn:", "adm1:")):
                span = doc.char_span(mention["start"], mention["end"])
                if span is not None:
                    places[span.start] = (span.end, mention["linked_id"])
        spans = [self._person(doc, ent, whose) for ent in people]
        records: list[TitleRecord] = []
        for person in spans:
            if person is None or not self._near_title(doc, person):
                continue
            sentence = person.sent
            lo = max(sentence.start, person.start - _REACH_BEFORE)
            hi = min(sentence.end, person.end + _REACH_AFTER)
            symbols, at = self._symbols(doc, lo, hi, person, spans, whose, places)
            if at < 0:  # the name begins inside a country's or organisation's name
                continue
            for found, before in (
                (self._before(symbols, at), True),
                (self._after(symbols, at), False),
            ):
                if found is None:
                    continue
                role = doc[symbols[found.first].start : symbols[found.last].end]
                whole = doc[role.start : person.end] if before else doc[person.start : role.end]
                records.append(
                    TitleRecord(
                        start=whole.start_char,
                        end=whole.end_char,
                        person_start=person.start_char,
                        person_end=person.end_char,
                        role_start=role.start_char,
                        role_end=role.end_char,
                        jurisdiction=found.whose,
                    )
                )
        doc._.titles = records
        return doc

    def _person(self, doc: Doc, ent: Span, whose: dict[int, tuple[int, str | None]]) -> Span | None:
        """The name alone: a broken name mended, a possessive dropped, and title words the
        model took into the entity ("Prime Minister Kaja Kallas") left out."""
        start, end = ent.start, person_end(doc, ent.start, ent.end)
        if end - start > 1 and doc[end - 1].tag_ == "POS":
            end -= 1
        while end - start > 1:
            if start in whose and whose[start][0] < end:
                start = whose[start][0]
            elif doc[start].lower_ in self.vocabulary.title_words or doc[start].text == "-":
                start += 1
            else:
                break
        if not doc[start].is_title:
            return None
        return doc[start:end]

    def _near_title(self, doc: Doc, person: Span) -> bool:
        """A cheap test before reading the context: a title word, comma or possessive touches
        the name."""
        before = doc[person.start - 1] if person.start > 0 else None
        after = doc[person.end] if person.end < len(doc) else None
        return (after is not None and after.text == ",") or (
            before is not None
            and (
                before.lower_ in self.vocabulary.title_words
                or before.text in (",", *_POSSESSIVES)
                or before.is_title
            )
        )

    def _symbols(
        self,
        doc: Doc,
        lo: int,
        hi: int,
        person: Span,
        people: list[Span | None],
        whose: dict[int, tuple[int, str | None]],
        places: dict[int, tuple[int, str]],
    ) -> tuple[list[_Symbol], int]:
        """The tokens from ``lo`` to ``hi`` as symbols, and the position of ``person``."""
        names = {p.start: p.end for p in people if p is not None and lo <= p.start < hi}
        symbols: list[_Symbol] = []
        at = -1
        i = lo
        while i < hi:
            token = doc[i]
            if i in names:
                if i == person.start:
                    at = len(symbols)
                end = min(names[i], hi)
                symbols.append(_Symbol(_PERSON, i, end))
            elif i in whose:
                end = min(whose[i][0], hi)
                symbols.append(_Symbol(_WHOSE, i, end, whose[i][1]))
            elif i in places:
                end = min(places[i][0], hi)
                symbols.append(_Symbol(_PLACE, i, end, places[i][1]))
            elif token.text in _POSSESSIVES and token.tag_ == "POS":
                end = i + 1
                symbols.append(_Symbol(_POSSESSIVE, i, end))
            elif token.text == "-" and i > lo and not doc[i - 1].whitespace_:
                end = i + 1  # "Secretary-General": the hyphen joins two words of one title
            else:
                end = i + 1
                symbols.append(_Symbol(token.lower_, i, end, punct=token.is_punct))
            i = end
        return symbols, at

    def _role_at(self, symbols: list[_Symbol], first: int, last: int) -> Role | None:
        if first < 0 or last >= len(symbols):
            return None
        return self.vocabulary.roles.get(tuple(s.key for s in symbols[first : last + 1]))

    def _inner_whose(self, symbols: list[_Symbol], first: int, last: int) -> str | None:
        return next((s.linked for s in symbols[first : last + 1] if s.key == _WHOSE), None)

    def _accept(self, role: Role, found: _Found, owner: bool, place: str | None) -> _Found | None:
        if found.whose is None and role.kind == "local_roles":
            found.whose = place
        if found.whose is None:
            found.whose = role.implied
        if role.kind == "needs_whose" and found.whose is None and not owner:
            return None
        return found

    def _before(self, symbols: list[_Symbol], at: int) -> _Found | None:
        """ "Russian Defence Minister Sergei Shoigu", "Russia's foreign minister, Sergei
        Lavrov,"."""
        last = at - 1
        comma = last >= 0 and symbols[last].key == ","
        if comma:
            # The name must be closed off too: in "After a call with the prime minister,
            # Kallas said ..." the name starts a new clause.
            closer = symbols[at + 1] if at + 1 < len(symbols) else None
            if closer is not None and not (closer.punct or closer.key in _RELATIVES):
                return None
            last -= 1
        suffix: _Symbol | None = None
        first, role = self._longest_ending(symbols, last)
        if role is None and last >= 2 and symbols[last].key in (_WHOSE, _PLACE):
            # "President of Russia Vladimir Putin"
            of = last - 2 if symbols[last - 1].key == "the" else last - 1
            if of >= 1 and symbols[of].key in ("of", "for"):
                suffix = symbols[last]
                first, role = self._longest_ending(symbols, of - 1)
        if role is None or (
            first >= 2 and symbols[first - 1].key == "the" and symbols[first - 2].key == "of"
        ):
            # "Head of the Office of the President of Ukraine Andriy Yermak", "wife of the
            # President Olena Zelenska": the name belongs to a title further left.
            return None
        whose = self._inner_whose(symbols, first, last if suffix is None else last - 2)
        place = suffix.linked if suffix is not None and suffix.key == _PLACE else None
        if whose is None and suffix is not None and suffix.key == _WHOSE:
            whose = suffix.linked
        owner = False
        i = first - 1
        while i >= 0:
            key = symbols[i].key
            if key in self.vocabulary.qualifiers:
                first, i = i, i - 1
            elif key == _POSSESSIVE and i >= 1 and symbols[i - 1].key in (_WHOSE, _PERSON):
                if whose is not None or owner:
                    break
                owner = symbols[i - 1].key == _PERSON
                whose = symbols[i - 1].linked
                first, i = i - 1, i - 2
            elif key == _WHOSE and whose is None:
                whose, first, i = symbols[i].linked, i, i - 1
            elif key == _PLACE and place is None and whose is None:
                place, first, i = symbols[i].linked, i, i - 1
            else:
                break
        return self._accept(role, _Found(first, last, whose), owner, place)

    def _after(self, symbols: list[_Symbol], at: int) -> _Found | None:
        """ "Dmitry Peskov, the Kremlin's spokesman, said"."""
        i = at + 1
        if i >= len(symbols) or symbols[i].key != ",":
            return None
        i += 1
        if i < len(symbols) and symbols[i].key in _ARTICLES:
            i += 1
        first = i
        whose: str | None = None
        place: str | None = None
        owner = False
        while i < len(symbols):
            key = symbols[i].key
            possessive = i + 1 < len(symbols) and symbols[i + 1].key == _POSSESSIVE
            if key in self.vocabulary.qualifiers:
                i += 1
            elif key in (_WHOSE, _PERSON) and possessive and whose is None and not owner:
                owner = key == _PERSON
                whose = symbols[i].linked
                i += 2
            elif key == _WHOSE and whose is None and not owner:
                whose = symbols[i].linked
                i += 1
            elif key == _PLACE and place is None:
                place = symbols[i].linked
                i += 1
            else:
                break
        last, role = self._longest_starting(symbols, i)
        if role is None:
            return None
        whose = self._inner_whose(symbols, i, last) or whose
        end = last + 1
        if end < len(symbols) and symbols[end].key in ("of", "for"):
            target = (
                end + 2 if end + 1 < len(symbols) and symbols[end + 1].key == "the" else end + 1
            )
            if target < len(symbols) and symbols[target].key in (_WHOSE, _PLACE):
                if symbols[target].key == _WHOSE:
                    whose = whose or symbols[target].linked
                else:
                    place = place or symbols[target].linked
                last, end = target, target + 1
        if end < len(symbols):
            closer = symbols[end]
            if not (closer.punct or closer.key in _CLOSERS):
                return None
        return self._accept(role, _Found(first, last, whose), owner, place)

    def _longest_ending(self, symbols: list[_Symbol], last: int) -> tuple[int, Role | None]:
        for length in range(min(self.vocabulary.longest, last + 1), 0, -1):
            role = self._role_at(symbols, last - length + 1, last)
            if role is not None:
                return last - length + 1, role
        return last, None

    def _longest_starting(self, symbols: list[_Symbol], first: int) -> tuple[int, Role | None]:
        for length in range(min(self.vocabulary.longest, len(symbols) - first), 0, -1):
            role = self._role_at(symbols, first, first + length - 1)
            if role is not None:
                return first + length - 1, role
        return first, None


@Language.factory(
    "wf_titles",
    assigns=["doc._.titles"],
    requires=["doc.ents", "doc.sents", "token.tag", "doc._.mentions"],
    default_config={"titles": "", "aliases": "", "organisations": ""},
)
def make_title_reader(
    nlp: Language, name: str, titles: str, aliases: str, organisations: str
) -> TitleReader:
    """``titles``, ``aliases``, ``organisations``: paths to TOML files, empty for the packaged
    ones."""
    return TitleReader(
        nlp, name, load_titles(titles or None), load_aliases(aliases or None, organisations or None)
    )
