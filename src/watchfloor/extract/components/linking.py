"""wf_linking: mentions of people, organisations and places, with ids where we know them.

Countries link to ISO 3166 alpha-2 ("iso:FI") through pycountry's names and our alias table
(``data/link_aliases.toml``: short names, demonyms, metonyms such as "the Kremlin"); the big
international organisations link to "org:NATO" and the like. Cities stay unlinked in v1.
Aliases the model did not tag as entities ("Finnish" read as an adjective) become mentions too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TypedDict

import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from watchfloor.errors import CatalogError
from watchfloor.extract._data import read_toml, string_list
from watchfloor.extract.components.common import register_doc_list

register_doc_list("mentions")

PACKAGED_ALIASES = "link_aliases.toml"
MENTION_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
# Which alias table a label may link through; the model's labels for these are unsteady
# ("the Kremlin" comes out as ORG, FAC or GPE).
_TABLES_FOR_LABEL = {
    "GPE": ("countries", "metonyms", "organisations"),
    "LOC": ("countries", "metonyms"),
    "NORP": ("demonyms", "countries"),
    "ORG": ("organisations", "metonyms", "countries"),
    "FAC": ("metonyms",),
}
_LABEL_FOR_TABLE = {
    "countries": "GPE",
    "demonyms": "NORP",
    "metonyms": "ORG",
    "organisations": "ORG",
}


class MentionRecord(TypedDict):
    start: int  # character offsets into doc.text
    end: int
    label: str
    linked_id: str | None


def normalise_name(text: str) -> str:
    """Case, accents, a leading "the" and a trailing possessive do not matter for lookup."""
    folded = unicodedata.normalize("NFKD", text.replace("’", "'"))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    folded = " ".join(folded.split())
    folded = folded.removeprefix("the ")
    return folded.removesuffix("'s").removesuffix("'").strip()


@dataclass(frozen=True, slots=True)
class AliasTable:
    ids: dict[str, dict[str, str]]  # table -> normalised name -> id
    written: dict[str, list[str]]  # table -> names as written, for spotting missed mentions


def load_aliases(path: str | None = None) -> AliasTable:
    data, where = read_toml(path, PACKAGED_ALIASES)
    unknown = sorted(set(data) - set(_LABEL_FOR_TABLE))
    if unknown:
        raise CatalogError(f"{where}: unknown table(s) {', '.join(unknown)}")
    ids: dict[str, dict[str, str]] = {table: {} for table in _LABEL_FOR_TABLE}
    written: dict[str, list[str]] = {table: [] for table in _LABEL_FOR_TABLE}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                ids["countries"][normalise_name(name)] = f"iso:{country.alpha_2}"
    for table, section in data.items():
        if not isinstance(section, dict):
            raise CatalogError(f"{where}: [{table}] must be a table of id = [names]")
        for code, names in section.items():
            if table != "organisations" and pycountry.countries.get(alpha_2=code) is None:
                raise CatalogError(f"{where}: [{table}] {code} is not an ISO 3166 alpha-2 code")
            prefix = "org" if table == "organisations" else "iso"
            for name in string_list(names, where, f"[{table}] {code}"):
                ids[table][normalise_name(name)] = f"{prefix}:{code}"
                written[table].append(name.removeprefix("the "))
    return AliasTable(ids=ids, written=written)


class EntityLinker:
    def __init__(self, nlp: Language, name: str, aliases: AliasTable) -> None:
        self.name = name
        self.aliases = aliases
        # Case-sensitive: "US" is a country, "us" a pronoun.
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for table, names in aliases.written.items():
            self.matcher.add(table, [nlp.make_doc(n) for n in names])

    def link(self, text: str, label: str) -> str | None:
        key = normalise_name(text)
        for table in _TABLES_FOR_LABEL.get(label, ()):
            found = self.aliases.ids[table].get(key)
            if found is not None:
                return found
        return None

    def __call__(self, doc: Doc) -> Doc:
        records: list[MentionRecord] = []
        taken = [False] * len(doc)
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                taken[i] = True
            label = ent.label_
            if label not in MENTION_LABELS:
                continue
            if len(ent) > 1 and ent[-1].tag_ == "POS":
                ent = ent[:-1]  # "South Korea's" -> "South Korea"
            records.append(
                MentionRecord(
                    start=ent.start_char,
                    end=ent.end_char,
                    label=label,
                    linked_id=self.link(ent.text, label),
                )
            )
        matches = filter_spans(
            self.matcher(doc, as_spans=True)
        )  # longest wins: "UN Security Council"
        for span in matches:
            if any(taken[span.start : span.end]):
                continue
            table = span.label_
            records.append(
                MentionRecord(
                    start=span.start_char,
                    end=span.end_char,
                    label=_LABEL_FOR_TABLE[table],
                    linked_id=self.aliases.ids[table][normalise_name(span.text)],
                )
            )
        records.sort(key=lambda r: r["start"])
        doc._.mentions = records
        return doc


@Language.factory(
    "wf_linking",
    assigns=["doc._.mentions"],
    requires=["doc.ents"],
    default_config={"aliases": ""},
)
def make_entity_linker(nlp: Language, name: str, aliases: str) -> EntityLinker:
    """``aliases``: path to an alias TOML file; empty for the packaged one."""
    return EntityLinker(nlp, name, load_aliases(aliases or None))
